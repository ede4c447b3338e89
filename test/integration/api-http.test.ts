import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { auditServer } from 'graphql-http';
import type { App } from '../../api/http/app.js';
import type { Executor } from '../../api/store/executor.js';
import { writeBatch } from '../../api/store/write-graph.js';
import { createApp, gql, seededExecutor } from '../helpers.js';

describe('GraphQL over HTTP, limits and query batching', () => {
  let ex: Executor;
  let app: App;
  let server: Server;
  let url: string;
  before(async () => {
    ex = await seededExecutor();
    app = createApp({ executor: ex });
    server = createServer(app.requestListener);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  after(async () => { server.closeAllConnections(); server.close(); await ex.close(); });

  it('passes every MUST and SHOULD of the graphql-http server audits', async () => {
    const results = await auditServer({ url });
    const failed = results.filter((r) => r.status !== 'ok').map((r) => `${r.status}: ${r.name}`);
    assert.ok(results.length > 40);
    assert.deepEqual(failed.filter((f) => !f.startsWith('notice')), []);
  });

  it('a 100-node neighbourhood with citations costs the same bounded number of queries as a 20-node one (no N+1)', async () => {
    const hosts = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ id: `h-${tag}-${i}`, kind: 'HOST', name: `Host ${tag} ${i}` }));
    const links = (n: number, tag: string, campaign: string) => Array.from({ length: n }, (_, i) => ({
      type: 'USES', from: campaign, to: `h-${tag}-${i}`, confidence: 50 + (i % 50),
      citations: [{ source: 'src-article', locator: `P${1 + (i % 12)}` }, { source: 'src-proofpoint-analysis', via: 'src-article', locator: 'P11' }],
    }));
    await writeBatch(ex, [{ id: 'camp-small', kind: 'CAMPAIGN', name: 'Small' }, { id: 'camp-big', kind: 'CAMPAIGN', name: 'Big' }, ...hosts(19, 's'), ...hosts(99, 'b')],
      [...links(19, 's', 'camp-small'), ...links(99, 'b', 'camp-big')]);
    const q = `query($id: ID!) { neighborhood(ids: [$id], depth: 1) { nodes { id name degree ... on Host { compromised } }
      edges { id from { id name } to { id name } citations { locator source { id title publisher } via { id name } } } } }`;
    const cost = async (id: string) => {
      const before = ex.queryCount;
      const r = await gql<{ neighborhood: { nodes: unknown[]; edges: unknown[] } }>(app, q, { id });
      assert.equal(r.errors, undefined);
      return { queries: ex.queryCount - before, nodes: r.data!.neighborhood.nodes.length, edges: r.data!.neighborhood.edges.length };
    };
    const small = await cost('camp-small');
    const big = await cost('camp-big');
    assert.equal(small.nodes, 20);
    assert.equal(big.nodes, 100);
    assert.equal(big.edges, 99);
    assert.equal(big.queries, small.queries, `queries: ${small.queries} for 20 nodes, ${big.queries} for 100`);
    assert.ok(big.queries <= 6, `${big.queries} queries`);
  });

  it('graphql-armor refuses alias bombs and over-deep queries with a clear error', async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `a${i}: stats { nodes }`).join(' ');
    const r = await gql(app, `{ ${aliases} }`);
    assert.equal(r.data, undefined);
    assert.match(r.errors![0].message, /aliases/i);
    let deep = 'id';
    for (let i = 0; i < 12; i++) deep = `links { from { ${deep} } }`;
    const d = await gql(app, `{ entity(id: "iran") { ${deep} } }`);
    assert.match(d.errors![0].message, /depth|cost limit/i);
  });

  it('a runaway query is stopped by the transaction timeout with QUERY_TIMEOUT', async () => {
    const { Executor } = await import('../../api/store/executor.js');
    const impatient = new Executor(ex.settings, 300);
    try {
      await assert.rejects(impatient.read('UNWIND range(1, 500000000) AS x WITH x WHERE x % 7 = 0 RETURN count(x) AS n'),
        (e: Error & { extensions?: { code?: string } }) => e.extensions?.code === 'QUERY_TIMEOUT');
      const rows = await impatient.read<{ ok: number }>('RETURN 1 AS ok');
      assert.equal(rows[0].ok, 1, 'the database is not pinned afterwards');
    } finally {
      await impatient.close();
    }
  });

  it('errors never carry stack traces or Cypher: a failing database statement and a bug both reach the client masked', async () => {
    const { Executor } = await import('../../api/store/executor.js');
    const LEAKS = /MATCH|RETURN|BROKEN|Neo\.ClientError|SyntaxError|secret|\.ts:\d+|stack|\n\s+at /;
    const query = '{ neighborhood(ids: ["iran"], depth: 1) { nodes { id } } }';
    // Neo4j's own error quotes the statement; the driver's carries a stack.
    class BrokenStatements extends Executor {
      override read<T extends Record<string, unknown>>(cypher: string, params: Record<string, unknown> = {}): Promise<T[]> {
        return super.read<T>(`${cypher} BROKEN RETURN RETURN`, params);
      }
      // Budgeted queries (neighborhood among them) read through readUntil.
      override readUntil<T extends Record<string, unknown>>(cypher: string, params: Record<string, unknown>, timeoutMs: number, fetchSize?: number) {
        return super.readUntil<T>(`${cypher} BROKEN RETURN RETURN`, params, timeoutMs, fetchSize);
      }
    }
    // A plain exception from our own code, its message naming Cypher and a file.
    class Buggy extends Executor {
      override read<T>(): Promise<T[]> {
        return Promise.reject(new Error('secret MATCH (n:Key) RETURN n.hash failed at api/store/keys.ts:42'));
      }
      override readUntil<T>(): Promise<{ rows: T[]; complete: boolean }> {
        return Promise.reject(new Error('secret MATCH (n:Key) RETURN n.hash failed at api/store/keys.ts:42'));
      }
    }
    for (const [Kind, message] of [[BrokenStatements, 'Internal database error.'], [Buggy, 'Unexpected error.']] as const) {
      const broken = new Kind(ex.settings);
      try {
        const r = await gql(createApp({ executor: broken, rateLimit: false }), query);
        assert.equal(r.data?.neighborhood ?? null, null, `${Kind.name}: the query fails`);
        assert.equal(r.errors?.length, 1, `${Kind.name}: ${JSON.stringify(r.errors)}`);
        assert.equal(r.errors[0].message, message, Kind.name);
        assert.equal(r.errors[0].extensions?.code, 'INTERNAL_SERVER_ERROR', Kind.name);
        assert.doesNotMatch(JSON.stringify(r), LEAKS, Kind.name);
      } finally {
        await broken.close();
      }
    }
  });
});
