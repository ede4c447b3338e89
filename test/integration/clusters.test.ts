// Coordinated-behaviour analysis with OpenGDS in the test Neo4j (test/run.ts starts it with GDS):
// the planted groups of the synthetic graph (XS, loaded with citations) recovered by Louvain and
// Leiden on the default projection (adjusted Rand index over the planted members), clearance,
// caching by graph version, tie evidence, centrality, similarity, bad input, no graph left behind,
// and the UNAVAILABLE answer of a database without the procedures.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../api/http/app.js';
import { bulkLoad, type GraphRecord } from '../../api/store/bulk-load.js';
import { coactionFilter, resolveProjection } from '../../api/store/coaction.js';
import { coactionGraph, percentileDisc } from '../../api/store/coaction-graph.js';
import { Executor } from '../../api/store/executor.js';
import { requireGds } from '../../api/store/gds.js';
import { createKey } from '../../api/store/keys.js';
import { migrate } from '../../api/store/migrations.js';
import { linkWhere, nodeWhere } from '../../api/store/filter.js';
import { neo4jSettings } from '../../core/config.js';
import { PluginMissing } from '../../core/errors.js';
import { labelOf } from '../../model/model.js';
import { plantedGroups, syntheticRecords } from '../../seed/synthetic.js';
import { adjustedRandIndex } from '../ari.js';
import { directLoad } from '../direct-load.js';
import { createApp, gql, resetGraph, testExecutor } from '../helpers.js';

interface ClusterOut { key: string; size: number; density: number; ties: number; confidence: number; members: Array<{ id: string; tlp: string }>; topShared: Array<{ count: number; entity: { id: string; kind: string } }> }
interface ClustersOut { clusters: { clusters: ClusterOut[]; total: number; nodes: number; ties: number; cached: boolean } }

const CLUSTERS = `query($method: ClusterMethod, $projection: CoactionProjection, $minSize: Int) {
  clusters(method: $method, projection: $projection, minSize: $minSize, first: 500) {
    total nodes ties cached
    clusters { key size density ties confidence members { id tlp } topShared { count entity { id kind } } }
  } }`;

