// `npm run clusters:figures -- S` (size XS, S or M): the planted-group recovery figures of
// docs/clusters.md on the test Neo4j (test/run.ts starts one, with OpenGDS). Loads the synthetic
// graph of that size straight through Cypher (no citations; the database is emptied first), then
// for Louvain, Leiden and WCC on the default projection prints the adjusted Rand index over the
// planted members, the cold and the cached time, and ends with a summary line.
// `npx tsx cli/clusters-figures.ts M --as-is` times a database that already holds the synthetic
// graph of that size (seed 1), named by NEO4J_URI or NEO4J_HOME_DIR/NEO4J_BOLT_PORT; nothing is
// loaded or deleted. Cold = the first run after the caches are cleared (the co-action graph read,
// the GDS run and the enrichment); cached = the same query again.
import { resolveProjection } from '../api/store/coaction.js';
import { clearAnalysisCache, clusters, type ClusterMethod } from '../api/store/clusters.js';
import { Executor } from '../api/store/executor.js';
import { neo4jSettings } from '../core/config.js';
import { migrate } from '../api/store/migrations.js';
import { isSizeName, plantedGroups, syntheticRecords } from '../seed/synthetic.js';
import { adjustedRandIndex } from '../test/ari.js';
import { directLoad } from '../test/direct-load.js';
import { resetGraph, testExecutor } from '../test/helpers.js';

async function main(): Promise<number> {
  const size = process.argv[2] ?? 'S';
  const asIs = process.argv.includes('--as-is');
  if (!isSizeName(size)) { console.error('usage: npm run clusters:figures -- XS|S|M, or npx tsx cli/clusters-figures.ts XS|S|M|L --as-is'); return 2; }
  // A loaded machine at M needs more than the API's 15 s per read.
  const ex = asIs ? new Executor(neo4jSettings(), 120_000) : testExecutor();
  try {
    let t = Date.now();
    if (!asIs) {
      await migrate(ex);
      await resetGraph(ex);
      const loaded = await directLoad(ex, syntheticRecords(size, 1));
      console.log(`clusters: loaded ${loaded.entities} entities, ${loaded.links} links at ${size} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    const groups = plantedGroups(size, 1);
    const truth = new Map(groups.flatMap((g) => g.members.map((m) => [m, g.group] as const)));
    const members = [...truth.keys()];
    const lines: string[] = [];
    for (const method of ['LOUVAIN', 'LEIDEN', 'WCC'] as ClusterMethod[]) {
      const args = { projection: resolveProjection(null), method, minSize: 2, first: 10_000, topShared: 5 };
      clearAnalysisCache();
      t = Date.now();
      const cold = await clusters(ex, args, 'RED');
      const coldMs = Date.now() - t;
      t = Date.now();
      await clusters(ex, args, 'RED');
      const cachedMs = Date.now() - t;
      const found = new Map(cold.clusters.flatMap((c) => c.members.map((m) => [m, c.key] as const)));
      const ari = adjustedRandIndex(members.map((m) => truth.get(m)!), members.map((m) => found.get(m) ?? `alone:${m}`));
      const line = `${method}: ARI ${ari.toFixed(3)} over ${members.length} planted members in ${groups.length} groups; `
        + `${cold.total} clusters of ≥ 2 among ${cold.nodes} members and ${cold.ties} ties (${cold.hubsLeftOut} hubs left out); cold ${coldMs} ms, cached ${cachedMs} ms`;
      console.log(`clusters: ${line}`);
      lines.push(`${method} ARI ${ari.toFixed(3)}, cold ${coldMs} ms, cached ${cachedMs} ms`);
    }
    console.log(`clusters: done at ${size}: ${lines.join('; ')}`);
    return 0;
  } finally {
    await ex.close();
  }
}

main().then((code) => process.exit(code), (e: Error) => { console.error(e); process.exit(1); });
