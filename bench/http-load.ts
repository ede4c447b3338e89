// Sustained load on the depth-2 neighbourhood (the heaviest everyday query), in rounds, with
// the API's memory sampled after each round: a leak shows as RSS that keeps climbing.
import autocannon from 'autocannon';

export interface LoadRound {
  round: number;
  requestsPerSecond: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  timeouts: number;
  rssMb: number;
  heapMb: number;
}

export async function runLoad(url: string, body: string, opts: { connections: number; seconds: number; rounds: number }): Promise<LoadRound[]> {
  const out: LoadRound[] = [];
  for (let round = 1; round <= opts.rounds; round++) {
    const r = await autocannon({
      url, method: 'POST', connections: opts.connections, duration: opts.seconds,
      headers: { 'content-type': 'application/json' }, body,
    });
    (globalThis as { gc?: () => void }).gc?.();
    const mem = process.memoryUsage();
    out.push({
      round, requestsPerSecond: r.requests.average, p99Ms: r.latency.p99, errors: r.errors, non2xx: r.non2xx, timeouts: r.timeouts,
      rssMb: Math.round(mem.rss / 1e6), heapMb: Math.round(mem.heapUsed / 1e6),
    });
  }
  return out;
}

/** The request every round sends: depth-2 neighbourhood of one entity, with evidence. */
export function neighborhoodBody(id: string): string {
  return JSON.stringify({
    query: `query($id: ID!) { neighborhood(ids: [$id], depth: 2, limit: 500) { truncated nodes { id kind name }
      edges { id type confidence from { id } to { id } citations { locator source { id title } } } } }`,
    variables: { id },
  });
}
