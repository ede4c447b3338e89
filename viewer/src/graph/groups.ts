// Hub groups: past a threshold, an expansion draws a hub's leaf neighbours not one by one but as
// one group node per kind ("142 personas"), on a ring around the hub. A group opens on demand, a
// page at a time (double-click, E, or the details panel); it goes when its last page is drawn.
// A group node carries its members (entities and their links to the hub) in its data, so undo,
// redo and the renderer switch keep it whole.
import type { Collection, CollectionArgument, Core, ElementDefinition, NodeSingular } from 'cytoscape';
import type { Entity, EntityKind, Link } from '../types.js';
import { KIND_STYLE } from './style.js';

/** An expansion bringing more new neighbours than this groups the leaves among them by kind. */
export const GROUP_ABOVE = 40;
/** Members drawn per "open" of a group. */
export const GROUP_PAGE = 25;
/** A grouped expansion draws at most about this many elements (hub, groups, their links, direct neighbours). */
const DRAWN_BUDGET = 30;
/** A kind with fewer new neighbours than this is drawn one by one rather than grouped. */
const MIN_GROUP = 3;
/** Neighbours fetched in one go when expanding a hub (the API allows 5,000). */
export const HUB_FETCH = 1000;

export interface GroupData {
  id: string;
  group: true;
  hub: string;
  kind: EntityKind;
  members: Entity[];
  /** The members' links with the hub. */
  links: Link[];
  name: string;
  label: string;
  size: number;
  tlp: 'CLEAR';
  degree: number;
}

export const groupId = (hub: string, kind: EntityKind): string => `group:${hub}:${kind}`;
const groupEdgeId = (hub: string, kind: EntityKind): string => `group-edge:${hub}:${kind}`;

function plural(kind: EntityKind, n: number): string {
  const word = KIND_STYLE[kind].label.toLowerCase();
  if (n === 1) return word;
  return /[^aeiou]y$/.test(word) ? `${word.slice(0, -1)}ies` : /(s|x|ch|sh)$/.test(word) ? `${word}es` : `${word}s`;
}

/** The group's data for `members` (name, label, size follow the count). */
export function groupData(hub: string, kind: EntityKind, members: Entity[], links: Link[]): GroupData {
  const name = `${members.length} ${plural(kind, members.length)}`;
  return {
    id: groupId(hub, kind), group: true, hub, kind, members, links, name,
    label: `${name}\n▸ open ${Math.min(GROUP_PAGE, members.length)}`,
    size: Math.round(26 + 5 * Math.log2(1 + members.length)), tlp: 'CLEAR', degree: links.length,
  };
}

export function groupEdgeData(hub: string, kind: EntityKind, links: number): Record<string, unknown> {
  return { id: groupEdgeId(hub, kind), source: hub, target: groupId(hub, kind), group: true, count: links };
}

/**
 * Splits an expansion's new neighbours: those drawn one by one (linked to something other than
 * the hub, up to a few, and kinds too small to group) and the groups of leaves, by kind.
 * `edges` are every link known among the hub, its new neighbours and what is drawn.
 */
export function splitLeaves(hub: string, fresh: Entity[], edges: Link[]): { direct: Entity[]; groups: Map<EntityKind, Entity[]> } {
  const elsewhere = new Set<string>();
  for (const l of edges) {
    if (l.from.id !== hub && l.to.id !== hub) { elsewhere.add(l.from.id); elsewhere.add(l.to.id); }
  }
  const count = new Map<EntityKind, number>();
  for (const e of fresh) count.set(e.kind, (count.get(e.kind) ?? 0) + 1);
  const small = (k: EntityKind) => (count.get(k) ?? 0) < MIN_GROUP;
  const direct = fresh.filter((e) => small(e.kind));
  const groupCount = [...count.keys()].filter((k) => !small(k)).length;
  // What is left of the budget after the hub, the groups and their links goes to neighbours linked
  // elsewhere (about three elements each: the node, its link to the hub, one more link), strongest first.
  let room = Math.max(0, Math.floor((DRAWN_BUDGET - 1 - 2 * groupCount - 2 * direct.length) / 3));
  const groups = new Map<EntityKind, Entity[]>();
  for (const e of fresh) {
    if (small(e.kind)) continue;
    if (elsewhere.has(e.id) && room > 0) { direct.push(e); room--; continue; }
    groups.set(e.kind, [...(groups.get(e.kind) ?? []), e]);
  }
  return { direct, groups };
}

/** The elements of a hub's groups: a group node and a dashed link to the hub per kind. */
export function groupDefinitions(hub: string, groups: Map<EntityKind, Entity[]>, edges: Link[]): ElementDefinition[] {
  const defs: ElementDefinition[] = [];
  for (const [kind, members] of groups) {
    const ids = new Set(members.map((m) => m.id));
    const links = edges.filter((l) => (l.from.id === hub && ids.has(l.to.id)) || (l.to.id === hub && ids.has(l.from.id)));
    defs.push({ group: 'nodes', data: groupData(hub, kind, members, links), classes: 'hub-group' });
    defs.push({ group: 'edges', data: groupEdgeData(hub, kind, links.length), classes: 'hub-group' });
  }
  return defs;
}

export const isGroup = (n: { data(key: string): unknown }): boolean => n.data('group') === true;

/** The groups hanging on these nodes. */
export function groupsOf(cy: Core, nodes: CollectionArgument): Collection {
  const hubs = new Set(nodes.nodes().map((n) => n.id()));
  return cy.nodes('[?group]').filter((g) => hubs.has(g.data('hub') as string));
}

/** Links of a hub held in its groups (drawn neither as links nor as nodes yet). */
export function groupedLinkCount(hub: NodeSingular): number {
  let n = 0;
  hub.connectedEdges('[?group]').forEach((e) => { n += Number(e.data('count')) || 0; });
  return n;
}
