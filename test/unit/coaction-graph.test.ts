// How the co-action graph counts ties from the incidence rows (api/store/coaction-graph.ts): weights,
// confidence, the window, the hub cap, minWeight and the percentile cut. No database; the
// integration test (clusters.test.ts) checks the same counts against Cypher on a real graph.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveProjection } from '../../api/store/coaction.js';
import { percentileDisc, tiesOf, type IncidenceRow } from '../../api/store/coaction-graph.js';

const DAY = 86_400;
const tiesAsText = (g: ReturnType<typeof tiesOf>): string[] =>
  Array.from(g.ties.a, (a, i) => `${g.ids[a]}-${g.ids[g.ties.b[i]]} w${g.ties.w[i]} c${g.ties.c[i]}`);

// Three neighbours: x and y shared by p1, p2 (and p3 on x); h a hub of 4 members when maxShared is 3.
const rows: IncidenceRow[] = [
  { z: 'y', n: 2, ms: [['p1', 2 * DAY, 70], ['p2', 3 * DAY, 50]] },
  { z: 'x', n: 3, ms: [['p2', 10 * DAY, 80], ['p1', 0, 60], ['p3', 40 * DAY, 90]] },
  { z: 'h', n: 4, ms: null },
];

describe('co-action graph', () => {
  it('weighs a tie by its shared neighbours and gives it the confidence of its best one', () => {
    const g = tiesOf(resolveProjection({ minWeight: 1, maxShared: 3 }), rows);
    assert.deepEqual(g.ids, ['p1', 'p2', 'p3']);
    // p1-p2 through x (min 60, 80 = 60) and y (min 70, 50 = 50): weight 2, confidence 60.
    assert.deepEqual(tiesAsText(g), ['p1-p2 w2 c60', 'p1-p3 w1 c60', 'p2-p3 w1 c80']);
    assert.equal(g.hubsLeftOut, 1);
    assert.deepEqual(g.neighbours.map((z) => [z.id, [...z.members]]), [['y', [0, 1]], ['x', [0, 1, 2]]]);
  });
  it('drops weak ties by minWeight and by a percentile of the weights', () => {
    assert.deepEqual(tiesAsText(tiesOf(resolveProjection({ minWeight: 2, maxShared: 3 }), rows)), ['p1-p2 w2 c60']);
    assert.deepEqual(tiesAsText(tiesOf(resolveProjection({ minWeight: 1, minPercentile: 90, maxShared: 3 }), rows)), ['p1-p2 w2 c60']);
    assert.equal(tiesOf(resolveProjection({ minWeight: 1, minPercentile: 0, maxShared: 3 }), rows).ties.a.length, 3);
  });
  it('counts a neighbour for a pair only when both linked to it within windowDays', () => {
    // x: p1 day 0, p2 day 10, p3 day 40; y: p1 day 2, p2 day 3.
    assert.deepEqual(tiesAsText(tiesOf(resolveProjection({ minWeight: 1, maxShared: 3, windowDays: 5 }), rows)), ['p1-p2 w1 c50']);
    assert.deepEqual(tiesAsText(tiesOf(resolveProjection({ minWeight: 1, maxShared: 3, windowDays: 30 }), rows)), ['p1-p2 w2 c60', 'p2-p3 w1 c80']);
    const undated: IncidenceRow[] = [{ z: 'x', n: 2, ms: [['p1', null, 90], ['p2', 0, 90]] }];
    assert.equal(tiesOf(resolveProjection({ minWeight: 1, windowDays: 365 }), undated).ties.a.length, 0, 'an undated link ties no one in a window');
  });
  it('counts as a plain pair count does on random incidence, window and all', () => {
    let seed = 17;
    const rand = (k: number) => { seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648; return seed % k; };
    const random: IncidenceRow[] = Array.from({ length: 300 }, (_, z) => {
      const ids = [...new Set(Array.from({ length: 2 + rand(12) }, () => `m${rand(80)}`))];
      return { z: `z${z}`, n: ids.length, ms: ids.map((id) => [id, rand(5) ? rand(60) * DAY : null, 10 + rand(90)] as [string, number | null, number]) };
    });
    for (const input of [{ minWeight: 1 }, { minWeight: 2, windowDays: 20 }, { minWeight: 1, minPercentile: 50 }]) {
      const p = resolveProjection({ ...input, maxShared: 1_000 });
      const naive = new Map<string, { w: number; c: number }>();
      for (const r of random) {
        for (const [a, ta, ca] of r.ms!) {
          for (const [b, tb, cb] of r.ms!) {
            if (a >= b) continue;
            if (p.windowDays !== null && (ta === null || tb === null || Math.abs(ta - tb) > p.windowDays * DAY)) continue;
            const t = naive.get(`${a}-${b}`) ?? { w: 0, c: 0 };
            naive.set(`${a}-${b}`, { w: t.w + 1, c: Math.max(t.c, Math.min(ca, cb)) });
          }
        }
      }
      let kept = [...naive].filter(([, t]) => t.w >= p.minWeight);
      const cut = percentileDisc(kept.map(([, t]) => t.w).sort((x, y) => x - y), (p.minPercentile ?? 0) / 100) ?? 0;
      kept = kept.filter(([, t]) => t.w >= cut);
      const expected = kept.map(([k, t]) => `${k} w${t.w} c${t.c}`).sort();
      assert.ok(expected.length > 20, `${expected.length} ties`);
      assert.deepEqual(tiesAsText(tiesOf(p, random)).sort(), expected, JSON.stringify(input));
    }
  });
  it('takes percentiles by Neo4j\'s percentileDisc rule', () => {
    const xs = [1, 2, 3, 4];
    assert.deepEqual([0, 0.25, 0.5, 0.6, 0.75, 0.99, 1].map((q) => percentileDisc(xs, q)), [1, 1, 2, 3, 3, 4, 4]);
    assert.equal(percentileDisc([7], 0.5), 7);
    assert.equal(percentileDisc([], 0.5), null);
  });
});
