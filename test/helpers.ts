// Shared by the test files: an executor on the test database, a clean graph, and GraphQL calls
// through the app in-process (app.fetch, no port).
import { createApp, type App } from '../api/http/app.js';
import { neo4jSettings } from '../core/config.js';
import { Executor } from '../api/store/executor.js';
import { migrate } from '../api/store/migrations.js';
import { SEED_FILE, loadGraphFile } from '../seed/loader.js';

export function testExecutor(): Executor {
  if (!process.env.NEO4J_URI) throw new Error('run the tests with `npm test` (it starts a test Neo4j)');
  return new Executor(neo4jSettings());
}

/**
 * Empties the test database, or only the nodes carrying one of `labels` (auto-commit batches, so
 * large synthetic graphs go too).
 */
export async function resetGraph(ex: Executor, labels: string[] | null = null): Promise<void> {
  const session = ex.driver.session({ database: ex.settings.database });
  try {
    await session.run(`MATCH (n) WHERE $labels IS NULL OR any(l IN labels(n) WHERE l IN $labels)
      CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS`, { labels });
  } finally {
    await session.close();
  }
}

/** A migrated database holding exactly the seed article's graph. */
export async function seededExecutor(): Promise<Executor> {
  const ex = testExecutor();
  await migrate(ex);
  await resetGraph(ex);
  await loadGraphFile(ex, SEED_FILE);
  return ex;
}

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

export async function gql<T = Record<string, unknown>>(
  app: App, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {},
): Promise<GqlResult<T>> {
  const res = await app.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers }, // a fresh object each call
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json() as GqlResult<T>;
  return { ...body, status: res.status };
}

export { createApp };
