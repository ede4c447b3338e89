import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../api/http/app.js';
import type { Executor } from '../../api/store/executor.js';
import { createKey } from '../../api/store/keys.js';
import { EXAMPLE_QUERIES } from '../../api/graphql/example-queries.js';
import { SEED_FILE } from '../../seed/loader.js';
import { createApp, gql, seededExecutor } from '../helpers.js';

interface E { id: string; kind: string }
interface L { id: string; type: string; confidence: number; firstSeen: string | null; citations: Array<{ locator: string; source: { id: string } }> }

describe('researcher API on the seed graph', () => {
  let ex: Executor;
  let app: App;
  before(async () => { ex = await seededExecutor(); app = createApp({ executor: ex }); });
  after(() => ex.close());

  it('paths: Democratic voters → Iran runs through the campaign, its persona and hosts, citing P3, P10, P11', async () => {
    const r = await gql<{ paths: Array<{ hops: number; confidence: number; nodes: E[]; edges: L[] }> }>(app,
      `{ paths(from: "tg-democratic-voters", to: "iran", limit: 20) { hops confidence nodes { id kind }
          edges { type confidence citations { locator source { id } } } } }`);
    assert.equal(r.errors, undefined);
    const ps = r.data!.paths;
    assert.ok(ps.length >= 5);
    assert.deepEqual(ps[0].nodes.map((n) => n.id), ['tg-democratic-voters', 'campaign-iran-spoofed-emails-2020', 'iran'], 'shortest first, most confident first');
    for (let i = 1; i < ps.length; i++) assert.ok(ps[i].hops >= ps[i - 1].hops, 'ordered by length');
    const first = ps[0];
    const product = first.edges.reduce((p, e) => p * e.confidence / 100, 1) * 100;
    assert.ok(Math.abs(first.confidence - product) < 0.01, `path confidence ${first.confidence} is the product ${product}`);
    const kinds = new Set(ps.flatMap((p) => p.nodes.map((n) => n.kind)));
    assert.ok(kinds.has('PERSONA') && kinds.has('HOST') && kinds.has('CAMPAIGN'));
    const locators = new Set(ps.flatMap((p) => p.edges.flatMap((e) => e.citations.map((c) => c.locator))));
    for (const p of ['P3', 'P10', 'P11']) assert.ok(locators.has(p), `cites ${p}`);
  });

  it('neighborhood: hubs past the seeds are listed, not expanded, and the links among the result are all there', async () => {
    type Sub = { nodes: E[]; edges: Array<{ id: string }>; unexpanded: string[] };
    const q = `query($id: ID!, $h: Int) { neighborhood(ids: [$id], depth: 2, hubDegree: $h) { nodes { id kind } edges { id } unexpanded } }`;
    const degreeOf = async (ids: string[]) => new Map((await ex.read<{ id: string; d: number }>(
      'MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id, COUNT { (n)--() } AS d', { ids })).map((r) => [r.id, r.d]));
    const full = (await gql<{ neighborhood: Sub }>(app, q, { id: 'iran' })).data!.neighborhood;
    const cut = (await gql<{ neighborhood: Sub }>(app, q, { id: 'iran', h: 3 })).data!.neighborhood;
    assert.deepEqual(full.unexpanded, [], 'no seed-graph entity has 500 links');
    assert.ok(cut.unexpanded.length > 0 && cut.nodes.length < full.nodes.length, 'a low hubDegree stops at hubs');
    const degrees = await degreeOf(cut.unexpanded);
    for (const id of cut.unexpanded) assert.ok(degrees.get(id)! > 3, `${id} is a hub (degree ${degrees.get(id)})`);
    assert.ok(!cut.unexpanded.includes('iran'), 'the seed is always expanded');
    for (const [id, h] of [['iran', 1], ['iran', 3], ['iran', 500], ['campaign-iran-spoofed-emails-2020', 2], ['russia', 4]] as const) {
      const sub = (await gql<{ neighborhood: Sub }>(app, q, { id, h })).data!.neighborhood;
      const ids = sub.nodes.map((n) => n.id);
      const expected = await ex.read<{ id: string }>(
        `MATCH (a:Entity)-[r]->(b:Entity) WHERE a.id IN $ids AND b.id IN $ids AND r.tlp = 'CLEAR' AND a.tlp = 'CLEAR' AND b.tlp = 'CLEAR' RETURN r.id AS id`, { ids });
      assert.deepEqual(sub.edges.map((e) => e.id).sort(), expected.map((r) => r.id).sort(), `links among the neighborhood of ${id} at hubDegree ${h}`);
    }
  });

  it('paths to a kind, and NEGATED links are not traversed unless asked', async () => {
    const r = await gql<{ paths: Array<{ nodes: E[] }> }>(app, '{ paths(from: "host-us-voter-registration-systems", toKind: STATE_ACTOR) { nodes { id kind } } }');
    assert.equal(r.data!.paths.length, 0, 'the only links of that host are "not hacked" findings');
    const r2 = await gql<{ paths: Array<{ nodes: E[] }> }>(app,
      '{ paths(from: "host-us-voter-registration-systems", toKind: STATE_ACTOR, filter: { includeNegated: true }) { nodes { id kind } } }');
    assert.ok(r2.data!.paths.length >= 2);
    assert.ok(r2.data!.paths.every((p) => p.nodes[p.nodes.length - 1].kind === 'STATE_ACTOR'));
  });

  it('overlap between the Saudi and Estonian hosts names the campaign', async () => {
    const r = await gql<{ overlap: Array<{ between: E[]; shared: E[]; windowsOverlap: boolean }> }>(app,
      '{ overlap(ids: ["host-saudi-insurer-network", "host-estonian-textbook-site"]) { between { id } shared { id kind } windowsOverlap } }');
    const shared = r.data!.overlap.flatMap((o) => o.shared.map((s) => s.id));
    assert.ok(shared.includes('campaign-iran-spoofed-emails-2020'));
    assert.equal(r.data!.overlap[0].windowsOverlap, true);
  });

  it('overlap of one campaign finds the other campaign sharing its data asset', async () => {
    const r = await gql<{ overlap: Array<{ between: E[]; shared: E[] }> }>(app,
      '{ overlap(ids: ["campaign-iran-spoofed-emails-2020"], kinds: [CAMPAIGN]) { between { id } shared { id } } }');
    const russia = r.data!.overlap.find((o) => o.between[1].id === 'campaign-russia-2020');
    assert.deepEqual(russia?.shared.map((s) => s.id), ['data-us-voter-registration']);
  });

  it('timeline lists the campaign\'s dated links in order, with sources', async () => {
    const r = await gql<{ timeline: Array<{ at: string | null; summary: string; sources: E[] }> }>(app,
      '{ timeline(id: "campaign-iran-spoofed-emails-2020") { at summary sources { id } } }');
    const t = r.data!.timeline;
    assert.ok(t.length >= 10);
    const dates = t.map((e) => e.at ?? '9999');
    assert.deepEqual(dates, [...dates].sort());
    assert.ok(t.every((e) => e.sources.length >= 1));
    assert.ok(t.some((e) => /uses Website of an Estonian/.test(e.summary)));
    const early = await gql<{ timeline: unknown[] }>(app, '{ timeline(id: "campaign-iran-spoofed-emails-2020", to: "2019-01-01") { summary } }');
    assert.equal(early.data!.timeline.length, 0, 'nothing before 2019');
  });

  it('filters: confidence floor and "as of" date narrow the neighbourhood', async () => {
    const q = `query($f: GraphFilter) { neighborhood(ids: ["russia"], depth: 1, filter: $f) { nodes { id } edges { confidence firstSeen } } }`;
    const all = await gql<{ neighborhood: { nodes: E[]; edges: L[] } }>(app, q, {});
    const strong = await gql<{ neighborhood: { nodes: E[]; edges: L[] } }>(app, q, { f: { minConfidence: 85 } });
    assert.ok(strong.data!.neighborhood.edges.length < all.data!.neighborhood.edges.length);
    assert.ok(strong.data!.neighborhood.edges.every((e) => e.confidence >= 85));
    const in2016 = await gql<{ neighborhood: { nodes: E[] } }>(app, q, { f: { asOf: '2017-01-01' } });
    assert.deepEqual(in2016.data!.neighborhood.nodes.map((n) => n.id).sort(), ['campaign-russia-2016', 'russia']);
  });

  it('claims: the single-source list holds every Proofpoint-only link', async () => {
    const seed = JSON.parse(fs.readFileSync(SEED_FILE, 'utf8')) as { links: Array<{ type: string; from: string; to: string; citations: Array<{ source: string }> }> };
    const proofpointOnly = seed.links.filter((l) => new Set(l.citations.map((c) => c.source)).size === 1 && l.citations[0].source === 'src-proofpoint-analysis');
    assert.ok(proofpointOnly.length >= 2);
    const r = await gql<{ claims: { totalCount: number; edges: Array<{ node: { sourceCount: number; link: { type: string; from: E; to: E } } }> } }>(app,
      '{ claims(filter: { singleSource: true, sourceId: "src-proofpoint-analysis" }, first: 100) { totalCount edges { node { sourceCount link { type from { id } to { id } } } } } }');
    const got = r.data!.claims.edges.map((e) => `${e.node.link.from.id} ${e.node.link.type} ${e.node.link.to.id}`).sort();
    assert.deepEqual(got, proofpointOnly.map((l) => `${l.from} ${l.type} ${l.to}`).sort());
    assert.ok(r.data!.claims.edges.every((e) => e.node.sourceCount === 1));
  });

  it('claims: two sources attributing one campaign to different actors show as a conflict', async () => {
    const { key } = await createKey(ex, 'conflict-test', 'ANALYST', 'AMBER');
    const auth = { authorization: `Bearer ${key}` };
    const w = await gql(app, `mutation { upsertLinks(input: [{ type: ATTRIBUTED_TO, from: "campaign-iran-spoofed-emails-2020", to: "russia",
      confidence: 20, citations: [{ source: "src-king-statement", locator: "P12" }] }]) { created ids } }`, {}, auth);
    assert.equal(w.errors, undefined);
    const r = await gql<{ claims: { edges: Array<{ node: { link: { to: E }; conflictsWith: Array<{ to: E }> } }> } }>(app,
      '{ claims(filter: { conflicting: true, types: [ATTRIBUTED_TO] }) { edges { node { link { to { id } } conflictsWith { to { id } } } } } }');
    const pairs = r.data!.claims.edges.map((e) => `${e.node.link.to.id}~${e.node.conflictsWith.map((c) => c.to.id).join(',')}`);
    assert.ok(pairs.some((p) => p.startsWith('russia~') && p.includes('iran')), pairs.join(' | '));
    assert.ok(pairs.some((p) => p.startsWith('iran~') && p.includes('russia')));
  });

  it('entities: a Relay connection whose pages cover every entity once, with totalCount', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 20; page++) {
      const r: Awaited<ReturnType<typeof gql<{ entities: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: E }> } }>>> =
        await gql(app, 'query($a: String) { entities(first: 7, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }', { a: after });
      total = r.data!.entities.totalCount;
      seen.push(...r.data!.entities.edges.map((e) => e.node.id));
      if (!r.data!.entities.pageInfo.hasNextPage) break;
      after = r.data!.entities.pageInfo.endCursor;
    }
    assert.equal(seen.length, total);
    assert.equal(new Set(seen).size, total);
    const hosts = await gql<{ entities: { totalCount: number } }>(app, '{ entities(kind: HOST) { totalCount } }');
    assert.equal(hosts.data!.entities.totalCount, 4);
  });

  it('source(id) lists everything the source asserts; stats count the graph', async () => {
    const r = await gql<{ source: { title: string; asserts: L[] }; stats: { nodes: number; links: number } }>(app,
      '{ source(id: "src-proofpoint-analysis") { title asserts { id } } stats { nodes links } }');
    assert.ok(r.data!.source.asserts.length >= 3);
    assert.ok(r.data!.stats.nodes >= 37 && r.data!.stats.links >= 55);
  });

  it('every example query (GraphiQL tabs, docs/queries.md) runs without errors and returns data', async () => {
    for (const q of EXAMPLE_QUERIES) {
      const r = await gql<Record<string, unknown>>(app, q.query);
      assert.equal(r.errors, undefined, q.title);
      assert.ok(Object.values(r.data ?? {}).every((v) => v !== null), `${q.title} answers`);
    }
  });

  it('bad arguments get BAD_USER_INPUT naming the argument', async () => {
    const cases: Array<[string, RegExp]> = [
      ['{ neighborhood(ids: ["iran"], depth: 99) { truncated } }', /depth must be an integer from 1 to 4/],
      ['{ paths(from: "iran", to: "russia", maxHops: 50) { hops } }', /maxHops must be/],
      ['{ paths(from: "iran") { hops } }', /paths needs `to` or `toKind`/],
      ['{ pathSearch(from: "iran", to: "russia", readBudget: 0) { truncated } }', /readBudget must be an integer from 1 to 2000000/],
      ['{ entities(after: "not-a-cursor!") { totalCount } }', /after: not a cursor/],
      ['{ neighborhood(ids: ["iran"], filter: { minConfidence: 300 }) { truncated } }', /minConfidence must be between 0 and 100/],
      ['{ timeline(id: "iran", from: "yesterday") { at } }', /not an ISO-8601 date/],
    ];
    for (const [query, message] of cases) {
      const r = await gql(app, query);
      assert.equal(r.errors?.[0].extensions?.code, 'BAD_USER_INPUT', query);
      assert.match(r.errors[0].message, message);
    }
  });
});
