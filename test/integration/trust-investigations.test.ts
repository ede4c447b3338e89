// Saved investigations: who may save, overwrite, rename and delete them (owner or admin, checked
// in the write transaction), what a reader gets back (only entities within their clearance), and
// the audit trail of every change.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../api/http/app.js';
import type { Executor } from '../../api/store/executor.js';
import { createKey } from '../../api/store/keys.js';
import { createApp, gql, seededExecutor } from '../helpers.js';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const AMBER_ID = 'group-amber-inv-test';
const AMBER_NAME = 'Amberline investigation unit';

const SAVE = `mutation($input: InvestigationInput!) { saveInvestigation(input: $input) { id name owner ownerKeyId updatedBy state } }`;
const RENAME = 'mutation($id: ID!, $name: String!) { renameInvestigation(id: $id, name: $name) { id name updatedBy } }';
const DELETE = 'mutation($id: ID!) { deleteInvestigation(id: $id) }';
const GET = 'query($id: ID!) { investigation(id: $id) { id name owner ownerKeyId state } }';

interface Inv { id: string; name: string; owner: string; ownerKeyId: string | null; updatedBy?: string; state: Record<string, unknown> }

/** What the viewer saves (viewer/src/state/url.ts ViewState), plus extras a script might store. */
function viewState(ids: string[]) {
  return {
    nodes: ids.map((id, i) => ({ id, x: i * 10, y: i * 20 })),
    hidden: [ids[ids.length - 1]],
    selected: ids[ids.length - 1],
    filters: { kinds: [], types: [], minConfidence: 0, tlpMax: null, includeNegated: true, timeMode: 'all', asOf: null, from: null, to: null },
    layout: 'fcose',
    webgl: false,
    // Not what the viewer saves, but a state is any JSON: names and maps keyed by id must go too.
    labels: Object.fromEntries(ids.map((id) => [id, id === AMBER_ID ? AMBER_NAME : id])),
    elements: ids.map((id) => ({ group: 'nodes', data: { id, name: id === AMBER_ID ? AMBER_NAME : id } })),
    focus: { id: ids[ids.length - 1], name: ids[ids.length - 1] === AMBER_ID ? AMBER_NAME : 'x' },
  };
}

