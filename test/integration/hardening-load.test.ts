import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Executor } from '../../api/store/executor.js';
import { neighborhoodBody, runLoad } from '../../bench/http-load.js';
import { createApp, seededExecutor } from '../helpers.js';

describe('load (smoke size; npm run bench:load runs the full one)', () => {
  let ex: Executor;
  let server: Server;
  let url: string;
  before(async () => {
    ex = await seededExecutor();
    server = createServer(createApp({ executor: ex, rateLimit: false }).requestListener); // one client, on purpose: not for the limiter
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  after(async () => { server.closeAllConnections(); server.close(); await ex.close(); });

  it('10 connections on the depth-2 neighbourhood for three short rounds: no errors, answers complete', async () => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: neighborhoodBody('iran') });
    const body = await res.json() as { data: { neighborhood: { nodes: unknown[] } } };
    assert.ok(body.data.neighborhood.nodes.length > 10, 'the request under load is a real, non-trivial one');
    const rounds = await runLoad(url, neighborhoodBody('iran'), { connections: 10, seconds: 3, rounds: 3 });
    console.log(`load smoke: ${rounds.map((r) => `${r.requestsPerSecond.toFixed(0)} req/s p99 ${r.p99Ms} ms rss ${r.rssMb} MB`).join('; ')}`);
    for (const r of rounds) {
      assert.equal(r.errors + r.non2xx + r.timeouts, 0, `round ${r.round}`);
      assert.ok(r.requestsPerSecond > 0);
    }
  });
});
