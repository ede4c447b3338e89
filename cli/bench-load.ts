// npm run bench:load [-- --connections 50 --seconds 30 --rounds 3] [--size XS|S|M|L] [--db FOLDER]
// Serves the API in this process on a loopback port and loads the depth-2 neighbourhood of the
// best-connected entity. The database is the benchmark's own (.data/neo4j-bench on Bolt 7688,
// started here and stopped after) unless NEO4J_URI, NEO4J_HOME_DIR or --db names another; it only
// reads, and writes only into a database without entities (the synthetic graph of --size, S).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createApp } from '../api/http/app.js';
import { neo4jSettings } from '../core/config.js';
import { Executor } from '../api/store/executor.js';
import { migrate } from '../api/store/migrations.js';
import { topEntities } from '../api/store/top-entities.js';
import { countAll } from '../api/store/write-graph.js';
import { benchTarget } from '../bench/safety.js';
import { localDbConfig, startDb, stopDb } from '../db/launcher.js';
import { bulkLoad, summaryLine } from '../api/store/bulk-load.js';
import { isSizeName, recordCount, syntheticRecords, type SizeName } from '../seed/synthetic.js';
import { neighborhoodBody, runLoad } from '../bench/http-load.js';

const { values } = parseArgs({ options: {
  connections: { type: 'string', default: '50' }, seconds: { type: 'string', default: '30' }, rounds: { type: 'string', default: '3' },
  size: { type: 'string', default: 'S' }, db: { type: 'string' },
} });

async function main(): Promise<void> {
  const size = values.size;
  if (!isSizeName(size)) throw new Error('--size must be XS, S, M or L');
  const target = benchTarget(process.env, values.db);
  const config = localDbConfig(target.env);
  const started = target.local ? (await startDb(config)).started : false;
  console.log(`bench:load: database ${target.where}`);
  const ex = new Executor(neo4jSettings(target.env));
  try {
    await run(ex, size);
  } finally {
    await ex.close();
    if (started) await stopDb(config);
  }
}

async function run(ex: Executor, size: SizeName): Promise<void> {
  if ((await countAll(ex)).nodes === 0) {
    await migrate(ex);
    const label = `synthetic-${size}-seed1`;
    console.log(`bench:load: the database holds no entity; loading the synthetic ${size} graph`);
    console.log(summaryLine(label, await bulkLoad(ex, syntheticRecords(size, 1), { label, total: recordCount(size), progress: true })));
  }
  const [hub] = await topEntities(ex, null, 1, 'CLEAR');
  if (!hub) throw new Error('the database holds no entity visible to anonymous callers');
  // No rate limit: one client on purpose.
  const server = createServer(createApp({ executor: ex, rateLimit: false }).requestListener);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const opts = { connections: Number(values.connections), seconds: Number(values.seconds), rounds: Number(values.rounds) };
  console.log(`bench:load: ${opts.rounds} rounds × ${opts.seconds} s × ${opts.connections} connections on neighborhood(depth 2) of ${hub.id}`);
  const rounds = await runLoad(url, neighborhoodBody(hub.id), opts);
  for (const r of rounds) {
    console.log(`  round ${r.round}: ${r.requestsPerSecond.toFixed(0)} req/s, p99 ${r.p99Ms} ms, errors ${r.errors}, non-2xx ${r.non2xx}, timeouts ${r.timeouts}, API RSS ${r.rssMb} MB, heap ${r.heapMb} MB`);
  }
  server.closeAllConnections();
  server.close();
  const errors = rounds.reduce((s, r) => s + r.errors + r.non2xx + r.timeouts, 0);
  console.log(`bench:load: req/s=${rounds.map((r) => r.requestsPerSecond.toFixed(0)).join('/')} p99_ms=${rounds.map((r) => r.p99Ms).join('/')} errors=${errors} rss_mb=${rounds.map((r) => r.rssMb).join('/')}`);
  process.exitCode = errors > 0 ? 1 : 0;
}

main().catch((e: Error) => { console.error(`bench:load failed: ${e.message}`); process.exit(1); });
