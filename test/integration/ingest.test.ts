// Report ingest and draft review through the API (issue 19): a report becomes a SOURCE with its
// paragraphs and a draft nobody but its author and admins within clearance can see; reviewing it
// writes only what was accepted, audited, each link citing the report's paragraph and sentence.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../api/http/app.js';
import type { Executor } from '../../api/store/executor.js';
import { createKey } from '../../api/store/keys.js';
import { createApp, gql, seededExecutor } from '../helpers.js';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const code = (r: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => r.errors?.[0]?.extensions?.code;

const REPORT = [
  '# Field note',
  '',
  'Iranian hackers later sent more than 1,500 emails using the website of an Estonian school-textbook company.',
  '',
  'The operators also ran the domain votefacts-now[.]org and the account @fakevoice2020.',
  '',
  'There was no sign that Russia altered the US voter registration data.',
].join('\n');

const DRAFT_FIELDS = `id sourceId title tlp owner pending language paragraphs { locator text }
  entities { key match entityId kind name status writtenId why mentions { locator surface } }
  links { key type from to assertion confidence status writtenId why evidence { locator quote } }`;
const INGEST = `mutation($input: ReportInput!) { ingestReport(input: $input) { ${DRAFT_FIELDS} } }`;
const REVIEW = `mutation($id: ID!, $decisions: [ReviewDecision!], $all: ReviewAction) {
  reviewDraft(id: $id, decisions: $decisions, all: $all) { accepted rejected merged entitiesCreated linksCreated linksUpdated draft { ${DRAFT_FIELDS} } } }`;

interface DraftEntity { key: string; match: string; entityId: string | null; kind: string; name: string; status: string; writtenId: string | null }
interface DraftLink { key: string; type: string; from: string; to: string; assertion: string; confidence: number; status: string; writtenId: string | null; evidence: { locator: string; quote: string }[] }
interface Draft { id: string; sourceId: string; tlp: string; pending: number; paragraphs: { locator: string; text: string }[]; entities: DraftEntity[]; links: DraftLink[] }

describe('ingestReport and reviewDraft', () => {
  let ex: Executor;
  let app: App;
  const keys: Record<string, string> = {};
  let draft: Draft;
  const count = async (cypher: string, params = {}) => (await ex.read<{ n: number }>(cypher, params))[0].n;

  before(async () => {
    ex = await seededExecutor();
    app = createApp({ executor: ex });
    for (const [name, role, tlp] of [['reader', 'READER', 'GREEN'], ['Analyst A', 'ANALYST', 'AMBER'], ['Analyst B', 'ANALYST', 'AMBER'],
      ['Admin', 'ADMIN', 'RED'], ['Green admin', 'ADMIN', 'GREEN']] as const) {
      keys[name] = (await createKey(ex, name, role, tlp)).key;
    }
  });
  after(async () => { await ex.close(); });

  it('refuses bad input, naming the field, and writes nothing', async () => {
    const before = await count('MATCH (n) RETURN count(n) AS n');
    const both = await gql(app, INGEST, { input: { title: 'x', text: 'a', html: '<p>a</p>' } }, bearer(keys['Analyst A']));
    assert.equal(code(both), 'BAD_USER_INPUT');
    assert.equal(both.errors?.[0].extensions?.field, 'input.text');
    const high = await gql(app, INGEST, { input: { title: 'x', text: 'Iran.', tlp: 'RED' } }, bearer(keys['Analyst A']));
    assert.equal(high.errors?.[0].extensions?.field, 'input.tlp');
    assert.equal(code(await gql(app, INGEST, { input: { title: 'x', text: 'Iran.' } }, bearer(keys.reader))), 'FORBIDDEN');
    assert.equal(await count('MATCH (n) RETURN count(n) AS n'), before);
  });

  it('stores the report as a SOURCE with its paragraphs and returns a draft, writing nothing else', async () => {
    const entitiesBefore = await count('MATCH (n:Entity) RETURN count(n) AS n');
    const linksBefore = await count('MATCH ()-[r]->() WHERE r.confidence IS NOT NULL RETURN count(r) AS n');
    const r = await gql<{ ingestReport: Draft }>(app, INGEST, { input: { title: 'Field note on the emails', text: REPORT, tlp: 'AMBER', publisher: 'Test desk', published: '2020-10-23' } }, bearer(keys['Analyst A']));
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    draft = r.data!.ingestReport;
    assert.equal(draft.tlp, 'AMBER');
    assert.deepEqual(draft.paragraphs.map((p) => p.locator), ['P1', 'P2', 'P3', 'P4']);
    const byName = new Map(draft.entities.map((e) => [e.entityId ?? e.name, e]));
    assert.equal(byName.get('group-iranian-hackers-2020')?.match, 'EXISTING');
    assert.equal(byName.get('host-estonian-textbook-site')?.match, 'EXISTING');
    assert.equal(byName.get('votefacts-now.org')?.match, 'NEW');
    assert.equal(byName.get('votefacts-now.org')?.kind, 'HOST');
    assert.equal(byName.get('@fakevoice2020')?.kind, 'PERSONA');
    const key = (id: string) => byName.get(id)?.key;
    const uses = draft.links.find((l) => l.from === key('group-iranian-hackers-2020') && l.type === 'USES' && l.to === key('host-estonian-textbook-site'));
    assert.ok(uses, 'the group uses the website');
    assert.equal(uses.evidence[0].locator, 'P2');
    const negated = draft.links.find((l) => l.from === key('russia') && l.type === 'TAMPERED_WITH' && l.to === key('data-us-voter-registration'));
    assert.equal(negated?.assertion, 'NEGATED');
    // Only the SOURCE was written.
    assert.equal(await count('MATCH (n:Entity) RETURN count(n) AS n'), entitiesBefore + 1);
    assert.equal(await count('MATCH ()-[r]->() WHERE r.confidence IS NOT NULL RETURN count(r) AS n'), linksBefore);
    const source = await gql<{ entity: { kind: string; name: string; tlp: string } }>(app, `{ entity(id: "${draft.sourceId}") { kind name tlp } }`, {}, bearer(keys['Analyst A']));
    assert.deepEqual(source.data?.entity, { kind: 'SOURCE', name: 'Field note on the emails', tlp: 'AMBER' });
    const paras = await gql<{ sourceParagraphs: { locator: string }[] | null }>(app, `{ sourceParagraphs(sourceId: "${draft.sourceId}") { locator } }`, {}, bearer(keys['Analyst A']));
    assert.equal(paras.data?.sourceParagraphs?.length, 4);
    const hidden = await gql<{ sourceParagraphs: unknown }>(app, `{ sourceParagraphs(sourceId: "${draft.sourceId}") { locator } }`, {}, bearer(keys.reader));
    assert.equal(hidden.data?.sourceParagraphs, null);
  });

  it('is visible to its author and to admins within clearance only; to others it does not exist', async () => {
    const get = (who: string) => gql<{ draft: { id: string } | null; drafts: { id: string }[] }>(app, `{ draft(id: "${draft.id}") { id } drafts { id } }`, {}, bearer(keys[who]));
    for (const who of ['Analyst A', 'Admin']) {
      const r = await get(who);
      assert.equal(r.data?.draft?.id, draft.id, who);
      assert.ok(r.data?.drafts.some((d) => d.id === draft.id), who);
    }
    for (const who of ['Analyst B', 'Green admin']) {
      const r = await get(who);
      assert.equal(r.data?.draft, null, who);
      assert.ok(!r.data?.drafts.some((d) => d.id === draft.id), who);
      const review = await gql(app, REVIEW, { id: draft.id, all: 'ACCEPT' }, bearer(keys[who]));
      assert.equal(code(review), 'NOT_FOUND', who);
    }
    assert.equal(code(await get('reader')), 'FORBIDDEN');
    assert.equal(await count('MATCH (d:Draft {id: $id}) RETURN count(d) AS n', { id: draft.id }), 1);
    assert.equal(await count('MATCH (d:Draft:Entity) RETURN count(d) AS n'), 0, 'a draft is no entity');
  });

  it('accepts, edits and rejects item by item, writing only what was accepted, with citations and audit', async () => {
    const byName = new Map(draft.entities.map((e) => [e.entityId ?? e.name, e]));
    const domain = byName.get('votefacts-now.org')!;
    const handle = byName.get('@fakevoice2020')!;
    const uses = draft.links.find((l) => l.from === byName.get('group-iranian-hackers-2020')!.key && l.type === 'USES' && l.to === byName.get('host-estonian-textbook-site')!.key)!;
    const handleLink = draft.links.find((l) => l.from === handle.key || l.to === handle.key);
    // A link whose new end is rejected cannot be accepted: the whole review fails, nothing changes.
    if (handleLink) {
      const refused = await gql(app, REVIEW, { id: draft.id, decisions: [{ key: handle.key, action: 'REJECT' }, { key: handleLink.key, action: 'ACCEPT' }] }, bearer(keys['Analyst A']));
      assert.equal(code(refused), 'BAD_USER_INPUT');
      assert.match(refused.errors![0].extensions!.field as string, /^decisions\[1\]/);
    }
    const badType = await gql(app, REVIEW, { id: draft.id, decisions: [{ key: uses.key, action: 'ACCEPT', type: 'AFFILIATED_WITH' }] }, bearer(keys['Analyst A']));
    assert.equal(badType.errors?.[0].extensions?.field, 'decisions[0].type');
    assert.equal(await count('MATCH (n:Entity {name: "votefacts-now.org"}) RETURN count(n) AS n'), 0);

    const r = await gql<{ reviewDraft: { accepted: number; rejected: number; entitiesCreated: number; linksCreated: number; linksUpdated: number; draft: Draft } }>(app, REVIEW, {
      id: draft.id,
      decisions: [
        { key: uses.key, action: 'ACCEPT', confidence: 55 },
        { key: domain.key, action: 'ACCEPT', name: 'votefacts-now.org' },
        { key: handle.key, action: 'REJECT' },
      ],
    }, bearer(keys['Analyst A']));
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const res = r.data!.reviewDraft;
    assert.equal(res.accepted, 2);
    assert.equal(res.rejected, 1);
    assert.equal(res.entitiesCreated, 1);
    assert.equal(res.linksCreated + res.linksUpdated, 1);
    const written = res.draft.links.find((l) => l.key === uses.key)!;
    assert.equal(written.status, 'ACCEPTED');
    const link = await ex.read<{ confidence: number; sources: string[]; locators: string[]; quotes: string[]; tlp: string }>(
      'MATCH ()-[r {id: $id}]->() RETURN r.confidence AS confidence, r.citeSources AS sources, r.citeLocators AS locators, r.citeQuotes AS quotes, r.tlp AS tlp', { id: written.writtenId });
    assert.ok(link[0].sources.includes(draft.sourceId));
    const i = link[0].sources.indexOf(draft.sourceId);
    assert.equal(link[0].locators[i], 'P2');
    assert.match(link[0].quotes[i], /^Iranian hackers later sent more than 1,500 emails/);
    const domainRow = await ex.read<{ kind: string; tlp: string; value: string }>('MATCH (n:Entity {name: "votefacts-now.org"}) RETURN n.kind AS kind, n.tlp AS tlp, n.value AS value');
    assert.deepEqual(domainRow, [{ kind: 'HOST', tlp: 'AMBER', value: 'votefacts-now.org' }]);
    assert.equal(await count('MATCH (n:Entity {name: "@fakevoice2020"}) RETURN count(n) AS n'), 0, 'a rejected entity is not written');
    const audit = await count('MATCH (a:AuditRecord) WHERE a.action IN ["REVIEW_DRAFT", "CREATE_DRAFT"] RETURN count(a) AS n');
    assert.ok(audit >= 2);
    assert.ok(await count('MATCH (a:AuditRecord) WHERE a.linkId = $id RETURN count(a) AS n', { id: written.writtenId }) >= 1, 'the link write is audited');

    // The same item cannot be decided twice; the rest can be rejected at once, writing nothing.
    const again = await gql(app, REVIEW, { id: draft.id, decisions: [{ key: uses.key, action: 'REJECT' }] }, bearer(keys['Analyst A']));
    assert.equal(code(again), 'BAD_USER_INPUT');
    const linksBefore = await count('MATCH ()-[r]->() WHERE r.confidence IS NOT NULL RETURN count(r) AS n');
    const rest = await gql<{ reviewDraft: { draft: Draft } }>(app, REVIEW, { id: draft.id, all: 'REJECT' }, bearer(keys.Admin));
    assert.equal(rest.data?.reviewDraft.draft.pending, 0);
    assert.equal(await count('MATCH ()-[r]->() WHERE r.confidence IS NOT NULL RETURN count(r) AS n'), linksBefore);
  });

  it('merges a new entity into an existing one and takes HTML through Readability', async () => {
    const html = `<html><head><title>Page</title></head><body><nav>Menu Login Subscribe</nav><article><h1>Takedown</h1>
      <p>The network operated the domain merge-me[.]net and Iran promoted it widely in the region, according to the team.</p>
      <p>It also used the domain merge-me[.]net to reach Democratic voters in several states before the vote.</p>
      <p>Analysts tracked the activity for several months before removing it from the platform entirely.</p></article>
      <footer>Copyright footer</footer></body></html>`;
    const r = await gql<{ ingestReport: Draft }>(app, INGEST, { input: { title: 'HTML report', html } }, bearer(keys['Analyst A']));
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const d = r.data!.ingestReport;
    assert.ok(!d.paragraphs.some((p) => /Subscribe|footer/.test(p.text)));
    const domain = d.entities.find((e) => e.name === 'merge-me.net')!;
    const m = await gql<{ reviewDraft: { merged: number; draft: Draft } }>(app, REVIEW, { id: d.id, decisions: [{ key: domain.key, action: 'MERGE', into: 'host-estonian-textbook-site' }] }, bearer(keys['Analyst A']));
    assert.equal(m.errors, undefined, JSON.stringify(m.errors));
    assert.equal(m.data?.reviewDraft.merged, 1);
    assert.equal(m.data?.reviewDraft.draft.entities.find((e) => e.key === domain.key)?.writtenId, 'host-estonian-textbook-site');
    assert.equal(await count('MATCH (n:Entity {name: "merge-me.net"}) RETURN count(n) AS n'), 0);
  });
});
