// Speed at L (issue 20), checked for answers on the synthetic XS graph loaded once:
// 1. entity(id) with its links in one Cypher statement (api/store/entity-bundle.ts): the answer must
// be the one the per-field loaders give. The old path is reached through neighborhood(limit: 1),
// which primes only the entity, so its links, ends and sources come through the loaders as before.
// Compared on the synthetic XS graph's best-connected entities (hundreds of links, mixed TLPs,
// citations from sources at several markings) for callers at three clearances.
// 2. paths between two entities by the degree-aware bidirectional search (api/store/paths-bidirectional.ts):
// the same chains as brute force over the visible links for pairs up to 3 hops apart, the same hop
// counts as Neo4j's SHORTEST, and with hubs left unexpanded either the same answer or EXPANSION_BUDGET.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../api/http/app.js';
import { bulkLoad } from '../../api/store/bulk-load.js';
import type { Executor } from '../../api/store/executor.js';
import { createKey } from '../../api/store/keys.js';
import { migrate } from '../../api/store/migrations.js';
import { recordingExecutor } from '../../bench/capture.js';
import { pathSearch } from '../../api/store/paths.js';
import { syntheticRecords } from '../../seed/synthetic.js';
import { createApp, gql, resetGraph, testExecutor } from '../helpers.js';

const FIELDS = `fragment F on Entity { id kind name tlp degree
  links(first: $first, types: $types, direction: $direction) {
    id type confidence tlp assertion firstSeen sourceCount
    from { id name tlp } to { id kind }
    citations { locator quote confidence source { id name tlp } via { id } }
  } }`;
const NEW = `query($id: ID!, $first: Int, $types: [LinkType!], $direction: Direction) { entity(id: $id) { ...F } } ${FIELDS}`;
const OLD = `query($id: ID!, $first: Int, $types: [LinkType!], $direction: Direction) {
  neighborhood(ids: [$id], depth: 1, limit: 1) { nodes { ...F } } } ${FIELDS}`;

let ex: Executor;
let app: App;

describe('entity with links in one statement', () => {
  const auth: Record<string, Record<string, string>> = { CLEAR: {} };
  let hubs: string[] = [];

  before(async () => {
    ex = testExecutor();
    await migrate(ex);
    await resetGraph(ex);
    await bulkLoad(ex, syntheticRecords('XS', 3), { progress: false, batchSize: 500 });
    for (const [tlp, role] of [['GREEN', 'READER'], ['RED', 'ADMIN']] as const) {
      auth[tlp] = { authorization: `Bearer ${(await createKey(ex, `bundle-${tlp}`, role, tlp)).key}` };
    }
    hubs = (await ex.read<{ id: string }>(
      `MATCH (n:Entity) WHERE n.tlp = 'CLEAR' RETURN n.id AS id ORDER BY COUNT { (n)--() } DESC, n.id LIMIT 2`)).map((r) => r.id);
    app = createApp({ executor: ex, rateLimit: false });
  });

  const both = async (id: string, vars: Record<string, unknown>, headers: Record<string, string>) => {
    const fresh = await gql<{ entity: Record<string, unknown> | null }>(app, NEW, { id, ...vars }, headers);
    const old = await gql<{ neighborhood: { nodes: Array<Record<string, unknown>> } }>(app, OLD, { id, ...vars }, headers);
    assert.equal(fresh.errors, undefined, JSON.stringify(fresh.errors));
    assert.equal(old.errors, undefined, JSON.stringify(old.errors));
    return { fresh: fresh.data!.entity, old: old.data!.neighborhood.nodes[0] ?? null };
  };

  it('answers as the loaders do, at every clearance, for the best-connected entities', async () => {
    let links = 0;
    let hidden = 0;
    for (const id of hubs) {
      const seen: number[] = [];
      for (const tlp of ['CLEAR', 'GREEN', 'RED']) {
        const { fresh, old } = await both(id, { first: 500 }, auth[tlp]);
        assert.ok(fresh, `${id} visible at ${tlp}`);
        assert.deepEqual(fresh, old, `${id} at ${tlp}`);
        const n = (fresh.links as unknown[]).length;
        seen.push(n);
        links += n;
      }
      // The clearance really changes the answer: more is visible with more clearance.
      assert.ok(seen[0] < seen[2], `${id}: ${seen.join(' < ')}`);
      hidden += seen[2] - seen[0];
    }
    assert.ok(links > 200 && hidden > 0, `${links} links compared, ${hidden} of them above CLEAR`);
  });

  it('keeps the links arguments (types, direction, a short page)', async () => {
    const id = hubs[0];
    for (const vars of [{ first: 3 }, { first: 50, direction: 'OUT' }, { first: 50, direction: 'IN' }, { first: 20, types: ['USES', 'OPERATES'] }]) {
      const { fresh, old } = await both(id, vars, auth.GREEN);
      assert.deepEqual(fresh, old, JSON.stringify(vars));
    }
  });

  it('reads the entity, its links, their ends and sources in one statement', async () => {
    const rec = recordingExecutor(ex);
    const counting = createApp({ executor: rec.executor, rateLimit: false });
    rec.take();
    const res = await gql<{ entity: { links: unknown[] } }>(counting, NEW, { id: hubs[0], first: 100 });
    assert.equal(res.errors, undefined);
    assert.ok(res.data!.entity.links.length > 10);
    const statements = rec.take().flat();
    assert.equal(statements.length, 1, statements.map((s) => s.cypher.slice(0, 60)).join('\n'));
    // Through the loaders the same answer takes three dependent statements.
    await gql(counting, OLD, { id: hubs[0], first: 100 });
    assert.ok(rec.take().flat().length >= 3);
  });

  it('answers null above clearance and for an unknown id, and an entity without links', async () => {
    const [red] = await ex.read<{ id: string }>(`MATCH (n:Entity {tlp: 'RED'}) RETURN n.id AS id ORDER BY n.id LIMIT 1`);
    assert.equal((await both(red.id, { first: 10 }, {})).fresh, null);
    assert.deepEqual((await both(red.id, { first: 10 }, auth.RED)).fresh, (await both(red.id, { first: 10 }, auth.RED)).old);
    assert.equal((await both('no-such-entity', { first: 10 }, auth.RED)).fresh, null);
    await ex.write((tx) => ex.run(tx, `CREATE (:Entity:Narrative {id: 'bundle-lonely', kind: 'NARRATIVE', name: 'Lonely', tlp: 'CLEAR', aliases: []})`));
    const { fresh, old } = await both('bundle-lonely', { first: 10 }, {});
    assert.deepEqual(fresh, old);
    assert.deepEqual((fresh as { links: unknown[] }).links, []);
  });
});

