// npm run bench:load [-- --connections 50 --seconds 30 --rounds 3]
// Serves the API in this process on a loopback port, against the database `npm start` uses (or
// NEO4J_URI), and loads the depth-2 neighbourhood of its best-connected entity.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createApp } from '../api/app.js';
import { neo4jSettings } from '../api/config.js';
import { Executor } from '../api/store/executor.js';
import { topEntities } from '../api/store/read-graph.js';
import { neighborhoodBody, runLoad } from './load.js';

const { values } = parseArgs({ options: {
  connections: { type: 'string', default: '50' }, seconds: { type: 'string', default: '30' }, rounds: { type: 'string', default: '3' },
} });

async function main(): Promise<void> {
  const ex = new Executor(neo4jSettings());
  const [hub] = await topEntities(ex, null, 1, 'CLEAR');
  if (!hub) throw new Error('the database holds no entity: run npm start (seed) or npm run seed first');
  const server = createServer(createApp({ executor: ex }));
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
  await ex.close();
  const errors = rounds.reduce((s, r) => s + r.errors + r.non2xx + r.timeouts, 0);
  console.log(`bench:load: req/s=${rounds.map((r) => r.requestsPerSecond.toFixed(0)).join('/')} p99_ms=${rounds.map((r) => r.p99Ms).join('/')} errors=${errors} rss_mb=${rounds.map((r) => r.rssMb).join('/')}`);
  process.exitCode = errors > 0 ? 1 : 0;
}

main().catch((e: Error) => { console.error(`bench:load failed: ${e.message}`); process.exit(1); });
