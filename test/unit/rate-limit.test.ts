// Rate-limit logic without a server (api/http/use-rate-limit.ts): the token buckets, the client
// address a request is counted under, and the settings from the environment. No database; the
// limits through the app and a real HTTP server are in test/integration/trust-rate-limit.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientAddress, rateLimitFromEnv, TokenBuckets } from '../../api/http/use-rate-limit.js';

/** Barely refills during a test: the burst is what a caller has. */
const SLOW = 0.001;

describe('rate limits: buckets, addresses, settings', () => {
  it('a bucket holds the burst, refills at the rate up to the burst, and says how long to wait', () => {
    const buckets = new TokenBuckets();
    const rate = { perSecond: 2, burst: 3 };
    assert.deepEqual([0, 0, 0].map(() => buckets.take('k', rate, 1000)), [0, 0, 0], 'the whole burst at once');
    assert.equal(buckets.take('k', rate, 1000), 1, 'then empty: wait a second (at least 1, rounded up)');
    assert.equal(buckets.take('k', rate, 1500), 0, 'half a second later one token came back (2 per second)');
    assert.equal(buckets.take('k', rate, 1500), 1);
    assert.deepEqual([0, 0, 0, 1].map(() => buckets.take('k', rate, 60_000)), [0, 0, 0, 1], 'a long pause refills to the burst, no more');
    assert.equal(buckets.take('slow', { perSecond: 0.1, burst: 1 }, 0), 0);
    assert.equal(buckets.take('slow', { perSecond: 0.1, burst: 1 }, 0), 10, 'at 0.1 per second the next token is 10 s away');
    assert.equal(buckets.take('other', rate, 1000), 0, 'names have their own buckets');
    assert.equal(buckets.take('k', rate, 59_000), 1, 'a clock going back refills nothing');
  });

  it('clientAddress: socket, proxies, IPv6 /64, and "local" without a socket', () => {
    const req = (xff?: string) => new Request('http://x/graphql', { headers: xff ? { 'x-forwarded-for': xff } : {} });
    const ctx = (a: string) => ({ req: { socket: { remoteAddress: a } } });
    assert.equal(clientAddress(req(), undefined, 0), 'local');
    assert.equal(clientAddress(req(), {}, 0), 'local');
    assert.equal(clientAddress(req('1.2.3.4'), ctx('10.0.0.1'), 0), '10.0.0.1');
    assert.equal(clientAddress(req('1.2.3.4'), ctx('10.0.0.1'), 1), '1.2.3.4');
    assert.equal(clientAddress(req('6.6.6.6, 1.2.3.4, 10.0.0.2'), ctx('10.0.0.1'), 2), '1.2.3.4');
    assert.equal(clientAddress(req(), ctx('10.0.0.1'), 1), '10.0.0.1', 'no header: the peer itself');
    assert.equal(clientAddress(req(), ctx('::ffff:127.0.0.1'), 0), '127.0.0.1');
    assert.equal(clientAddress(req(), ctx('2001:db8:a:b:c:d:e:f'), 0), '2001:db8:a:b::/64');
    assert.equal(clientAddress(req(), ctx('2001:db8::1'), 0), '2001:db8:0:0::/64');
    assert.equal(clientAddress(req('[2001:db8:5::7]:443'), ctx('10.0.0.1'), 1), '2001:db8:5:0::/64');
    assert.equal(clientAddress(req('1.2.3.4:5678'), ctx('10.0.0.1'), 1), '1.2.3.4');
  });

  it('the bucket map stays bounded, dropping the least recently used bucket first', () => {
    const buckets = new TokenBuckets(100);
    const rate = { perSecond: SLOW, burst: 1 };
    assert.equal(buckets.take('addr:keep', rate, 0), 0);
    for (let i = 0; i < 1000; i++) {
      buckets.take(`addr:${i}`, rate, i);
      if (i % 10 === 0) assert.ok(buckets.take('addr:keep', rate, i) > 0, 'a bucket in use stays (and stays empty)');
    }
    assert.equal(buckets.size, 100);
    assert.equal(buckets.take('addr:0', rate, 1000), 0, 'a long-idle bucket was dropped (a fresh one is full)');
  });

  it('settings come from the environment, with documented defaults, and bad values are refused', () => {
    assert.deepEqual(rateLimitFromEnv({}), { perSecond: 50, burst: 200, anonymous: { perSecond: 20, burst: 100 }, trustProxy: 0, maxBuckets: 10_000 });
    const set = rateLimitFromEnv({ RATE_LIMIT_PER_SECOND: '5', RATE_LIMIT_BURST: '7', RATE_LIMIT_ANON_PER_SECOND: '1', RATE_LIMIT_ANON_BURST: '2', TRUST_PROXY: 'true' });
    assert.deepEqual(set, { perSecond: 5, burst: 7, anonymous: { perSecond: 1, burst: 2 }, trustProxy: 1, maxBuckets: 10_000 });
    assert.equal(rateLimitFromEnv({ TRUST_PROXY: '2' }).trustProxy, 2);
    assert.equal(rateLimitFromEnv({ TRUST_PROXY: 'false' }).trustProxy, 0);
    assert.throws(() => rateLimitFromEnv({ RATE_LIMIT_ANON_PER_SECOND: 'lots' }), /RATE_LIMIT_ANON_PER_SECOND/);
    assert.throws(() => rateLimitFromEnv({ RATE_LIMIT_BURST: '0' }), /RATE_LIMIT_BURST/);
    assert.throws(() => rateLimitFromEnv({ TRUST_PROXY: 'yes please' }), /TRUST_PROXY/);
  });
});
