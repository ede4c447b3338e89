// `npm run clusters:figures -- S` (size XS, S or M): the planted-group recovery figures of
// docs/clusters.md on the test Neo4j (test/run.ts starts one, with OpenGDS). Loads the synthetic
// graph of that size straight through Cypher (no citations; the database is emptied first), then
// for Louvain, Leiden and WCC on the default projection prints the adjusted Rand index over the
// planted members, the cold and the cached time, and ends with a summary line.
import { resolveProjection } from '../api/store/coaction.js';
import { clusters, type ClusterMethod } from '../api/store/clusters.js';
import { migrate } from '../api/store/migrations.js';
import { isSizeName, plantedGroups, syntheticRecords } from '../seed/synthetic.js';
import { adjustedRandIndex } from '../test/ari.js';
import { directLoad } from '../test/direct-load.js';
import { resetGraph, testExecutor } from '../test/helpers.js';

async function main(): Promise<number> {
  const size = process.argv[2] ?? 'S';
  if (!isSizeName(size)) { console.error('usage: npm run clusters:figures -- XS|S|M'); return 2; }
  const ex = testExecutor();
  try {
    await migrate(ex);
    await resetGraph(ex);
    let t = Date.now();
    const loaded = await directLoad(ex, syntheticRecords(size, 1));
    console.log(`clusters: loaded ${loaded.entities} entities, ${loaded.links} links at ${size} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const groups = plantedGroups(size, 1);
    const truth = new Map(groups.flatMap((g) => g.members.map((m) => [m, g.group] as const)));
    const members = [...truth.keys()];
    const lines: string[] = [];
    for (const method of ['LOUVAIN', 'LEIDEN', 'WCC'] as ClusterMethod[]) {
      const args = { projection: resolveProjection(null), method, minSize: 2, first: 10_000, topShared: 5 };
      t = Date.now();
      const cold = await clusters(ex, args, 'RED');
      const coldMs = Date.now() - t;
      t = Date.now();
      await clusters(ex, args, 'RED');
      const cachedMs = Date.now() - t;
      const found = new Map(cold.clusters.flatMap((c) => c.members.map((m) => [m, c.key] as const)));
      const ari = adjustedRandIndex(members.map((m) => truth.get(m)!), members.map((m) => found.get(m) ?? `alone:${m}`));
      const line = `${method}: ARI ${ari.toFixed(3)} over ${members.length} planted members in ${groups.length} groups; `
        + `${cold.total} clusters of ≥ 2 among ${cold.nodes} members and ${cold.ties} ties; cold ${coldMs} ms, cached ${cachedMs} ms`;
      console.log(`clusters: ${line}`);
      lines.push(line);
    }
    console.log(`clusters: done at ${size}: ${lines.map((l) => l.split(';')[0]).join(', ')}`);
    return 0;
  } finally {
    await ex.close();
  }
}

main().then((code) => process.exit(code), (e: Error) => { console.error(e); process.exit(1); });
