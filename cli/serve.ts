// `npm start`: starts the local Neo4j unless NEO4J_URI is set, migrates, loads the seed into
// an empty database, and serves the API and viewer. Ctrl-C stops what it started.
import { createServer } from 'node:http';
import { startDb, stopDb } from '../db/launcher.js';
import { loadSeedIfEmpty } from '../seed/loader.js';
import { createApp } from '../api/http/app.js';
import { ConfigError, connectionSettings, isLoopback, loadConfig } from '../core/config.js';
import { activeKeyCount } from '../api/store/keys.js';
import { Executor } from '../api/store/executor.js';
import { migrate } from '../api/store/migrations.js';

async function main(): Promise<void> {
  const t0 = Date.now();
  // Every variable read and checked once, before anything starts.
  const config = loadConfig();
  const server = config.server;
  let startedDb = false;
  if (config.neo4j.uri === undefined) {
    const r = await startDb(config.localDb);
    startedDb = r.started;
    console.log(r.started ? `db: started local Neo4j (pid ${r.pid})` : `db: using running local Neo4j (pid ${r.pid})`);
  }
  const settings = connectionSettings(config.neo4j, config.localDb);
  const executor = new Executor(settings, server.queryTimeoutMs);
  executor.budget = { defaultMs: server.queryBudgetMs, maxMs: server.queryBudgetMaxMs };
  await executor.driver.verifyConnectivity({ database: settings.database });
  const n = await migrate(executor);
  console.log(`db: ${n} schema migrations applied (idempotent)`);
  const seeded = await loadSeedIfEmpty(executor);
  if (seeded) console.log(`seed: loaded ${seeded.entitiesCreated} entities and ${seeded.linksCreated} links from the seed article`);

  if (!isLoopback(server.host) && (await activeKeyCount(executor)) === 0) {
    throw new Error(`HOST=${server.host} is not a loopback address and no API keys exist: anyone on the network could read. `
      + 'Create keys first (npm run keys -- create --role admin --name you) or bind to 127.0.0.1.');
  }
  const app = createApp({ executor, rateLimit: config.limits.rateLimit, maxBodyBytes: config.limits.maxBodyBytes });
  const http = createServer(app.requestListener);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(server.port, server.host, resolve);
  });
  const base = `http://${server.host.includes(':') ? `[${server.host}]` : server.host}:${server.port}`;
  console.log(`api: ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`  viewer   ${base}/`);
  console.log(`  GraphQL  ${base}/graphql  (GraphiQL in a browser)`);
  console.log(`  health   ${base}/health   ready ${base}/ready`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping …`);
    http.close();
    http.closeAllConnections();
    await executor.close();
    if (startedDb) {
      await stopDb(config.localDb);
      console.log('db: stopped the Neo4j this process started; data kept');
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: Error) => {
  console.error(e instanceof ConfigError ? e.message : `start failed: ${e.message}`);
  process.exit(1);
});
