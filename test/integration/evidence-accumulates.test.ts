// Evidence accumulates (issue 21): a second source asserting a link adds its citation instead of
// replacing the first's; the link's confidence is the highest of its citations'; removing a
// citation is its own audited mutation; corroboration counts the sources a caller can see; a second
// source asserting the opposite is a conflict, one source naming two actors is not. Real Neo4j,
// through the API in-process (docs/model.md, "Evidence accumulates").
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../api/http/app.js';
import type { Executor } from '../../api/store/executor.js';
import { createKey } from '../../api/store/keys.js';
import { writeBatch } from '../../api/store/write-graph.js';
import { createApp, gql, seededExecutor } from '../helpers.js';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const LINK = 'ev-camp-ATTRIBUTED_TO-ev-state';
const LINK_FIELDS = 'id confidence sourceCount citations { source { id } locator quote confidence }';
interface L { id: string; confidence: number; sourceCount: number; citations: Array<{ source: { id: string }; locator: string | null; quote: string | null; confidence: number }> }
const upsert = `mutation($input: [LinkInput!]!) { upsertLinks(input: $input) { created updated unchanged ids } }`;
const attribution = (source: string, locator: string, confidence: number, more: Record<string, unknown> = {}) =>
  ({ type: 'ATTRIBUTED_TO', from: 'ev-camp', to: 'ev-state', confidence, citations: [{ source, locator }], ...more });

