// Table imports against a real Neo4j: the shipped Meta mapping loads the real dataset (skipped with
// a line when it is absent), a re-run creates nothing, a mapping written here for a small
// attribution table loads it, a bad row is reported with file:row and nothing of it is written,
// and a key without the clearance cannot overwrite a higher-TLP entity through an import.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { projectRoot } from '../../core/config.js';
import type { Executor } from '../../api/store/executor.js';
import { writeBatch } from '../../api/store/write-graph.js';
import { createKey } from '../../api/store/keys.js';
import { createApp, gql, seededExecutor } from '../helpers.js';

const META = process.env.META_DATASET ?? path.resolve(projectRoot, '../shared/datasets/meta-threat-research');
const hasMeta = fs.existsSync(path.join(META, 'index.json'));
if (!hasMeta) console.log(`tables-import: the Meta dataset is not at ${META} (set META_DATASET); its tests are skipped`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tables-'));
const importCli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'cli/import.ts', ...args],
  { cwd: projectRoot, env: { ...process.env, DISINFO_API_KEY: '' }, encoding: 'utf8', timeout: 600_000 });

const ATTRIBUTION_MAPPING = `
format: disinfo-tables/1
name: test-attribution
tables: { actors: { IR: iran, RU: russia } }
inputs:
  - files: '*.tsv'
    columns:
      actor: { from: Country, then: [trim, upper, { lookup: actors }] }
      domain: { from: Domain, then: [defang, lower] }
    entities:
      src: { kind: SOURCE, id: test-tracker, name: Test attribution tracker, fields: { title: Test attribution tracker, publisher: Tests } }
      op: { kind: CAMPAIGN, id: { from: Operation, then: [slug, { prefix: test-op- }] }, name: '{Operation}', required: true,
        fields: { firstSeen: { from: Since, then: [{ date: D.M.YYYY }] } } }
      host: { kind: HOST, id: 'test-domain-{domain}', name: '{domain}', when: { domain: { empty: false } }, fields: { hostType: domain, value: '{domain}' } }
    links:
      - { type: ATTRIBUTED_TO, from: op, to: { id: '{actor}', kind: STATE_ACTOR }, confidence: '{Confidence}', when: { actor: { empty: false } } }
      - { type: USES, from: op, to: host, confidence: 60 }
    cite: { source: src }
`;

