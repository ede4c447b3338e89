import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../api/http/app.js';
import { buildSchema } from '../../api/graphql/schema.js';
import type { Executor } from '../../api/store/executor.js';
import { createKey } from '../../api/store/keys.js';
import { createApp, seededExecutor } from '../helpers.js';
import {
  FRAGMENT_CYCLE, INJECTIONS, aliasBomb, deepQuery, fragmentBomb, pick, randomOperation, randomString, rng, stringArgumentQueries, type Rng,
} from '../fuzz-requests.js';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);

/** A fingerprint of every entity and link with all its properties. */
async function graphFingerprint(ex: Executor): Promise<string> {
  const rows = await ex.read<{ n: string; r: string }>(
    `MATCH (n:Entity) WITH n ORDER BY n.id WITH collect(n.id + ':' + toString(size(keys(n))) + ':' + coalesce(n.name, '') + ':' + n.tlp) AS ns
     MATCH (:Entity)-[r]->(:Entity) WITH ns, r ORDER BY r.id
     RETURN reduce(s = '', x IN ns | s + x + '|') AS n, reduce(s = '', x IN collect(r.id + ':' + toString(r.confidence) + ':' + r.tlp + ':' + toString(size(r.citeSources))) | s + x + '|') AS r`);
  return createHash('sha256').update(rows[0].n + rows[0].r).digest('hex');
}

interface Outcome { status: number; codes: string[] }

interface FuzzRequest { kind?: string; method?: string; body?: string; headers?: Record<string, string>; query?: string }

async function send(app: App, init: FuzzRequest): Promise<Outcome> {
  const url = init.query ? `http://test/graphql?${init.query}` : 'http://test/graphql';
  // A copy: the fetch implementation writes content-length into the headers object it is given.
  const res = await app.fetch(url, { method: init.method ?? 'POST', headers: { ...init.headers }, body: init.body });
  const text = await res.text();
  let codes: string[] = [];
  if (text && (res.headers.get('content-type') ?? '').includes('json')) {
    const body = JSON.parse(text) as { errors?: Array<{ extensions?: { code?: string } }> };
    codes = (body.errors ?? []).map((e) => e.extensions?.code ?? 'MISSING');
  }
  return { status: res.status, codes };
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };

