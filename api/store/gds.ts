// Neo4j Graph Data Science (OpenGDS, the open edition) as the co-action analysis uses it: a check
// that the procedures are installed, and a run that projects an in-memory graph, works on it and
// drops it, all in one read transaction (so on a cluster the graph lives on the server that uses
// it, and a failed run leaves no graph behind). The embedded Neo4j loads OpenGDS (db/gds/); an
// external Neo4j without it gets PluginMissing (UNAVAILABLE) naming what is missing.
import { randomUUID } from 'node:crypto';
import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import { PluginMissing } from '../../core/errors.js';
import { fromDriverError, toCypherParams, type Executor, type Params } from './executor.js';

/** What the analysis calls: the Cypher projection (a function) and the algorithms' stream procedures. */
export const GDS_REQUIRED = {
  functions: ['gds.graph.project'],
  procedures: [
    'gds.graph.drop', 'gds.graph.relationshipProperties.stream', 'gds.wcc.stream', 'gds.louvain.stream',
    'gds.leiden.stream', 'gds.pageRank.stream', 'gds.betweenness.stream', 'gds.nodeSimilarity.stream',
  ],
};

const available = new WeakMap<Executor, true>();

/**
 * Throws PluginMissing unless every required GDS function and procedure is installed. A success is
 * remembered per executor; a failure is not (the plugin may be installed and the server restarted).
 */
export async function requireGds(ex: Executor, required = GDS_REQUIRED): Promise<void> {
  if (required === GDS_REQUIRED && available.has(ex)) return;
  const names = [...required.functions, ...required.procedures];
  const [fns, procs] = await Promise.all([
    ex.read<{ name: string }>('SHOW FUNCTIONS YIELD name WHERE name IN $names RETURN name', { names: required.functions }),
    ex.read<{ name: string }>('SHOW PROCEDURES YIELD name WHERE name IN $names RETURN name', { names: required.procedures }),
  ]);
  const found = new Set([...fns, ...procs].map((r) => r.name));
  const missing = names.filter((n) => !found.has(n));
  if (missing.length) {
    throw new PluginMissing(
      `The Graph Data Science plugin (gds.*) is not installed on ${ex.settings.uri}: missing ${missing.join(', ')}. `
      + 'Install OpenGDS 2.13 (or the GDS plugin of your Neo4j or Aura) and allow gds.* procedures, or use the embedded Neo4j (npm run db:start).',
      missing,
    );
  }
  if (required === GDS_REQUIRED) available.set(ex, true);
}

/** Runs Cypher inside the GDS transaction; rows as plain objects. */
export type GdsRun = <T extends object>(cypher: string, params?: Params) => Promise<T[]>;

/**
 * Projects a graph with `projection` (Cypher whose last clause calls gds.graph.project($graph, …)
 * and returns its nodeCount as `nodes`), runs `work` on it and drops it. The graph's name is new
 * for every run. `work` is not called when the projection is empty (no ties): `onEmpty` answers.
 */
export async function withProjectedGraph<R>(
  ex: Executor,
  projection: { cypher: string; params: Params },
  work: (graph: string, run: GdsRun, nodes: number) => Promise<R>,
  onEmpty: () => R,
): Promise<R> {
  await requireGds(ex);
  const session = ex.driver.session({ database: ex.settings.database, defaultAccessMode: neo4j.session.READ });
  const named: string[] = [];
  try {
    return await session.executeRead(async (tx: ManagedTransaction) => {
      const graph = `coaction-${randomUUID()}`;
      named.push(graph);
      const run: GdsRun = async (cypher, params = {}) => {
        ex.queryCount++;
        const r = await tx.run(cypher, toCypherParams({ ...params, graph }));
        return r.records.map((x) => x.toObject() as never);
      };
      try {
        const [row] = await run<{ nodes: number | null }>(projection.cypher, projection.params);
        const nodes = row?.nodes ?? 0;
        if (!nodes) return onEmpty();
        return await work(graph, run, nodes);
      } finally {
        // Dropped in the same transaction; false: no error when the projection never made it.
        await tx.run('CALL gds.graph.drop($graph, false) YIELD graphName RETURN graphName', { graph }).catch(() => undefined);
      }
    }, { timeout: ex.timeoutMs * 4 });
  } catch (e) {
    // A failed transaction could not drop its graph: drop it outside (a graph outlives its transaction).
    for (const graph of named) {
      await ex.read('CALL gds.graph.drop($graph, false) YIELD graphName RETURN graphName', { graph }).catch(() => undefined);
    }
    throw fromDriverError(e);
  } finally {
    await session.close();
  }
}
