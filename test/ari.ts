// The adjusted Rand index (Hubert and Arabie, 1985) of two partitions of the same items: 1 for the
// same grouping, about 0 for chance agreement. Written out (a dozen lines) rather than pulled from
// a package: the npm ones are parts of large statistics libraries.

const pairs = (n: number): number => (n * (n - 1)) / 2;

/** ARI of two labelings of the same items (`truth[i]` and `found[i]` label item i). */
export function adjustedRandIndex(truth: ReadonlyArray<string | number>, found: ReadonlyArray<string | number>): number {
  if (truth.length !== found.length) throw new Error('adjustedRandIndex: labelings of different lengths');
  const cells = new Map<string, number>();
  const rows = new Map<string | number, number>();
  const cols = new Map<string | number, number>();
  truth.forEach((t, i) => {
    const key = JSON.stringify([t, found[i]]);
    cells.set(key, (cells.get(key) ?? 0) + 1);
    rows.set(t, (rows.get(t) ?? 0) + 1);
    cols.set(found[i], (cols.get(found[i]) ?? 0) + 1);
  });
  const index = [...cells.values()].reduce((s, n) => s + pairs(n), 0);
  const a = [...rows.values()].reduce((s, n) => s + pairs(n), 0);
  const b = [...cols.values()].reduce((s, n) => s + pairs(n), 0);
  const expected = (a * b) / pairs(truth.length);
  const max = (a + b) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}