interface Hop { rid: string; other: string; confidence: number }

describe('paths between two entities, degree-aware and bidirectional', () => {
  const adjacency = new Map<string, Hop[]>();
  const degree = new Map<string, number>();
  const pairs: Array<{ from: string; to: string; dist: number }> = [];

  before(async () => {
    // What the anonymous reader's paths may use: CLEAR entities and links, NEGATED links left out.
    const rels = await ex.read<{ rid: string; a: string; b: string; c: number }>(
      `MATCH (a:Entity {tlp: 'CLEAR'})-[r]->(b:Entity {tlp: 'CLEAR'}) WHERE r.tlp = 'CLEAR' AND r.assertion <> 'NEGATED'
       RETURN elementId(r) AS rid, a.id AS a, b.id AS b, r.confidence AS c`);
    for (const { rid, a, b, c } of rels) {
      for (const [x, y] of [[a, b], [b, a]]) {
        if (!adjacency.has(x)) adjacency.set(x, []);
        adjacency.get(x)!.push({ rid, other: y, confidence: Number(c) });
      }
    }
    for (const row of await ex.read<{ id: string; d: number }>('MATCH (n:Entity) RETURN n.id AS id, COUNT { (n)--() } AS d')) degree.set(row.id, Number(row.d));
    // Pairs at 1, 2 and 3 hops, from small entities and from hubs alike, picked reproducibly.
    const ids = [...adjacency.keys()].sort();
    const want = new Map([[1, 8], [2, 10], [3, 10]]);
    for (let i = 0; i < ids.length && [...want.values()].some((n) => n > 0); i += 7) {
      const dist = bfs(ids[i], 3);
      for (const [to, d] of [...dist].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
        if (d > 0 && (want.get(d) ?? 0) > 0 && (to.charCodeAt(to.length - 1) + i) % 5 === 0) {
          pairs.push({ from: ids[i], to, dist: d });
          want.set(d, want.get(d)! - 1);
          break;
        }
      }
    }
  });

  const bfs = (from: string, max: number) => {
    const dist = new Map([[from, 0]]);
    let level = [from];
    for (let d = 1; d <= max; d++) {
      const next: string[] = [];
      for (const x of level) for (const h of adjacency.get(x) ?? []) if (!dist.has(h.other)) { dist.set(h.other, d); next.push(h.other); }
      level = next;
    }
    return dist;
  };
  /** Every simple chain of at most `max` links, as (hops, confidence, link ids), by brute force. */
  const allChains = (from: string, to: string, max: number) => {
    const out: Array<{ hops: number; confidence: number; rids: string[] }> = [];
    const walk = (at: string, seen: Set<string>, rids: string[], cs: number[]) => {
      if (at === to) {
        out.push({ hops: rids.length, confidence: Math.round(cs.reduce((p, c) => p * (c / 100), 1) * 10000) / 100, rids: [...rids] });
        return;
      }
      if (rids.length === max) return;
      for (const h of adjacency.get(at) ?? []) {
        if (seen.has(h.other)) continue;
        seen.add(h.other);
        walk(h.other, seen, [...rids, h.rid], [...cs, h.confidence]);
        seen.delete(h.other);
      }
    };
    walk(from, new Set([from]), [], []);
    return out.sort((x, y) => x.hops - y.hops || y.confidence - x.confidence);
  };
  const ridsOf = async (edgeIds: string[]) => (await ex.read<{ rid: string }>(
    'UNWIND $ids AS id MATCH ()-[r {id: id}]->() RETURN elementId(r) AS rid', { ids: edgeIds })).map((r) => r.rid);

  it('finds what brute force finds, and the hop counts SHORTEST finds, for pairs 1–3 hops apart', async () => {
    assert.ok(pairs.filter((p) => p.dist === 3).length >= 5 && pairs.length >= 20, JSON.stringify(pairs.map((p) => p.dist)));
    const limit = 5;
    for (const { from, to, dist } of pairs) {
      const truth = allChains(from, to, 3);
      const ours = await pathSearch(ex, { from, to, maxHops: 3, limit, hubDegree: 10_000_000 }, 'CLEAR', 60_000);
      const neo = await pathSearch(ex, { from, to, maxHops: 3, limit, engine: 'shortest' }, 'CLEAR', 60_000);
      const label = `${from} → ${to} (${dist} hops, ${truth.length} chains)`;
      assert.equal(ours.paths[0]?.hops, dist, label);
      assert.deepEqual(ours.paths.map((p) => [p.hops, p.confidence]), truth.slice(0, limit).map((c) => [c.hops, c.confidence]), label);
      assert.deepEqual(ours.paths.map((p) => p.hops), neo.paths.map((p) => p.hops), `${label}: same hop counts as SHORTEST`);
      assert.equal(ours.truncatedBy, truth.length > limit ? 'ROW_CAP' : null, label);
      assert.equal(neo.truncatedBy, ours.truncatedBy, label);
      // Each chain is a real one: its links, in order, join its entities.
      const truthSet = new Set(truth.map((c) => c.rids.join()));
      for (const p of ours.paths) {
        assert.ok(truthSet.has((await ridsOf(p.edges.map((e) => e.id))).join()), `${label}: ${p.edges.map((e) => e.id).join()}`);
        assert.deepEqual([p.nodes[0].id, p.nodes[p.nodes.length - 1].id], [from, to]);
      }
      // Where every chain fits in the answer, it is the same set as SHORTEST's.
      if (truth.length <= limit) {
        const key = (ps: typeof ours.paths) => ps.map((p) => p.edges.map((e) => e.id).join()).sort();
        assert.deepEqual(key(ours.paths), key(neo.paths), label);
      }
    }
  });

  it('crosses hubs without expanding them, and says so when that may hide chains', async () => {
    const hubDegree = 40;
    let skippedSome = 0;
    let same = 0;
    let readLean = 0;
    let readFull = 0;
    for (const { from, to } of pairs) {
      const truth = allChains(from, to, 3);
      const full = await pathSearch(ex, { from, to, maxHops: 3, limit: 5, hubDegree: 10_000_000 }, 'CLEAR', 60_000);
      const lean = await pathSearch(ex, { from, to, maxHops: 3, limit: 5, hubDegree }, 'CLEAR', 60_000);
      const truthSet = new Set(truth.map((c) => c.rids.join()));
      for (const p of lean.paths) assert.ok(truthSet.has((await ridsOf(p.edges.map((e) => e.id))).join()));
      for (const hub of lean.hubsSkipped) assert.ok(degree.get(hub)! > hubDegree && hub !== from && hub !== to);
      readLean += lean.relationshipsRead!;
      readFull += full.relationshipsRead!;
      if (lean.hubsSkipped.length) {
        skippedSome++;
        assert.equal(lean.truncatedBy, 'EXPANSION_BUDGET');
        assert.ok(lean.paths.every((p) => p.truncatedBy === 'EXPANSION_BUDGET'));
      } else {
        assert.deepEqual(lean.paths.map((p) => [p.hops, p.confidence]), full.paths.map((p) => [p.hops, p.confidence]));
        same++;
      }
    }
    assert.ok(skippedSome > 0 && same > 0, `${skippedSome} searches skipped hubs, ${same} did not`);
    // Over all pairs, leaving hubs unexpanded reads fewer relationships (one search may read more: its sides differ).
    assert.ok(readLean < readFull, `${readLean} relationships read with hubs left, ${readFull} with every entity expanded`);
  });

  it('readBudget: once the shortest chains are found, completing the list stops at the budget and says so', async () => {
    let cut = 0;
    for (const { from, to } of pairs) {
      const full = await pathSearch(ex, { from, to, maxHops: 3, limit: 5, hubDegree: 10_000_000, readBudget: 10_000_000 }, 'CLEAR', 60_000);
      const lean = await pathSearch(ex, { from, to, maxHops: 3, limit: 5, hubDegree: 10_000_000, readBudget: 1 }, 'CLEAR', 60_000);
      const shortest = (r: typeof full) => r.paths.filter((p) => p.hops === r.paths[0]?.hops).map((p) => p.edges.map((e) => e.id).join()).sort();
      const label = `${from} → ${to}`;
      assert.ok(full.paths.length > 0, label);
      assert.deepEqual(shortest(lean), shortest(full), `${label}: the shortest chains are all there`);
      assert.ok(lean.relationshipsRead! <= full.relationshipsRead!, label);
      if (JSON.stringify(lean.paths.map((p) => p.edges.map((e) => e.id))) !== JSON.stringify(full.paths.map((p) => p.edges.map((e) => e.id)))) {
        cut++;
        assert.equal(lean.truncatedBy, 'EXPANSION_BUDGET', `${label}: a list cut by the budget says so`);
        assert.ok(lean.paths.length < full.paths.length || lean.paths.some((p, i) => p.hops !== full.paths[i].hops), label);
      }
    }
    assert.ok(cut > 0, 'no pair needed reads past its shortest chains');
  });

  it('an expensive step first reads only its links into the other side: same answers, fewer reads where they end the search', async () => {
    let fewer = 0;
    for (const { from, to } of pairs) {
      const whole = await pathSearch(ex, { from, to, maxHops: 4, limit: 5, meetFirstCost: Number.MAX_SAFE_INTEGER }, 'CLEAR', 60_000);
      const meetFirst = await pathSearch(ex, { from, to, maxHops: 4, limit: 5, meetFirstCost: 0 }, 'CLEAR', 60_000);
      const label = `${from} → ${to}`;
      const key = (r: typeof whole) => r.paths.map((p) => p.edges.map((e) => e.id).join());
      const shortest = (r: typeof whole) => r.paths.filter((p) => p.hops === r.paths[0]?.hops).map((p) => p.edges.map((e) => e.id).join()).sort();
      assert.deepEqual(shortest(meetFirst), shortest(whole), `${label}: the shortest chains are all there`);
      if (meetFirst.truncatedBy === 'EXPANSION_BUDGET') assert.ok(meetFirst.paths.length <= whole.paths.length, label);
      else assert.deepEqual(key(meetFirst), key(whole), label);
      if (meetFirst.relationshipsRead! < whole.relationshipsRead!) fewer++;
    }
    assert.ok(fewer > 0, 'no pair ended on the links into the other side');
  });

  it('stops once one end has read its whole component: no chain, nothing else read', async () => {
    await ex.write((tx) => ex.run(tx, `CREATE (:Entity:Persona {id: 'paths-lonely', kind: 'PERSONA', name: 'Lonely', tlp: 'CLEAR', aliases: []})`));
    for (const { to } of pairs.slice(0, 5)) {
      const res = await pathSearch(ex, { from: 'paths-lonely', to, maxHops: 4, limit: 5 }, 'CLEAR', 60_000);
      assert.deepEqual(res.paths, []);
      assert.equal(res.searchedHops, 4, 'every hop count was searched');
      assert.equal(res.truncatedBy, null);
      assert.equal(res.relationshipsRead, 0, `${to}'s side was not expanded`);
    }
  });

  it('takes hubDegree through GraphQL and answers EXPANSION_BUDGET with the hubs', async () => {
    const hub = [...degree].filter(([id]) => adjacency.has(id)).sort((a, b) => b[1] - a[1])[0][0];
    const [leafA, leafB] = (adjacency.get(hub) ?? []).map((h) => h.other).filter((id) => degree.get(id)! < 40);
    const res = await gql<{ pathSearch: { paths: Array<{ hops: number }>; truncatedBy: string | null; hubsSkipped: string[]; relationshipsRead: number } }>(app,
      `query($a: ID!, $b: ID!, $h: Int) { pathSearch(from: $a, to: $b, maxHops: 2, hubDegree: $h) { paths { hops } truncatedBy hubsSkipped relationshipsRead } }`,
      { a: leafA, b: leafB, h: 10 });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    // Met in the hub from both sides: found without reading the hub's own links.
    assert.equal(res.data!.pathSearch.paths[0].hops, 2);
    assert.ok(res.data!.pathSearch.relationshipsRead < degree.get(hub)!);
    const bad = await gql(app, 'query($a: ID!, $b: ID!) { paths(from: $a, to: $b, hubDegree: 0) { hops } }', { a: leafA, b: leafB });
    assert.equal(bad.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.match(bad.errors[0].message, /hubDegree/);
  });

  after(async () => ex.close());
});
