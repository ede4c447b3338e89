// fcose off the page: what the page sends the layout worker (every node's measures and place,
// every link), and how the worker rebuilds that graph in a headless Cytoscape and runs fcose on it.
// The page measures, since the worker has no renderer and so no label sizes: each node's outer
// size, each element's bounding box (fcose sizes nodes by it when it counts labels, and centres
// each component where its box was) and how far fcose would shift a node from its box's centre
// back to its body. Same graph, options and seeded random as on the page, so the positions are
// the same as a run on the page (the e2e test compares the two).
import type { BoundingBox12, Collection, Core, CytoscapeOptions, NodeSingular } from 'cytoscape';
import { fcoseOptions, withSeededRandom } from './fcose-options.js';

export interface FcoseJob {
  /** The page's layout generation: an answer for an older one is dropped. */
  generation: number;
  nodeCount: number;
  refine: boolean;
  /** Every node of the graph, in the page's order (fcose's tie-breaks follow it). */
  ids: string[];
  /** 1 when the node is laid out (drawn); the others only count in fcose's degree look-ups. */
  laid: Uint8Array;
  x: Float64Array;
  y: Float64Array;
  /** outerWidth / outerHeight on the page. */
  ow: Float64Array;
  oh: Float64Array;
  /** Every link, in the page's order: id, source, target; `edgeLaid` as `laid`. */
  edges: string[];
  edgeLaid: Uint8Array;
  /** boundingBox() on the page of every node, then every link: x1, y1, x2, y2 each. */
  boxes: Float64Array;
}

export interface FcoseAnswer {
  generation: number;
  /** Positions of the laid-out nodes, in the job's order of laid-out nodes. */
  x: Float64Array;
  y: Float64Array;
}

/** The shift fcose applies when it counts labels (its getPositions): body centre from box centre. */
function labelShift(n: NodeSingular): { dx: number; dy: number } {
  const label = n.boundingBox({ includeLabels: true, includeNodes: false, includeOverlays: false });
  let dx = 0;
  let dy = 0;
  if (label.w) {
    const h = n.css('text-halign') as string;
    if (h === 'left') dx = label.w / 2; else if (h === 'right') dx = -(label.w / 2);
  }
  if (label.h) {
    const v = n.css('text-valign') as string;
    if (v === 'top') dy = label.h / 2; else if (v === 'bottom') dy = -(label.h / 2);
  }
  return { dx, dy };
}

/** Measures the page's graph for the worker; `shift` is added to each answer (see labelShift). */
export function buildFcoseJob(cy: Core, eles: Collection, generation: number, refine: boolean): { job: FcoseJob; shift: Array<{ dx: number; dy: number }> } {
  const laidNodes = eles.nodes();
  const options = fcoseOptions(laidNodes.length, refine) as { nodeDimensionsIncludeLabels: boolean };
  const withLabels = options.nodeDimensionsIncludeLabels;
  const all = cy.nodes();
  const edges = cy.edges();
  const n = all.length;
  const job: FcoseJob = {
    generation, nodeCount: laidNodes.length, refine, ids: new Array<string>(n), laid: new Uint8Array(n),
    x: new Float64Array(n), y: new Float64Array(n), ow: new Float64Array(n), oh: new Float64Array(n),
    edges: [], edgeLaid: new Uint8Array(edges.length), boxes: new Float64Array(4 * (n + edges.length)),
  };
  const box = (i: number, b: BoundingBox12) => job.boxes.set([b.x1, b.y1, b.x2, b.y2], 4 * i);
  const shift: Array<{ dx: number; dy: number }> = [];
  all.forEach((node, i) => {
    const p = node.position();
    job.ids[i] = node.id();
    job.x[i] = p.x;
    job.y[i] = p.y;
    const isLaid = eles.has(node);
    job.laid[i] = isLaid ? 1 : 0;
    job.ow[i] = node.outerWidth();
    job.oh[i] = node.outerHeight();
    box(i, node.boundingBox());
    if (isLaid) shift.push(withLabels ? labelShift(node) : { dx: 0, dy: 0 });
  });
  edges.forEach((e, i) => {
    job.edges.push(e.id(), e.data('source') as string, e.data('target') as string);
    job.edgeLaid[i] = eles.has(e) ? 1 : 0;
    box(n + i, e.boundingBox());
  });
  return { job, shift };
}

