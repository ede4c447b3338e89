// Throughput under load: autocannon against our GraphQL endpoint (loopback only), one query
// class, inputs cycling through the sampled ids. GraphQL errors in a 200 response count as errors.
import autocannon from 'autocannon';
import type { Input, QueryClass } from './queries.js';

export interface LoadResult { connections: number; seconds: number; reqPerSec: number; p50: number; p99: number; errors: number; requests: number }

export async function loadTest(url: string, qc: QueryClass, inputs: Input[], connections: number, seconds: number): Promise<LoadResult> {
  if (!url.startsWith('http://127.0.0.1:')) throw new Error('bench: load tests only run against 127.0.0.1');
  let n = 0;
  let graphqlErrors = 0;
  const result = await autocannon({
    url, connections, duration: seconds, method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    requests: [{
      method: 'POST',
      setupRequest: (req) => ({ ...req, body: JSON.stringify({ query: qc.query, variables: qc.vars(inputs[n++ % inputs.length]) }) }),
      onResponse: (status, body) => { if (status === 200 && body.includes('"errors"')) graphqlErrors++; },
    }],
  });
  return {
    connections, seconds,
    reqPerSec: Math.round(result.requests.average * 10) / 10,
    p50: result.latency.p50, p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts + graphqlErrors,
    requests: result.requests.total,
  };
}
