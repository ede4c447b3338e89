// Rate limits on GraphQL requests, applied *after* the API key is verified: a verified key has a
// token bucket by its key id; everything else — anonymous callers and requests with a bad,
// revoked or malformed key — shares a bucket per client address, at the anonymous rate. So a
// forged `Bearer dgk_<victim id>_…` header cannot drain a victim's bucket, and random keys do not
// escape limiting. Buckets live in this process (with N instances, a key gets N times the rate)
// in a map bounded to `maxBuckets` (least recently used dropped first).
//
// The client address is the socket's remote address (IPv4-mapped IPv6 as IPv4, IPv6 per /64).
// X-Forwarded-For is only read when TRUST_PROXY names how many proxies in front of the API append
// to it; then the entry the outermost trusted proxy added is the client. In-process calls
// (`app.fetch` without a node socket) share one "local" bucket.
import net from 'node:net';
import type { Plugin } from 'graphql-yoga';
import { DEFAULT_MAX_BUCKETS, rateLimitSettings, type Rate, type RateLimit } from '../../core/config.js';

export type { Rate, RateLimit };
import { RateLimited } from '../../core/errors.js';
import { errorResponse } from './use-error-codes.js';


export { DEFAULT_MAX_BUCKETS };

/** The limits from the environment (RATE_LIMIT_*, TRUST_PROXY), read and checked in core/config.ts. */
export const rateLimitFromEnv = rateLimitSettings;

interface Bucket { tokens: number; at: number }

/** Token buckets by name, at most `max` of them; the least recently used goes first. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  constructor(private readonly max = DEFAULT_MAX_BUCKETS) {}

  get size(): number {
    return this.buckets.size;
  }

  /** Takes a token from `name`'s bucket: 0 when there was one, else the seconds until there is. */
  take(name: string, rate: Rate, now = Date.now()): number {
    const b = this.buckets.get(name) ?? { tokens: rate.burst, at: now };
    b.tokens = Math.min(rate.burst, b.tokens + (Math.max(0, now - b.at) / 1000) * rate.perSecond);
    b.at = now;
    // Re-inserting keeps the map in least-recently-used order.
    this.buckets.delete(name);
    this.buckets.set(name, b);
    while (this.buckets.size > this.max) this.buckets.delete(this.buckets.keys().next().value!);
    if (b.tokens < 1) return Math.max(1, Math.ceil((1 - b.tokens) / rate.perSecond));
    b.tokens -= 1;
    return 0;
  }
}

/** IPv4 as is (also when IPv4-mapped), IPv6 as its /64, anything else as given (cut short). */
function normalizeAddress(raw: string): string {
  let a = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped) a = mapped[1];
  const kind = net.isIP(a);
  if (kind === 4) return a;
  if (kind !== 6) return a.slice(0, 64);
  const [head, tail = ''] = a.toLowerCase().split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = a.includes('::') && tail ? tail.split(':') : [];
  const groups = a.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * The caller's address for rate limiting: the socket's remote address the node server passes as
 * `serverContext.req`, or with `trustProxy` proxies the X-Forwarded-For entry the outermost of
 * them added; "local" for in-process calls without a socket.
 */
export function clientAddress(request: Request, serverContext: unknown, trustProxy: number): string {
  const socket = (serverContext as { req?: { socket?: { remoteAddress?: string } } } | undefined)?.req?.socket?.remoteAddress;
  if (trustProxy > 0) {
    const forwarded = (request.headers.get('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    // The chain as the API sees it: what the header lists, then the peer that connected to us.
    const chain = socket ? [...forwarded, socket] : forwarded;
    if (chain.length) return normalizeAddress(chain[Math.max(0, chain.length - 1 - trustProxy)]);
  }
  return socket ? normalizeAddress(socket) : 'local';
}

/**
 * The plugin. `verifiedKeyId` resolves the request's API key (null when there is none or it is
 * not valid); it must not throw, and should share its lookup with the context (one read per request).
 */
export function useRateLimit(limit: RateLimit, verifiedKeyId: (request: Request) => Promise<string | null>, graphqlEndpoint = '/graphql'): Plugin {
  const keyed: Rate = { perSecond: limit.perSecond, burst: limit.burst };
  const anonymous = limit.anonymous ?? keyed;
  const trustProxy = limit.trustProxy ?? 0;
  const buckets = new TokenBuckets(limit.maxBuckets ?? DEFAULT_MAX_BUCKETS);
  return {
    async onRequest(hook) {
      const { request, url, serverContext, fetchAPI } = hook;
      // Only GraphQL touches the database; the viewer's files, GraphiQL's and /health do not.
      if (url.pathname !== graphqlEndpoint && url.pathname !== `${graphqlEndpoint}/`) return;
      const keyId = request.headers.has('authorization') ? await verifiedKeyId(request) : null;
      const [name, rate, per] = keyId !== null
        ? [`key:${keyId}`, keyed, 'per key']
        : [`addr:${clientAddress(request, serverContext, trustProxy)}`, anonymous, 'per client address without a valid key'];
      const retry = buckets.take(name, rate);
      if (retry === 0) return;
      const limited = new RateLimited(`Rate limit: at most ${rate.perSecond} requests/s (burst ${rate.burst}) ${per}; retry in ${retry} s.`, retry);
      hook.endResponse(errorResponse(fetchAPI, limited, { 'retry-after': String(limited.retryAfterSeconds) }));
    },
  };
}
