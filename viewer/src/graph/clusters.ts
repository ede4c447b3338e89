// Clusters on the canvas: a colour per cluster, and a cluster collapsed into one node.
// A collapsed cluster keeps its members in the graph, not drawn (class in-collapsed), so the
// share URL, the table and the undo history still hold them and expanding puts them back where
// they were; the cluster node gets one dashed link per outside node its drawn members link to,
// labelled with how many links it stands for (data 'links', not 'count': the members' own links
// stay in the graph, so a hub's "+N more" must not count them twice).
import type { Core, ElementDefinition, NodeCollection, NodeSingular } from 'cytoscape';
import type { Entity } from '../types.js';

/**
 * Tableau 10 plus two: distinct hues that stay apart from one another; cluster i always gets
 * colour i (clusters come largest first, ties by key), and the 13th starts the palette again.
 * Twelve constants, so no palette library.
 */
export const CLUSTER_PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#17becf', '#393b79', '#8c6d31'];

export const clusterColor = (index: number): string => CLUSTER_PALETTE[index % CLUSTER_PALETTE.length];

/** Which cluster (1-based number, colour) each member belongs to. */
export type Membership = Map<string, { number: number; color: string }>;

/** Colours the drawn members by their cluster; every other node goes back to its kind's style. */
export function applyClusterColours(cy: Core, membership: Membership): void {
  cy.batch(() => {
    cy.nodes('[!group]').forEach((n) => {
      const m = membership.get(n.id());
      if (!m) {
        if (n.data('clusterColor') !== undefined) n.removeData('clusterColor cluster');
      } else if (n.data('clusterColor') !== m.color || n.data('cluster') !== m.number) {
        n.data({ clusterColor: m.color, cluster: m.number });
      }
    });
  });
}

export const clusterNodeId = (key: string): string => `cluster:${key}`;
export const isClusterNode = (n: { data(key: string): unknown }): boolean => n.data('group') === 'cluster';

export interface CollapseSpec { key: string; number: number; size: number; color: string; members: Entity[] }

/**
 * The cluster node and its links for the drawn members of `spec`: one link per outside node
 * (or other collapsed cluster) with the number of visible links it stands for.
 */
export function collapseDefinitions(spec: CollapseSpec, drawn: NodeCollection): ElementDefinition[] {
  const id = clusterNodeId(spec.key);
  const inside = new Set(drawn.map((n) => n.id()));
  const counts = new Map<string, number>();
  drawn.connectedEdges().forEach((e) => {
    if (e.hasClass('hidden') || e.hasClass('filtered')) return;
    const other = inside.has(e.source().id()) ? e.target() : e.source();
    if (inside.has(other.id()) || other.hasClass('in-collapsed') || other.hasClass('hidden')) return;
    // Another collapsed cluster's link to one of these members is folded into a cluster-to-cluster link.
    const weight = isClusterNode(e) ? Number(e.data('links')) || 0 : e.data('group') ? 0 : 1;
    if (weight) counts.set(other.id(), (counts.get(other.id()) ?? 0) + weight);
  });
  const centre = drawn.boundingBox({});
  const name = `Cluster ${spec.number} · ${spec.size} members`;
  // The members' most common kind: the legend's kind filter then hides or shows the cluster node too.
  const kinds = new Map<string, number>();
  drawn.forEach((n) => { const k = n.data('kind') as string; kinds.set(k, (kinds.get(k) ?? 0) + 1); });
  const kind = [...kinds.entries()].sort((p, q) => q[1] - p[1])[0][0];
  const defs: ElementDefinition[] = [{
    group: 'nodes',
    data: {
      id, group: 'cluster', kind, cluster: spec.number, key: spec.key, name, clusterColor: spec.color, tlp: 'CLEAR', degree: 0,
      label: drawn.length < spec.size ? `${name}\n(${drawn.length} drawn)` : name,
      size: Math.round(34 + 5 * Math.log2(1 + drawn.length)),
      members: spec.members.filter((m) => inside.has(m.id)).map((m) => ({ id: m.id, name: m.name, kind: m.kind })),
    },
    position: { x: (centre.x1 + centre.x2) / 2, y: (centre.y1 + centre.y2) / 2 },
  }];
  for (const [other, count] of counts) {
    defs.push({
      group: 'edges',
      data: { id: `cluster-edge:${spec.key}:${other}`, source: id, target: other, group: 'cluster', links: count, label: `${count} link${count === 1 ? '' : 's'}` },
    });
  }
  return defs;
}

/** The drawn members a collapsed cluster node holds. */
export function collapsedMembers(cy: Core, node: NodeSingular): NodeCollection {
  const ids = new Set((node.data('members') as Array<{ id: string }>).map((m) => m.id));
  return cy.nodes().filter((n) => ids.has(n.id()));
}

/**
 * Reads the display style of members whose class just changed, and of their links: Cytoscape
 * caches visible() per element until its style is next read, so `:visible` (keyboard, counts)
 * would still see the members just collapsed.
 */
export function refreshDisplay(members: NodeCollection): void {
  members.union(members.connectedEdges()).forEach((e) => { e.style('display'); });
}