describe('evidence accumulates', () => {
  let ex: Executor;
  let app: App;
  const keys: Record<string, string> = {};
  /** A link as the caller sees it, through its subject's links (the id starts with the subject's). */
  const link = async (id = LINK, key = keys.analystRed) => {
    const from = id.split(/-(?:ATTRIBUTED_TO|USES)-/)[0];
    const r = await gql<{ entity: { links: L[] } | null }>(app, `query($id: ID!) { entity(id: $id) { links(first: 500) { ${LINK_FIELDS} } } }`, { id: from }, bearer(key));
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return r.data!.entity?.links.find((l) => l.id === id) ?? null;
  };
  const stored = async (id = LINK) =>
    (await ex.read<{ p: Record<string, unknown> }>('MATCH ()-[r {id: $id}]->() RETURN properties(r) AS p', { id }))[0].p;

  before(async () => {
    ex = await seededExecutor();
    app = createApp({ executor: ex });
    keys.analystRed = (await createKey(ex, 'red analyst', 'ANALYST', 'RED')).key;
    keys.analystGreen = (await createKey(ex, 'green analyst', 'ANALYST', 'GREEN')).key;
    keys.adminRed = (await createKey(ex, 'red admin', 'ADMIN', 'RED')).key;
    await writeBatch(ex, [
      { id: 'ev-camp', kind: 'CAMPAIGN', name: 'Evidence campaign' },
      { id: 'ev-camp2', kind: 'CAMPAIGN', name: 'Joint campaign' },
      { id: 'ev-state', kind: 'STATE_ACTOR', name: 'Evidence state' },
      { id: 'ev-state2', kind: 'STATE_ACTOR', name: 'Evidence state two' },
      { id: 'ev-host', kind: 'HOST', name: 'ev.example' },
      { id: 'ev-a', kind: 'SOURCE', name: 'Report A', title: 'Report A' },
      { id: 'ev-b', kind: 'SOURCE', name: 'Report B', title: 'Report B' },
      { id: 'ev-c', kind: 'SOURCE', name: 'Report C', title: 'Report C' },
      { id: 'ev-amber', kind: 'SOURCE', name: 'Amber report', title: 'Amber report', tlp: 'AMBER' },
    ], []);
  });
  after(() => ex?.close());

  it('a second source asserting the same link adds its citation; the confidence is the highest of the citations\'', async () => {
    const first = await gql<{ upsertLinks: { created: number } }>(app, upsert, { input: [attribution('ev-a', 'P1', 60)] }, bearer(keys.analystRed));
    assert.equal(first.errors, undefined, JSON.stringify(first.errors));
    assert.equal(first.data!.upsertLinks.created, 1);
    const second = await gql<{ upsertLinks: { created: number; updated: number } }>(app, upsert, { input: [attribution('ev-b', 'p. 4', 80)] }, bearer(keys.analystRed));
    assert.equal(second.errors, undefined, JSON.stringify(second.errors));
    assert.deepEqual([second.data!.upsertLinks.created, second.data!.upsertLinks.updated], [0, 1]);
    let l = (await link())!;
    assert.deepEqual(l.citations.map((c) => [c.source.id, c.locator, c.confidence]), [['ev-a', 'P1', 60], ['ev-b', 'p. 4', 80]], 'both citations, each with its writer\'s confidence');
    assert.equal(l.confidence, 80, 'max of the citations\' confidences');
    assert.equal(l.sourceCount, 2);
    // A third, weaker source adds a citation but does not lower the link.
    const third = await gql(app, upsert, { input: [attribution('ev-c', 'ch. 2', 40)] }, bearer(keys.analystRed));
    assert.equal(third.errors, undefined, JSON.stringify(third.errors));
    l = (await link())!;
    assert.equal(l.citations.length, 3);
    assert.equal(l.confidence, 80);
    // The same (source, locator) again updates that citation in place (its quote and confidence), adds none.
    const again = await gql(app, upsert, { input: [{ ...attribution('ev-a', 'P1', 90), citations: [{ source: 'ev-a', locator: 'P1', quote: 'named them' }] }] }, bearer(keys.analystRed));
    assert.equal(again.errors, undefined, JSON.stringify(again.errors));
    l = (await link())!;
    assert.deepEqual(l.citations.map((c) => [c.source.id, c.locator, c.quote, c.confidence]),
      [['ev-a', 'P1', 'named them', 90], ['ev-b', 'p. 4', null, 80], ['ev-c', 'ch. 2', null, 40]]);
    assert.equal(l.confidence, 90);
    // A citation may give its own confidence.
    const own = await gql(app, upsert, { input: [{ ...attribution('ev-b', 'p. 5', 10), citations: [{ source: 'ev-b', locator: 'p. 5', confidence: 95 }] }] }, bearer(keys.analystRed));
    assert.equal(own.errors, undefined, JSON.stringify(own.errors));
    l = (await link())!;
    assert.deepEqual([l.citations.length, l.confidence, l.sourceCount], [4, 95, 3], 'p. 5 of B is a fourth citation, B still one source');
  });

  it('the same write twice adds nothing and reports unchanged', async () => {
    const before = await stored();
    const r = await gql<{ upsertLinks: { created: number; updated: number; unchanged: number } }>(app, upsert,
      { input: [{ ...attribution('ev-b', 'p. 5', 10), citations: [{ source: 'ev-b', locator: 'p. 5', confidence: 95 }] }] }, bearer(keys.analystRed));
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    assert.deepEqual(r.data!.upsertLinks, { created: 0, updated: 0, unchanged: 1, ids: [LINK] });
    const after = await stored();
    assert.deepEqual(after.citeSources, before.citeSources);
    assert.equal(after.updatedAt, before.updatedAt, 'not rewritten');
    // The bulk path (imports) merges the same way: re-writing the first source's row adds nothing.
    await writeBatch(ex, [], [attribution('ev-a', 'P1', 90, { citations: [{ source: 'ev-a', locator: 'P1', quote: 'named them' }] })]);
    assert.deepEqual((await stored()).citeSources, before.citeSources);
    // addCitation of a stored (source, locator) adds none either.
    const add = await gql<{ addCitation: L }>(app, `mutation { addCitation(linkId: "${LINK}", citation: { source: "ev-c", locator: "ch. 2" }) { ${LINK_FIELDS} } }`, {}, bearer(keys.analystRed));
    assert.equal(add.errors, undefined, JSON.stringify(add.errors));
    assert.equal(add.data!.addCitation.citations.length, 4);
  });

  it('removeCitation: audited, the confidence follows, the last citation refused, unknown ones NOT_FOUND', async () => {
    const rm = await gql<{ removeCitation: L }>(app, `mutation { removeCitation(linkId: "${LINK}", sourceId: "ev-b", locator: "p. 5") { ${LINK_FIELDS} } }`, {}, bearer(keys.analystRed));
    assert.equal(rm.errors, undefined, JSON.stringify(rm.errors));
    assert.deepEqual(rm.data!.removeCitation.citations.map((c) => c.locator), ['P1', 'p. 4', 'ch. 2']);
    assert.equal(rm.data!.removeCitation.confidence, 90, 'back to the highest remaining');
    const log = await gql<{ auditLog: { edges: Array<{ node: { action: string; linkId: string; actor: string } }> } }>(app,
      '{ auditLog(first: 5) { edges { node { action linkId actor } } } }', {}, bearer(keys.adminRed));
    const entry = log.data!.auditLog.edges.map((e) => e.node).find((n) => n.action === 'REMOVE_CITATION');
    assert.ok(entry, 'a REMOVE_CITATION audit record');
    assert.equal(entry.linkId, LINK);
    assert.match(entry.actor, /red analyst/);
    const missing = await gql(app, `mutation { removeCitation(linkId: "${LINK}", sourceId: "ev-b", locator: "nowhere") { id } }`, {}, bearer(keys.analystRed));
    assert.equal(missing.errors?.[0].extensions?.code, 'NOT_FOUND');
    const noLink = await gql(app, 'mutation { removeCitation(linkId: "ev-no-such-link", sourceId: "ev-b") { id } }', {}, bearer(keys.analystRed));
    assert.equal(noLink.errors?.[0].extensions?.code, 'NOT_FOUND');
    for (const [s, loc] of [['ev-a', 'P1'], ['ev-b', 'p. 4']]) {
      const r = await gql(app, `mutation { removeCitation(linkId: "${LINK}", sourceId: "${s}", locator: "${loc}") { id } }`, {}, bearer(keys.analystRed));
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    }
    const last = await gql(app, `mutation { removeCitation(linkId: "${LINK}", sourceId: "ev-c", locator: "ch. 2") { id } }`, {}, bearer(keys.analystRed));
    assert.equal(last.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.match(last.errors[0].message, /last citation/);
    const l = (await link())!;
    assert.deepEqual([l.citations.map((c) => c.source.id), l.confidence], [['ev-c'], 40]);
  });

  it('removeCitation on a link or of a source above the caller\'s clearance is FORBIDDEN and removes nothing', async () => {
    await writeBatch(ex, [], [
      { type: 'USES', from: 'ev-camp', to: 'ev-host', confidence: 50, tlp: 'AMBER', citations: [{ source: 'ev-a', locator: 'x' }, { source: 'ev-b', locator: 'y' }] },
      { type: 'ATTRIBUTED_TO', from: 'ev-camp2', to: 'ev-state', confidence: 50, citations: [{ source: 'ev-a', locator: 'x' }, { source: 'ev-amber', locator: 'z' }] },
    ]);
    const hiddenLink = await gql(app, 'mutation { removeCitation(linkId: "ev-camp-USES-ev-host", sourceId: "ev-a", locator: "x") { id } }', {}, bearer(keys.analystGreen));
    assert.equal(hiddenLink.errors?.[0].extensions?.code, 'FORBIDDEN');
    const hiddenSource = await gql(app, 'mutation { removeCitation(linkId: "ev-camp2-ATTRIBUTED_TO-ev-state", sourceId: "ev-amber", locator: "z") { id } }', {}, bearer(keys.analystGreen));
    assert.equal(hiddenSource.errors?.[0].extensions?.code, 'FORBIDDEN');
    assert.deepEqual((await stored('ev-camp-USES-ev-host')).citeSources, ['ev-a', 'ev-b']);
    assert.deepEqual((await stored('ev-camp2-ATTRIBUTED_TO-ev-state')).citeSources, ['ev-a', 'ev-amber']);
    // A GREEN reader sees one source on the second link; RED sees two.
    assert.equal((await link('ev-camp2-ATTRIBUTED_TO-ev-state', keys.analystGreen))!.sourceCount, 1);
    assert.equal((await link('ev-camp2-ATTRIBUTED_TO-ev-state', keys.analystRed))!.sourceCount, 2);
  });

  it('corroboration: links by independent sources, counting only the sources the caller can see', async () => {
    await writeBatch(ex, [], [
      { type: 'ATTRIBUTED_TO', from: 'ev-camp2', to: 'ev-state', confidence: 50, citations: [{ source: 'ev-c', locator: 'w' }, { source: 'ev-a', locator: 'second place' }] },
    ]);
    const q = '{ corroboration(first: 500, minSources: 2) { sourceCount sources { id } link { id } } }';
    type C = { corroboration: Array<{ sourceCount: number; sources: Array<{ id: string }>; link: { id: string } }> };
    const red = await gql<C>(app, q, {}, bearer(keys.analystRed));
    assert.equal(red.errors, undefined, JSON.stringify(red.errors));
    const counts = red.data!.corroboration.map((c) => c.sourceCount);
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'most sources first');
    const mine = (d: C) => d.corroboration.find((c) => c.link.id === 'ev-camp2-ATTRIBUTED_TO-ev-state');
    assert.deepEqual(mine(red.data!)?.sources.map((s) => s.id).sort(), ['ev-a', 'ev-amber', 'ev-c'], 'ev-a counted once for two locators');
    const green = await gql<C>(app, q, {}, bearer(keys.analystGreen));
    assert.equal(mine(green.data!)?.sourceCount, 2, 'the AMBER source is not counted for GREEN');
    assert.ok(!JSON.stringify(green.data).includes('ev-amber'));
    assert.ok(!green.data!.corroboration.some((c) => c.link.id === 'ev-camp-USES-ev-host'), 'nor the AMBER link');
  });

  it('conflicts: a second source asserting the opposite is one; one source naming two actors is not', async () => {
    const q = '{ claims(filter: { conflicting: true }, first: 500) { edges { node { link { id } conflictsWith { id } } } } }';
    type C = { claims: { edges: Array<{ node: { link: { id: string }; conflictsWith: Array<{ id: string }> } }> } };
    const conflictsOf = async (id: string) => {
      const r = await gql<C>(app, q, {}, bearer(keys.analystRed));
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      return r.data!.claims.edges.find((e) => e.node.link.id === id)?.node.conflictsWith.map((x) => x.id) ?? [];
    };
    // One source (ev-b) names two states together: joint attribution.
    await writeBatch(ex, [{ id: 'ev-joint', kind: 'CAMPAIGN', name: 'Joint op' }], [
      { type: 'ATTRIBUTED_TO', from: 'ev-joint', to: 'ev-state', confidence: 70, citations: [{ source: 'ev-b', locator: 'P2' }] },
      { type: 'ATTRIBUTED_TO', from: 'ev-joint', to: 'ev-state2', confidence: 70, citations: [{ source: 'ev-b', locator: 'P2' }] },
    ]);
    assert.deepEqual(await conflictsOf('ev-joint-ATTRIBUTED_TO-ev-state'), [], 'joint attribution is not a conflict');
    // Another source attributing the operation elsewhere alone is.
    await writeBatch(ex, [{ id: 'ev-split', kind: 'CAMPAIGN', name: 'Split op' }], [
      { type: 'ATTRIBUTED_TO', from: 'ev-split', to: 'ev-state', confidence: 70, citations: [{ source: 'ev-a', locator: 'P3' }] },
      { type: 'ATTRIBUTED_TO', from: 'ev-split', to: 'ev-state2', confidence: 70, citations: [{ source: 'ev-c', locator: 'P9' }] },
    ]);
    assert.deepEqual(await conflictsOf('ev-split-ATTRIBUTED_TO-ev-state'), ['ev-split-ATTRIBUTED_TO-ev-state2']);
    // A second source asserting the opposite of a link (NEGATED) is a conflict.
    const neg = await gql(app, upsert, { input: [{ ...attribution('ev-b', 'P7', 70), assertion: 'NEGATED' }] }, bearer(keys.analystRed));
    assert.equal(neg.errors, undefined, JSON.stringify(neg.errors));
    assert.deepEqual(await conflictsOf(LINK), [`${LINK}:negated`]);
    assert.deepEqual(await conflictsOf(`${LINK}:negated`), [LINK]);
  });

  it('a link past the citation cap is refused whole, with the way out', async () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ source: 'ev-a', locator: `cap ${i}` }));
    const first = await gql(app, upsert, { input: [{ type: 'USES', from: 'ev-camp2', to: 'ev-host', confidence: 30, citations: many }] }, bearer(keys.analystRed));
    assert.equal(first.errors, undefined, JSON.stringify(first.errors));
    const more = await gql(app, upsert, { input: [{ type: 'USES', from: 'ev-camp2', to: 'ev-host', confidence: 30, citations: [{ source: 'ev-b', locator: 'one more' }] }] }, bearer(keys.analystRed));
    assert.equal(more.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.match(JSON.stringify(more.errors), /501 citations, more than the 500 allowed.*removeCitation/);
    assert.equal(((await stored('ev-camp2-USES-ev-host')).citeSources as string[]).length, 500);
  });
});