describe('clusters, centrality, similar and tie with OpenGDS (planted groups in the synthetic XS graph)', () => {
  let ex: Executor;
  let app: App;
  let red: Record<string, string>;
  const groups = plantedGroups('XS', 1);
  const groupOf = new Map(groups.flatMap((g) => g.members.map((m) => [m, g.group] as const)));

  before(async () => {
    ex = testExecutor();
    await migrate(ex);
    await resetGraph(ex);
    // The graph straight through Cypher (no citations: the bulk loader takes two minutes on a loaded
    // machine), then the planted groups' links again through the bulk loader, with their citations.
    const records = [...syntheticRecords('XS', 1)];
    const isPlanted = (r: GraphRecord) => r.record === 'link' && r.citations[0]?.locator?.startsWith('planted ') === true;
    await directLoad(ex, records.filter((r) => !isPlanted(r)));
    await bulkLoad(ex, records.filter(isPlanted), { progress: false, label: 'clusters' });
    app = createApp({ executor: ex });
    red = { authorization: `Bearer ${(await createKey(ex, 'clusters-red', 'READER', 'RED')).key}` };
  });
  after(() => ex.close());

  const run = async <T>(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = red): Promise<T> => {
    const r = await gql<T>(app, query, variables, headers);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return r.data!;
  };

  /** ARI over the planted members: a member in no cluster (no tie kept) is a cluster of its own. */
  function recovery(clusters: ClusterOut[]): number {
    const found = new Map(clusters.flatMap((c) => c.members.map((m) => [m.id, c.key] as const)));
    const members = [...groupOf.keys()];
    return adjustedRandIndex(members.map((m) => groupOf.get(m)!), members.map((m) => found.get(m) ?? `alone:${m}`));
  }

  it('runs in the embedded Neo4j with OpenGDS, and leaves no projected graph behind', async () => {
    const [v] = await ex.read<{ v: string }>('RETURN gds.version() AS v');
    assert.match(v.v, /^2\.13\./);
    await run(CLUSTERS, { method: 'WCC' });
    const [left] = await ex.read<{ n: number }>('CALL gds.graph.list() YIELD graphName RETURN count(*) AS n');
    assert.equal(left.n, 0);
  });

  it('counts the same ties as a pair count in Cypher, cuts percentiles as Neo4j does, and reports the hubs left out', async () => {
    const p = resolveProjection({ minWeight: 1, maxShared: 20 });
    const f = coactionFilter('RED', null);
    const labels = (kinds: string[]) => kinds.map(labelOf).join('|');
    // The pair count as Cypher did it before (a neighbour's members, every pair of them, grouped by pair).
    const membersOf = `MATCH (z:${labels(p.via)}) WHERE ${nodeWhere('z')}
      CALL (z) {
        MATCH (z)-[r]-(m:${labels(p.members)}) WHERE m <> z AND ${linkWhere('r')} AND ${nodeWhere('m')}
        WITH m, max(r.confidence) AS c ORDER BY m.id
        RETURN collect({id: m.id, c: c}) AS ms
      }`;
    // A loaded machine needs more than the API's 15 s for these plain reads.
    const slow = new Executor(neo4jSettings(), 120_000);
    const expected = await slow.read<{ a: string; b: string; w: number; c: number }>(`${membersOf}
      WITH z, ms WHERE size(ms) > 1 AND size(ms) <= $p.maxShared
      UNWIND range(0, size(ms) - 2) AS i
      UNWIND range(i + 1, size(ms) - 1) AS j
      WITH z, ms[i] AS x, ms[j] AS y
      RETURN x.id AS a, y.id AS b, count(DISTINCT z) AS w, max(CASE WHEN x.c < y.c THEN x.c ELSE y.c END) AS c`, { p, f });
    const [hubs] = await slow.read<{ n: number }>(`${membersOf} WITH z WHERE size(ms) > $p.maxShared RETURN count(z) AS n`, { p, f });
    await slow.close();
    const g = await coactionGraph(ex, p, f, `test-${Date.now()}`);
    const text = (a: string, b: string, w: number, c: number) => `${a} ${b} w${w} c${c}`;
    assert.ok(expected.length > 100, `${expected.length} ties`);
    assert.deepEqual(Array.from(g.ties.a, (a, i) => text(g.ids[a], g.ids[g.ties.b[i]], g.ties.w[i], g.ties.c[i])).sort(),
      expected.map((t) => text(t.a, t.b, t.w, t.c)).sort());
    assert.ok(hubs.n > 0);
    assert.equal(g.hubsLeftOut, hubs.n);
    const { clusters } = await run<{ clusters: { hubsLeftOut: number } }>(
      `{ clusters(projection: {minWeight: 1, maxShared: 20}, method: WCC) { hubsLeftOut } }`);
    assert.equal(clusters.hubsLeftOut, hubs.n);
    const weights = [...g.ties.w].sort((x, y) => x - y);
    for (const q of [0, 0.25, 0.5, 0.6, 0.75, 0.9, 0.99]) {
      const [row] = await ex.read<{ v: number }>('UNWIND $ws AS w RETURN percentileDisc(w, $q) AS v', { ws: weights, q });
      assert.equal(percentileDisc(weights, q), row.v, `percentile ${q}`);
    }
  });

  for (const method of ['LOUVAIN', 'LEIDEN']) {
    it(`recovers the planted groups with ${method} on the default projection (ARI ≥ 0.9)`, async () => {
      const { clusters } = await run<ClustersOut>(CLUSTERS, { method, minSize: 2 });
      const ari = recovery(clusters.clusters);
      console.log(`clusters: ${method} at XS: ARI ${ari.toFixed(3)} over ${groupOf.size} planted members in ${groups.length} groups; `
        + `${clusters.total} clusters, ${clusters.nodes} members, ${clusters.ties} ties`);
      assert.ok(ari >= 0.9, `ARI ${ari}`);
      const planted = clusters.clusters.find((c) => groupOf.has(c.key) || c.members.some((m) => groupOf.has(m.id)))!;
      assert.ok(planted.density > 0 && planted.density <= 1);
      assert.ok(planted.confidence >= 60 && planted.confidence <= 90, `planted ties are 60–90: ${planted.confidence}`);
      assert.ok(planted.topShared.length > 0 && planted.topShared.every((s) => s.count >= 2 && ['HOST', 'NARRATIVE', 'TECHNIQUE'].includes(s.entity.kind)));
    });
  }

  it('uses nothing the caller cannot see: an anonymous caller\'s clusters hold only TLP:CLEAR members', async () => {
    const anon = await run<ClustersOut>(CLUSTERS, { method: 'WCC', minSize: 2 }, {});
    const all = await run<ClustersOut>(CLUSTERS, { method: 'WCC', minSize: 2 });
    const members = anon.clusters.clusters.flatMap((c) => c.members);
    assert.ok(members.length > 0);
    assert.ok(members.every((m) => m.tlp === 'CLEAR'), 'only CLEAR members');
    assert.ok(anon.clusters.nodes < all.clusters.nodes, `${anon.clusters.nodes} < ${all.clusters.nodes}`);
  });

  it('answers a repeated query from the cache until the graph changes', async () => {
    const v = { method: 'LOUVAIN', projection: { preset: 'INFRASTRUCTURE' } };
    const first = await run<ClustersOut>(CLUSTERS, v);
    const again = await run<ClustersOut>(CLUSTERS, v);
    assert.equal(again.clusters.cached, true);
    assert.deepEqual(again.clusters.clusters, first.clusters.clusters);
    await bulkLoad(ex, [{ record: 'entity', id: 'clusters-new-host', kind: 'HOST', name: 'new.example', tlp: 'CLEAR' }], { progress: false, label: 'clusters-new' });
    const after = await run<ClustersOut>(CLUSTERS, v);
    assert.equal(after.clusters.cached, false);
  });

  it('shows what ties two planted members, with the citations behind each link', async () => {
    const g = groups[0];
    const [a, b] = g.members.filter((m) => m.includes('-persona-'));
    const { tie } = await run<{ tie: { weight: number; confidence: number; shared: Array<{ entity: { id: string }; links: Array<{ from: { id: string }; to: { id: string }; confidence: number; citations: Array<{ source: { name: string } }> }> }> } }>(
      `query($a: ID!, $b: ID!) { tie(a: $a, b: $b) { weight confidence shared { entity { id } links { from { id } to { id } confidence citations { source { name } } } } } }`, { a, b });
    assert.ok(tie.weight >= 1);
    assert.equal(tie.weight, tie.shared.length);
    for (const s of tie.shared) {
      const ends = new Set(s.links.flatMap((l) => [l.from.id, l.to.id]));
      assert.ok(ends.has(a) && ends.has(b) && ends.has(s.entity.id), 'links from both ends to the shared neighbour');
      // The planted links carry citations (the test loads the random links without them).
      assert.ok(s.links.some((l) => l.citations.length >= 1 && l.citations[0].source.name), 'a cited link');
    }
  });

  it('ranks members by PageRank and betweenness, and finds the members acting most like one', async () => {
    for (const method of ['PAGERANK', 'BETWEENNESS']) {
      const { centrality } = await run<{ centrality: { items: Array<{ score: number; entity: { id: string } }> } }>(
        `query($m: CentralityMethod) { centrality(method: $m, first: 5) { items { score entity { id } } } }`, { m: method });
      assert.equal(centrality.items.length, 5);
      assert.ok(centrality.items.every((x, i) => i === 0 || x.score <= centrality.items[i - 1].score));
    }
    const target = groups[1].members.find((m) => m.includes('-persona-'))!;
    const { similar } = await run<{ similar: Array<{ similarity: number; entity: { id: string }; shared: Array<{ id: string }> }> }>(
      `query($id: ID!) { similar(id: $id, first: 5) { similarity entity { id } shared { id } } }`, { id: target });
    assert.ok(similar.length > 0);
    assert.equal(groupOf.get(similar[0].entity.id), 1, 'the most similar is in the same planted group');
    assert.ok(similar.every((s) => s.similarity > 0 && s.similarity <= 1 && s.shared.length >= 1));
  });

  it('refuses bad projections naming the field, and an entity the caller cannot see', async () => {
    const r = await gql(app, `{ clusters(projection: { minWeight: 0 }) { total } }`, {}, red);
    assert.equal(r.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.match(r.errors[0].message, /projection\.minWeight/);
    const hidden = (await ex.read<{ id: string }>("MATCH (n:Persona) WHERE n.tlp = 'RED' RETURN n.id AS id LIMIT 1"))[0].id;
    const s = await gql(app, `query($id: ID!) { similar(id: $id) { similarity } }`, { id: hidden }, {});
    assert.equal(s.errors?.[0].extensions?.code, 'NOT_FOUND');
  });

  it('keeps a cluster an analyst names, annotates and, after review, promotes to a campaign citing the tie evidence', async () => {
    const bearer = async (name: string, role: 'ANALYST' | 'READER') => ({ authorization: `Bearer ${(await createKey(ex, name, role, 'RED')).key}` });
    const analyst = await bearer('clusters-analyst', 'ANALYST');
    const other = await bearer('clusters-other', 'ANALYST');
    const members = groups[2].members;
    const refused = await gql(app, `mutation($m: [ID!]!) { saveCluster(name: "x", members: $m) { id } }`, { m: members }, red);
    assert.equal(refused.errors?.[0].extensions?.code, 'FORBIDDEN', 'a reader cannot save');
    const { saveCluster: saved } = await run<{ saveCluster: { id: string; tlp: string; members: Array<{ id: string }> } }>(
      `mutation($m: [ID!]!) { saveCluster(name: "Group 2", note: "same hosts, same fortnight", members: $m) { id tlp members { id } } }`, { m: members }, analyst);
    assert.equal(saved.members.length, members.length);
    const listed = async (h: Record<string, string>) => (await run<{ savedClusters: Array<{ id: string }> }>('{ savedClusters { id } }', {}, h)).savedClusters.some((c) => c.id === saved.id);
    assert.equal(await listed(red), true);
    assert.equal(await listed({}), saved.tlp === 'CLEAR', 'hidden from callers below its TLP');
    const notOwner = await gql(app, `mutation($id: ID!) { annotateCluster(id: $id, note: "mine now") { id } }`, { id: saved.id }, other);
    assert.equal(notOwner.errors?.[0].extensions?.code, 'FORBIDDEN');
    const { annotateCluster: noted } = await run<{ annotateCluster: { name: string; note: string } }>(
      `mutation($id: ID!) { annotateCluster(id: $id, note: "reviewed: coordinated") { name note } }`, { id: saved.id }, analyst);
    assert.deepEqual(noted, { name: 'Group 2', note: 'reviewed: coordinated' });
    const { promoteCluster: promoted } = await run<{ promoteCluster: { links: number; campaign: { id: string; kind: string }; cluster: { campaign: { id: string } } } }>(
      `mutation($id: ID!) { promoteCluster(id: $id, campaignId: "cluster-campaign-2", campaignName: "Planted group 2") { links campaign { id kind } cluster { campaign { id } } } }`,
      { id: saved.id }, analyst);
    assert.equal(promoted.campaign.kind, 'CAMPAIGN');
    assert.equal(promoted.cluster.campaign.id, 'cluster-campaign-2');
    const written = await ex.read<{ to: string; type: string; sources: string[] }>(
      `MATCH (:Campaign {id: 'cluster-campaign-2'})-[r]->(m) RETURN m.id AS to, type(r) AS type, r.citeSources AS sources`);
    assert.equal(written.length, promoted.links);
    assert.ok(written.length >= members.length - 1, `${written.length} of ${members.length} members linked`);
    assert.ok(written.every((l) => members.includes(l.to) && l.sources.length >= 1));
    assert.ok(written.some((l) => l.type === 'USES' && l.to.includes('-persona-')));
    const again = await gql(app, `mutation($id: ID!) { promoteCluster(id: $id, campaignId: "cluster-campaign-3", campaignName: "again") { links } }`, { id: saved.id }, analyst);
    assert.equal(again.errors?.[0].extensions?.code, 'BAD_USER_INPUT', 'promoted once');
  });

  it('tells a database without the GDS procedures apart: UNAVAILABLE naming the plugin and the server', async () => {
    const required = { functions: ['gds.graph.project'], procedures: ['gds.louvain.stream', 'gds.notInstalled.stream'] };
    await assert.rejects(requireGds(ex, required), (e: unknown) => {
      assert.ok(e instanceof PluginMissing);
      assert.equal(e.code, 'UNAVAILABLE');
      assert.match(e.message, /Graph Data Science plugin \(gds\.\*\) is not installed on bolt:\/\//);
      assert.deepEqual(e.details.missing, ['gds.notInstalled.stream']);
      return true;
    });
  });
});
