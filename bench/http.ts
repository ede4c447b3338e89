// Our app on an ephemeral loopback port in this process, and a small GraphQL-over-HTTP client.
import http, { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Served { url: string; close: () => Promise<void> }

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

/**
 * A keep-alive node:http client: what is timed is the server and the wire, not a fetch
 * implementation's own per-request cost (undici's adds ~0.2 ms here).
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

export function post(url: string, query: string, variables: Record<string, unknown>): Promise<GqlResponse> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST', agent, timeout: REQUEST_TIMEOUT_MS,
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        try {
          const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as GqlResponse;
          if ((res.statusCode ?? 500) >= 400 && !parsed.errors) reject(new Error(`HTTP ${res.statusCode}`));
          else resolve(parsed);
        } catch (e) {
          reject(new Error(`HTTP ${res.statusCode}: not JSON (${(e as Error).message})`, { cause: e }));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Posts and throws on GraphQL errors: a timed run must not count a failure as a fast answer. */
export async function postOk(url: string, query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = await post(url, query, variables);
  if (r.errors?.length) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.data ?? {};
}
