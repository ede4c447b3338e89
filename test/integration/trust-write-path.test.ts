// Regression tests for the write path's trust bugs (issue "Trust at the write path", items 1–7):
// each names the bug it pins. Real Neo4j, through the API in-process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../api/http/app.js';
import type { Executor } from '../../api/store/executor.js';
import { createKey } from '../../api/store/keys.js';
import { writeBatch } from '../../api/store/write-graph.js';
import { projectRoot } from '../../db/launcher.js';
import { createApp, gql, seededExecutor } from '../helpers.js';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const TLP_RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
const TLP_CLEAR = 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487';
const uuid = (n: number, tag = 'a') => `${tag.padEnd(8, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;
const bundle = (objects: object[]) => ({ type: 'bundle', id: `bundle--${uuid(Date.now() % 1e9, 'b')}`, objects });
const props = async (ex: Executor, id: string) =>
  (await ex.read<{ p: Record<string, unknown> }>('MATCH (n:Entity {id: $id}) RETURN properties(n) AS p', { id }))[0]?.p;

describe('trust at the write path', () => {
  let ex: Executor;
  let app: App;
  const keys: Record<string, string> = {};
  before(async () => {
    ex = await seededExecutor();
    app = createApp({ executor: ex });
    keys.analystAmber = (await createKey(ex, 'amber analyst', 'ANALYST', 'AMBER')).key;
    keys.adminAmber = (await createKey(ex, 'amber admin', 'ADMIN', 'AMBER')).key;
    keys.adminRed = (await createKey(ex, 'red admin', 'ADMIN', 'RED')).key;
    // What an admin entered at TLP:RED, with a RED source and a RED link.
    await writeBatch(ex, [
      { id: 'red-probe', kind: 'THREAT_GROUP', name: 'Red unit', description: 'secret description', aliases: ['RU-1'], tlp: 'RED' },
      { id: 'src-red', kind: 'SOURCE', name: 'Red report', title: 'Red report', tlp: 'RED' },
    ], [
      { type: 'ATTRIBUTED_TO', from: 'red-probe', to: 'iran', confidence: 70, tlp: 'RED', citations: [{ source: 'src-red', locator: 'p. 1' }] },
    ]);
  });
  after(() => ex.close());

  it('item 1: an AMBER key cannot overwrite, unmark or probe-by-change a RED entity (upsertEntities)', async () => {
    const r = await gql(app, 'mutation { upsertEntities(input: [{ id: "red-probe", kind: THREAT_GROUP, name: "x" }]) { created updated } }', {}, bearer(keys.analystAmber));
    assert.equal(r.errors?.[0].extensions?.code, 'FORBIDDEN');
    assert.doesNotMatch(r.errors[0].message, /Red unit|secret|THREAT_GROUP -/, 'the error tells nothing of the hidden record');
    const p = await props(ex, 'red-probe');
    assert.deepEqual([p.tlp, p.name, p.description, p.aliases], ['RED', 'Red unit', 'secret description', ['RU-1']]);
    const anon = await gql<{ entity: unknown }>(app, '{ entity(id: "red-probe") { id } }');
    assert.equal(anon.data?.entity, null);
  });

  it('item 1: nor link from it, cite a RED source, add a citation to a RED link, delete it, or write anything above its clearance', async () => {
    const link = await gql(app, `mutation { upsertLinks(input: [{ type: ATTRIBUTED_TO, from: "red-probe", to: "russia", confidence: 50,
      citations: [{ source: "src-article", locator: "P1" }] }]) { created } }`, {}, bearer(keys.analystAmber));
    assert.equal(link.errors?.[0].extensions?.code, 'FORBIDDEN');
    const cite = await gql(app, `mutation { upsertLinks(input: [{ type: TARGETS, from: "campaign-iran-spoofed-emails-2020", to: "tg-democratic-voters", confidence: 50,
      citations: [{ source: "src-red" }] }]) { created } }`, {}, bearer(keys.analystAmber));
    assert.equal(cite.errors?.[0].extensions?.code, 'FORBIDDEN');
    const add = await gql(app, 'mutation { addCitation(linkId: "red-probe-ATTRIBUTED_TO-iran", citation: { source: "src-article" }) { id } }', {}, bearer(keys.analystAmber));
    assert.equal(add.errors?.[0].extensions?.code, 'FORBIDDEN');
    const del = await gql(app, 'mutation { deleteEntity(id: "red-probe") { deleted } }', {}, bearer(keys.adminAmber));
    assert.equal(del.errors?.[0].extensions?.code, 'FORBIDDEN');
    // iran has a RED link: an AMBER admin deleting iran would delete it too.
    const delIran = await gql(app, 'mutation { deleteEntity(id: "iran") { deleted } }', {}, bearer(keys.adminAmber));
    assert.equal(delIran.errors?.[0].extensions?.code, 'FORBIDDEN');
    const above = await gql(app, 'mutation { upsertEntities(input: [{ id: "amber-writes-red", kind: NARRATIVE, name: "n", tlp: RED }]) { created } }', {}, bearer(keys.analystAmber));
    assert.equal(above.errors?.[0].extensions?.code, 'FORBIDDEN');
    const [counts] = await ex.read<{ links: number; iran: number; added: number }>(
      `RETURN COUNT { ()-[r {id: "red-probe-ATTRIBUTED_TO-russia"}]->() } AS links, COUNT { (n:Entity {id: "iran"}) } AS iran,
              COUNT { (n:Entity {id: "amber-writes-red"}) } AS added`);
    assert.deepEqual(counts, { links: 0, iran: 1, added: 0 });
    const [red] = await ex.read<{ n: number }>('MATCH ()-[r {id: "red-probe-ATTRIBUTED_TO-iran"}]->() RETURN size(r.citeSources) AS n');
    assert.equal(red.n, 1, 'no citation was added to the RED link');
  });

  it('item 1: importStix of a newer version without marking: FORBIDDEN for an AMBER key; a RED admin does not unmark it', async () => {
    const stixId = `threat-actor--${uuid(1)}`;
    await writeBatch(ex, [{ id: stixId, kind: 'THREAT_GROUP', name: 'Red actor', description: 'red only', tlp: 'RED', stixId, stixModified: '2024-01-01T00:00:00.000Z' }], []);
    const newer = bundle([{ type: 'threat-actor', spec_version: '2.1', id: stixId, created: '2024-01-01T00:00:00.000Z', modified: '2025-01-01T00:00:00.000Z', name: 'Renamed' }]);
    const q = 'mutation($b: JSON!) { importStix(bundle: $b) { created updated unchanged } }';
    const amber = await gql(app, q, { b: newer }, bearer(keys.analystAmber));
    assert.equal(amber.errors?.[0].extensions?.code, 'FORBIDDEN');
    assert.deepEqual([(await props(ex, stixId)).name, (await props(ex, stixId)).tlp], ['Red actor', 'RED']);
    const red = await gql<{ importStix: { updated: number } }>(app, q, { b: newer }, bearer(keys.adminRed));
    assert.equal(red.errors, undefined);
    assert.equal(red.data?.importStix.updated, 1);
    const p = await props(ex, stixId);
    assert.deepEqual([p.name, p.tlp], ['Renamed', 'RED'], 'the newer version lands, the marking stays');
  });

  it('item 1: a command-line import given --key runs with that key\'s clearance', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'key-import-'));
    const file = path.join(dir, 'touch-red.jsonl');
    fs.writeFileSync(file, `${JSON.stringify({ record: 'entity', id: 'red-probe', kind: 'THREAT_GROUP', name: 'overwritten' })}\n`);
    const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'cli/import.ts', file, '--fresh', ...args],
      { cwd: projectRoot, env: process.env, encoding: 'utf8', timeout: 120_000 });
    const withKey = run(['--key', keys.analystAmber]);
    assert.equal(withKey.status, 1, withKey.stderr);
    assert.match(withKey.stderr, /above the key's clearance.*Forbidden/s);
    assert.equal((await props(ex, 'red-probe')).name, 'Red unit', 'nothing written with the AMBER key');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('item 2: granular markings: anonymous exportStix(includeRaw) drops the RED-marked parts; includeRaw honours ids', async () => {
    // A note stays a raw STIX object (an indicator now becomes an INDICATOR entity, which a RED
    // part makes RED as a whole), so this is the raw export's own redaction of granular parts.
    const indicator = {
      type: 'note', spec_version: '2.1', id: `note--${uuid(2)}`, created: '2024-02-01T00:00:00.000Z', modified: '2024-02-01T00:00:00.000Z',
      abstract: 'File hash for malware', content: 'RED-marked detail', object_refs: [`campaign--${uuid(3)}`],
      labels: ['public', 'secret label'], object_marking_refs: [TLP_CLEAR],
      granular_markings: [{ marking_ref: TLP_RED, selectors: ['content', 'labels.[1]'] }],
    };
    const campaign = {
      type: 'campaign', spec_version: '2.1', id: `campaign--${uuid(3)}`, created: '2024-02-01T00:00:00.000Z', modified: '2024-02-01T00:00:00.000Z',
      name: 'Granular campaign', description: 'RED detail of a campaign', granular_markings: [{ marking_ref: TLP_RED, selectors: ['description'] }],
    };
    const other = { type: 'x-custom-thing', spec_version: '2.1', id: `x-custom-thing--${uuid(4)}`, created: '2024-02-01T00:00:00.000Z', modified: '2024-02-01T00:00:00.000Z', name: 'other' };
    const imp = await gql(app, 'mutation($b: JSON!) { importStix(bundle: $b) { created raw } }', { b: bundle([indicator, campaign, other]) }, bearer(keys.adminRed));
    assert.equal(imp.errors, undefined, JSON.stringify(imp.errors));
    const exportAs = async (headers: Record<string, string>, ids?: string[]) => {
      const r = await gql<{ exportStix: { objects?: Array<Record<string, unknown>> } }>(app,
        'query($ids: [ID!]) { exportStix(ids: $ids, includeRaw: true) }', { ids: ids ?? null }, headers);
      assert.equal(r.errors, undefined);
      return r.data!.exportStix.objects ?? [];
    };
    const anon = await exportAs({});
    const anonIndicator = anon.find((o) => o.id === indicator.id)!;
    assert.ok(anonIndicator, 'the CLEAR note is exported');
    assert.equal(anonIndicator.content, undefined, 'its RED content is not');
    assert.deepEqual(anonIndicator.labels, ['public']);
    assert.equal(anonIndicator.granular_markings, undefined);
    assert.ok(!JSON.stringify(anon).includes('RED detail'), 'nor is the campaign whose part is RED');
    const red = await exportAs(bearer(keys.adminRed));
    assert.equal(red.find((o) => o.id === indicator.id)!.content, 'RED-marked detail');
    const only = await exportAs(bearer(keys.adminRed), [indicator.id]);
    assert.ok(only.some((o) => o.id === indicator.id) && !only.some((o) => o.id === other.id), 'includeRaw honours ids');
  });

  it('item 3: a bundle with an object nested 10,000 deep is rejected whole, naming it; nothing is written (API and CLI)', async () => {
    // Written as text: JSON.stringify itself cannot go that deep.
    const deep = `${'{"x":'.repeat(10_000)}"bottom"${'}'.repeat(10_000)}`;
    const withDeep = (o: object) => JSON.stringify(o).replace('"DEEP"', deep);
    const campaignId = `campaign--${uuid(5)}`;
    const objects = [
      { type: 'campaign', spec_version: '2.1', id: campaignId, created: '2024-03-01T00:00:00.000Z', modified: '2024-03-01T00:00:00.000Z', name: 'Deep-bundle campaign' },
      { type: 'x-deep', spec_version: '2.1', id: `x-deep--${uuid(6)}`, created: '2024-03-01T00:00:00.000Z', modified: '2024-03-01T00:00:00.000Z', payload: 'DEEP' },
    ];
    const res = await app.fetch('http://test/graphql', {
      method: 'POST', headers: { 'content-type': 'application/json', ...bearer(keys.adminRed) },
      body: withDeep({ query: 'mutation($b: JSON!) { importStix(bundle: $b) { created } }', variables: { b: bundle(objects) } }),
    });
    const r = await res.json() as { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
    assert.equal(r.errors?.[0].extensions?.code, 'BAD_USER_INPUT', JSON.stringify(r.errors));
    assert.match(r.errors[0].message, /objects\[1\] \(x-deep--.*nested deeper than 32 levels/);
    assert.equal(await props(ex, campaignId), undefined, 'the campaign was not committed');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deep-'));
    const file = path.join(dir, 'deep.json');
    fs.writeFileSync(file, withDeep(bundle(objects)));
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'cli/import.ts', file], { cwd: projectRoot, env: process.env, encoding: 'utf8', timeout: 120_000 });
    assert.equal(cli.status, 1);
    assert.match(cli.stderr, /malformed STIX bundle, nothing was written.*objects\[1\].*nested deeper than 32 levels/);
    assert.doesNotMatch(cli.stderr, /Maximum call stack/);
    assert.equal(await props(ex, campaignId), undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('item 4: an 8,200-character name is BAD_USER_INPUT naming the object and the field, not an internal error', async () => {
    const long = 'N'.repeat(8_200);
    const objects = [
      { type: 'campaign', spec_version: '2.1', id: `campaign--${uuid(7)}`, created: '2024-03-01T00:00:00.000Z', modified: '2024-03-01T00:00:00.000Z', name: 'Fine' },
      { type: 'intrusion-set', spec_version: '2.1', id: `intrusion-set--${uuid(8)}`, created: '2024-03-01T00:00:00.000Z', modified: '2024-03-01T00:00:00.000Z', name: long },
    ];
    const r = await gql(app, 'mutation($b: JSON!) { importStix(bundle: $b) { created } }', { b: bundle(objects) }, bearer(keys.adminRed));
    assert.equal(r.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.match(r.errors[0].message, /objects\[1\] \(intrusion-set--a0000000-0000-4000-8000-000000000008\): name: 8200 characters, more than the 1,000 allowed/);
    const u = await gql(app, 'mutation($n: String!) { upsertEntities(input: [{ id: "long-name", kind: NARRATIVE, name: $n }]) { created } }', { n: long }, bearer(keys.adminRed));
    assert.equal(u.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.match(u.errors[0].message, /entities\[0\] \(long-name\) name: 8200 characters/);
  });

  it('item 5: an upsert naming only id, kind and name leaves description, aliases and TLP alone; null clears; the audit shows the change only', async () => {
    const q = 'mutation($i: [EntityInput!]!) { upsertEntities(input: $i) { created updated unchanged } }';
    await gql(app, q, { i: [{ id: 'patch-me', kind: 'NARRATIVE', name: 'Patch', description: 'kept', aliases: ['P'], tlp: 'GREEN', summary: 's' }] }, bearer(keys.analystAmber));
    const same = await gql<{ upsertEntities: Record<string, number> }>(app, q, { i: [{ id: 'patch-me', kind: 'NARRATIVE', name: 'Patch' }] }, bearer(keys.analystAmber));
    assert.deepEqual(same.data?.upsertEntities, { created: 0, updated: 0, unchanged: 1 });
    let p = await props(ex, 'patch-me');
    assert.deepEqual([p.description, p.aliases, p.tlp, p.summary], ['kept', ['P'], 'GREEN', 's']);
    const cleared = await gql<{ upsertEntities: Record<string, number> }>(app, q, { i: [{ id: 'patch-me', kind: 'NARRATIVE', name: 'Patch', description: null, aliases: null }] }, bearer(keys.analystAmber));
    assert.deepEqual(cleared.data?.upsertEntities, { created: 0, updated: 1, unchanged: 0 });
    p = await props(ex, 'patch-me');
    assert.deepEqual([p.description, p.aliases, p.tlp, p.summary], [undefined, [], 'GREEN', 's']);
    const log = await gql<{ auditLog: { edges: Array<{ node: { action: string; before: unknown; after: unknown } }> } }>(app,
      '{ auditLog(entityId: "patch-me", first: 1) { edges { node { action before after } } } }', {}, bearer(keys.adminRed));
    assert.deepEqual(log.data?.auditLog.edges[0].node, {
      action: 'UPSERT_ENTITY', before: { description: 'kept', aliases: ['P'], aliasText: 'P', aliasKeyText: 'p' }, after: { description: null, aliases: [], aliasText: '', aliasKeyText: '' },
    });
  });

  it('item 6: 20 parallel imports of 5 versions of 12 objects end on the newest of each, with exact counts', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `campaign--${uuid(100 + i, 'c')}`);
    const version = (v: number) => `2024-0${v}-01T00:00:00.000Z`;
    const versionBundle = (v: number) => bundle(ids.map((id) => ({
      type: 'campaign', spec_version: '2.1', id, created: version(1), modified: version(v), name: `Race ${id.slice(-2)}`, description: `version ${v}`,
    })));
    const calls = Array.from({ length: 20 }, (_, i) => gql<{ importStix: { created: number; updated: number; unchanged: number } }>(app,
      'mutation($b: JSON!) { importStix(bundle: $b) { created updated unchanged } }', { b: versionBundle((i % 5) + 1) }, bearer(keys.adminRed)));
    const results = await Promise.all(calls);
    for (const r of results) assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const rows = await ex.read<{ d: string; m: string }>('MATCH (n:Entity) WHERE n.id IN $ids RETURN n.description AS d, n.stixModified AS m', { ids });
    assert.equal(rows.length, 12);
    for (const row of rows) assert.deepEqual(row, { d: 'version 5', m: version(5) }, 'no object ends on an older version');
    const sum = (k: 'created' | 'updated' | 'unchanged') => results.reduce((a, r) => a + r.data!.importStix[k], 0);
    assert.equal(sum('created'), 12, 'each object created once');
    for (const r of results) {
      const { created, updated, unchanged } = r.data!.importStix;
      assert.equal(created + updated + unchanged, 12, 'every record counted exactly once per call');
    }
    assert.ok(sum('updated') <= 12 * 4, `updates happen only when a newer version arrives (${sum('updated')})`);
  });

  it('item 7: export keeps the producer\'s created/modified, so a genuinely newer version still lands after a round trip', async () => {
    const id = `attack-pattern--${uuid(9)}`;
    const v1 = { type: 'attack-pattern', spec_version: '2.1', id, created: '2023-05-01T10:00:00.123Z', modified: '2023-06-01T10:00:00.456Z', name: 'Technique v1' };
    const q = 'mutation($b: JSON!) { importStix(bundle: $b) { created updated unchanged } }';
    await gql(app, q, { b: bundle([v1]) }, bearer(keys.adminRed));
    const out = await gql<{ exportStix: { objects: Array<Record<string, unknown>> } }>(app, 'query($ids: [ID!]) { exportStix(ids: $ids) }', { ids: [id] }, bearer(keys.adminRed));
    const exported = out.data!.exportStix.objects.find((o) => o.id === id)!;
    assert.deepEqual([exported.created, exported.modified], [v1.created, v1.modified], 'as they came, not our write time');
    // Elsewhere: the export is imported, then the producer's next version arrives.
    await ex.write((tx) => ex.run(tx, 'MATCH (n:Entity {id: $id}) DETACH DELETE n', { id }));
    await gql(app, q, { b: bundle([exported]) }, bearer(keys.adminRed));
    const v2 = await gql<{ importStix: Record<string, number> }>(app, q, { b: bundle([{ ...v1, modified: '2024-01-01T00:00:00.000Z', name: 'Technique v2' }]) }, bearer(keys.adminRed));
    assert.deepEqual(v2.data?.importStix, { created: 0, updated: 1, unchanged: 0 });
    assert.equal((await props(ex, id)).name, 'Technique v2');
  });
});
