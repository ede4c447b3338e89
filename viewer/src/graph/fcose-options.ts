// fcose's options and its seeded random, in one place for both places fcose runs: the page (small
// graphs, or when no worker can start) and the layout worker (graph/fcose.worker.ts). No
// Cytoscape at run time here, so the worker and the page share exactly this code.
import type { LayoutOptions } from 'cytoscape';
import { mulberry32 } from '../../../model/random.js';

/** Above this many nodes fcose refines the drawn positions (randomize: false) instead of starting afresh. */
export const REFINE_ABOVE = 1200;
/** Up to this many nodes fcose counts labels as part of a node (proof quality). */
export const LABELS_IN_FCOSE_UP_TO = 300;
const LAYOUT_SEED = 20201021;

/**
 * Runs `fn` with Math.random seeded: fcose draws its start from Math.random and, without
 * animation, runs synchronously inside run(), so the swap covers exactly its own draws.
 */
export function withSeededRandom<T>(fn: () => T): T {
  const random = Math.random;
  Math.random = mulberry32(LAYOUT_SEED);
  try {
    return fn();
  } finally {
    Math.random = random;
  }
}

/**
 * fcose for `nodeCount` nodes. Big graphs refine where the nodes are (`refine`: no spectral
 * restart, which in draft quality squeezed 1,774 nodes into a 400 × 502 px box); small ones start
 * from a seeded random.
 */
export function fcoseOptions(nodeCount: number, refine: boolean): LayoutOptions {
  return {
    name: 'fcose', quality: nodeCount > 300 ? 'default' : 'proof', randomize: !refine, animate: false,
    nodeDimensionsIncludeLabels: nodeCount <= LABELS_IN_FCOSE_UP_TO, fit: true, padding: 30, nodeSeparation: 100,
    idealEdgeLength: () => 90, nodeRepulsion: () => 9000, packComponents: true, tilingPaddingVertical: 30, tilingPaddingHorizontal: 30,
    // Few iterations: the drawing is refined, not rebuilt, and the overlap pass does the rest.
    ...(nodeCount > REFINE_ABOVE ? { numIter: 150, initialEnergyOnIncremental: 0.3 } : {}),
  } as LayoutOptions;
}
