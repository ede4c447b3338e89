import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../api/http/app.js';
import type { Executor } from '../../api/store/executor.js';
import { createKey, revokeKey } from '../../api/store/keys.js';
import { countAll } from '../../api/store/write-graph.js';
import { createApp, gql, seededExecutor } from '../helpers.js';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const AMBER_ID = 'group-amber-test-unit';

describe('keys, roles and TLP clearance', () => {
  let ex: Executor;
  let app: App;
  const keys: Record<string, string> = {};
  before(async () => {
    ex = await seededExecutor();
    app = createApp({ executor: ex });
    keys.reader = (await createKey(ex, 'reader', 'READER', 'GREEN')).key;
    keys.analyst = (await createKey(ex, 'analyst', 'ANALYST', 'AMBER')).key;
    keys.admin = (await createKey(ex, 'admin', 'ADMIN', 'RED')).key;
    const r = await gql(app, `mutation {
      e: upsertEntities(input: [{ id: "${AMBER_ID}", kind: THREAT_GROUP, name: "Amberline unit", tlp: AMBER }]) { created }
    }`, {}, bearer(keys.analyst));
    assert.equal(r.errors, undefined);
    const l = await gql(app, `mutation { upsertLinks(input: [{ type: ATTRIBUTED_TO, from: "${AMBER_ID}", to: "iran", confidence: 40,
      citations: [{ source: "src-article", locator: "P10" }] }]) { created } }`, {}, bearer(keys.analyst));
    assert.equal(l.errors, undefined);
  });
  after(() => ex.close());

  it('a GREEN reader never sees an AMBER entity: not in entity, search, neighborhood, paths, counts, claims or browse', async () => {
    const q = `{
      entity(id: "${AMBER_ID}") { id }
      search(text: "Amberline") { entity { id } }
      neighborhood(ids: ["iran"], depth: 1) { nodes { id } edges { from { id } } }
      paths(from: "iran", toKind: THREAT_GROUP, maxHops: 2) { nodes { id } }
      stats { nodes byKind { kind count } }
      entities(kind: THREAT_GROUP) { totalCount }
      claims(filter: { sourceId: "src-article" }, first: 500) { edges { node { link { from { id } } } } }
      iran: entity(id: "iran") { degree links { from { id } } }
    }`;
    const asReader = await gql<Record<string, unknown>>(app, q, {}, bearer(keys.reader));
    const asAnalyst = await gql<Record<string, unknown>>(app, q, {}, bearer(keys.analyst));
    assert.equal(asReader.errors, undefined);
    assert.ok(JSON.stringify(asAnalyst.data).includes(AMBER_ID), 'the analyst (AMBER) does see it');
    assert.ok(!JSON.stringify(asReader.data).includes(AMBER_ID), 'the reader (GREEN) sees no trace of it');
    const rd = asReader.data as { stats: { nodes: number }; entities: { totalCount: number }; iran: { degree: number } };
    const an = asAnalyst.data as typeof rd;
    assert.equal(an.stats.nodes - rd.stats.nodes, 1, 'counts differ by exactly the hidden entity');
    assert.equal(an.entities.totalCount - rd.entities.totalCount, 1);
    assert.equal(an.iran.degree - rd.iran.degree, 1, 'degree does not count the hidden link');
  });

  it('anonymous callers read TLP:CLEAR only and cannot write', async () => {
    const r = await gql<{ entity: unknown }>(app, `{ entity(id: "${AMBER_ID}") { id } }`);
    assert.equal(r.data?.entity, null);
    const w = await gql(app, 'mutation { upsertEntities(input: [{ kind: NARRATIVE, name: "x" }]) { created } }');
    assert.equal(w.errors?.[0].extensions?.code, 'UNAUTHENTICATED');
  });

  it('roles: a reader cannot write; an analyst cannot delete; an admin deletes an entity with its links', async () => {
    const write = 'mutation { upsertEntities(input: [{ id: "narr-role-test", kind: NARRATIVE, name: "Role test" }]) { created } }';
    assert.equal((await gql(app, write, {}, bearer(keys.reader))).errors?.[0].extensions?.code, 'FORBIDDEN');
    assert.equal((await gql(app, write, {}, bearer(keys.analyst))).errors, undefined);
    const del = `mutation { deleteEntity(id: "${AMBER_ID}") { deleted linksRemoved } }`;
    assert.equal((await gql(app, del, {}, bearer(keys.analyst))).errors?.[0].extensions?.code, 'FORBIDDEN');
    const before = await countAll(ex);
    const r = await gql<{ deleteEntity: { deleted: boolean; linksRemoved: number } }>(app, del, {}, bearer(keys.admin));
    assert.deepEqual(r.data?.deleteEntity, { deleted: true, linksRemoved: 1 });
    const afterCounts = await countAll(ex);
    assert.deepEqual(afterCounts, { nodes: before.nodes - 1, links: before.links - 1 });
  });

  it('a batch with one bad item writes nothing and lists each bad item by index', async () => {
    const before = await countAll(ex);
    const r = await gql<unknown>(app, `mutation { upsertLinks(input: [
      { type: USES, from: "campaign-iran-spoofed-emails-2020", to: "tech-proxy", confidence: 50, citations: [{ source: "src-article" }], id: "ok-1" },
      { type: USES, from: "campaign-iran-spoofed-emails-2020", to: "no-such-entity", confidence: 50, citations: [{ source: "src-article" }] },
      { type: TARGETS, from: "tg-us-voters", to: "iran", confidence: 50, citations: [{ source: "iran" }] }
    ]) { created } }`, {}, bearer(keys.analyst));
    const problems = r.errors?.[0].extensions?.problems as Array<{ index: number; field: string; reason: string }>;
    assert.equal(r.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.deepEqual([...new Set(problems.map((p) => p.index))], [1, 2]);
    assert.ok(problems.some((p) => p.index === 1 && p.field === 'to' && /no entity/.test(p.reason)));
    assert.ok(problems.some((p) => p.index === 2 && p.field === 'citations[0].source'));
    assert.ok(problems.some((p) => p.index === 2 && p.field === 'type' && /not allowed/.test(p.reason)));
    assert.deepEqual(await countAll(ex), before);
  });

  it('addCitation appends evidence to a link', async () => {
    const r = await gql<{ addCitation: { citations: Array<{ locator: string; source: { id: string } }> } }>(app,
      `mutation { addCitation(linkId: "russia-OBTAINED-data-us-voter-registration", citation: { source: "src-king-statement", locator: "P12", quote: "once again" }) {
        citations { locator source { id } } } }`, {}, bearer(keys.analyst));
    assert.equal(r.errors, undefined);
    assert.deepEqual(r.data!.addCitation.citations.map((c) => c.source.id), ['src-odni-fbi-briefing', 'src-article', 'src-king-statement']);
  });

  it('a revoked key fails at once; a malformed header is refused', async () => {
    const { key, record } = await createKey(ex, 'short-lived', 'READER', 'GREEN');
    assert.equal((await gql(app, '{ stats { nodes } }', {}, bearer(key))).errors, undefined);
    await revokeKey(ex, record.id);
    const r = await gql(app, '{ stats { nodes } }', {}, bearer(key));
    assert.equal(r.errors?.[0].extensions?.code, 'UNAUTHENTICATED');
    assert.equal(r.status, 401);
    const bad = await gql(app, '{ stats { nodes } }', {}, { authorization: 'Basic abc' });
    assert.equal(bad.errors?.[0].extensions?.code, 'UNAUTHENTICATED');
  });

  it('keys never appear in logs, whatever the request does', async () => {
    const { key, record } = await createKey(ex, 'log-test', 'ANALYST', 'AMBER');
    const lines: string[] = [];
    const original = { log: console.log, error: console.error, warn: console.warn, info: console.info, debug: console.debug };
    for (const name of Object.keys(original) as Array<keyof typeof original>) console[name] = (...args: unknown[]) => { lines.push(args.map(String).join(' ')); };
    try {
      await gql(app, '{ stats { nodes } }', {}, bearer(key));
      await gql(app, 'mutation { upsertLinks(input: [{ type: USES, from: "x", to: "y", confidence: 500, citations: [] }]) { created } }', {}, bearer(key));
      await gql(app, '{ neighborhood(ids: ["iran"], depth: 9) { truncated } }', {}, bearer(key));
      await revokeKey(ex, record.id);
      await gql(app, '{ stats { nodes } }', {}, bearer(key));
      await gql(app, '{ stats { nodes } }', {}, { authorization: `Bearer ${key}x` });
    } finally {
      Object.assign(console, original);
    }
    const secret = key.split('_')[2];
    assert.ok(!lines.some((l) => l.includes(secret)), lines.join('\n'));
  });

  it('per-key rate limiting answers 429 RATE_LIMITED with Retry-After', async () => {
    const limited = createApp({ executor: ex, rateLimit: { perSecond: 1, burst: 3 } });
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < 5; i++) codes.push((await gql(limited, '{ __typename }', {}, bearer(keys.reader))).errors?.[0].extensions?.code as string | undefined);
    assert.deepEqual(codes.slice(0, 3), [undefined, undefined, undefined]);
    assert.deepEqual(codes.slice(3), ['RATE_LIMITED', 'RATE_LIMITED']);
    const res = await limited.fetch('http://test/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(keys.reader) }, body: '{"query":"{ __typename }"}' });
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) >= 1);
    assert.equal((await gql(limited, '{ __typename }', {}, bearer(keys.analyst))).errors, undefined, 'other keys are not affected');
  });

  it('npm run keys prints the new key alone on its last line, and it works', () => {
    const r = spawnSync('npx', ['tsx', 'cli/keys.ts', 'create', '--role', 'reader', '--name', 'cli-test'], { env: process.env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const last = r.stdout.trim().split('\n').pop()!;
    assert.match(last, /^dgk_[0-9a-f]{12}_[A-Za-z0-9_-]{32}$/);
    const list = spawnSync('npx', ['tsx', 'cli/keys.ts', 'list'], { env: process.env, encoding: 'utf8' });
    assert.match(list.stdout, /READER\tTLP:GREEN\tactive\tcli-test/);
    assert.ok(!list.stdout.includes(last), 'list never shows a key');
  });

  it('starting on a non-loopback HOST with no keys is refused with a clear message', async () => {
    await ex.write((tx) => tx.run('MATCH (k:ApiKey) SET k.revokedAt = "2020-01-01"'));
    const r = spawnSync('npx', ['tsx', 'cli/serve.ts'], { env: { ...process.env, HOST: '0.0.0.0', PORT: '0' }, encoding: 'utf8', timeout: 60_000 });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /not a loopback address and no API keys exist/);
  });
});

