// What an export may hold: only what is drawn. Everything in the core was read from the API at the
// caller's clearance; of that, what the analyst hid or the filters take out (classes "hidden" and
// "filtered") stays out too, and so does a link whose end is out. Hub groups are placeholders for
// entities not drawn yet: they are not exported as entities, but their members' markings count
// towards the TLP banner of the picture they appear in.
import type { Collection, Core, EdgeSingular, NodeSingular } from 'cytoscape';
import type { GroupData } from '../graph/groups.js';
import type { Citation, Tlp } from '../types.js';
import { highestTlp, type ExportGraph, type ExportLink, type ExportNode } from './formats.js';

const shown = (e: NodeSingular | EdgeSingular) => !e.hasClass('hidden') && !e.hasClass('filtered');

/** The drawn entities and links (no hub groups, nothing hidden or filtered out). */
export function drawn(cy: Core): { nodes: Collection; edges: Collection } {
  const nodes = cy.nodes('[!group]').filter(shown);
  const ids = new Set(nodes.map((n) => n.id()));
  const edges = cy.edges('[!group]').filter((e) => shown(e) && ids.has(e.source().id()) && ids.has(e.target().id()));
  return { nodes, edges };
}

/** Drawn hub groups: their members' and links' markings. */
function groupMarkings(cy: Core): Tlp[] {
  const out: Tlp[] = [];
  cy.nodes('[?group]').filter(shown).forEach((g) => {
    const d = g.data() as GroupData;
    for (const m of d.members) if (m.tlp) out.push(m.tlp);
    for (const l of d.links) out.push(l.tlp);
  });
  return out;
}

function toNode(n: NodeSingular): ExportNode {
  const d = n.data() as { id: string; name: string; kind: ExportNode['kind']; tlp?: Tlp; degree?: number };
  const p = n.position();
  return { id: d.id, name: d.name, kind: d.kind, tlp: d.tlp ?? 'CLEAR', degree: d.degree ?? 0, x: p.x, y: p.y };
}

function toLink(e: EdgeSingular): ExportLink {
  const d = e.data() as Omit<ExportLink, 'citations'> & { citations?: Citation[] };
  return {
    id: d.id, source: d.source, target: d.target, type: d.type, confidence: d.confidence, assertion: d.assertion ?? 'AFFIRMED',
    tlp: d.tlp ?? 'CLEAR', firstSeen: d.firstSeen ?? null, lastSeen: d.lastSeen ?? null, description: d.description ?? null,
    citations: d.citations ?? [],
  };
}

function graphOf(nodes: Collection, edges: Collection, extraTlps: Tlp[] = []): ExportGraph {
  const ns = nodes.nodes().map(toNode);
  const ls = edges.edges().map(toLink);
  return { nodes: ns, links: ls, tlp: highestTlp([...ns.map((n) => n.tlp), ...ls.map((l) => l.tlp), ...extraTlps]), exportedAt: new Date().toISOString() };
}

/** Everything drawn; the marking also counts the hub groups drawn (they appear in pictures). */
export function collectDrawn(cy: Core): ExportGraph {
  const { nodes, edges } = drawn(cy);
  return graphOf(nodes, edges, groupMarkings(cy));
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The selection for the brief. Two or more selected entities: them and the drawn links among them;
 * one: it, its drawn links and their other ends; selected links: them and their ends. Nothing
 * selected: everything drawn.
 */
export function collectSelection(cy: Core): { graph: ExportGraph; scope: string } {
  const all = drawn(cy);
  const selNodes = all.nodes.filter((n) => n.selected());
  const selEdges = all.edges.filter((e) => e.selected());
  if (selNodes.empty() && selEdges.empty()) {
    return { graph: graphOf(all.nodes, all.edges), scope: `Nothing was selected: all ${count(all.nodes.length, 'drawn entity', 'drawn entities')} and ${count(all.edges.length, 'link', 'links')}` };
  }
  const ids = new Set(selNodes.map((n) => n.id()));
  const touching = (e: EdgeSingular) => (selNodes.length === 1
    ? ids.has(e.source().id()) || ids.has(e.target().id())
    : ids.has(e.source().id()) && ids.has(e.target().id()));
  const edges = selEdges.union(all.edges.filter((e) => touching(e as EdgeSingular)));
  const nodes = selNodes.union(edges.connectedNodes());
  const what = selNodes.length === 1 ? `${selNodes.first().data('name') as string}, its drawn links and their other ends`
    : selNodes.length > 1 ? `${selNodes.length} selected entities and the drawn links among them` : 'the selected links and their ends';
  return { graph: graphOf(nodes, edges), scope: `${what}${selEdges.nonempty() && selNodes.nonempty() ? ', with the selected links' : ''}` };
}
