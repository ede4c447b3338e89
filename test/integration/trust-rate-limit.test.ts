// Rate limits apply after authentication: a verified key by its id, everything else (anonymous
// callers, bad or revoked keys) by client address. Addresses come from the socket the node server
// hands yoga (`serverContext.req.socket.remoteAddress`); in-process tests pass the same shape.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../api/http/app.js';
import type { Executor } from '../../api/store/executor.js';
import { createKey } from '../../api/store/keys.js';
import { createApp, seededExecutor } from '../helpers.js';

interface Answer { status: number; code?: string; retryAfter: string | null }

/** One `{ __typename }` POST through the app in-process, as if from `address` (none: no socket). */
async function ask(app: App, opts: { address?: string; auth?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
  if (opts.auth) headers.authorization = opts.auth;
  const init = { method: 'POST', headers, body: '{"query":"{ __typename }"}' };
  const res = opts.address === undefined
    ? await app.fetch('http://test/graphql', init)
    : await app.fetch('http://test/graphql', init, { req: { socket: { remoteAddress: opts.address } } });
  const body = await res.json() as { errors?: Array<{ extensions?: { code?: string } }> };
  return { status: res.status, code: body.errors?.[0]?.extensions?.code, retryAfter: res.headers.get('retry-after') };
}

async function askMany(app: App, n: number, opts: Parameters<typeof ask>[1] | ((i: number) => Parameters<typeof ask>[1])): Promise<Answer[]> {
  const out: Answer[] = [];
  for (let i = 0; i < n; i++) out.push(await ask(app, typeof opts === 'function' ? opts(i) : opts));
  return out;
}

const codes = (answers: Answer[]) => answers.map((a) => a.code ?? a.status);
const bearer = (key: string) => `Bearer ${key}`;
/** Barely refills during a test: the burst is what a caller has. */
const SLOW = 0.001;

describe('rate limits after authentication', () => {
  let ex: Executor;
  let victim: { key: string; id: string };
  let other: string;
  before(async () => {
    ex = await seededExecutor();
    const v = await createKey(ex, 'victim', 'READER', 'GREEN');
    victim = { key: v.key, id: v.record.id };
    other = (await createKey(ex, 'other', 'READER', 'GREEN')).key;
  });
  after(() => ex.close());

  it('a forged header naming a victim\'s key id does not consume the victim\'s bucket', async () => {
    const app = createApp({ executor: ex, rateLimit: { perSecond: SLOW, burst: 3 } });
    const forged = await askMany(app, 10, { address: '203.0.113.66', auth: bearer(`dgk_${victim.id}_${'A'.repeat(32)}`) });
    assert.deepEqual(codes(forged), [...Array(3).fill('UNAUTHENTICATED'), ...Array(7).fill('RATE_LIMITED')]);
    const real = await askMany(app, 4, { address: '198.51.100.5', auth: bearer(victim.key) });
    assert.deepEqual(codes(real), [200, 200, 200, 'RATE_LIMITED'], 'the victim still has its whole burst');
  });

  it('requests with bad keys are limited by address, whatever key they carry', async () => {
    const app = createApp({ executor: ex, rateLimit: { perSecond: SLOW, burst: 3 } });
    const random = () => bearer(`dgk_${randomBytes(6).toString('hex')}_${randomBytes(24).toString('base64url')}`);
    const bad = await askMany(app, 8, (i) => ({ address: '203.0.113.7', auth: i % 3 === 2 ? 'Basic Zm9vOmJhcg==' : random() }));
    assert.deepEqual(codes(bad), [...Array(3).fill('UNAUTHENTICATED'), ...Array(5).fill('RATE_LIMITED')]);
    const limited = bad[bad.length - 1];
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.retryAfter) >= 1, `Retry-After ${limited.retryAfter}`);
    assert.equal((await ask(app, { address: '203.0.113.7' })).code, 'RATE_LIMITED', 'the same address without a key shares that bucket');
    assert.equal((await ask(app, { address: '203.0.113.7', auth: bearer(other) })).status, 200, 'a real key from that address is not');
  });

  it('anonymous callers are limited per client address, with their own rate', async () => {
    const app = createApp({ executor: ex, rateLimit: { perSecond: SLOW, burst: 10, anonymous: { perSecond: SLOW, burst: 2 } } });
    assert.deepEqual(codes(await askMany(app, 4, { address: '192.0.2.1' })), [200, 200, 'RATE_LIMITED', 'RATE_LIMITED']);
    assert.deepEqual(codes(await askMany(app, 2, { address: '192.0.2.2' })), [200, 200], 'another address has its own bucket');
    assert.equal((await ask(app, { address: '::ffff:192.0.2.1' })).code, 'RATE_LIMITED', 'an IPv4-mapped IPv6 address is the IPv4 one');
    assert.deepEqual(codes(await askMany(app, 3, {})), [200, 200, 'RATE_LIMITED'], 'in-process calls without a socket share one "local" bucket');
    const limited = await ask(app, { address: '192.0.2.1' });
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.retryAfter) >= 1);
  });

  it('IPv6 callers are limited per /64 (one host usually holds a whole /64)', async () => {
    const app = createApp({ executor: ex, rateLimit: { perSecond: SLOW, burst: 2 } });
    const answers = await askMany(app, 3, (i) => ({ address: `2001:db8:1:2::${i + 1}` }));
    assert.deepEqual(codes(answers), [200, 200, 'RATE_LIMITED']);
    assert.equal((await ask(app, { address: '2001:db8:1:3::1' })).status, 200);
  });

  it('a real key is limited by its id, from any address, and leaves other keys and anonymous callers alone', async () => {
    const app = createApp({ executor: ex, rateLimit: { perSecond: SLOW, burst: 3, anonymous: { perSecond: SLOW, burst: 3 } } });
    const answers = await askMany(app, 5, (i) => ({ address: `198.51.100.${10 + i}`, auth: bearer(victim.key) }));
    assert.deepEqual(codes(answers), [200, 200, 200, 'RATE_LIMITED', 'RATE_LIMITED']);
    assert.equal(answers[4].status, 429);
    assert.ok(Number(answers[4].retryAfter) >= 1);
    assert.equal((await ask(app, { address: '198.51.100.10', auth: bearer(other) })).status, 200, 'another key is not affected');
    assert.equal((await ask(app, { address: '198.51.100.10' })).status, 200, 'nor anonymous callers from the same address');
  });

  it('the key is looked up once per request, shared by the limiter and the context', async () => {
    const app = createApp({ executor: ex, rateLimit: { perSecond: 100, burst: 100 } });
    const before = ex.queryCount;
    assert.equal((await ask(app, { address: '192.0.2.77', auth: bearer(other) })).status, 200);
    assert.equal(ex.queryCount - before, 1);
  });

  it('the rate refills with time', async () => {
    const app = createApp({ executor: ex, rateLimit: { perSecond: 1, burst: 1 } });
    await ask(app, { address: '192.0.2.8' }); // the first request of an app is slow (schema, plugins): not timed
    assert.deepEqual(codes(await askMany(app, 2, { address: '192.0.2.9' })), [200, 'RATE_LIMITED']);
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal((await ask(app, { address: '192.0.2.9' })).status, 200);
  });

  it('X-Forwarded-For is ignored unless a trusted proxy count is set, and then only the entries our proxies added count', async () => {
    const plain = createApp({ executor: ex, rateLimit: { perSecond: SLOW, burst: 2 } });
    const spoofed = await askMany(plain, 3, (i) => ({ address: '192.0.2.50', headers: { 'x-forwarded-for': `10.9.9.${i}` } }));
    assert.deepEqual(codes(spoofed), [200, 200, 'RATE_LIMITED'], 'without TRUST_PROXY a client cannot pick its bucket');

    const proxied = createApp({ executor: ex, rateLimit: { perSecond: SLOW, burst: 2, trustProxy: 1 } });
    const proxy = '10.0.0.1';
    const viaProxy = (client: string, claimed?: string) => ({ address: proxy, headers: { 'x-forwarded-for': claimed ? `${claimed}, ${client}` : client } });
    assert.deepEqual(codes(await askMany(proxied, 3, viaProxy('192.0.2.60'))), [200, 200, 'RATE_LIMITED']);
    assert.deepEqual(codes(await askMany(proxied, 2, viaProxy('192.0.2.61'))), [200, 200], 'another client behind the proxy has its own bucket');
    const forgedChain = await askMany(proxied, 2, (i) => viaProxy('192.0.2.60', `10.8.8.${i}`));
    assert.deepEqual(codes(forgedChain), ['RATE_LIMITED', 'RATE_LIMITED'], 'what the client wrote into the header itself does not count');
  });

  describe('through a real node http server', () => {
    let server: Server;
    let port: number;
    before(async () => {
      server = createServer(createApp({ executor: ex, rateLimit: { perSecond: SLOW, burst: 2 } }).requestListener);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
    });
    after(() => { server.closeAllConnections(); server.close(); });

    /** A POST from a chosen loopback source address (Linux routes all of 127/8 to lo). */
    const post = (from: string, auth?: string) => new Promise<number>((resolve, reject) => {
      const body = '{"query":"{ __typename }"}';
      const r = httpRequest({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', localAddress: from, agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(auth ? { authorization: auth } : {}) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      r.on('error', reject);
      r.end(body);
    });

    it('buckets anonymous callers by the socket\'s remote address', async () => {
      assert.deepEqual([await post('127.0.0.2'), await post('127.0.0.2'), await post('127.0.0.2')], [200, 200, 429]);
      assert.deepEqual([await post('127.0.0.3'), await post('127.0.0.3')], [200, 200]);
      assert.deepEqual([await post('127.0.0.4', bearer(victim.key)), await post('127.0.0.2', bearer(victim.key))], [200, 200],
        'a valid key is not held back by its address');
    });
  });
});