describe('regression: a visible link citing a source above the clearance', () => {
  it('omits that citation instead of failing the whole query', async () => {
    const ex = await seededExecutor();
    try {
      const app = createApp({ executor: ex });
      const { key } = await createKey(ex, 'amber-writer', 'ANALYST', 'AMBER');
      const w = await gql(app, `mutation {
        e: upsertEntities(input: [{ id: "src-amber-brief", kind: SOURCE, name: "Restricted brief", tlp: AMBER }]) { created } }`, {}, bearer(key));
      assert.equal(w.errors, undefined);
      const c = await gql(app, `mutation { addCitation(linkId: "russia-OBTAINED-data-us-voter-registration", citation: { source: "src-amber-brief", locator: "p. 3" }) { id } }`, {}, bearer(key));
      assert.equal(c.errors, undefined);
      const q = '{ entity(id: "russia") { links { id citations { locator source { id } } } } }';
      const anon = await gql<{ entity: { links: Array<{ id: string; citations: Array<{ source: { id: string } }> }> } }>(app, q);
      assert.equal(anon.errors, undefined);
      const link = anon.data!.entity.links.find((l) => l.id === 'russia-OBTAINED-data-us-voter-registration');
      assert.deepEqual(link?.citations.map((x) => x.source.id), ['src-odni-fbi-briefing', 'src-article']);
      const amber = await gql<typeof anon.data>(app, q, {}, bearer(key));
      assert.ok(amber.data!.entity.links.find((l) => l.id === 'russia-OBTAINED-data-us-voter-registration')?.citations.some((x) => x.source.id === 'src-amber-brief'));
    } finally {
      await ex.close();
    }
  });
});
