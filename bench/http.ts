// Our app on an ephemeral loopback port in this process, and a small GraphQL-over-HTTP client.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Served { url: string; close(): Promise<void> }

export async function serve(handler: Parameters<typeof createServer>[1]): Promise<Served> {
  const server: Server = createServer(handler);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** A request slower than this counts as an error rather than stalling the run. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface GqlResponse { data?: Record<string, unknown>; errors?: Array<{ message: string }> }

export async function post(url: string, query: string, variables: Record<string, unknown>): Promise<GqlResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = await res.json() as GqlResponse;
  if (!res.ok && !body.errors) throw new Error(`HTTP ${res.status}`);
  return body;
}

/** Posts and throws on GraphQL errors: a timed run must not count a failure as a fast answer. */
export async function postOk(url: string, query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = await post(url, query, variables);
  if (r.errors?.length) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.data ?? {};
}
