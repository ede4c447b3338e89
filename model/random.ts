// A seeded pseudo-random generator shared by the synthetic graphs (seed/), the bench's inputs and
// the viewer's layouts (the viewer may import only model/): the same seed, the same sequence.

/** mulberry32: 32-bit state, good enough spread for test data and layout starts, fully reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
