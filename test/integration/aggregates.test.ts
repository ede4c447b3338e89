// Aggregates in one query each (cooccurrence, neighbourCounts, counts) and honest limits
// (`truncated` on capped results), on a generated graph of ≥ 30k entities and ≥ 100k links: three
// disjoint copies of the synthetic graph at size S (loaded without citations) plus a small hand-made subgraph whose answers are
// known. Counts are checked against brute force in TypeScript over what the database stores, with
// the shared filter rules (model/filter-rules.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../api/http/app.js';
import { bulkLoad, type GraphRecord } from '../../api/store/bulk-load.js';
import { Executor } from '../../api/store/executor.js';
import { neo4jSettings } from '../../core/config.js';
import { createKey } from '../../api/store/keys.js';
import { migrate } from '../../api/store/migrations.js';
import { entityPassesRules, filterRules, linkPassesRules, type LinkFilter } from '../../model/filter-rules.js';
import type { Tlp } from '../../model/model.js';
import { syntheticRecords } from '../../seed/synthetic.js';
import { directLoad } from '../direct-load.js';
import { createApp, gql, resetGraph, seededExecutor, testExecutor } from '../helpers.js';

const COPIES = [['syn', 1], ['syn2', 2], ['syn3', 3]] as const;

/** The hand-made part: malware sharing techniques, a country's campaigns, a campaign with 1,100 hosts. */
function handMade(): GraphRecord[] {
  const out: GraphRecord[] = [{ record: 'entity', id: 'ag-src', kind: 'SOURCE', name: 'Aggregates test report', tlp: 'CLEAR' }];
  const ent = (id: string, kind: string, tlp: Tlp = 'CLEAR') => out.push({ record: 'entity', id, kind, name: id, tlp });
  let n = 0;
  const link = (type: string, from: string, to: string, extra: Record<string, unknown> = {}) => out.push({
    record: 'link', id: `ag-l-${n++}`, type, from, to, confidence: 70, tlp: 'CLEAR',
    citations: [{ source: 'ag-src', locator: `row ${n}` }], ...extra,
  });
  // Malware m0..m5 (m5 AMBER) use techniques t0..t4 (t4 AMBER); some links AMBER, one NEGATED.
  for (let i = 0; i < 6; i++) ent(`ag-m${i}`, 'MALWARE', i === 5 ? 'AMBER' : 'CLEAR');
  for (let j = 0; j < 5; j++) ent(`ag-t${j}`, 'TECHNIQUE', j === 4 ? 'AMBER' : 'CLEAR');
  const uses: Array<[number, number, Record<string, unknown>?]> = [
    [0, 0], [0, 1], [0, 2], [0, 4], [1, 0], [1, 1], [1, 2, { tlp: 'AMBER' }], [1, 4], [2, 0], [2, 3],
    [3, 1, { assertion: 'NEGATED' }], [3, 3], [4, 0, { tlp: 'GREEN' }], [4, 1], [5, 0], [5, 1], [5, 2],
  ];
  for (const [m, t, extra] of uses) link('USES', `ag-m${m}`, `ag-t${t}`, extra);
  // Campaigns c0..c3 located in ag-country (c3 AMBER) use techniques u0..u2.
  ent('ag-country', 'STATE_ACTOR');
  for (let i = 0; i < 4; i++) { ent(`ag-c${i}`, 'CAMPAIGN', i === 3 ? 'AMBER' : 'CLEAR'); link('LOCATED_IN', `ag-c${i}`, 'ag-country'); }
  ent('ag-c9', 'CAMPAIGN'); // elsewhere: its techniques do not count
  for (let j = 0; j < 3; j++) ent(`ag-u${j}`, 'TECHNIQUE');
  for (const [c, u] of [[0, 0], [1, 0], [2, 0], [3, 0], [0, 1], [3, 1], [3, 2], [9, 2]]) link('USES', `ag-c${c}`, `ag-u${u}`);
  // A timeline past its cap: 1,090 dated USES links; one below it: 10.
  ent('ag-big', 'CAMPAIGN');
  ent('ag-small', 'CAMPAIGN');
  for (let i = 0; i < 1100; i++) {
    ent(`ag-h${i}`, 'HOST');
    const day = `20${10 + (i % 12)}-${String(1 + (i % 12)).padStart(2, '0')}-15`;
    link('USES', i < 10 ? 'ag-small' : 'ag-big', `ag-h${i}`, { firstSeen: day });
  }
  return out;
}

interface StoredNode { id: string; kind: string; tlp: Tlp; revoked: boolean | null; deprecated: boolean | null }
interface StoredLink { type: string; from: string; to: string; confidence: number; tlp: Tlp; assertion: string;
  firstSeen: string | null; lastSeen: string | null; revoked: boolean | null; deprecated: boolean | null }

