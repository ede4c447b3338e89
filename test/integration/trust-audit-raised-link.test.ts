// Regression (found by the full trust property run, PROPERTY_SEED=4242, step 1616): an audit record
// naming a link that was later raised above the reader's clearance still showed the link's id to
// an AMBER admin. Records already hid entities raised after the fact (025bac6); links now too.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../api/http/app.js';
import type { Executor } from '../../api/store/executor.js';
import { createKey } from '../../api/store/keys.js';
import { writeBatch } from '../../api/store/write-graph.js';
import { createApp, gql, seededExecutor } from '../helpers.js';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const LINK = 'raised-camp-TARGETS-raised-tg';
const BULK_LINK = 'raised-camp-TARGETS-raised-tg2';

describe('regression: audit records naming a link later raised above the reader\'s clearance', () => {
  let ex: Executor;
  let app: App;
  const keys: Record<string, string> = {};
  const log = async (key: string, entityId: string) => {
    const r = await gql<{ auditLog: { totalCount: number; edges: Array<{ node: { action: string; linkId: string | null } }> } }>(app,
      'query($e: ID) { auditLog(entityId: $e, first: 50) { totalCount edges { node { action linkId before after } } } }', { e: entityId }, bearer(key));
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return { count: r.data!.auditLog.totalCount, actions: r.data!.auditLog.edges.map((e) => e.node.action), text: JSON.stringify(r.data) };
  };
  before(async () => {
    ex = await seededExecutor();
    app = createApp({ executor: ex });
    keys.adminAmber = (await createKey(ex, 'amber admin', 'ADMIN', 'AMBER')).key;
    keys.adminRed = (await createKey(ex, 'red admin', 'ADMIN', 'RED')).key;
    const w = await gql(app, `mutation { upsertEntities(input: [{ id: "raised-camp", kind: CAMPAIGN, name: "Raised campaign" },
      { id: "raised-tg", kind: TARGET_GROUP, name: "Raised audience" }, { id: "raised-tg2", kind: TARGET_GROUP, name: "Raised audience 2" }]) { created } }`, {}, bearer(keys.adminAmber));
    assert.equal(w.errors, undefined, JSON.stringify(w.errors));
  });
  after(() => ex.close());

  it('upsert and citation records of a link raised to RED no longer show to an AMBER admin; RED still sees them', async () => {
    const link = await gql(app, `mutation { upsertLinks(input: [{ type: TARGETS, from: "raised-camp", to: "raised-tg", confidence: 40, tlp: CLEAR,
      citations: [{ source: "src-article", locator: "P1" }] }]) { created } }`, {}, bearer(keys.adminAmber));
    assert.equal(link.errors, undefined, JSON.stringify(link.errors));
    const cite = await gql(app, `mutation { addCitation(linkId: "${LINK}", citation: { source: "src-article", locator: "P2" }) { id } }`, {}, bearer(keys.adminAmber));
    assert.equal(cite.errors, undefined, JSON.stringify(cite.errors));
    const before = await log(keys.adminAmber, 'raised-tg');
    assert.ok(before.text.includes(LINK) && before.actions.includes('UPSERT_LINK') && before.actions.includes('ADD_CITATION'), 'visible while the link is CLEAR');

    const raise = await gql(app, `mutation { upsertLinks(input: [{ type: TARGETS, from: "raised-camp", to: "raised-tg", confidence: 40, tlp: RED,
      citations: [{ source: "src-article", locator: "P1" }] }]) { updated } }`, {}, bearer(keys.adminRed));
    assert.equal(raise.errors, undefined, JSON.stringify(raise.errors));
    const amber = await log(keys.adminAmber, 'raised-tg');
    assert.ok(!amber.text.includes(LINK), `the AMBER admin sees no record naming the RED link: ${amber.text.slice(0, 400)}`);
    assert.equal(amber.count, before.count - 2, 'and the count leaves them out too');
    const red = await log(keys.adminRed, 'raised-tg');
    assert.equal(red.actions.filter((a) => a !== 'UPSERT_ENTITY').length, 3, 'the RED admin sees both records and the raise');
  });

  it('a bulk write of links names its first link, and hides once that link is raised', async () => {
    await writeBatch(ex, [], [{ type: 'TARGETS', from: 'raised-camp', to: 'raised-tg2', confidence: 30, tlp: 'CLEAR', citations: [{ source: 'src-article' }] }], { actor: 'bulk' });
    const before = await log(keys.adminAmber, 'raised-tg2');
    assert.ok(before.text.includes(BULK_LINK) && before.actions.includes('BULK_WRITE'), before.text.slice(0, 400));
    await writeBatch(ex, [], [{ type: 'TARGETS', from: 'raised-camp', to: 'raised-tg2', confidence: 30, tlp: 'RED', citations: [{ source: 'src-article' }] }], { actor: 'bulk', audit: 'items' });
    const amber = await log(keys.adminAmber, 'raised-tg2');
    assert.ok(!amber.text.includes(BULK_LINK), `the AMBER admin sees no record naming the RED link: ${amber.text.slice(0, 400)}`);
  });

  it('the record of an entity\'s deletion hides once a link it removed is written again above the reader\'s clearance (an id is one thing)', async () => {
    const q = (tlp: string) => `mutation { upsertLinks(input: [{ type: TARGETS, from: "raised-camp", to: "raised-tg3", confidence: 20, tlp: ${tlp},
      citations: [{ source: "src-article" }] }]) { created } }`;
    const entity = 'mutation { upsertEntities(input: [{ id: "raised-tg3", kind: TARGET_GROUP, name: "Raised audience 3" }]) { created } }';
    assert.equal((await gql(app, entity, {}, bearer(keys.adminAmber))).errors, undefined);
    assert.equal((await gql(app, q('AMBER'), {}, bearer(keys.adminAmber))).errors, undefined);
    assert.equal((await gql(app, 'mutation { deleteEntity(id: "raised-tg3") { deleted } }', {}, bearer(keys.adminAmber))).errors, undefined);
    const deleted = await log(keys.adminAmber, 'raised-camp');
    assert.ok(deleted.actions.includes('DELETE_ENTITY') && deleted.text.includes('raised-camp-TARGETS-raised-tg3'), 'the AMBER admin sees its own deletion');
    assert.equal((await gql(app, entity, {}, bearer(keys.adminRed))).errors, undefined);
    assert.equal((await gql(app, q('RED'), {}, bearer(keys.adminRed))).errors, undefined);
    const amber = await log(keys.adminAmber, 'raised-camp');
    assert.ok(!amber.text.includes('raised-camp-TARGETS-raised-tg3'), `no record names the RED link's id: ${amber.text.slice(0, 400)}`);
    assert.ok(!amber.actions.includes('DELETE_ENTITY'));
  });
});