function hostileRequest(r: Rng, schema: ReturnType<typeof buildSchema>, reader: string): FuzzRequest & { kind: string } {
  const op = randomOperation(r, schema, r() < 0.1 ? 'mutation' : 'query');
  const body = (query: string, variables: unknown = op.variables) => JSON.stringify({ query, variables });
  const headers = r() < 0.3 ? { ...JSON_HEADERS, authorization: `Bearer ${reader}` } : JSON_HEADERS;
  const roll = r();
  if (roll < 0.45) return { kind: 'valid', body: body(op.query), headers };
  if (roll < 0.50) return { kind: 'get', method: 'GET', query: new URLSearchParams({ query: op.query, variables: JSON.stringify(op.variables) }).toString(), headers: { accept: 'application/json' } };
  if (roll < 0.58) {
    const wrong = Object.fromEntries(Object.keys(op.variables).map((k) => [k, pick(r, [{ a: 1 }, [[['x']]], 'not-a-number', 12.5, true, -1e308])]));
    return { kind: 'wrong-types', body: body(op.query, wrong), headers };
  }
  if (roll < 0.61) return { kind: 'huge-string', body: body('query($t: String!) { search(text: $t) { score } }', { t: 'é'.repeat(500_000) }), headers };
  if (roll < 0.64) return { kind: 'deep', body: body(deepQuery(5 + Math.floor(r() * 60))), headers };
  if (roll < 0.67) return { kind: 'aliases', body: body(aliasBomb(16 + Math.floor(r() * 500))), headers };
  if (roll < 0.69) return { kind: 'fragments', body: body(r() < 0.5 ? fragmentBomb(5 + Math.floor(r() * 20)) : FRAGMENT_CYCLE), headers };
  if (roll < 0.74) {
    const text = body(op.query);
    return { kind: 'malformed-json', body: pick(r, [text.slice(0, Math.floor(r() * text.length)), text.replace(/"/g, "'"), '\u0000\u0001garbage', '[]', 'null', '{"query": 42}', '{"query":"{ stats { nodes } }","variables":"x"}']), headers };
  }
  if (roll < 0.78) return { kind: 'content-type', body: body(op.query), headers: { 'content-type': pick(r, ['text/plain', 'application/xml', 'text/html', 'application/octet-stream', '']) } };
  if (roll < 0.82) return { kind: 'method', method: pick(r, ['PUT', 'DELETE', 'PATCH', 'OPTIONS']), body: pick(r, ['PUT', 'DELETE', 'PATCH']) === 'x' ? '' : undefined, headers };
  if (roll < 0.87) {
    const q = op.query.split('');
    for (let i = 0; i < 3; i++) q.splice(Math.floor(r() * q.length), 0, pick(r, ['\u202E', '\u0000', '}', '{', '$', '"', '\uD83D', '…', 'ä']));
    return { kind: 'odd-unicode', body: body(q.join('')), headers };
  }
  if (roll < 0.88) return { kind: 'too-large', body: JSON.stringify({ query: '{ stats { nodes } }', variables: { pad: 'x'.repeat(6 * 1024 * 1024) } }), headers };
  return { kind: 'invalid-ids', body: body('query($ids: [ID!]!) { neighborhood(ids: $ids) { nodes { id } } paths(from: "iran", to: "russia") { hops } }', { ids: [randomString(r), randomString(r)] }), headers };
}

describe('hostile input', () => {
  let ex: Executor;
  let app: App;
  let reader: string;
  let analyst: string;
  const schema = buildSchema();
  before(async () => {
    ex = await seededExecutor();
    reader = (await createKey(ex, 'fuzz-reader', 'READER', 'GREEN')).key;
    analyst = (await createKey(ex, 'fuzz-analyst', 'ANALYST', 'AMBER')).key;
    app = createApp({ executor: ex, rateLimit: { perSecond: 1e6, burst: 1e6 } });
  });
  after(() => ex.close());

  it(`${REQUESTS} generated and mutated requests: no crash, no 5xx, every rejection with a code`, async () => {
    const r = rng(20201021);
    const byKind = new Map<string, number>();
    const byCode = new Map<string, number>();
    let fiveXX = 0;
    const before = await graphFingerprint(ex);
    for (let i = 0; i < REQUESTS; i++) {
      const req = hostileRequest(r, schema, reader);
      const out = await send(app, req);
      byKind.set(req.kind, (byKind.get(req.kind) ?? 0) + 1);
      if (out.status >= 500) fiveXX++;
      for (const c of out.codes) byCode.set(c, (byCode.get(c) ?? 0) + 1);
      if (out.codes.includes('INTERNAL_SERVER_ERROR')) console.log('fuzz: internal error for', JSON.stringify(req).slice(0, 400));
      if (out.status >= 400) assert.ok(out.codes.length > 0 || req.kind === 'method' || out.status === 404, `${req.kind} → ${out.status} without an error body`);
    }
    console.log(`fuzz: ${REQUESTS} requests, 5xx=${fiveXX}; kinds ${JSON.stringify(Object.fromEntries(byKind))}; codes ${JSON.stringify(Object.fromEntries(byCode))}`);
    assert.equal(fiveXX, 0);
    assert.equal(byCode.get('MISSING') ?? 0, 0, 'every error carries extensions.code');
    assert.equal(byCode.get('INTERNAL_SERVER_ERROR') ?? 0, 0, 'no internal errors');
    assert.equal(await graphFingerprint(ex), before, 'the graph is unchanged');
    assert.equal((await app.fetch('http://test/ready')).status, 200, 'still serving');
  });

  it('Cypher-injection strings through every string argument change nothing', async () => {
    const before = await graphFingerprint(ex);
    let sent = 0;
    for (const payload of INJECTIONS) {
      for (const { query, variables } of stringArgumentQueries(schema, payload)) {
        for (const headers of [JSON_HEADERS, { ...JSON_HEADERS, authorization: `Bearer ${analyst}` }]) {
          const out = await send(app, { body: JSON.stringify({ query, variables }), headers });
          sent++;
          assert.ok(out.status < 500, `${query} → ${out.status}`);
          assert.ok(!out.codes.includes('INTERNAL_SERVER_ERROR'), `${query} ${JSON.stringify(variables)}`);
        }
      }
      // Through mutation inputs too, in a batch that another bad item gets rejected.
      const m = await send(app, {
        headers: { ...JSON_HEADERS, authorization: `Bearer ${analyst}` },
        body: JSON.stringify({
          query: 'mutation($in: [EntityInput!]!) { upsertEntities(input: $in) { created } }',
          variables: { in: [{ id: 'inj-test', kind: 'NARRATIVE', name: payload, description: payload, aliases: [payload] }, { kind: 'NARRATIVE', name: '' }] },
        }),
      });
      assert.deepEqual(m.codes, ['BAD_USER_INPUT']);
    }
    assert.ok(sent > 100, `${sent} injection requests`);
    assert.equal(await graphFingerprint(ex), before, 'the graph is unchanged');
  });

  it('an injection string stored as a name comes back literally', async () => {
    const payload = INJECTIONS[0];
    const w = await send(app, {
      headers: { ...JSON_HEADERS, authorization: `Bearer ${analyst}` },
      body: JSON.stringify({ query: 'mutation($n: String!) { upsertEntities(input: [{ id: "inj-literal", kind: NARRATIVE, name: $n }]) { created } }', variables: { n: payload } }),
    });
    assert.deepEqual(w.codes, []);
    const res = await app.fetch('http://test/graphql', { method: 'POST', headers: { ...JSON_HEADERS }, body: JSON.stringify({ query: '{ entity(id: "inj-literal") { name } stats { nodes } }' }) });
    const body = await res.json() as { data: { entity: { name: string }; stats: { nodes: number } } };
    assert.equal(body.data.entity.name, payload);
    assert.ok(body.data.stats.nodes > 30);
  });

  it('regression: a 20,000-character investigation id is refused, not an internal error', async () => {
    const out = await send(app, { headers: { ...JSON_HEADERS, authorization: `Bearer ${analyst}` }, body: JSON.stringify({
      query: 'mutation($id: ID) { saveInvestigation(input: { id: $id, name: "x", state: {} }) { id } }', variables: { id: 'i'.repeat(20_000) } }) });
    assert.deepEqual(out.codes, ['BAD_USER_INPUT']);
  });

  it('request bodies are capped', async () => {
    const out = await send(app, { headers: JSON_HEADERS, body: JSON.stringify({ query: '{ __typename }', variables: { x: 'y'.repeat(6 * 1024 * 1024) } }) });
    assert.equal(out.status, 413);
    assert.deepEqual(out.codes, ['PAYLOAD_TOO_LARGE']);
  });
});
