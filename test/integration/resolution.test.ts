// Entity resolution (issue 16) on the seed graph plus planted duplicates: candidates with reasons,
// within clearance; merge → unmerge restores the graph's fingerprint; edits after a merge survive
// its undo as documented; DIFFERENT pairs are never proposed again; judgements export and import
// (the CLI) so that re-importing the same sources converges. Real Neo4j, through the API.
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
import { SEED_FILE, loadGraphFile } from '../../seed/loader.js';
import { createApp, gql, resetGraph, seededExecutor } from '../helpers.js';
import { PLANTED_DIFFERENT, fingerprint, graphLines, plantedEntities, plantedLinks, plantedScore } from '../resolution-helpers.js';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
interface Cand { a: { id: string }; b: { id: string }; score: number; judgement: string | null; reasons: Array<{ kind: string; detail: string }> }
const CANDIDATES = `query($kind: EntityKind, $min: Float, $first: Int, $after: String) {
  mergeCandidates(kind: $kind, minScore: $min, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { a { id } b { id } score judgement reasons { kind detail score } } } } }`;
const MERGE = `mutation($into: ID!, $from: [ID!]!, $reason: String) { mergeEntities(into: $into, from: $from, reason: $reason) {
  mergeId from linksMoved linksCombined linksDropped citationsRewritten entity { id aliases } } }`;
const UNMERGE = 'mutation($id: ID!) { unmergeEntities(mergeId: $id) { mergeId linksRestored restored { id name } } }';
const JUDGE = 'mutation($a: ID!, $b: ID!, $v: Verdict!, $note: String) { judgeCandidate(a: $a, b: $b, verdict: $v, note: $note) { a b verdict note } }';

