// Notes on entities, links and investigations (issue 18): who may add and delete them, the marking
// rule (never below what they annotate), clearance (invisible, uncountable, undeletable and
// unprobeable above it), bad input naming the field, the audit trail, and investigations'
// descriptions, notes, rename and delete.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../api/http/app.js';
import type { Executor } from '../../api/store/executor.js';
import { createKey } from '../../api/store/keys.js';
import { createApp, gql, seededExecutor, type GqlResult } from '../helpers.js';

const AMBER_ID = 'group-amber-notes-test';
const AMBER_LINK = 'link-amber-notes-test';
const SEED_ID = 'iran';

const ADD = 'mutation($target: ID!, $text: String!, $tlp: Tlp) { addNote(target: $target, text: $text, tlp: $tlp) { id target targetType text tlp author authorKeyId createdAt } }';
const LIST = 'query($target: ID!, $first: Int) { notes(target: $target, first: $first) { id text tlp author } }';
const DELETE = 'mutation($id: ID!) { deleteNote(id: $id) }';

interface Note { id: string; target: string; targetType: string; text: string; tlp: string; author: string; authorKeyId: string | null; createdAt: string }

describe('notes: marking, clearance, rights, bad input, audit; investigations with descriptions and notes', () => {
  let ex: Executor;
  let app: App;
  const keys: Record<string, string> = {};
  const keyIds: Record<string, string> = {};
  const as = (who: string): Record<string, string> => (who === 'anonymous' ? {} : { authorization: `Bearer ${keys[who]}` });
  const code = (r: GqlResult) => r.errors?.[0]?.extensions?.code;
  const field = (r: GqlResult) => r.errors?.[0]?.extensions?.field;
  const add = async (who: string, target: string, text: string, tlp?: string) => gql<{ addNote: Note }>(app, ADD, { target, text, tlp }, as(who));
  const list = async (who: string, target: string) => {
    const r = await gql<{ notes: Note[] }>(app, LIST, { target }, as(who));
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return r.data?.notes ?? [];
  };
  const stored = async () => (await ex.read<{ c: number }>('MATCH (n:Note) RETURN count(n) AS c'))[0].c;
  const audits = async (action: string) => ex.read<{ after: string | null; before: string | null; tlp: string }>(
    'MATCH (a:AuditRecord {action: $action}) RETURN a.after AS after, a.before AS before, a.tlp AS tlp ORDER BY a.at', { action });

  before(async () => {
    ex = await seededExecutor();
    app = createApp({ executor: ex });
    for (const [name, role, tlp] of [['reader', 'READER', 'GREEN'], ['Green analyst', 'ANALYST', 'GREEN'], ['Analyst A', 'ANALYST', 'AMBER'],
      ['Analyst B', 'ANALYST', 'AMBER'], ['Admin', 'ADMIN', 'RED']] as const) {
      const k = await createKey(ex, name, role, tlp);
      keys[name] = k.key;
      keyIds[name] = k.record.id;
    }
    const e = await gql(app, `mutation { upsertEntities(input: [{ id: "${AMBER_ID}", kind: THREAT_GROUP, name: "Amberline notes unit", tlp: AMBER }]) { created } }`, {}, as('Analyst A'));
    assert.equal(e.errors, undefined);
    const l = await gql(app, `mutation { upsertLinks(input: [{ id: "${AMBER_LINK}", type: ATTRIBUTED_TO, from: "${AMBER_ID}", to: "${SEED_ID}",
      confidence: 60, tlp: GREEN, citations: [{ source: "src-article", locator: "P10" }] }]) { created } }`, {}, as('Analyst A'));
    assert.equal(l.errors, undefined);
  });
  after(() => ex.close());

  it('an analyst annotates an entity: author, key, time and the entity’s marking; anyone within clearance reads it; audited', async () => {
    const r = await add('Analyst A', SEED_ID, '  Check the 2019 registrations too.  ');
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const n = r.data!.addNote;
    assert.match(n.id, /^note-[0-9a-f-]{36}$/);
    assert.deepEqual([n.target, n.targetType, n.text, n.tlp, n.author, n.authorKeyId], [SEED_ID, 'ENTITY', 'Check the 2019 registrations too.', 'CLEAR', 'Analyst A', keyIds['Analyst A']]);
    assert.ok(Date.now() - Date.parse(n.createdAt) < 60_000);
    assert.deepEqual((await list('anonymous', SEED_ID)).map((x) => x.id), [n.id], 'a CLEAR note on a CLEAR entity is public');
    const [audit] = await audits('ADD_NOTE');
    assert.equal(JSON.parse(audit.after!).text, 'Check the 2019 registrations too.');
  });

  it('a note is never below what it annotates: on an AMBER entity it is AMBER, on a GREEN link to an AMBER end it is AMBER', async () => {
    const onEntity = await add('Analyst A', AMBER_ID, 'Same registrar as the Iran set.', 'GREEN');
    assert.equal(onEntity.data?.addNote.tlp, 'AMBER');
    const onLink = await add('Analyst A', AMBER_LINK, 'Attribution rests on P10 only.');
    assert.deepEqual([onLink.data?.addNote.targetType, onLink.data?.addNote.tlp], ['LINK', 'AMBER']);
    const stronger = await add('Analyst A', SEED_ID, 'Marked higher than its entity on purpose.', 'AMBER');
    assert.equal(stronger.data?.addNote.tlp, 'AMBER', 'a higher marking is kept');
    assert.equal((await list('Analyst B', AMBER_LINK)).length, 1);
    assert.deepEqual(await list('reader', AMBER_LINK), [], 'a GREEN reader sees no note on the link (its end is AMBER)');
    assert.deepEqual(await list('reader', AMBER_ID), []);
    assert.ok(!(await list('reader', SEED_ID)).some((x) => x.tlp === 'AMBER'), 'the AMBER note on a CLEAR entity is not listed for GREEN');
  });

  it('above clearance a note cannot be listed, counted, deleted or told apart from a missing one', async () => {
    const red = await add('Admin', SEED_ID, 'RED: source is a named insider.', 'RED');
    assert.equal(red.data?.addNote.tlp, 'RED');
    const seenByA = await list('Analyst A', SEED_ID);
    assert.ok(!seenByA.some((x) => x.id === red.data!.addNote.id), 'not listed for AMBER');
    assert.ok((await list('Admin', SEED_ID)).length === seenByA.length + 1, 'the admin counts one more');
    const hidden = await gql(app, DELETE, { id: red.data.addNote.id }, as('Analyst A'));
    const missing = await gql(app, DELETE, { id: 'note-00000000-0000-0000-0000-000000000000' }, as('Analyst A'));
    assert.deepEqual([code(hidden), code(missing)], ['NOT_FOUND', 'NOT_FOUND']);
    assert.equal(hidden.errors![0].message.replace(/"[^"]+"/, 'ID'), missing.errors![0].message.replace(/"[^"]+"/, 'ID'), 'same answer as for no note');
    // A target above clearance answers like one that does not exist, for reading and for writing.
    const before = await stored();
    const onHidden = await add('Green analyst', AMBER_ID, 'probe');
    const onNothing = await add('Green analyst', 'no-such-id-anywhere', 'probe');
    assert.deepEqual([code(onHidden), code(onNothing)], ['NOT_FOUND', 'NOT_FOUND']);
    assert.equal(await stored(), before, 'nothing written');
  });

  it('a marking above the writer’s clearance is FORBIDDEN; roles: anonymous UNAUTHENTICATED, reader FORBIDDEN; nothing written', async () => {
    const before = await stored();
    const r = await add('Analyst A', SEED_ID, 'too high', 'RED');
    assert.deepEqual([code(r), field(r)], ['FORBIDDEN', 'tlp']);
    assert.equal(code(await add('anonymous', SEED_ID, 'x')), 'UNAUTHENTICATED');
    assert.equal(code(await add('reader', SEED_ID, 'x')), 'FORBIDDEN');
    assert.equal(await stored(), before);
  });

  it('bad input is BAD_USER_INPUT naming the field, and writes nothing', async () => {
    const before = await stored();
    for (const [target, text, want] of [[SEED_ID, '   ', 'text'], [SEED_ID, 'x'.repeat(10_001), 'text'], ['', 'x', 'target'], ['x'.repeat(301), 'x', 'target']] as const) {
      const r = await add('Analyst A', target, text);
      assert.deepEqual([code(r), field(r)], ['BAD_USER_INPUT', want], `${want}: ${r.errors?.[0]?.message}`);
    }
    const bad = await gql(app, LIST, { target: SEED_ID, first: 0 });
    assert.deepEqual([code(bad), field(bad)], ['BAD_USER_INPUT', 'first']);
    const tlp = await gql(app, ADD, { target: SEED_ID, text: 'x', tlp: 'PURPLE' }, as('Analyst A'));
    assert.equal(code(tlp), 'BAD_USER_INPUT');
    assert.equal(await stored(), before);
  });

  it('only the author or an admin deletes a note; the deletion is audited with the text', async () => {
    const mine = (await add('Analyst A', SEED_ID, 'Delete me later.')).data!.addNote;
    const r = await gql(app, DELETE, { id: mine.id }, as('Analyst B'));
    assert.equal(code(r), 'FORBIDDEN');
    assert.ok((await list('Analyst B', SEED_ID)).some((x) => x.id === mine.id), 'still there');
    assert.deepEqual((await gql(app, DELETE, { id: mine.id }, as('Analyst A'))).data, { deleteNote: true });
    const byAdmin = (await add('Analyst B', SEED_ID, 'An admin may remove this.')).data!.addNote;
    assert.deepEqual((await gql(app, DELETE, { id: byAdmin.id }, as('Admin'))).data, { deleteNote: true });
    const ids = (await list('Admin', SEED_ID)).map((x) => x.id);
    assert.ok(!ids.includes(mine.id) && !ids.includes(byAdmin.id));
    const deletions = await audits('DELETE_NOTE');
    assert.deepEqual(deletions.map((a) => JSON.parse(a.before!).text), ['Delete me later.', 'An admin may remove this.']);
  });

  it('investigations: description saved, listed and renamed; notes on them; delete takes their notes, refused when one is above the deleter', async () => {
    const SAVE = 'mutation($input: InvestigationInput!) { saveInvestigation(input: $input) { id description } }';
    const saved = await gql<{ saveInvestigation: { id: string; description: string | null } }>(app, SAVE,
      { input: { id: 'inv-notes', name: 'Registrars', description: 'Who registered the hosts', state: { nodes: [{ id: SEED_ID, x: 0, y: 0 }] } } }, as('Analyst A'));
    assert.equal(saved.data?.saveInvestigation.description, 'Who registered the hosts');
    const kept = await gql<{ saveInvestigation: { description: string } }>(app, SAVE, { input: { id: 'inv-notes', name: 'Registrars', state: {} } }, as('Analyst A'));
    assert.equal(kept.data?.saveInvestigation.description, 'Who registered the hosts', 'left out: kept');
    const long = await gql(app, SAVE, { input: { id: 'inv-notes', name: 'Registrars', description: 'x'.repeat(2001), state: {} } }, as('Analyst A'));
    assert.deepEqual([code(long), field(long)], ['BAD_USER_INPUT', 'input.description']);

    const note = await add('Analyst A', 'inv-notes', 'Start from the Estonian host.');
    assert.deepEqual([note.data?.addNote.targetType, note.data?.addNote.tlp], ['INVESTIGATION', 'CLEAR']);
    const listed = await gql<{ investigations: Array<{ id: string; description: string; notes: Note[] }> }>(app,
      '{ investigations { id description notes { text author } } }');
    const inv = listed.data?.investigations.find((i) => i.id === 'inv-notes');
    assert.deepEqual(inv?.notes.map((n) => n.text), ['Start from the Estonian host.']);

    const renamed = await gql<{ renameInvestigation: { name: string; description: string | null } }>(app,
      'mutation { renameInvestigation(id: "inv-notes", name: "Registrars 2020", description: "") { name description } }', {}, as('Analyst A'));
    assert.deepEqual(renamed.data?.renameInvestigation, { name: 'Registrars 2020', description: null }, 'blank clears the description');
    assert.equal(code(await gql(app, 'mutation { renameInvestigation(id: "inv-notes", name: "mine now") { name } }', {}, as('Analyst B'))), 'FORBIDDEN');

    // An admin's RED note on it: the AMBER owner cannot delete the investigation (it would destroy the note).
    assert.equal((await add('Admin', 'inv-notes', 'RED remark', 'RED')).data?.addNote.tlp, 'RED');
    const refused = await gql(app, 'mutation { deleteInvestigation(id: "inv-notes") }', {}, as('Analyst A'));
    assert.equal(code(refused), 'FORBIDDEN');
    assert.equal((await ex.read<{ c: number }>("MATCH (n:Note {target: 'inv-notes'}) RETURN count(n) AS c"))[0].c, 2, 'nothing deleted');
    assert.equal((await ex.read<{ c: number }>("MATCH (i:Investigation {id: 'inv-notes'}) RETURN count(i) AS c"))[0].c, 1);
    assert.deepEqual((await gql(app, 'mutation { deleteInvestigation(id: "inv-notes") }', {}, as('Admin'))).data, { deleteInvestigation: true });
    assert.equal((await ex.read<{ c: number }>("MATCH (n:Note {target: 'inv-notes'}) RETURN count(n) AS c"))[0].c, 0, 'its notes went with it');
    const [del] = (await audits('DELETE_INVESTIGATION')).slice(-1);
    assert.equal(JSON.parse(del.before!).notes, 2);
  });
});