describe('investigations: owner, rights, clearance, audit', () => {
  let ex: Executor;
  let app: App;
  const keys: Record<string, string> = {};
  const keyIds: Record<string, string> = {};

  const code = (r: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => r.errors?.[0]?.extensions?.code;
  const stored = async (id: string) => {
    const rows = await ex.read<{ i: { properties: Record<string, unknown> } }>('MATCH (i:Investigation {id: $id}) RETURN i', { id });
    return rows[0]?.i.properties ?? null;
  };

  before(async () => {
    ex = await seededExecutor();
    app = createApp({ executor: ex });
    for (const [name, role, tlp] of [['reader', 'READER', 'GREEN'], ['Analyst A', 'ANALYST', 'AMBER'], ['Analyst B', 'ANALYST', 'AMBER'],
      ['Admin', 'ADMIN', 'RED']] as const) {
      const k = await createKey(ex, name, role, tlp);
      keys[name] = k.key;
      keyIds[name] = k.record.id;
    }
    const r = await gql(app, `mutation { upsertEntities(input: [{ id: "${AMBER_ID}", kind: THREAT_GROUP, name: "${AMBER_NAME}", tlp: AMBER }]) { created } }`,
      {}, bearer(keys['Analyst A']));
    assert.equal(r.errors, undefined);
  });
  after(() => ex.close());

  it('anonymous save → UNAUTHENTICATED, reader save → FORBIDDEN; nothing is stored', async () => {
    const input = { id: 'inv-denied', name: 'denied', state: viewState(['iran']) };
    assert.equal(code(await gql(app, SAVE, { input })), 'UNAUTHENTICATED');
    assert.equal(code(await gql(app, SAVE, { input }, bearer(keys.reader))), 'FORBIDDEN');
    assert.equal(await stored('inv-denied'), null);
  });

  it('analyst A saves: the owner is recorded (key name and id); a new id creates', async () => {
    const r = await gql<{ saveInvestigation: Inv }>(app, SAVE, { input: { id: 'inv-a', name: 'A’s case', state: viewState(['iran', 'russia', AMBER_ID]) } },
      bearer(keys['Analyst A']));
    assert.equal(r.errors, undefined);
    assert.equal(r.data?.saveInvestigation.owner, 'Analyst A');
    assert.equal(r.data?.saveInvestigation.ownerKeyId, keyIds['Analyst A']);
    assert.ok(JSON.stringify(r.data?.saveInvestigation.state).includes(AMBER_ID), 'the AMBER owner gets the AMBER entity back');
    const noId = await gql<{ saveInvestigation: Inv }>(app, SAVE, { input: { name: 'generated id', state: {} } }, bearer(keys['Analyst A']));
    assert.match(noId.data?.saveInvestigation.id ?? '', /^[0-9a-f-]{36}$/);
  });

  it('analyst B may not overwrite, rename or delete A’s investigation; it stays exactly as it was', async () => {
    const before = await stored('inv-a');
    const asB = bearer(keys['Analyst B']);
    const save = await gql(app, SAVE, { input: { id: 'inv-a', name: 'hijacked', state: { nodes: [] } } }, asB);
    assert.equal(code(save), 'FORBIDDEN');
    assert.match(save.errors?.[0].message ?? '', /only the owner or an admin/i);
    assert.equal(code(await gql(app, RENAME, { id: 'inv-a', name: 'hijacked' }, asB)), 'FORBIDDEN');
    assert.equal(code(await gql(app, DELETE, { id: 'inv-a' }, asB)), 'FORBIDDEN');
    assert.deepEqual(await stored('inv-a'), before, 'every property unchanged');
  });

  it('the owner may overwrite and rename; an admin may too, and the owner stays', async () => {
    const asA = bearer(keys['Analyst A']);
    const o = await gql<{ saveInvestigation: Inv }>(app, SAVE, { input: { id: 'inv-a', name: 'A’s case v2', state: viewState(['iran', AMBER_ID]) } }, asA);
    assert.equal(o.errors, undefined);
    assert.equal(o.data?.saveInvestigation.name, 'A’s case v2');
    const rn = await gql<{ renameInvestigation: Inv }>(app, RENAME, { id: 'inv-a', name: 'A’s case v3' }, asA);
    assert.equal(rn.data?.renameInvestigation.name, 'A’s case v3');
    const admin = await gql<{ renameInvestigation: Inv }>(app, RENAME, { id: 'inv-a', name: 'Renamed by admin' }, bearer(keys.Admin));
    assert.equal(admin.errors, undefined);
    assert.equal(admin.data?.renameInvestigation.updatedBy, 'Admin');
    const s = await gql<{ saveInvestigation: Inv }>(app, SAVE, { input: { id: 'inv-a', name: 'Saved by admin', state: viewState(['iran', AMBER_ID]) } },
      bearer(keys.Admin));
    assert.equal(s.errors, undefined);
    assert.equal(s.data?.saveInvestigation.owner, 'Analyst A', 'overwriting does not change the owner');
    assert.equal(s.data?.saveInvestigation.ownerKeyId, keyIds['Analyst A']);
    // Still A's: A may change it again, B still may not.
    assert.equal((await gql(app, RENAME, { id: 'inv-a', name: 'A’s case' }, asA)).errors, undefined);
    assert.equal(code(await gql(app, RENAME, { id: 'inv-a', name: 'x' }, bearer(keys['Analyst B']))), 'FORBIDDEN');
  });

  it('rename and delete of an unknown id → NOT_FOUND; bad names → BAD_USER_INPUT', async () => {
    assert.equal(code(await gql(app, RENAME, { id: 'no-such-inv', name: 'x' }, bearer(keys.Admin))), 'NOT_FOUND');
    assert.equal(code(await gql(app, DELETE, { id: 'no-such-inv' }, bearer(keys.Admin))), 'NOT_FOUND');
    assert.equal(code(await gql(app, RENAME, { id: 'inv-a', name: '  ' }, bearer(keys['Analyst A']))), 'BAD_USER_INPUT');
  });

  it('a GREEN reader opening an investigation with an AMBER entity gets no trace of it in the state', async () => {
    const q = `query($id: ID!) { investigation(id: $id) { state } investigations(first: 500) { id state } }`;
    const asReader = await gql<{ investigation: Inv; investigations: Inv[] }>(app, q, { id: 'inv-a' }, bearer(keys.reader));
    const anon = await gql<{ investigation: Inv; investigations: Inv[] }>(app, q, { id: 'inv-a' });
    const asOwner = await gql<{ investigation: Inv }>(app, q, { id: 'inv-a' }, bearer(keys['Analyst A']));
    for (const r of [asReader, anon]) {
      assert.equal(r.errors, undefined);
      const text = JSON.stringify(r.data);
      assert.ok(!text.includes(AMBER_ID), `no AMBER id anywhere: ${text.slice(0, 400)}`);
      assert.ok(!text.includes(AMBER_NAME), 'and no AMBER name');
      const state = r.data?.investigation.state as ReturnType<typeof viewState>;
      assert.deepEqual(state.nodes, [{ id: 'iran', x: 0, y: 0 }], 'the visible node keeps its position');
      assert.deepEqual(state.hidden, []);
      assert.equal(state.selected, null);
      assert.deepEqual(Object.keys(state.labels), ['iran']);
      assert.deepEqual(state.elements, [{ group: 'nodes', data: { id: 'iran', name: 'iran' } }]);
      assert.equal(state.focus, null, 'an object whose id is hidden goes, name and all');
      assert.equal(state.layout, 'fcose', 'the rest of the state stays');
      assert.deepEqual(state.filters, viewState([]).filters);
    }
    const ownerState = asOwner.data?.investigation.state as ReturnType<typeof viewState>;
    assert.deepEqual(ownerState.nodes.map((n) => n.id), ['iran', AMBER_ID], 'the AMBER owner still sees both');
    assert.equal(ownerState.selected, AMBER_ID);
  });

  it('regression: an owner cleared below what an admin added cannot save over it (that would delete the hidden entries)', async () => {
    const red = await createKey(ex, 'Red admin', 'ADMIN', 'RED');
    const w = await gql(app, 'mutation { upsertEntities(input: [{ id: "red-inv-entity", kind: NARRATIVE, name: "Red narrative", tlp: RED }]) { created } }', {}, bearer(red.key));
    assert.equal(w.errors, undefined);
    const mine = await gql<{ saveInvestigation: Inv }>(app, SAVE, { input: { id: 'inv-hidden-loss', name: 'Mine', state: viewState(['iran']) } }, bearer(keys['Analyst A']));
    assert.equal(mine.errors, undefined);
    const added = await gql(app, SAVE, { input: { id: 'inv-hidden-loss', name: 'Mine', state: viewState(['iran', 'red-inv-entity']) } }, bearer(red.key));
    assert.equal(added.errors, undefined);
    const opened = await gql<{ investigation: Inv }>(app, GET, { id: 'inv-hidden-loss' }, bearer(keys['Analyst A']));
    const over = await gql(app, SAVE, { input: { id: 'inv-hidden-loss', name: 'Mine', state: opened.data!.investigation.state } }, bearer(keys['Analyst A']));
    assert.equal(code(over), 'FORBIDDEN');
    assert.match(over.errors![0].message, /above your clearance.*Save it as a new investigation/);
    assert.ok(String((await stored('inv-hidden-loss')).state).includes('red-inv-entity'), 'the RED entry is still saved');
  });

  it('the owner may delete; every save, rename and delete is in the audit trail with a summary, not the state', async () => {
    const d = await gql<{ deleteInvestigation: boolean }>(app, DELETE, { id: 'inv-a' }, bearer(keys['Analyst A']));
    assert.equal(d.data?.deleteInvestigation, true);
    assert.equal(await stored('inv-a'), null);
    const rows = await ex.read<{ action: string; actor: string; before: string | null; after: string | null }>(
      `MATCH (a:AuditRecord) WHERE a.action ENDS WITH '_INVESTIGATION' AND (a.before CONTAINS '"inv-a"' OR a.after CONTAINS '"inv-a"')
       RETURN a.action AS action, a.actor AS actor, a.before AS before, a.after AS after ORDER BY a.at, a.id`);
    const actions = rows.map((r) => r.action);
    assert.equal(actions.filter((a) => a === 'SAVE_INVESTIGATION').length, 3, `three saves: ${actions.join(',')}`);
    assert.equal(actions.filter((a) => a === 'RENAME_INVESTIGATION').length, 3);
    assert.deepEqual(actions.filter((a) => a === 'DELETE_INVESTIGATION'), ['DELETE_INVESTIGATION']);
    const create = rows.find((r) => r.action === 'SAVE_INVESTIGATION' && r.before === null);
    assert.ok(create, 'the first save has no before');
    assert.deepEqual(JSON.parse(create.after as string), { id: 'inv-a', name: 'A’s case', description: null, owner: 'Analyst A', ownerKeyId: keyIds['Analyst A'], nodes: 3 });
    assert.match(create.actor, /Analyst A \[key /);
    const del = rows.find((r) => r.action === 'DELETE_INVESTIGATION');
    assert.equal(del?.after, null);
    assert.ok(rows.every((r) => !(r.after ?? '').includes('"x":')), 'no state (positions) in the trail');
    assert.ok(rows.some((r) => r.actor.startsWith('Admin [key ')), 'the admin’s changes are named');
    // The refused attempts left no record.
    assert.ok(rows.every((r) => !(r.after ?? '').includes('hijacked')));
    const log = await gql<{ auditLog: { edges: Array<{ node: { action: string } }> } }>(app, '{ auditLog(first: 50) { edges { node { action } } } }', {},
      bearer(keys.Admin));
    assert.ok(log.data?.auditLog.edges.some((e) => e.node.action === 'DELETE_INVESTIGATION'), 'admins read them through auditLog');
  });

  it('investigations saved before owners were recorded: a key named in the old owner text owns it; no key → admins only', async () => {
    await ex.write((tx) => ex.run(tx, `CREATE (:Investigation {id: 'inv-legacy-key', name: 'old', state: '{}', owner: $owner, createdAt: $now, updatedAt: $now}),
      (:Investigation {id: 'inv-legacy-anon', name: 'old anon', state: '{}', owner: 'anonymous', createdAt: $now, updatedAt: $now})`,
    { owner: `Analyst A [key ${keyIds['Analyst A']}]`, now: new Date().toISOString() }));
    const got = await gql<{ investigation: Inv }>(app, GET, { id: 'inv-legacy-key' });
    assert.equal(got.data?.investigation.owner, 'Analyst A');
    assert.equal(got.data?.investigation.ownerKeyId, keyIds['Analyst A']);
    assert.equal(code(await gql(app, RENAME, { id: 'inv-legacy-key', name: 'x' }, bearer(keys['Analyst B']))), 'FORBIDDEN');
    assert.equal((await gql(app, SAVE, { input: { id: 'inv-legacy-key', name: 'kept', state: {} } }, bearer(keys['Analyst A']))).errors, undefined);
    assert.equal((await stored('inv-legacy-key'))?.ownerKeyId, keyIds['Analyst A'], 'the owner is now recorded as such');
    assert.equal(code(await gql(app, SAVE, { input: { id: 'inv-legacy-anon', name: 'x', state: {} } }, bearer(keys['Analyst A']))), 'FORBIDDEN');
    assert.equal((await gql(app, DELETE, { id: 'inv-legacy-anon' }, bearer(keys.Admin))).errors, undefined);
  });

  it('concurrent overwrites by another analyst never slip past the owner check', async () => {
    const asA = bearer(keys['Analyst A']);
    assert.equal((await gql(app, SAVE, { input: { id: 'inv-race', name: 'race', state: { nodes: [] } } }, asA)).errors, undefined);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => gql(app, SAVE,
      { input: { id: 'inv-race', name: `race ${i}`, state: { nodes: [] } } }, i % 2 ? bearer(keys['Analyst B']) : asA)));
    assert.deepEqual(results.map(code), [undefined, 'FORBIDDEN', undefined, 'FORBIDDEN', undefined, 'FORBIDDEN']);
    const p = await stored('inv-race');
    assert.match(p?.name as string, /^race [024]$/);
    assert.equal(p?.ownerKeyId, keyIds['Analyst A']);
  });

  it('two analysts creating the same new id at once: one owns it, the other is refused', async () => {
    const [a, b] = await Promise.all([
      gql(app, SAVE, { input: { id: 'inv-same-new', name: 'by A', state: {} } }, bearer(keys['Analyst A'])),
      gql(app, SAVE, { input: { id: 'inv-same-new', name: 'by B', state: {} } }, bearer(keys['Analyst B'])),
    ]);
    assert.deepEqual([code(a), code(b)].sort(), ['FORBIDDEN', undefined].sort());
    const p = await stored('inv-same-new');
    assert.equal(p?.name, code(a) ? 'by B' : 'by A');
  });
});