interface Pair { a: { id: string }; b: { id: string }; count: number }
interface Co { cooccurrence: { pairs: Pair[]; truncated: boolean } }

describe('aggregates and honest limits on a generated graph (≥ 30k entities, ≥ 100k links)', () => {
  let ex: Executor;
  let app: App;
  let nodes: Map<string, StoredNode>;
  let links: StoredLink[];
  let amber: Record<string, string>;

  before(async () => {
    ex = testExecutor();
    await migrate(ex);
    await resetGraph(ex);
    const t0 = Date.now();
    // The synthetic copies go in straight through Cypher (no citations; the bulk loader would take
    // about 3 minutes on a loaded 2-core machine); the hand-made part through the bulk loader.
    for (const [prefix, seed] of COPIES) await directLoad(ex, syntheticRecords('S', seed, prefix));
    await bulkLoad(ex, handMade(), { progress: false, label: 'ag' });
    const loaded = (Date.now() - t0) / 1000;
    // The brute-force copies read every entity and link: on a loaded machine past the 15 s query timeout.
    const bulk = new Executor(neo4jSettings(), 300_000);
    nodes = new Map((await bulk.read<StoredNode>(
      'MATCH (n:Entity) RETURN n.id AS id, n.kind AS kind, n.tlp AS tlp, n.revoked AS revoked, n.deprecated AS deprecated')).map((n) => [n.id, n]));
    links = await bulk.read<StoredLink>(
      `MATCH (a:Entity)-[r]->(b:Entity) RETURN type(r) AS type, a.id AS from, b.id AS to, r.confidence AS confidence, r.tlp AS tlp,
         r.assertion AS assertion, r.firstSeen AS firstSeen, r.lastSeen AS lastSeen, r.revoked AS revoked, r.deprecated AS deprecated`);
    console.log(`aggregates: loaded ${nodes.size} entities, ${links.length} links in ${loaded.toFixed(1)} s`);
    await bulk.close();
    app = createApp({ executor: ex });
    amber = { authorization: `Bearer ${(await createKey(ex, 'aggregates-amber', 'READER', 'AMBER')).key}` };
  });
  after(() => ex.close());

  /** What a caller at `clearance` sees through `filter`: the links passing, with both ends passing. */
  function visibleLinks(clearance: Tlp, filter: LinkFilter, withKinds = true): StoredLink[] {
    const r = filterRules(clearance, filter);
    return links.filter((l) => linkPassesRules(r, l)
      && entityPassesRules(r, nodes.get(l.from)!, withKinds) && entityPassesRules(r, nodes.get(l.to)!, withKinds));
  }

  /** Brute-force cooccurrence: for every pair of `kinds` entities, the distinct `via` neighbours both link to. */
  function bruteCooccurrence(clearance: Tlp, kinds: string[], via: string[]): Map<string, number> {
    const members = new Map<string, Set<string>>();
    for (const l of visibleLinks(clearance, { includeNegated: false })) {
      for (const [z, m] of [[l.from, l.to], [l.to, l.from]]) {
        if (z === m || !via.includes(nodes.get(z)!.kind) || !kinds.includes(nodes.get(m)!.kind)) continue;
        if (!members.has(z)) members.set(z, new Set());
        members.get(z)!.add(m);
      }
    }
    const counts = new Map<string, number>();
    for (const set of members.values()) {
      const ms = [...set].sort();
      for (let i = 0; i < ms.length; i++) {
        for (let j = i + 1; j < ms.length; j++) counts.set(`${ms[i]}~${ms[j]}`, (counts.get(`${ms[i]}~${ms[j]}`) ?? 0) + 1);
      }
    }
    return counts;
  }

  const co = async (args: string, headers: Record<string, string> = {}) => {
    const r = await gql<Co>(app, `{ cooccurrence(${args}) { pairs { a { id } b { id } count } truncated } }`, {}, headers);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return r.data!.cooccurrence;
  };
  const asMap = (pairs: Pair[]) => new Map(pairs.map((p) => [`${p.a.id}~${p.b.id}`, p.count]));

  it('holds at least 30k entities and 100k links', () => {
    assert.ok(nodes.size >= 30_000, `${nodes.size} entities`);
    assert.ok(links.length >= 100_000, `${links.length} links`);
  });

  it('cooccurrence on the hand-made malware: every pair and count as brute force, for CLEAR and AMBER', async () => {
    const clear = await co('kinds: [MALWARE], via: [TECHNIQUE], first: 100');
    // CLEAR: m0{t0,t1,t2} m1{t0,t1} m2{t0,t3} m3{t3} (t1 NEGATED) m4{t1} (t0 GREEN); m5 and t4 AMBER.
    assert.deepEqual(asMap(clear.pairs), new Map([
      ['ag-m0~ag-m1', 2], ['ag-m0~ag-m2', 1], ['ag-m0~ag-m4', 1], ['ag-m1~ag-m2', 1], ['ag-m1~ag-m4', 1], ['ag-m2~ag-m3', 1],
    ]));
    assert.equal(clear.truncated, false);
    assert.deepEqual(asMap(clear.pairs), bruteCooccurrence('CLEAR', ['MALWARE'], ['TECHNIQUE']));
    const secret = await co('kinds: [MALWARE], via: [TECHNIQUE], first: 100', amber);
    assert.deepEqual(asMap(secret.pairs), bruteCooccurrence('AMBER', ['MALWARE'], ['TECHNIQUE']));
    assert.equal(asMap(secret.pairs).get('ag-m0~ag-m1'), 4, 'AMBER sees t2 (AMBER link) and t4 (AMBER technique) too');
    assert.ok(secret.pairs.some((p) => p.b.id === 'ag-m5'), 'the AMBER malware pairs for AMBER');
    assert.ok(!clear.pairs.some((p) => p.b.id === 'ag-m5' || p.a.id === 'ag-m5'), '… and is hidden from CLEAR');
    const top = await co('kinds: [MALWARE], via: [TECHNIQUE], first: 2');
    assert.deepEqual(top.pairs.map((p) => [p.a.id, p.b.id, p.count]), [['ag-m0', 'ag-m1', 2], ['ag-m0', 'ag-m2', 1]], 'most first, ties by ids');
    assert.equal(top.truncated, true, 'a cut list says so');
    const withNegated = await co('kinds: [MALWARE], via: [TECHNIQUE], first: 100, filter: { includeNegated: true }');
    assert.equal(asMap(withNegated.pairs).get('ag-m1~ag-m3'), 1, 'NEGATED links count only when asked');
  });

  it('cooccurrence on the synthetic graph matches brute force (top pairs, both clearances); latency measured', async () => {
    for (const [kinds, via, first] of [[['CAMPAIGN'], ['HOST'], 50], [['PERSONA'], ['NARRATIVE'], 50], [['CAMPAIGN'], ['TECHNIQUE'], 50]] as const) {
      for (const [clearance, headers] of [['CLEAR', {}], ['AMBER', amber]] as const) {
        const args = `kinds: [${kinds.join(',')}], via: [${via.join(',')}], first: ${first}`;
        await co(args, headers); // warm-up (plan cache)
        const times: number[] = [];
        let got: Awaited<ReturnType<typeof co>> | null = null;
        for (let i = 0; i < 3; i++) {
          const t = performance.now();
          got = await co(args, headers);
          times.push(performance.now() - t);
        }
        const brute = bruteCooccurrence(clearance, [...kinds], [...via]);
        // Most first, then by a's id, then b's id (as the query orders them).
        const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
        const expected = [...brute].sort(([ka, a], [kb, b]) => {
          const [a1, b1] = ka.split('~');
          const [a2, b2] = kb.split('~');
          return b - a || cmp(a1, a2) || cmp(b1, b2);
        }).slice(0, first);
        assert.deepEqual(got!.pairs.map((p) => [`${p.a.id}~${p.b.id}`, p.count]), expected, `${args} at ${clearance}`);
        assert.equal(got!.truncated, brute.size > first);
        console.log(`aggregates: cooccurrence(${args}) at ${clearance}: ${brute.size} pairs, top ${expected[0]?.[1]}; `
          + `ms ${times.map((t) => t.toFixed(0)).join(' / ')} (median ${times.sort((a, b) => a - b)[1].toFixed(0)})`);
      }
    }
  });

  it('neighbourCounts: the techniques of a country\'s campaigns, counted per campaign, within clearance', async () => {
    const q = `{ neighbourCounts(ids: ["ag-country"], hops: [{ types: [LOCATED_IN], kinds: [CAMPAIGN], direction: IN },
      { types: [USES], kinds: [TECHNIQUE], direction: OUT }]) { items { entity { id } count } total truncated } }`;
    type NC = { neighbourCounts: { items: Array<{ entity: { id: string }; count: number }>; total: number; truncated: boolean } };
    const clear = (await gql<NC>(app, q)).data!.neighbourCounts;
    assert.deepEqual(clear.items.map((i) => [i.entity.id, i.count]), [['ag-u0', 3], ['ag-u1', 1]], 'c3 is AMBER; c9 is elsewhere');
    assert.deepEqual([clear.total, clear.truncated], [2, false]);
    const secret = (await gql<NC>(app, q, {}, amber)).data!.neighbourCounts;
    assert.deepEqual(secret.items.map((i) => [i.entity.id, i.count]), [['ag-u0', 4], ['ag-u1', 2], ['ag-u2', 1]]);
    const cut = (await gql<NC>(app, q.replace('direction: OUT }]', 'direction: OUT }], first: 1'), {}, amber)).data!.neighbourCounts;
    assert.deepEqual([cut.items.length, cut.total, cut.truncated], [1, 3, true]);
  });

  it('a timeline past its cap says truncated, with the total; one below it does not', async () => {
    type TL = { timeline: Array<{ at: string; truncated: boolean; total: number }> };
    const big = (await gql<TL>(app, '{ timeline(id: "ag-big") { at truncated total } }')).data!.timeline;
    assert.equal(big.length, 1000);
    assert.ok(big.every((e) => e.truncated && e.total === 1090), 'every event says the list was cut, and of how many');
    for (let i = 1; i < big.length; i++) assert.ok(big[i].at >= big[i - 1].at, 'still earliest first');
    const small = (await gql<TL>(app, '{ timeline(id: "ag-small") { at truncated total } }')).data!.timeline;
    assert.equal(small.length, 10);
    assert.ok(small.every((e) => !e.truncated && e.total === 10));
  });

  it('paths and overlap say when they were cut', async () => {
    type P = { paths: Array<{ truncated: boolean }> };
    const many = (await gql<P>(app, '{ paths(from: "ag-m0", to: "ag-m1", maxHops: 2, limit: 1) { truncated } }')).data!.paths;
    assert.deepEqual(many.map((p) => p.truncated), [true], 'two chains (t0, t1), one asked for');
    const all = (await gql<P>(app, '{ paths(from: "ag-m0", to: "ag-m1", maxHops: 2, limit: 5) { truncated } }')).data!.paths;
    assert.ok(all.length === 2 && all.every((p) => !p.truncated), JSON.stringify(all));
    type O = { overlap: Array<{ between: Array<{ id: string }>; truncated: boolean }> };
    const o1 = (await gql<O>(app, '{ overlap(ids: ["ag-m0"], via: [TECHNIQUE], kinds: [MALWARE], first: 1) { between { id } truncated } }')).data!.overlap;
    assert.deepEqual(o1.map((o) => [o.between[1].id, o.truncated]), [['ag-m1', true]]);
    const o4 = (await gql<O>(app, '{ overlap(ids: ["ag-m0"], via: [TECHNIQUE], kinds: [MALWARE], first: 10) { between { id } truncated } }')).data!.overlap;
    assert.equal(o4.length, 3);
    assert.ok(o4.every((o) => !o.truncated));
  });

  it('counts by kind, type and time bucket match brute force and add up', async () => {
    type Counts = { entities: number; links: number; byKind: Array<{ kind: string; count: number }>; byType: Array<{ type: string; count: number }>;
      byBucket: Array<{ bucket: string; count: number }>; undated: number };
    const q = `query($f: GraphFilter, $b: TimeBucket) { counts(filter: $f, bucket: $b) { entities links byKind { kind count } byType { type count }
      byBucket { bucket count } undated } }`;
    const filters: LinkFilter[] = [{}, { types: ['USES', 'AMPLIFIES'], minConfidence: 50 }, { kinds: ['CAMPAIGN', 'HOST'], from: '2016-01-01', to: '2019-06-30' }];
    for (const f of filters) {
      for (const [clearance, headers] of [['CLEAR', {}], ['AMBER', amber]] as const) {
        const year = (await gql<{ counts: Counts }>(app, q, { f, b: 'YEAR' }, headers));
        assert.equal(year.errors, undefined, JSON.stringify(year.errors));
        const month = (await gql<{ counts: Counts }>(app, q, { f, b: 'MONTH' }, headers)).data!.counts;
        const y = year.data!.counts;
        const expected = visibleLinks(clearance, f);
        const label = `${JSON.stringify(f)} at ${clearance}`;
        assert.equal(y.links, expected.length, label);
        const sum = (xs: Array<{ count: number }>) => xs.reduce((s, x) => s + x.count, 0);
        assert.equal(sum(y.byType), y.links);
        assert.equal(sum(y.byBucket) + y.undated, y.links, 'years add up');
        assert.equal(sum(month.byBucket) + month.undated, month.links, 'months add up');
        assert.equal(month.links, y.links);
        assert.equal(y.undated, expected.filter((l) => !l.firstSeen).length);
        const byYear = new Map<string, number>();
        for (const l of expected) if (l.firstSeen) byYear.set(l.firstSeen.slice(0, 4), (byYear.get(l.firstSeen.slice(0, 4)) ?? 0) + 1);
        assert.deepEqual(new Map(y.byBucket.map((b) => [b.bucket, b.count])), byYear, label);
        for (const m of month.byBucket) assert.match(m.bucket, /^\d{4}-\d{2}$/);
        const r = filterRules(clearance, f);
        const kinds = [...nodes.values()].filter((n) => entityPassesRules(r, n));
        assert.equal(y.entities, kinds.length, label);
        assert.equal(sum(y.byKind), y.entities);
      }
    }
  });

  it('paths to a kind at 6 hops answers within its time budget, says truncated and why, and its chains are the shortest', async () => {
    // The best-connected state actor: the runaway case (SHORTEST expanding from it ran minutes past the 15 s timeout).
    const degree = new Map<string, number>();
    for (const l of links) for (const id of [l.from, l.to]) degree.set(id, (degree.get(id) ?? 0) + 1);
    const from = [...nodes.values()].filter((n) => n.kind === 'STATE_ACTOR').sort((a, b) => degree.get(b.id)! - degree.get(a.id)!)[0].id;
    // The nearest other state actor an AMBER caller can reach, by brute force over the visible links.
    const adj = new Map<string, string[]>();
    for (const l of visibleLinks('AMBER', { includeNegated: false })) {
      for (const [x, y] of [[l.from, l.to], [l.to, l.from]]) { if (!adj.has(x)) adj.set(x, []); adj.get(x)!.push(y); }
    }
    const dist = new Map([[from, 0]]);
    for (let queue = [from]; queue.length;) {
      const next: string[] = [];
      for (const x of queue) for (const y of adj.get(x) ?? []) if (!dist.has(y)) { dist.set(y, dist.get(x)! + 1); next.push(y); }
      queue = next;
    }
    const nearest = Math.min(...[...dist].filter(([id, d]) => d > 0 && nodes.get(id)!.kind === 'STATE_ACTOR').map(([, d]) => d));
    type PS = { pathSearch: { paths: Array<{ hops: number; nodes: Array<{ id: string; kind: string }>; truncated: boolean; truncatedBy: string | null }>;
      truncated: boolean; truncatedBy: string | null; searchedHops: number; budgetMs: number; elapsedMs: number } };
    const q = `query($from: ID!, $b: Int, $limit: Int) { pathSearch(from: $from, toKind: STATE_ACTOR, maxHops: 6, limit: $limit, budgetMs: $b) {
      paths { hops nodes { id kind } truncated truncatedBy } truncated truncatedBy searchedHops budgetMs elapsedMs } }`;
    for (const budgetMs of [10_000, 1]) {
      const t = performance.now();
      const r = await gql<PS>(app, q, { from, b: budgetMs, limit: 1 }, amber);
      const wall = performance.now() - t;
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      const s = r.data!.pathSearch;
      console.log(`aggregates: pathSearch(from: ${from} (${degree.get(from)} links), toKind: STATE_ACTOR, maxHops: 6, budgetMs: ${budgetMs}): `
        + `${s.paths.length} paths, truncatedBy ${s.truncatedBy}, searched ${s.searchedHops} hops, ${s.elapsedMs} ms (wall ${wall.toFixed(0)} ms); nearest at ${nearest}`);
      assert.equal(s.budgetMs, budgetMs);
      // The budget bounds the answer; the margin covers the last read's stop and the response.
      assert.ok(s.elapsedMs <= budgetMs + 2_000, `answered in ${s.elapsedMs} ms on a budget of ${budgetMs} ms`);
      assert.equal(s.truncated, true, 'one chain asked for, and more exist (or the budget ran out)');
      assert.ok(s.truncatedBy === 'ROW_CAP' || s.truncatedBy === 'TIME_BUDGET');
      for (const p of s.paths) {
        assert.equal(p.nodes[0].id, from);
        assert.equal(p.nodes[p.nodes.length - 1].kind, 'STATE_ACTOR');
        assert.equal(p.hops, nearest, 'the chain found is a shortest one');
        assert.deepEqual([p.truncated, p.truncatedBy], [true, s.truncatedBy], 'every path says so too');
      }
      if (s.truncatedBy === 'ROW_CAP') assert.ok(s.paths.length === 1 && s.searchedHops >= nearest);
      // A budget of 1 ms is spent by the first read; the answer is either what the levels read so
      // far found (TIME_BUDGET, fewer than 6 hops searched) or, when the first chains read already
      // exceed the limit, a complete answer (ROW_CAP, checked above). Which one depends on timing.
      if (budgetMs === 1 && s.truncatedBy === 'TIME_BUDGET') assert.ok(s.searchedHops < 6);
    }
    // The list-shaped paths keeps its shape: the same chains, truncated on each.
    type P = { paths: Array<{ hops: number; truncatedBy: string | null }> };
    const listed = await gql<P>(app, `{ paths(from: "${from}", toKind: STATE_ACTOR, maxHops: 6, limit: 1, budgetMs: 10000) { hops truncatedBy } }`, {}, amber);
    assert.equal(listed.errors, undefined, JSON.stringify(listed.errors));
    for (const p of listed.data!.paths) assert.equal(p.hops, nearest);
  });

  it('claims over every link stops at its time budget with what it read, and says the total is a lower bound', async () => {
    type C = { claims: { edges: Array<{ cursor: string }>; totalCount: number; totalCountExact: boolean; truncated: boolean; truncatedBy: string | null;
      pageInfo: { hasNextPage: boolean } } };
    const t = performance.now();
    const r = await gql<C>(app, '{ claims(first: 5, budgetMs: 300) { edges { cursor } totalCount totalCountExact truncated truncatedBy pageInfo { hasNextPage } } }');
    const wall = performance.now() - t;
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const c = r.data!.claims;
    console.log(`aggregates: claims(first: 5, budgetMs: 300) over ${links.length} links: ${c.edges.length} claims, total ${c.totalCount} `
      + `(exact: ${c.totalCountExact}), truncatedBy ${c.truncatedBy}, ${wall.toFixed(0)} ms`);
    assert.ok(wall <= 300 + 3_000, `answered in ${wall.toFixed(0)} ms`);
    // The page comes from the id indexes and may well fit in 300 ms; counting 151k links may too on
    // a quiet machine. Either way the answer says which it is.
    assert.deepEqual([c.truncated, c.pageInfo.hasNextPage], [true, true]);
    if (c.totalCountExact) assert.deepEqual([c.truncatedBy, c.edges.length], ['ROW_CAP', 5]);
    else assert.equal(c.truncatedBy, 'TIME_BUDGET');
    assert.ok(c.totalCount >= c.edges.length, 'a lower bound at least this page');
  });

  it('every budgeted query answers within budgetMs: 1 ms says TIME_BUDGET, a generous budget gives the unbudgeted answer', async () => {
    // The best-connected state actor and its neighbourhood: big enough that no read ends within 1 ms.
    const degree = new Map<string, number>();
    for (const l of links) for (const id of [l.from, l.to]) degree.set(id, (degree.get(id) ?? 0) + 1);
    const hub = [...nodes.values()].filter((n) => n.kind === 'STATE_ACTOR').sort((a, b) => degree.get(b.id)! - degree.get(a.id)!)[0].id;
    const cases: Array<[string, string, (d: Record<string, unknown>) => unknown]> = [
      ['timelineSearch', '(id: "ag-big" BUDGET) { events { at } truncated truncatedBy total totalExact budgetMs }', (d) => d],
      ['neighborhood', `(ids: ["${hub}"], depth: 2, limit: 300 BUDGET) { nodes { id } edges { id } truncated truncatedBy total totalExact }`, (d) => d],
      ['overlapSearch', `(ids: ["${hub}"], first: 10 BUDGET) { results { between { id } shared { id } truncatedBy } truncated truncatedBy }`, (d) => d],
      ['cooccurrence', '(kinds: [PERSONA], via: [NARRATIVE], first: 20 BUDGET) { pairs { a { id } b { id } count } truncated truncatedBy }', (d) => d],
      ['neighbourCounts', `(ids: ["${hub}"], hops: [{ kinds: [CAMPAIGN] }, { kinds: [PERSONA, HOST] }], first: 10 BUDGET) { items { entity { id } count } total totalExact truncated truncatedBy }`, (d) => d],
      ['counts', '(bucket: MONTH BUDGET) { entities links undated byType { type count } truncated truncatedBy }', (d) => d],
    ];
    for (const [field, rest, pick] of cases) {
      const ask = (budget: string) => gql<Record<string, Record<string, unknown>>>(app, `{ ${field}${rest.replace(' BUDGET)', budget ? `, ${budget})` : ')')} }`, {}, amber);
      const plain = await ask('');
      assert.equal(plain.errors, undefined, `${field}: ${JSON.stringify(plain.errors)}`);
      const generous = await ask('budgetMs: 60000');
      assert.equal(generous.errors, undefined, JSON.stringify(generous.errors));
      const stripBudget = (d: Record<string, unknown>) => JSON.stringify(pick(d), (k, v) => (k === 'budgetMs' ? undefined : v));
      assert.equal(stripBudget(generous.data![field]), stripBudget(plain.data![field]), `${field}: a budget it does not reach changes nothing`);
      assert.notEqual((plain.data![field] as { truncatedBy?: string }).truncatedBy, 'TIME_BUDGET', `${field} finished unbudgeted`);
      const t = performance.now();
      const tiny = await ask('budgetMs: 1');
      const wall = performance.now() - t;
      assert.equal(tiny.errors, undefined, JSON.stringify(tiny.errors));
      const got = tiny.data![field] as { truncated?: boolean; truncatedBy?: string; totalExact?: boolean };
      console.log(`aggregates: ${field} budgetMs 1: truncatedBy ${got.truncatedBy}, ${wall.toFixed(0)} ms`);
      assert.equal(got.truncatedBy, 'TIME_BUDGET', `${field} at 1 ms: ${JSON.stringify(got).slice(0, 300)}`);
      if ('truncated' in got) assert.equal(got.truncated, true);
      if ('totalExact' in got) assert.equal(got.totalExact, false);
      assert.ok(wall < 3_000, `${field} answered in ${wall.toFixed(0)} ms on a 1 ms budget`);
    }
    // budgetMs 0 or a fraction is refused, naming the argument, on every budgeted query.
    for (const q of ['{ counts(budgetMs: 0) { links } }', '{ timeline(id: "ag-big", budgetMs: 0) { at } }',
      '{ neighborhood(ids: ["ag-big"], budgetMs: -5) { total } }', '{ metricRanking(name: "engagement", budgetMs: 0) { total } }']) {
      const r = await gql(app, q);
      assert.equal(r.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', q);
      assert.equal(r.errors?.[0]?.extensions?.field, 'budgetMs', q);
    }
  });

  it('neighborhood says how many entities are within reach, and whether that total is exact', async () => {
    type S = { neighborhood: { nodes: Array<{ id: string }>; truncated: boolean; truncatedBy: string | null; total: number; totalExact: boolean } };
    const q = 'query($l: Int, $d: Int) { neighborhood(ids: ["ag-big"], depth: $d, limit: $l) { nodes { id } truncated truncatedBy total totalExact } }';
    const all = (await gql<S>(app, q, { l: 5000, d: 1 })).data!.neighborhood;
    assert.deepEqual([all.nodes.length, all.total, all.truncated, all.truncatedBy, all.totalExact], [1091, 1091, false, null, true], 'ag-big and its 1,090 hosts');
    const cut = (await gql<S>(app, q, { l: 100, d: 1 })).data!.neighborhood;
    assert.deepEqual([cut.nodes.length, cut.total, cut.truncated, cut.truncatedBy, cut.totalExact], [100, 1091, true, 'ROW_CAP', true], 'cut at its last level: the total is still exact');
    const deep = (await gql<S>(app, q, { l: 100, d: 2 })).data!.neighborhood;
    assert.deepEqual([deep.nodes.length, deep.total, deep.truncatedBy, deep.totalExact], [100, 1091, 'ROW_CAP', false], 'cut before its last level: a lower bound');
  });

  it('claims(first: 5) over every link answers its page from the per-type id indexes, in id order, as brute force', async () => {
    type C = { claims: { edges: Array<{ node: { link: { id: string } } }>; totalCount: number; totalCountExact: boolean; truncatedBy: string | null } };
    const bulk = new Executor(neo4jSettings(), 300_000);
    const ids = (await bulk.read<{ id: string }>(
      `MATCH (a:Entity)-[r]->(b:Entity) WHERE r.tlp = 'CLEAR' AND a.tlp = 'CLEAR' AND b.tlp = 'CLEAR' RETURN r.id AS id ORDER BY id`)).map((r) => r.id);
    const usesIds = (await bulk.read<{ id: string }>(
      `MATCH (a:Entity)-[r:USES]->(b:Entity) WHERE r.tlp = 'CLEAR' AND a.tlp = 'CLEAR' AND b.tlp = 'CLEAR' RETURN r.id AS id ORDER BY id`)).map((r) => r.id);
    await bulk.close();
    await gql(app, '{ claims(first: 5, budgetMs: 15000) { totalCount } }'); // warm-up (plans)
    const t = performance.now();
    const r = await gql<C>(app, '{ claims(first: 5, budgetMs: 15000) { edges { node { link { id } } } totalCount totalCountExact truncatedBy } }');
    const wall = performance.now() - t;
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const c = r.data!.claims;
    console.log(`aggregates: claims(first: 5) over ${links.length} links: ${c.edges.length} claims, total ${c.totalCount} (exact ${c.totalCountExact}), ${wall.toFixed(0)} ms`);
    assert.deepEqual(c.edges.map((e) => e.node.link.id), ids.slice(0, 5), 'the first five link ids a CLEAR caller may see');
    if (c.totalCountExact) assert.equal(c.totalCount, ids.length);
    const after = (await gql<C>(app, `{ claims(first: 5, after: "${Buffer.from(ids[4]).toString('base64url')}", filter: { types: [USES] }, budgetMs: 15000) { edges { node { link { id } } } } }`)).data!.claims;
    assert.deepEqual(after.edges.map((e) => e.node.link.id), usesIds.filter((id) => id > ids[4]).slice(0, 5), 'after a cursor, one type');
  });

  it('metricRanking reads through the metric\'s own range index, and ranks as brute force', async () => {
    const session = ex.driver.session();
    try {
      await session.run(`MATCH (n:Entity) WHERE n.kind IN ['HOST', 'PERSONA'] AND n.id STARTS WITH 'syn2-'
        CALL (n) { SET n.metric_agReach = toFloat(size(n.id) * 7 % 101) } IN TRANSACTIONS OF 10000 ROWS`);
      type M = { metricRanking: { items: Array<{ entity: { id: string }; value: number }>; total: number; sum: number; truncatedBy: string | null; totalExact: boolean } };
      const q = '{ metricRanking(name: "agReach", first: 5) { items { entity { id } value } total sum truncatedBy totalExact } }';
      const first = await gql<M>(app, q, {}, amber);
      assert.equal(first.errors, undefined, JSON.stringify(first.errors));
      const idx = await session.run("SHOW INDEXES YIELD name, state, type, properties WHERE name = 'metric_agReach' RETURN state, type, properties");
      assert.equal(idx.records.length, 1, 'the first ranking by a metric creates its index');
      assert.deepEqual([idx.records[0].get('type'), idx.records[0].get('properties')], ['RANGE', ['metric_agReach']]);
      await session.run('CALL db.awaitIndexes(120)');
      // That the ranking's plan reads the index is shown by PROFILE in docs/queries.md (NodeIndexScan).
      const m = (await gql<M>(app, q, {}, amber)).data!.metricRanking;
      const expected = [...nodes.values()].filter((n) => (n.kind === 'HOST' || n.kind === 'PERSONA') && n.id.startsWith('syn2-') && entityPassesRules(filterRules('AMBER', {}), n))
        .map((n) => ({ id: n.id, v: (n.id.length * 7) % 101 })).sort((a, b) => b.v - a.v || (a.id < b.id ? -1 : 1));
      assert.equal(m.total, expected.length);
      assert.deepEqual(m.items.map((i) => [i.entity.id, i.value]), expected.slice(0, 5).map((e) => [e.id, e.v]));
      assert.deepEqual([m.truncatedBy, m.totalExact], ['ROW_CAP', true]);
      const none = await gql<M>(app, '{ metricRanking(name: "agNeverWritten", first: 5) { total } }');
      assert.equal(none.data!.metricRanking.total, 0);
      const noIdx = await session.run("SHOW INDEXES YIELD name WHERE name = 'metric_agNeverWritten' RETURN name");
      assert.equal(noIdx.records.length, 0, 'a metric no entity holds gets no index');
    } finally {
      await session.close();
    }
  });
});

