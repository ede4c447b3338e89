// Clusters on Meta's takedown data (../shared/datasets/meta-threat-research, or META_DATASET;
// skipped with a line saying so when absent), loaded with the shipped table mapping: networks that
// share infrastructure come out in one cluster. Every pair of campaigns sharing a host (counted by
// brute force in Cypher) is in one WCC cluster of the INFRASTRUCTURE projection over campaigns;
// the share of those pairs Louvain keeps together is printed for docs/clusters.md.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../api/http/app.js';
import type { Executor } from '../../api/store/executor.js';
import { migrate } from '../../api/store/migrations.js';
import { projectRoot } from '../../core/config.js';
import { createApp, gql, resetGraph, testExecutor } from '../helpers.js';

const META = process.env.META_DATASET ?? path.resolve(projectRoot, '../shared/datasets/meta-threat-research');
const hasMeta = fs.existsSync(path.join(META, 'index.json'));
if (!hasMeta) console.log(`clusters-meta: the Meta dataset is not at ${META} (set META_DATASET); its tests are skipped`);

const QUERY = `query($method: ClusterMethod) {
  clusters(method: $method, minSize: 2, first: 500, topShared: 3,
           projection: { preset: INFRASTRUCTURE, members: [CAMPAIGN], maxShared: 1000 }) {
    total nodes ties clusters { key size confidence members { id name } topShared { count entity { name } } } } }`;
interface Out { clusters: { total: number; nodes: number; ties: number; clusters: Array<{ key: string; size: number; confidence: number; members: Array<{ id: string; name: string }>; topShared: Array<{ count: number; entity: { name: string } }> }> } }

describe('clusters on Meta\'s takedown data', { skip: !hasMeta && 'no Meta dataset' }, () => {
  let ex: Executor;
  let app: App;
  before(async () => {
    ex = testExecutor();
    await migrate(ex);
    await resetGraph(ex);
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'cli/import.ts', '--mapping', 'mappings/meta-threat-research.yaml', META],
      { cwd: projectRoot, env: { ...process.env, DISINFO_API_KEY: '' }, encoding: 'utf8', timeout: 600_000 });
    assert.equal(r.status, 0, r.stderr);
    app = createApp({ executor: ex });
  });
  after(() => ex.close());

  it('puts networks that share a host in one cluster', async () => {
    const sharing = await ex.read<{ a: string; b: string; n: number }>(
      `MATCH (a:Campaign)-[:USES]->(h:Host)<-[:USES]-(b:Campaign) WHERE a.id < b.id
       RETURN a.id AS a, b.id AS b, count(DISTINCT h) AS n`);
    assert.ok(sharing.length > 0, 'some networks share hosts');
    const clusterOf = async (method: string) => {
      const r = await gql<Out>(app, QUERY, { method });
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      return { out: r.data!.clusters, of: new Map(r.data!.clusters.clusters.flatMap((c) => c.members.map((m) => [m.id, c.key] as const))) };
    };
    const wcc = await clusterOf('WCC');
    for (const p of sharing) assert.ok(wcc.of.get(p.a) !== undefined && wcc.of.get(p.a) === wcc.of.get(p.b), `${p.a} and ${p.b} share ${p.n} host(s)`);
    const louvain = await clusterOf('LOUVAIN');
    const together = sharing.filter((p) => louvain.of.get(p.a) === louvain.of.get(p.b)).length;
    const name = new Map(louvain.out.clusters.flatMap((c) => c.members.map((m) => [m.id, m.name] as const)));
    console.log(`clusters-meta: ${sharing.length} pairs of networks share hosts; WCC: ${wcc.out.total} clusters over ${wcc.out.nodes} networks, all pairs together; `
      + `Louvain: ${louvain.out.total} clusters, ${together}/${sharing.length} pairs together; largest: `
      + louvain.out.clusters.slice(0, 3).map((c) => `${c.size} (${c.members.slice(0, 3).map((m) => name.get(m.id)).join(' | ')} …; e.g. ${c.topShared.map((s) => s.entity.name).join(', ')})`).join('; '));
  });
});
