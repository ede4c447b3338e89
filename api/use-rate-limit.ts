// Per-key rate limiting: a token bucket per API key in this process (with N instances behind a
// load balancer, a key gets N times the rate). Anonymous loopback traffic is not limited.
import type { Plugin } from 'graphql-yoga';

export interface RateLimit {
  perSecond: number;
  burst: number;
}

export const DEFAULT_RATE: RateLimit = {
  perSecond: Number(process.env.RATE_LIMIT_PER_SECOND ?? 50),
  burst: Number(process.env.RATE_LIMIT_BURST ?? 200),
};

interface Bucket { tokens: number; at: number }

export function useRateLimit(limit: RateLimit = DEFAULT_RATE): Plugin {
  const buckets = new Map<string, Bucket>();
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      const auth = request.headers.get('authorization');
      const match = auth ? /^Bearer\s+dgk_([0-9a-f]+)_/i.exec(auth) : null;
      if (!match) return;
      const keyId = match[1];
      const now = Date.now();
      const b = buckets.get(keyId) ?? { tokens: limit.burst, at: now };
      b.tokens = Math.min(limit.burst, b.tokens + ((now - b.at) / 1000) * limit.perSecond);
      b.at = now;
      buckets.set(keyId, b);
      if (buckets.size > 10_000) buckets.clear();
      if (b.tokens < 1) {
        const retry = Math.ceil((1 - b.tokens) / limit.perSecond);
        endResponse(new fetchAPI.Response(JSON.stringify({
          errors: [{ message: `Rate limit: at most ${limit.perSecond} requests/s (burst ${limit.burst}) per key; retry in ${retry} s.`, extensions: { code: 'RATE_LIMITED' } }],
        }), { status: 429, headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(retry) } }));
        return;
      }
      b.tokens -= 1;
    },
  };
}