// claims reads every link (about 20 s over 150k links on a loaded 2-core machine, past the 15 s
// query timeout), so its `truncated` is checked on the seed graph.
describe('honest limits of connections on the seed graph', () => {
  let ex: Executor;
  let app: App;
  before(async () => { ex = await seededExecutor(); app = createApp({ executor: ex }); });
  after(() => ex.close());

  it('claims and entities say when a page does not hold everything', async () => {
    type C = { claims: { truncated: boolean; totalCount: number; edges: unknown[]; pageInfo: { hasNextPage: boolean } } };
    const q = 'query($n: Int) { claims(first: $n) { truncated totalCount edges { cursor } pageInfo { hasNextPage } } }';
    const c = (await gql<C>(app, q, { n: 5 })).data!.claims;
    assert.ok(c.truncated && c.totalCount > 5 && c.edges.length === 5 && c.pageInfo.hasNextPage);
    const all = (await gql<C>(app, q, { n: 500 })).data!.claims;
    assert.ok(!all.truncated && all.edges.length === all.totalCount);
    type CB = { claims: { totalCount: number; totalCountExact: boolean; truncatedBy: string | null; edges: unknown[] } };
    const qb = 'query($n: Int) { claims(first: $n, budgetMs: 60000) { totalCount totalCountExact truncatedBy edges { cursor } } }';
    const cut = (await gql<CB>(app, qb, { n: 5 })).data!.claims;
    assert.deepEqual([cut.totalCount, cut.totalCountExact, cut.truncatedBy], [c.totalCount, true, 'ROW_CAP'], 'a budget past the maximum is capped, not refused');
    const whole = (await gql<CB>(app, qb, { n: 500 })).data!.claims;
    assert.deepEqual([whole.edges.length, whole.totalCountExact, whole.truncatedBy], [all.totalCount, true, null]);
    const bad = await gql(app, '{ claims(budgetMs: 0) { totalCount } }');
    assert.equal(bad.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.match(bad.errors[0].message, /budgetMs/);
    type EC = { entities: { truncated: boolean; totalCount: number } };
    const e = (await gql<EC>(app, '{ entities(first: 3) { truncated totalCount } }')).data!.entities;
    assert.ok(e.truncated && e.totalCount > 3);
    assert.equal((await gql<EC>(app, '{ entities(first: 500) { truncated totalCount } }')).data!.entities.truncated, false);
  });
});
