// Turns API entities and links into Cytoscape elements and merges them into the graph in one
// batch (one style/render pass however many arrive).
import type { Collection, CollectionArgument, Core, ElementDefinition, NodeSingular } from 'cytoscape';
import type { Entity, Link, Subgraph } from '../types.js';
import { groupedLinkCount } from './groups.js';

const MAX_LABEL = 38;

function shortName(name: string): string {
  return name.length > MAX_LABEL ? `${name.slice(0, MAX_LABEL - 1)}…` : name;
}

/** Node size grows with the log of the degree, so hubs stand out without swallowing the view. */
function sizeFor(degree: number | undefined): number {
  return Math.round(18 + 6 * Math.log2(1 + Math.min(degree ?? 1, 500)));
}

export function nodeDefinition(e: Entity): ElementDefinition {
  return {
    group: 'nodes',
    data: { id: e.id, kind: e.kind, name: e.name, tlp: e.tlp ?? 'CLEAR', degree: e.degree ?? 0, size: sizeFor(e.degree), label: shortName(e.name), paged: 0 },
  };
}

export function edgeLabel(l: Pick<Link, 'type' | 'assertion'>): string {
  if (l.assertion === 'NEGATED') return `NOT ${l.type}`;
  if (l.assertion === 'DISPUTED') return `${l.type} (disputed)`;
  return l.type;
}

export function edgeDefinition(l: Link): ElementDefinition {
  return {
    group: 'edges',
    data: {
      id: l.id, source: l.from.id, target: l.to.id, type: l.type, confidence: l.confidence,
      firstSeen: l.firstSeen, lastSeen: l.lastSeen, tlp: l.tlp, assertion: l.assertion,
      description: l.description, citations: l.citations, label: edgeLabel(l),
    },
  };
}

/**
 * Adds what is not drawn yet (edges only when both ends are present) and refreshes the data of
 * nodes already drawn. Returns the added elements.
 */
export function mergeSubgraph(cy: Core, sub: Pick<Subgraph, 'nodes' | 'edges'>, positions?: Map<string, { x: number; y: number }>): Collection {
  const defs: ElementDefinition[] = [];
  const present = new Set<string>();
  cy.batch(() => {
    for (const n of sub.nodes) {
      const existing = cy.getElementById(n.id);
      present.add(n.id);
      if (existing.nonempty()) {
        // Unchanged data is not written back: every data() call restyles the node and its links.
        if (n.degree !== undefined && n.degree !== existing.data('degree')) existing.data({ degree: n.degree, size: sizeFor(n.degree) });
        continue;
      }
      const def = nodeDefinition(n);
      const pos = positions?.get(n.id);
      if (pos) def.position = { ...pos };
      defs.push(def);
    }
  });
  for (const id of cy.nodes().map((n) => n.id())) present.add(id);
  const seenEdges = new Set<string>();
  for (const l of sub.edges) {
    if (seenEdges.has(l.id) || cy.getElementById(l.id).nonempty()) continue;
    if (!present.has(l.from.id) || !present.has(l.to.id)) continue;
    seenEdges.add(l.id);
    defs.push(edgeDefinition(l));
  }
  let added = cy.collection();
  cy.batch(() => { added = cy.add(defs); });
  return added;
}

/**
 * How many of a node's links are not drawn and not held in one of its groups: shown as "+N more"
 * under its name (an expansion fetches them). A group node has none of its own.
 */
export function hiddenLinkCount(node: NodeSingular): number {
  if (node.data('group')) return 0;
  return Math.max(0, (node.data('degree') as number) - node.connectedEdges('[!group]').length - groupedLinkCount(node));
}

export function refreshBadges(cy: Core, nodes: CollectionArgument): void {
  cy.batch(() => {
    nodes.nodes('[!group]').forEach((n) => {
      const more = hiddenLinkCount(n);
      const label = shortName(n.data('name') as string) + (more > 0 ? `\n+${more} more` : '');
      if (label !== n.data('label')) n.data('label', label);
    });
  });
}
