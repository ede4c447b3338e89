// Layouts. Expanding places only the new nodes (graph/placement.ts: around the node they came
// from, on free spots; drawn nodes never move); the full layouts run when the analyst asks for
// one or the graph was empty. fcose runs with a seeded random, so the same graph gets the same
// layout on every load, and ends with an overlap-removal pass. fcose on a large graph runs in a
// web worker (graph/layout-worker.ts), so the page stays responsive; a newer layout drops the
// answer of an older one.
import type { Collection, Core, LayoutOptions, NodeCollection, NodeSingular, Position } from 'cytoscape';
import { buildFcoseJob } from './fcose-job.js';
import { fcoseOptions, REFINE_ABOVE, withSeededRandom } from './fcose-options.js';
import { cancelWorkerLayout, fcoseInWorker, useWorker } from './layout-worker.js';
import { removeOverlaps } from './overlap.js';
import { placeAround } from './placement.js';

export const LAYOUTS = ['fcose', 'concentric', 'breadthfirst', 'grid'] as const;
export type LayoutName = (typeof LAYOUTS)[number];

/** Up to this many nodes labels count as part of a node when keeping nodes apart. */
const LABELS_UP_TO = 600;

/** Runs a layout on the page with Math.random seeded (fcose-options.ts). */
function run(eles: Collection, options: LayoutOptions): Promise<void> {
  const layout = eles.layout(options);
  const done = layout.promiseOn('layoutstop').then(() => undefined);
  withSeededRandom(() => layout.run());
  return done;
}

/** Whether the nodes sit on (nearly) one spot, as when elements arrive without positions. */
function collapsed(nodes: NodeCollection): boolean {
  if (nodes.length < 2) return true;
  const box = nodes.boundingBox({ includeLabels: false });
  return box.w * box.h < nodes.length * 400;
}

/** Whether fcose refines the drawn positions (big graphs that are not piled on one spot). */
function refines(nodeCount: number, nodes?: NodeCollection): boolean {
  return nodeCount > REFINE_ABOVE && nodes !== undefined && !collapsed(nodes);
}

/** Counts full layouts: an answer from the worker for an older one is dropped. */
let generation = 0;

/** Drops the layout in flight, if any (the graph was cleared or replaced). */
export function cancelLayouts(): void {
  generation++;
  cancelWorkerLayout();
}

/**
 * fcose in the worker, its answer put on the nodes in one batch. 'stale' when a newer layout
 * came first, 'failed' when the worker could not run it (the caller runs it on the page). Nodes
 * removed meanwhile are skipped; nodes added meanwhile are left where they were put.
 */
async function fcoseOffPage(cy: Core, eles: Collection, gen: number): Promise<'done' | 'stale' | 'failed'> {
  const nodes = eles.nodes();
  const { job, shift } = buildFcoseJob(cy, eles, gen, refines(nodes.length, nodes));
  let answer;
  try {
    answer = await fcoseInWorker(job);
  } catch (e) {
    console.warn(`${(e as Error).message}; laying out on the page instead`);
    return gen === generation ? 'failed' : 'stale';
  }
  if (!answer || gen !== generation) return 'stale';
  const { x, y } = answer;
  cy.batch(() => nodes.forEach((n, i) => {
    if (n.inside()) n.position({ x: x[i] + shift[i].dx, y: y[i] + shift[i].dy });
  }));
  return 'done';
}

export function layoutOptions(name: LayoutName, cy: Core, nodeCount: number, nodes?: NodeCollection): LayoutOptions {
  switch (name) {
    case 'fcose':
      return fcoseOptions(nodeCount, refines(nodeCount, nodes));
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

/**
 * Lays out every node (the analyst picked a layout, or the graph was empty). Resolves to false
 * when a newer layout (or cancelLayouts) took its place before it was done: nothing was moved.
 */
export async function layoutAll(cy: Core, name: LayoutName): Promise<boolean> {
  const gen = ++generation;
  const visible = cy.elements(':visible');
  let eles = visible.nonempty() ? visible : cy.elements();
  let nodes = eles.nodes();
  let offPage = false;
  if (name === 'fcose' && useWorker(nodes.length)) {
    const outcome = await fcoseOffPage(cy, eles, gen);
    if (outcome === 'stale') return false;
    offPage = outcome === 'done';
  }
  // A layout off the page let the analyst work meanwhile: what was removed is left out, what was
  // added (an expansion) stays where it was put and the overlap pass moves the others around it.
  let added: Set<string> | undefined;
  if (offPage) {
    eles = eles.filter((e) => e.inside());
    const fresh = cy.nodes(':visible').not(nodes);
    nodes = eles.nodes();
    if (fresh.nonempty()) {
      added = new Set(fresh.map((n) => n.id()));
      nodes = nodes.union(fresh);
      eles = eles.union(fresh).union(fresh.connectedEdges(':visible'));
    }
  } else {
    await run(eles, { ...layoutOptions(name, cy, nodes.length, nodes), fit: false } as LayoutOptions);
  }
  if (name === 'fcose' || name === 'concentric') {
    removeOverlaps(nodes, { withLabels: nodes.length <= LABELS_UP_TO, fixed: added });
    compact(cy, nodes, eles);
  }
  cy.fit(eles, nodes.length <= COMPACT_UP_TO ? fitPadding(cy, eles) : 30);
  return true;
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