interface Bounds { x1: number; y1: number; x2: number; y2: number; w: number; h: number }

/**
 * Makes boundingBox() (no options: what fcose and layoutDimensions ask for) answer from the
 * page's boxes, put in the core's scratch by runFcoseJob; the union as Cytoscape forms it
 * (zero-area boxes skipped, infinities read as 0). Other calls go to Cytoscape's own.
 */
export function answerBoxesFromPage(cytoscape: (o: CytoscapeOptions) => Core): void {
  const probe = cytoscape({ headless: true });
  const proto = Object.getPrototypeOf(probe.collection()) as { boundingBox: (this: Collection, o?: object) => Bounds };
  probe.destroy();
  const own = proto.boundingBox;
  proto.boundingBox = function (this: Collection, o?: object): Bounds {
    const page = (this.length ? this[0].cy().scratch('pageBoxes') : undefined) as { index: Map<string, number>; boxes: Float64Array } | undefined;
    if (o !== undefined || !page) return own.call(this, o);
    const b: Bounds = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity, w: 0, h: 0 };
    this.forEach((ele) => {
      const at = 4 * (page.index.get(ele.id()) ?? -1);
      if (at < 0) return;
      const [x1, y1, x2, y2] = page.boxes.subarray(at, at + 4);
      if (x2 - x1 === 0 || y2 - y1 === 0) return;
      b.x1 = x1 < b.x1 ? x1 : b.x1;
      b.x2 = x2 > b.x2 ? x2 : b.x2;
      b.y1 = y1 < b.y1 ? y1 : b.y1;
      b.y2 = y2 > b.y2 ? y2 : b.y2;
    });
    const fin = (v: number) => (v === Infinity || v === -Infinity ? 0 : v);
    b.x1 = fin(b.x1);
    b.y1 = fin(b.y1);
    b.x2 = fin(b.x2);
    b.y2 = fin(b.y2);
    b.w = fin(b.x2 - b.x1);
    b.h = fin(b.y2 - b.y1);
    return b;
  };
}

/** Runs a job in a headless Cytoscape (`cytoscape` with fcose registered, answerBoxesFromPage applied); used by the worker. */
export function runFcoseJob(cytoscape: (o: CytoscapeOptions) => Core, job: FcoseJob): FcoseAnswer {
  const elements: NonNullable<CytoscapeOptions['elements']> = [];
  job.ids.forEach((id, i) => elements.push({ group: 'nodes', data: { id, ow: job.ow[i], oh: job.oh[i] }, position: { x: job.x[i], y: job.y[i] } }));
  for (let i = 0; i < job.edges.length; i += 3) elements.push({ group: 'edges', data: { id: job.edges[i], source: job.edges[i + 1], target: job.edges[i + 2] } });
  const cy = cytoscape({
    // preset: without it Cytoscape's start layout puts every node at (0, 0).
    headless: true, styleEnabled: true, elements, layout: { name: 'preset' },
    style: [{ selector: 'node', style: { width: 'data(ow)', height: 'data(oh)', 'border-width': 0, padding: '0' } }],
  });
  const index = new Map<string, number>(job.ids.map((id, i) => [id, i]));
  for (let i = 0; i < job.edges.length; i += 3) index.set(job.edges[i], job.ids.length + i / 3);
  cy.scratch('pageBoxes', { index, boxes: job.boxes });
  const nodes = cy.nodes();
  const edgeList = cy.edges();
  const eles = nodes.filter((_, i) => job.laid[i] === 1).union(edgeList.filter((_, i) => job.edgeLaid[i] === 1));
  const laid = eles.nodes();
  withSeededRandom(() => eles.layout({ ...fcoseOptions(job.nodeCount, job.refine), fit: false } as never).run());
  const x = new Float64Array(laid.length);
  const y = new Float64Array(laid.length);
  laid.forEach((node, i) => {
    const p = node.position();
    x[i] = p.x;
    y[i] = p.y;
  });
  cy.destroy();
  return { generation: job.generation, x, y };
}