describe('table imports (npm run import -- --mapping)', () => {
  let ex: Executor;
  const count = async (cypher: string, params = {}) => (await ex.read<{ n: number }>(cypher, params))[0].n;
  before(async () => { ex = await seededExecutor(); });
  after(async () => {
    await ex?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a mapping written for a table it has never seen loads it; a bad row is reported with file:row and nothing of it is written', async () => {
    const mapping = path.join(tmp, 'attribution.yaml');
    fs.writeFileSync(mapping, ATTRIBUTION_MAPPING);
    fs.writeFileSync(path.join(tmp, 'tracker.tsv'), ' Operation \tCountry\tConfidence\tSince\tDomain\n'
      + 'Ghostwriter Lite\tru\t75\t1.3.2021\texample-gw[.]net\n'
      + 'Mayfly Again\tIR\t80\t14.5.2019\tmayfly[.]example\n'
      + 'Half Written\tIR\t180\t1.1.2020\thalf[.]example\n');
    const dry = importCli(['--mapping', mapping, path.join(tmp, 'tracker.tsv'), '--dry-run']);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stderr, /bad row tracker\.tsv:row 4: .*confidence: 180 must be an integer from 0 to 100/);
    assert.equal(await count('MATCH (n:Entity) WHERE n.id STARTS WITH "test-" RETURN count(n) AS n'), 0, 'a dry run writes nothing');
    const r = importCli(['--mapping', mapping, path.join(tmp, 'tracker.tsv')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /bad row tracker\.tsv:row 4/);
    assert.match(r.stdout, /9 records \(5 entities, 4 links\).*9 created/);
    const links = await ex.read<{ type: string; to: string; conf: number; loc: string[]; quotes: string[] }>(
      'MATCH (:Campaign {id: "test-op-ghostwriter-lite"})-[r]->(b) RETURN type(r) AS type, b.id AS to, r.confidence AS conf, r.citeLocators AS loc, r.citeQuotes AS quotes ORDER BY type');
    assert.deepEqual(links.map((l) => [l.type, l.to, l.conf, l.loc]), [
      ['ATTRIBUTED_TO', 'russia', 75, ['tracker.tsv:row 2']], ['USES', 'test-domain-example-gw.net', 60, ['tracker.tsv:row 2']]]);
    assert.match(links[0].quotes[0], /^Ghostwriter Lite\tru\t75/);
    assert.equal(await count('MATCH (n:Entity) WHERE n.id IN ["test-op-half-written", "test-domain-half.example"] RETURN count(n) AS n'), 0, 'nothing of the bad row');
    const again = importCli(['--mapping', mapping, path.join(tmp, 'tracker.tsv')]);
    assert.match(again.stdout, /0 created, 0 updated, 9 unchanged/);
  });

  it('a key without the clearance cannot overwrite a higher-TLP entity through an import: nothing is written', async () => {
    await writeBatch(ex, [{ id: 'test-op-secret-op', kind: 'CAMPAIGN', name: 'Secret Op', tlp: 'AMBER', description: 'kept' }], []);
    const { key } = await createKey(ex, 'green analyst', 'ANALYST', 'GREEN');
    const mapping = path.join(tmp, 'attribution.yaml');
    fs.writeFileSync(mapping, ATTRIBUTION_MAPPING);
    fs.writeFileSync(path.join(tmp, 'secret.tsv'), 'Operation\tCountry\tConfidence\tSince\tDomain\nSecret Op\tIR\t90\t1.1.2022\tnew-secret[.]example\n');
    const before = await count('MATCH (n:Entity) RETURN count(n) AS n');
    const r = importCli(['--mapping', mapping, path.join(tmp, 'secret.tsv'), '--key', key]);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, /Forbidden: 1 record\(s\) above your clearance; nothing was written/);
    assert.equal(await count('MATCH (n:Entity) RETURN count(n) AS n'), before);
    assert.equal(await count('MATCH (n:Campaign {id: "test-op-secret-op"}) WHERE n.description = "kept" AND n.firstSeen IS NULL RETURN count(n) AS n'), 1);
  });

  it('the shipped mapping loads the Meta folder; a re-run creates nothing; the three cross-network questions answer', { skip: !hasMeta && 'no Meta dataset' }, async () => {
    const mapping = path.join(projectRoot, 'mappings/meta-threat-research.yaml');
    const t0 = Date.now();
    const r = importCli(['--mapping', mapping, META, '--fresh']);
    assert.equal(r.status, 0, r.stderr);
    console.log(`meta load: ${((Date.now() - t0) / 1000).toFixed(1)} s\n${r.stderr.split('\n').filter((l) => /^import: \d+ files|^import: entities|^import: links/.test(l)).join('\n')}\n${r.stdout}`);
    assert.match(r.stderr, /import: 81 files/);
    const campaigns = await count('MATCH (c:Campaign) WHERE c.id STARTS WITH "meta-" RETURN count(c) AS n');
    assert.equal(campaigns, 68, 'the 57 network files and the 11 reports of index.json');
    assert.ok(await count('MATCH (:Campaign)-[:USES]->(h:Host) RETURN count(DISTINCT h) AS n') > 5000);
    assert.ok(await count('MATCH (t:Technique) WHERE t.id STARTS WITH "ookc-" RETURN count(t) AS n') >= 150);
    assert.ok(await count('MATCH (:Technique)-[r:SUBTECHNIQUE_OF]->(:Technique) RETURN count(r) AS n') >= 150);
    assert.ok(await count('MATCH (c:Campaign)-[:LOCATED_IN]->(:StateActor {id: "iran"}) RETURN count(c) AS n') >= 8);
    assert.equal(await count('MATCH (c:Campaign)-[:ATTRIBUTED_TO]->() WHERE c.id STARTS WITH "meta-" RETURN count(c) AS n'), 0, 'origin is not attribution');
    assert.ok(await count('MATCH (c:Campaign) WHERE "22 accounts" IN c.assetCounts RETURN count(c) AS n') >= 1, 'counts are facts on the campaign');
    assert.equal(await count('MATCH (h:Host) WHERE h.value CONTAINS "[.]" RETURN count(h) AS n'), 0, 'defanged values restored');
    // Every link of the import cites at least one row of a titled source.
    assert.equal(await count(`MATCH (a)-[r]->(b) WHERE (a.id STARTS WITH "meta-" OR a.id STARTS WITH "ookc-")
      AND NOT EXISTS { MATCH (s:Source) WHERE s.id IN r.citeSources AND s.title IS NOT NULL } RETURN count(r) AS n`), 0);
    const total = await count('MATCH (n:Entity) RETURN count(n) AS n');
    const again = importCli(['--mapping', mapping, META]);
    assert.equal(again.status, 0, again.stderr);
    console.log(`meta re-run: ${again.stdout}`);
    assert.match(again.stdout, / 0 created, 0 updated, \d+ unchanged/);
    assert.equal(await count('MATCH (n:Entity) RETURN count(n) AS n'), total);

    const app = createApp({ executor: ex });
    const q1 = await gql<{ topEntities: { name: string; kind: string; degree: number; links: { from: { name: string } }[] }[] }>(app,
      '{ topEntities(kinds: [HOST, PERSONA], first: 40) { name kind degree links(types: [USES], direction: IN) { from { name } } } }');
    assert.equal(q1.errors, undefined);
    const multi = q1.data!.topEntities.filter((e) => e.links.length > 1);
    console.log(`Q1 in more than one network (${multi.length} of the top 40): ${multi.slice(0, 12).map((e) => `${e.name} (${e.links.map((l) => l.from.name).join(' | ')})`).join('; ')}`);
    assert.ok(multi.length > 0);
    const q2 = await gql<{ overlap: { between: { name: string }[]; shared: { name: string }[] }[] }>(app,
      '{ overlap(ids: ["meta-q2-2023-doppelganger-russia-based-cib-network-updated"], via: [HOST, PERSONA], kinds: [CAMPAIGN]) { between { name } shared { name } } }');
    assert.equal(q2.errors, undefined);
    assert.ok(q2.data!.overlap.length > 0);
    console.log(`Q2 sharing with Doppelganger: ${q2.data!.overlap.map((o) => `${o.between[1]?.name}: ${o.shared.length} shared, e.g. ${o.shared.slice(0, 5).map((s) => s.name).join(', ')}`).join('; ')}`);
    const q3 = await gql<{ neighborhood: { nodes: { id: string; kind: string; name: string }[]; edges: { type: string; from: { id: string }; to: { id: string } }[] } }>(app,
      `{ neighborhood(ids: ["iran"], depth: 2, limit: 2000, filter: { types: [LOCATED_IN, USES], kinds: [CAMPAIGN, TECHNIQUE] }) {
          nodes { id kind name } edges { type from { id } to { id } } } }`);
    assert.equal(q3.errors, undefined);
    const nodes = new Map(q3.data!.neighborhood.nodes.map((n) => [n.id, n]));
    const iranian = new Set(q3.data!.neighborhood.edges.filter((e) => e.type === 'LOCATED_IN' && e.to.id === 'iran').map((e) => e.from.id));
    const byProcedure = new Map<string, number>();
    for (const e of q3.data!.neighborhood.edges) {
      if (e.type === 'USES' && iranian.has(e.from.id) && nodes.get(e.to.id)?.kind === 'TECHNIQUE') byProcedure.set(nodes.get(e.to.id)!.name, (byProcedure.get(nodes.get(e.to.id)!.name) ?? 0) + 1);
    }
    const top = [...byProcedure].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 8);
    console.log(`Q3 Iran-based networks (${iranian.size}), procedures used by most: ${top.map(([n, c]) => `${n} (${c})`).join('; ')}`);
    assert.ok(top.length > 0);
    // The same question in one query: neighbourCounts gives each technique with the Iran-located networks using it.
    const q4 = await gql<{ neighbourCounts: { items: Array<{ count: number; entity: { name: string } }>; total: number; truncated: boolean } }>(app,
      `{ neighbourCounts(ids: ["iran"], first: 500, hops: [{ types: [LOCATED_IN], kinds: [CAMPAIGN], direction: IN },
          { types: [USES], kinds: [TECHNIQUE], direction: OUT }]) { items { count entity { name } } total truncated } }`);
    assert.equal(q4.errors, undefined);
    const counted = q4.data!.neighbourCounts;
    console.log(`Q3 in one query: ${counted.total} procedures; ${counted.items.slice(0, 8).map((i) => `${i.entity.name} (${i.count})`).join('; ')}`);
    assert.deepEqual(new Map(counted.items.map((i) => [i.entity.name, i.count])), byProcedure);
    assert.equal(counted.truncated, false);
  });

  // Issue 17 (docs/clusters.md), on the data the test above loaded: every pair of networks sharing
  // a host (brute force in Cypher) lands in one WCC cluster of the INFRASTRUCTURE projection over
  // campaigns; how many pairs Louvain keeps together is printed for the docs.
  it('clusters: networks that share infrastructure come out in one cluster', { skip: !hasMeta && 'no Meta dataset' }, async () => {
    const sharing = await ex.read<{ a: string; b: string; n: number }>(
      `MATCH (a:Campaign)-[:USES]->(h:Host)<-[:USES]-(b:Campaign) WHERE a.id < b.id
       RETURN a.id AS a, b.id AS b, count(DISTINCT h) AS n`);
    assert.ok(sharing.length > 0, 'some networks share hosts');
    const app = createApp({ executor: ex });
    type Out = { clusters: { total: number; nodes: number; clusters: Array<{ key: string; size: number; members: Array<{ id: string; name: string }>; topShared: Array<{ entity: { name: string } }> }> } };
    const clusterOf = async (method: string) => {
      const r = await gql<Out>(app, `query($method: ClusterMethod) {
        clusters(method: $method, minSize: 2, first: 500, topShared: 3, projection: { preset: INFRASTRUCTURE, members: [CAMPAIGN], maxShared: 1000 }) {
          total nodes clusters { key size members { id name } topShared { entity { name } } } } }`, { method });
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      return { out: r.data!.clusters, of: new Map(r.data!.clusters.clusters.flatMap((c) => c.members.map((m) => [m.id, c.key] as const))) };
    };
    const wcc = await clusterOf('WCC');
    for (const p of sharing) assert.ok(wcc.of.get(p.a) !== undefined && wcc.of.get(p.a) === wcc.of.get(p.b), `${p.a} and ${p.b} share ${p.n} host(s)`);
    const louvain = await clusterOf('LOUVAIN');
    const together = sharing.filter((p) => louvain.of.get(p.a) === louvain.of.get(p.b)).length;
    console.log(`clusters on Meta: ${sharing.length} pair(s) of networks share hosts; WCC: ${wcc.out.total} cluster(s) over ${wcc.out.nodes} networks, all pairs together; `
      + `Louvain: ${together}/${sharing.length} pairs together; largest: ${louvain.out.clusters.slice(0, 3).map((c) =>
        `${c.members.map((m) => m.name).join(' | ')} (e.g. ${c.topShared.map((x) => x.entity.name).join(', ')})`).join('; ')}`);
  });
});
