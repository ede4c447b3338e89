// Layouts. Expanding places only the new nodes (graph/placement.ts: around the node they came
// from, on free spots; drawn nodes never move); the full layouts run when the analyst asks for
// one or the graph was empty. fcose runs with a seeded random, so the same graph gets the same
// layout on every load, and ends with an overlap-removal pass.
import type { Collection, Core, LayoutOptions, NodeCollection, NodeSingular, Position } from 'cytoscape';
import { removeOverlaps } from './overlap.js';
import { placeAround } from './placement.js';

export const LAYOUTS = ['fcose', 'concentric', 'breadthfirst', 'grid'] as const;
export type LayoutName = (typeof LAYOUTS)[number];

/** Above this many nodes fcose refines the drawn positions (randomize: false) instead of starting afresh. */
const REFINE_ABOVE = 1200;
/** Up to this many nodes labels count as part of a node when keeping nodes apart. */
const LABELS_UP_TO = 600;
const LAYOUT_SEED = 20201021;

/** mulberry32: a small seeded PRNG, so a layout is the same on every load of the same graph. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs a layout with Math.random seeded: fcose draws its start from Math.random and, without
 * animation, runs synchronously inside run(), so the swap covers exactly its own draws.
 */
function run(eles: Collection, options: LayoutOptions): Promise<void> {
  const layout = eles.layout(options);
  const done = layout.promiseOn('layoutstop').then(() => undefined);
  const random = Math.random;
  Math.random = seeded(LAYOUT_SEED);
  try {
    layout.run();
  } finally {
    Math.random = random;
  }
  return done;
}

/** Whether the nodes sit on (nearly) one spot, as when elements arrive without positions. */
function collapsed(nodes: NodeCollection): boolean {
  if (nodes.length < 2) return true;
  const box = nodes.boundingBox({ includeLabels: false });
  return box.w * box.h < nodes.length * 400;
}

export function layoutOptions(name: LayoutName, cy: Core, nodeCount: number, nodes?: NodeCollection): LayoutOptions {
  switch (name) {
    case 'fcose': {
      // Big graphs: refine where the nodes are (no spectral restart, which in draft quality
      // squeezed 1,774 nodes into a 400 × 502 px box); small ones start from a seeded random.
      const refine = nodeCount > REFINE_ABOVE && nodes !== undefined && !collapsed(nodes);
      return {
        name: 'fcose', quality: nodeCount > 300 ? 'default' : 'proof', randomize: !refine, animate: false,
        nodeDimensionsIncludeLabels: nodeCount <= 300, fit: true, padding: 30, nodeSeparation: 100,
        idealEdgeLength: () => 90, nodeRepulsion: () => 9000, packComponents: true, tilingPaddingVertical: 30, tilingPaddingHorizontal: 30,
        // Few iterations: the drawing is refined, not rebuilt, and the overlap pass does the rest.
        ...(nodeCount > REFINE_ABOVE ? { numIter: 150, initialEnergyOnIncremental: 0.3 } : {}),
      } as LayoutOptions;
    }
    case 'concentric':
      return {
        name: 'concentric', animate: false, fit: true, padding: 30, minNodeSpacing: 24,
        concentric: (n: { degree: (loops: boolean) => number }) => n.degree(false), levelWidth: () => 2,
      };
    case 'breadthfirst': {
      const selected = cy.nodes(':selected');
      const roots = selected.nonempty() ? selected : cy.nodes().max((n) => n.degree(false)).ele as NodeSingular;
      return { name: 'breadthfirst', directed: false, roots, spacingFactor: 1.1, animate: false, fit: true, padding: 30 } as LayoutOptions;
    }
    case 'grid':
      return { name: 'grid', animate: false, fit: true, padding: 30, avoidOverlap: true, condense: true };
  }
}

/** Lays out every node (the analyst picked a layout, or the graph was empty). */
export async function layoutAll(cy: Core, name: LayoutName): Promise<void> {
  const visible = cy.elements(':visible');
  const eles = visible.nonempty() ? visible : cy.elements();
  const nodes = eles.nodes();
  await run(eles, { ...layoutOptions(name, cy, nodes.length, nodes), fit: false } as LayoutOptions);
  if (name === 'fcose' || name === 'concentric') {
    removeOverlaps(nodes, { withLabels: nodes.length <= LABELS_UP_TO });
    compact(cy, nodes, eles);
  }
  cy.fit(eles, nodes.length <= COMPACT_UP_TO ? fitPadding(cy, eles) : 30);
}

/**
 * The margin for the fit: 30 px, or less (down to 8) when that lets a small drawing fit at zoom 1.
 * Wide labels side by side can keep the overlap pass from drawing a graph narrower than the canvas
 * minus 60 px (the seed's start page: 766 px on an 810 px canvas, zoom 0.98).
 */
function fitPadding(cy: Core, eles: Collection): number {
  const bb = eles.boundingBox({});
  const room = Math.min((cy.width() - bb.w) / 2, (cy.height() - bb.h) / 2);
  return room >= 30 || room < 8 ? 30 : Math.floor(room);
}

/** Up to this many nodes a layout is drawn closer together until it fits at zoom 1 (labels at full size). */
const COMPACT_UP_TO = 80;

/**
 * fcose spreads a small graph wider than the canvas, so the fit zoomed out to about 0.65 and
 * labels were drawn at 6–7 px. This shrinks the drawing towards its centre, keeping nodes and
 * labels apart, until it fits the canvas at zoom 1. It measures what the fit that follows measures
 * (`eles`: nodes, links and their labels), or a link label sticking out left the zoom at 0.98.
 */
function compact(cy: Core, nodes: NodeCollection, eles: Collection): void {
  if (nodes.length > COMPACT_UP_TO || nodes.length < 2 || !cy.width()) return;
  const zoomFor = () => {
    const bb = eles.boundingBox({});
    return Math.min((cy.width() - 60) / Math.max(1, bb.w), (cy.height() - 60) / Math.max(1, bb.h));
  };
  for (let round = 0; round < 8; round++) {
    const fit = zoomFor();
    if (fit >= 1) return;
    const bb = nodes.boundingBox({});
    // Shrink a little more than needed: the overlap pass below gives some of it back.
    const s = Math.max(0.5, fit * 0.95);
    const cx = (bb.x1 + bb.x2) / 2;
    const cyy = (bb.y1 + bb.y2) / 2;
    cy.batch(() => nodes.forEach((n) => { const p = n.position(); n.position({ x: cx + (p.x - cx) * s, y: cyy + (p.y - cyy) * s }); }));
    removeOverlaps(nodes, { withLabels: true });
  }
}

/**
 * Places `fresh` nodes around the drawn graph without moving any node that was already drawn
 * (graph/placement.ts). An empty graph gets the full layout instead.
 */
export async function layoutIncremental(cy: Core, fresh: NodeCollection): Promise<void> {
  if (fresh.empty()) return;
  if (cy.nodes().length === fresh.length) {
    await layoutAll(cy, 'fcose');
    return;
  }
  placeAround(cy, fresh);
}

export function savePositions(cy: Core): Map<string, Position> {
  return new Map(cy.nodes().map((n) => [n.id(), { ...n.position() }]));
}

export function applyPositions(cy: Core, positions: Map<string, Position>): void {
  cy.batch(() => cy.nodes().forEach((n) => {
    const p = positions.get(n.id());
    if (p) n.position(p);
  }));
}