describe('entity resolution', () => {
  let ex: Executor;
  let app: App;
  const keys: Record<string, string> = {};
  const call = async <T>(query: string, variables: Record<string, unknown>, key = keys.red) => {
    const r = await gql<T>(app, query, variables, bearer(key));
    return r;
  };
  const ok = async <T>(query: string, variables: Record<string, unknown>, key = keys.red) => {
    const r = await call<T>(query, variables, key);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return r.data!;
  };
  const candidates = async (key = keys.red, vars: Record<string, unknown> = {}) =>
    (await ok<{ mergeCandidates: { totalCount: number; edges: Array<{ node: Cand }> } }>(CANDIDATES, { min: 0.5, first: 500, ...vars }, key)).mergeCandidates;
  const pairOf = (c: Cand): [string, string] => [c.a.id, c.b.id];
  const has = (list: Cand[], a: string, b: string) => list.some((c) => (c.a.id === a && c.b.id === b) || (c.a.id === b && c.b.id === a));

  before(async () => {
    ex = await seededExecutor();
    app = createApp({ executor: ex });
    keys.red = (await createKey(ex, 'red analyst', 'ANALYST', 'RED')).key;
    keys.green = (await createKey(ex, 'green analyst', 'ANALYST', 'GREEN')).key;
    keys.reader = (await createKey(ex, 'reader', 'READER', 'RED')).key;
    await writeBatch(ex, [...plantedEntities,
      { id: 'pl-ck-amber', kind: 'THREAT_GROUP', name: 'Charming Kitten', tlp: 'AMBER' }], plantedLinks);
  });
  after(() => ex?.close());

  it('finds the planted duplicates with their reasons, and not the look-alikes (precision and recall)', async () => {
    const all = (await candidates()).edges.map((e) => e.node);
    const visible = all.filter((c) => c.a.id !== 'pl-ck-amber' && c.b.id !== 'pl-ck-amber');
    const s = plantedScore(visible.map(pairOf));
    console.log(`planted set on the seed: precision ${s.precision.toFixed(2)}, recall ${s.recall.toFixed(2)} (${s.tp} true pairs; false ${JSON.stringify(s.falsePositives)}; missed ${JSON.stringify(s.missed)})`);
    assert.equal(s.recall, 1, `missed ${JSON.stringify(s.missed)}`);
    assert.equal(s.precision, 1, `false positives ${JSON.stringify(s.falsePositives)}`);
    for (const [a, b] of PLANTED_DIFFERENT) assert.ok(!has(all, a, b), `${a} / ${b} must not be proposed`);
    const reasons = (a: string, b: string) => all.find((c) => (c.a.id === a && c.b.id === b))!.reasons.map((r) => r.kind);
    assert.ok(reasons('pl-ck-1', 'pl-ck-2').includes('NAME'));
    assert.ok(reasons('pl-ck-1', 'pl-ck-3').includes('FUZZY_NAME'));
    assert.ok(reasons('iran', 'pl-iran-ar').includes('ALIAS'));
    assert.ok(reasons('pl-host-1', 'pl-host-2').includes('OBSERVABLE'));
    assert.ok(reasons('pl-ck-1', 'pl-ck-2').includes('SHARED_NEIGHBOURS'), 'both are attributed to iran');
    const hosts = await candidates(keys.red, { kind: 'HOST' });
    assert.ok(hosts.edges.every((e) => e.node.reasons.length && has([e.node], e.node.a.id, e.node.b.id)));
    assert.ok(has(hosts.edges.map((e) => e.node), 'pl-host-1', 'pl-host-2'));
    assert.ok(!has(hosts.edges.map((e) => e.node), 'pl-ck-1', 'pl-ck-2'), 'kind filters');
    // Paging: first 2, then the rest after the cursor, same order as the whole list.
    const p1 = (await ok<{ mergeCandidates: { pageInfo: { endCursor: string }; edges: Array<{ node: Cand }> } }>(CANDIDATES, { min: 0.5, first: 2 })).mergeCandidates;
    const p2 = (await ok<{ mergeCandidates: { edges: Array<{ node: Cand }> } }>(CANDIDATES, { min: 0.5, first: 500, after: p1.pageInfo.endCursor })).mergeCandidates;
    assert.deepEqual([...p1.edges, ...p2.edges].map((e) => pairOf(e.node)), all.map(pairOf));
  });

  it('regression: mergeCandidates(after: "") or a foreign cursor is BAD_USER_INPUT naming after, not an internal error', async () => {
    for (const cursor of ['', Buffer.from('not-a-cursor').toString('base64')]) {
      const r = await call(CANDIDATES, { min: 0.5, first: 5, after: cursor });
      assert.equal(r.errors?.[0].extensions?.code, 'BAD_USER_INPUT', JSON.stringify(r.errors));
      assert.match(r.errors?.[0].message ?? '', /after/);
    }
  });

  it('a hidden entity never takes part, for a caller below its marking', async () => {
    const red = await candidates(keys.red);
    assert.ok(red.edges.some((e) => e.node.a.id === 'pl-ck-amber' || e.node.b.id === 'pl-ck-amber'), 'the RED caller sees the AMBER twin');
    const green = await candidates(keys.green);
    assert.ok(!JSON.stringify(green).includes('pl-ck-amber'));
    assert.ok(green.totalCount < red.totalCount);
    const r = await call(JUDGE, { a: 'pl-ck-1', b: 'pl-ck-amber', v: 'SAME' }, keys.green);
    assert.equal(r.errors?.[0].extensions?.code, 'NOT_FOUND', 'judging a hidden entity answers as if it were absent');
    const before = await fingerprint(ex);
    const m = await call(MERGE, { into: 'pl-ck-1', from: ['pl-ck-amber'] }, keys.green);
    assert.equal(m.errors?.[0].extensions?.code, 'FORBIDDEN');
    assert.equal(await fingerprint(ex), before, 'nothing written');
    const reader = await call(MERGE, { into: 'pl-ck-1', from: ['pl-ck-2'] }, keys.reader);
    assert.equal(reader.errors?.[0].extensions?.code, 'FORBIDDEN', 'merging needs the analyst role');
    const bad = await call(MERGE, { into: 'pl-ck-1', from: ['iran'] });
    assert.equal(bad.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.match(bad.errors[0].message, /from/);
    assert.equal(await fingerprint(ex), before);
  });

  it('merge moves links and citations, combines duplicates, keeps old ids resolving; unmerge restores the fingerprint', async () => {
    const before = await fingerprint(ex);
    const { mergeEntities: m } = await ok<{ mergeEntities: { mergeId: string; linksMoved: number; linksCombined: number; entity: { aliases: string[] } } }>(
      MERGE, { into: 'pl-ck-1', from: ['pl-ck-2', 'pl-ck-3'], reason: 'one group' });
    assert.equal(m.linksCombined, 1, 'ck-2 ATTRIBUTED_TO iran joins ck-1\'s (the NEGATED one of ck-3 stays apart)');
    assert.equal(m.linksMoved, 3);
    assert.ok(m.entity.aliases.includes('charming-kitten') && m.entity.aliases.includes('Charming Kiten') && m.entity.aliases.includes('Kitten Team 35'));
    const old = await ok<{ entity: { id: string; resolvedFrom: string; links: Array<{ type: string; to: { id: string }; assertion: string; confidence: number; citations: Array<{ source: { id: string }; locator: string }> }> } }>(
      '{ entity(id: "pl-ck-2") { id resolvedFrom links { type assertion confidence to { id } citations { source { id } locator } } } }', {});
    assert.equal(old.entity.id, 'pl-ck-1');
    assert.equal(old.entity.resolvedFrom, 'pl-ck-2');
    const attributed = old.entity.links.filter((l) => l.type === 'ATTRIBUTED_TO' && l.assertion === 'AFFIRMED');
    assert.equal(attributed.length, 1);
    assert.deepEqual(attributed[0].citations.map((c) => c.locator).sort(), ['p1', 'p2'], 'all citations kept');
    assert.equal(attributed[0].confidence, 80, 'confidence from the citations: the highest');
    assert.equal(old.entity.links.filter((l) => l.type === 'USES').length, 2);
    const search = await ok<{ search: Array<{ entity: { id: string } }> }>('{ search(text: "Charming Kiten") { entity { id } } }', {});
    assert.equal(search.search[0].entity.id, 'pl-ck-1', 'merged names are searchable aliases');
    const after = (await candidates()).edges.map((e) => e.node);
    assert.ok(!after.some((c) => ['pl-ck-2', 'pl-ck-3'].includes(c.a.id) || ['pl-ck-2', 'pl-ck-3'].includes(c.b.id)), 'merged ids are no longer candidates');
    const audit = await ex.read<{ n: number }>('MATCH (a:AuditRecord {action: "MERGE_ENTITIES"}) WHERE a.after CONTAINS $id RETURN count(a) AS n', { id: m.mergeId });
    assert.equal(audit[0].n, 1);
    const again = await call(MERGE, { into: 'pl-ck-3', from: ['pl-ck-2'] });
    assert.equal(again.errors?.[0].extensions?.code, 'BAD_USER_INPUT', 'a merged id is not an entity to merge');
    assert.match(again.errors[0].message, /already merged into "pl-ck-1"/);
    const undo = await ok<{ unmergeEntities: { restored: Array<{ id: string }> } }>(UNMERGE, { id: m.mergeId });
    assert.deepEqual(undo.unmergeEntities.restored.map((e) => e.id).sort(), ['pl-ck-2', 'pl-ck-3']);
    assert.equal(await fingerprint(ex), before, 'entities, links and citations exactly as before');
    const twice = await call(UNMERGE, { id: m.mergeId });
    assert.equal(twice.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
  });

  it('unmerge after later edits: new links stay on the survivor, added evidence and field edits are kept', async () => {
    const { mergeEntities: m } = await ok<{ mergeEntities: { mergeId: string } }>(MERGE, { into: 'pl-ck-1', from: ['pl-ck-2'] });
    // Later: a new link on the survivor, a citation on the moved link, a description, an alias.
    await ok('mutation($i: [LinkInput!]!) { upsertLinks(input: $i) { created } }', { i: [{ type: 'USES', from: 'pl-ck-1', to: 'pl-host-2', confidence: 55, citations: [{ source: 'pl-src-a', locator: 'p9' }] }] });
    const moved = (await ex.read<{ id: string }>('MATCH (:Entity {id: "pl-ck-1"})-[r:USES]->(:Entity {id: "pl-host-1"}) RETURN r.id AS id'))[0].id;
    await ok('mutation($l: ID!) { addCitation(linkId: $l, citation: { source: "pl-src-a", locator: "p10" }) { id } }', { l: moved });
    await ok('mutation { upsertEntities(input: [{ id: "pl-ck-1", kind: THREAT_GROUP, name: "Charming Kitten", description: "edited after the merge" }]) { updated } }', {});
    await ok(UNMERGE, { id: m.mergeId });
    const links = await ex.read<{ from: string; to: string; type: string; locators: string[] }>(
      'MATCH (a:Entity)-[r]->(b:Entity) WHERE a.id IN ["pl-ck-1", "pl-ck-2"] RETURN a.id AS from, b.id AS to, type(r) AS type, r.citeLocators AS locators');
    const find = (from: string, to: string, type: string) => links.find((l) => l.from === from && l.to === to && l.type === type);
    assert.deepEqual(find('pl-ck-1', 'pl-host-2', 'USES')?.locators, ['p9'], 'a link added after the merge stays on the survivor');
    assert.deepEqual(find('pl-ck-2', 'pl-host-1', 'USES')?.locators, ['p3', 'p10'], 'the moved link goes back with the evidence added since');
    assert.deepEqual(find('pl-ck-2', 'iran', 'ATTRIBUTED_TO')?.locators, ['p2']);
    assert.deepEqual(find('pl-ck-1', 'iran', 'ATTRIBUTED_TO')?.locators, ['p1'], 'the combined link gives back what it absorbed');
    const [ck1] = await ex.read<{ d: string; aliases: string[] }>('MATCH (n:Entity {id: "pl-ck-1"}) RETURN n.description AS d, n.aliases AS aliases');
    assert.equal(ck1.d, 'edited after the merge');
    assert.deepEqual(ck1.aliases, ['Kitten Team 35'], 'merged names leave the aliases');
  });

  it('merging two sources rewrites the citations that name the merged one; unmerge gives them back', async () => {
    const before = await fingerprint(ex);
    const { mergeEntities: m } = await ok<{ mergeEntities: { mergeId: string; citationsRewritten: number } }>(MERGE, { into: 'pl-src-a', from: ['pl-src-b'] });
    assert.ok(m.citationsRewritten >= 4, `${m.citationsRewritten} links cited report B`);
    const cited = await ex.read<{ n: number }>('MATCH ()-[r]->() WHERE "pl-src-b" IN r.citeSources RETURN count(r) AS n');
    assert.equal(cited[0].n, 0);
    const asserts = await ok<{ entity: { resolvedFrom: string; asserts: Array<{ id: string }> } }>('{ entity(id: "pl-src-b") { resolvedFrom ... on Source { asserts { id } } } }', {});
    assert.equal(asserts.entity.resolvedFrom, 'pl-src-b');
    assert.ok(asserts.entity.asserts.some((l) => l.id === 'pl-ck-2-ATTRIBUTED_TO-iran'), 'report B\'s claims are the survivor\'s');
    await ok(UNMERGE, { id: m.mergeId });
    assert.equal(await fingerprint(ex), before);
  });

  it('a DIFFERENT pair is never proposed again; UNSURE stays with its verdict', async () => {
    await ok(JUDGE, { a: 'pl-host-2', b: 'pl-host-1', v: 'DIFFERENT', note: 'two registrations' });
    assert.ok(!has((await candidates()).edges.map((e) => e.node), 'pl-host-1', 'pl-host-2'));
    assert.ok(!has((await candidates(keys.red, { min: 0 })).edges.map((e) => e.node), 'pl-host-1', 'pl-host-2'), 'not even at minScore 0');
    await ok(JUDGE, { a: 'iran', b: 'pl-iran-ar', v: 'UNSURE' });
    const c = (await candidates()).edges.map((e) => e.node).find((x) => x.a.id === 'iran' && x.b.id === 'pl-iran-ar');
    assert.equal(c?.judgement, 'UNSURE');
    const self = await call(JUDGE, { a: 'iran', b: 'iran', v: 'SAME' });
    assert.equal(self.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
  });

  it('judgements export and import (the CLI): re-importing the same sources and the file converges', async () => {
    // The sources, fresh (judgements and keys stay), resolved by hand through the API.
    const reload = async (labels: string[]) => {
      await resetGraph(ex, labels);
      await loadGraphFile(ex, SEED_FILE);
      await writeBatch(ex, [...plantedEntities, { id: 'pl-ck-amber', kind: 'THREAT_GROUP', name: 'Charming Kitten', tlp: 'AMBER' }], plantedLinks);
    };
    await reload(['Entity', 'MergedEntity', 'MergeRecord']);
    await ok(MERGE, { into: 'pl-ck-1', from: ['pl-ck-2', 'pl-ck-3'], reason: 'one group' });
    const resolved = await graphLines(ex, ['createdAt', 'updatedAt', 'updatedBy']);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'judgements-')), 'judgements.json');
    const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'cli/judgements.ts', ...args], { cwd: projectRoot, env: process.env, encoding: 'utf8', timeout: 120_000 });
    const exp = cli(['export', file]);
    assert.equal(exp.status, 0, exp.stderr);
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { format: string; judgements: Array<{ a: string; b: string; verdict: string; into?: string }> };
    assert.equal(saved.format, 'disinfo-judgements/1');
    assert.deepEqual(saved.judgements.map((j) => `${j.a} ${j.b} ${j.verdict}`).sort(),
      ['iran pl-iran-ar UNSURE', 'pl-ck-1 pl-ck-2 SAME', 'pl-ck-1 pl-ck-3 SAME', 'pl-host-1 pl-host-2 DIFFERENT']);
    // The same sources again, without any judgement, then the file.
    await reload(['Entity', 'MergedEntity', 'MergeRecord', 'Judgement']);
    assert.equal((await ex.read<{ n: number }>('MATCH (j:Judgement) RETURN count(j) AS n'))[0].n, 0);
    const imp = cli(['import', file, '--apply']);
    assert.equal(imp.status, 0, imp.stderr);
    assert.match(imp.stdout, /4 stored .*; 2 merged, 0 skipped/);
    assert.deepEqual(await graphLines(ex, ['createdAt', 'updatedAt', 'updatedBy']), resolved, 'the same resolved graph');
    assert.ok(!has((await candidates()).edges.map((e) => e.node), 'pl-host-1', 'pl-host-2'), 'DIFFERENT holds after import');
    const again = cli(['import', file, '--apply']);
    assert.match(again.stdout, /0 merged, 2 skipped/, 'a second import changes nothing');
    const broken = path.join(path.dirname(file), 'broken.json');
    fs.writeFileSync(broken, JSON.stringify({ format: 'disinfo-judgements/1', judgements: [{ a: 'x', b: 'y', verdict: 'MAYBE' }] }));
    const bad = cli(['import', broken]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /judgements\[0\]\.verdict/);
  });
});
