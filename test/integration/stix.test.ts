import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../api/http/app.js';
import type { Executor } from '../../api/store/executor.js';
import { createKey } from '../../api/store/keys.js';
import { countAll, writeBatch } from '../../api/store/write-graph.js';
import { createApp, gql, seededExecutor } from '../helpers.js';
import { emptyGraph, schemaProblems, skipWithoutSchemas, snapshot } from '../stix-helpers.js';

type Obj = Record<string, unknown> & { type: string; id: string };
type Bundle = { type: string; id: string; objects?: Obj[] };
interface Report { created: number; updated: number; unchanged: number; skipped: number; raw: number; warnings: string[] }

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const IMPORT = 'mutation($b: JSON!, $c: Int) { importStix(bundle: $b, defaultConfidence: $c) { created updated unchanged skipped raw warnings } }';
const EXPORT = 'query($ids: [ID!], $f: GraphFilter, $raw: Boolean) { exportStix(ids: $ids, filter: $f, includeRaw: $raw) }';

describe('STIX 2.1 export and import of our graph', () => {
  let ex: Executor;
  let app: App;
  const keys: Record<string, string> = {};
  let seedBundle: Bundle;
  let seedSnapshot: Awaited<ReturnType<typeof snapshot>>;

  const exportAs = async (key: string, vars: Record<string, unknown> = {}) => {
    const r = await gql<{ exportStix: Bundle }>(app, EXPORT, vars, bearer(key));
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return r.data!.exportStix;
  };
  const importAs = async (key: string, bundle: unknown, confidence?: number) => {
    const r = await gql<{ importStix: Report }>(app, IMPORT, { b: bundle, c: confidence }, bearer(key));
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return r.data!.importStix;
  };

  before(async () => {
    ex = await seededExecutor();
    app = createApp({ executor: ex });
    keys.analyst = (await createKey(ex, 'stix-analyst', 'ANALYST', 'RED')).key;
    keys.reader = (await createKey(ex, 'stix-reader', 'READER', 'GREEN')).key;
    seedSnapshot = await snapshot(ex);
    seedBundle = await exportAs(keys.analyst);
  });
  after(() => ex.close());

  it('exports the seed graph as a bundle the OASIS STIX 2.1 schemas accept', { skip: skipWithoutSchemas }, () => {
    assert.deepEqual(schemaProblems(seedBundle), []);
    const objects = seedBundle.objects!;
    const relationships = objects.filter((o) => o.type === 'relationship');
    assert.equal(relationships.length, 55);
    assert.equal(objects.filter((o) => typeof o.x_disinfo_kind === 'string').length, 37);
    assert.ok(relationships.every((r) => Array.isArray(r.x_disinfo_citations) && r.x_disinfo_citations.length > 0), 'every relationship keeps its citations');
    assert.equal(relationships.filter((r) => r.x_disinfo_assertion === 'NEGATED').length, 7, 'NEGATED links are exported, marked as such');
    const iran = objects.find((o) => o.x_disinfo_id === 'iran')!;
    assert.equal(iran.type, 'threat-actor');
    assert.deepEqual(iran.threat_actor_types, ['nation-state']);
    assert.match(iran.id, /^threat-actor--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const article = objects.find((o) => o.x_disinfo_id === 'src-article')!;
    assert.equal(article.type, 'report');
    assert.ok((article.object_refs as string[]).length >= 20, 'a report lists the relationships citing it');
  });

  it('export → empty database → import restores the same graph: ids, counts, confidences, citations', async () => {
    await emptyGraph(ex);
    assert.deepEqual(await countAll(ex), { nodes: 0, links: 0 });
    const r = await importAs(keys.analyst, seedBundle);
    assert.deepEqual({ ...r, warnings: r.warnings.length }, { created: 92, updated: 0, unchanged: 0, skipped: 0, raw: 0, warnings: 0 });
    assert.deepEqual(await snapshot(ex), seedSnapshot);
  });

  it('re-importing the same bundle creates and updates nothing', async () => {
    const before = await countAll(ex);
    const r = await importAs(keys.analyst, seedBundle);
    assert.deepEqual([r.created, r.updated, r.unchanged], [0, 0, 92]);
    assert.deepEqual(await countAll(ex), before);
    assert.deepEqual(await snapshot(ex), seedSnapshot);
  });

  it('a newer `modified` updates the record; an older one leaves the newer in place', async () => {
    const newer = structuredClone(seedBundle);
    const iran = newer.objects!.find((o) => o.x_disinfo_id === 'iran')!;
    iran.description = 'Revised description';
    iran.modified = new Date(Date.parse(iran.modified as string) + 86_400_000).toISOString();
    const r = await importAs(keys.analyst, newer);
    assert.deepEqual([r.created, r.updated, r.unchanged], [0, 1, 91]);
    const stored = async () => (await ex.read<{ d: string }>('MATCH (n:Entity {id: "iran"}) RETURN n.description AS d'))[0].d;
    assert.equal(await stored(), 'Revised description');
    const again = await importAs(keys.analyst, seedBundle);
    assert.deepEqual([again.created, again.updated, again.unchanged], [0, 0, 92]);
    assert.equal(await stored(), 'Revised description', 'the older version did not overwrite the newer');
  });

  it('export respects the caller\'s clearance and the filter, and every variant validates', async () => {
    await writeBatch(ex, [{ id: 'group-amber-stix', kind: 'THREAT_GROUP', name: 'Amber unit', tlp: 'AMBER' }],
      [{ type: 'ATTRIBUTED_TO', from: 'group-amber-stix', to: 'iran', confidence: 30, tlp: 'AMBER', citations: [{ source: 'src-article', locator: 'P3' }] }]);
    const asReader = await exportAs(keys.reader);
    const asAnalyst = await exportAs(keys.analyst);
    assert.ok(!JSON.stringify(asReader).includes('group-amber-stix'), 'a GREEN reader gets no trace of the AMBER group');
    assert.ok(asAnalyst.objects!.some((o) => o.x_disinfo_id === 'group-amber-stix'));
    assert.ok(asAnalyst.objects!.some((o) => o.type === 'marking-definition' && o.name === 'TLP:AMBER'));
    const affirmedOnly = await exportAs(keys.analyst, { f: { includeNegated: false } });
    const rels = affirmedOnly.objects!.filter((o) => o.type === 'relationship');
    assert.ok(rels.length > 0 && rels.every((o) => o.x_disinfo_assertion !== 'NEGATED'));
    const picked = await exportAs(keys.analyst, { ids: ['iran', 'campaign-iran-spoofed-emails-2020'] });
    const kinds = picked.objects!.filter((o) => o.x_disinfo_kind).map((o) => o.x_disinfo_kind);
    assert.ok(kinds.includes('STATE_ACTOR') && kinds.includes('CAMPAIGN'));
    const pickedRels = picked.objects!.filter((o) => o.type === 'relationship');
    assert.deepEqual(pickedRels.map((o) => o.x_disinfo_id), ['campaign-iran-spoofed-emails-2020-ATTRIBUTED_TO-iran'], 'only the links among the ids');
    assert.ok(kinds.every((k) => ['STATE_ACTOR', 'CAMPAIGN', 'SOURCE'].includes(k as string)), 'only the ids, and the sources their links cite');
    if (!skipWithoutSchemas) for (const b of [asReader, asAnalyst, affirmedOnly, picked]) assert.deepEqual(schemaProblems(b), []);
    const nothing = await exportAs(keys.analyst, { ids: ['no-such-entity'] });
    assert.equal(nothing.objects, undefined, 'an empty export is a bundle without objects (the schema wants none rather than [])');
  });

  it('importStix needs an ANALYST key', async () => {
    const anonymous = await gql(app, IMPORT, { b: seedBundle });
    assert.equal(anonymous.errors?.[0].extensions?.code, 'UNAUTHENTICATED');
    const reader = await gql(app, IMPORT, { b: seedBundle }, bearer(keys.reader));
    assert.equal(reader.errors?.[0].extensions?.code, 'FORBIDDEN');
  });

  it('a malformed bundle is rejected whole, naming the first bad object, and writes nothing', async () => {
    const before = await snapshot(ex);
    // New objects before the bad one: had anything been written, the snapshot would show it.
    const fresh = (type: string, n: number): Obj => ({ type, spec_version: '2.1', id: `${type}--${n}4af6c39-c09b-49c5-9de2-394224b04982`,
      created: '2024-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z', name: `Must not be written ${n}` });
    const good = [fresh('campaign', 1), fresh('intrusion-set', 2), fresh('report', 3), fresh('campaign', 4), fresh('campaign', 5)];
    good[2].object_refs = [good[0].id];
    good[2].published = '2024-01-01T00:00:00Z';
    const cases: Array<[unknown, RegExp]> = [
      [{ type: 'collection', id: 'bundle--44af6c39-c09b-49c5-9de2-394224b04982', objects: [] }, /"type" must be "bundle"/],
      [{ type: 'bundle', id: 'bundle--44af6c39-c09b-49c5-9de2-394224b04982', objects: {} }, /"objects" must be an array/],
      [{ ...seedBundle, objects: [...good, { type: 'campaign', id: 'campaign--123', name: 'x' }] }, /objects\[5\] \(campaign--123\): id/],
      [{ ...seedBundle, objects: [...good, { type: 'relationship', id: 'relationship--44af6c39-c09b-49c5-9de2-394224b04982', relationship_type: 'uses', source_ref: good[0].id }] },
        /objects\[5\] \(relationship--44af6c39-c09b-49c5-9de2-394224b04982\): target_ref: required/],
      [{ ...seedBundle, objects: [...good, { type: 'relationship', id: 'relationship--44af6c39-c09b-49c5-9de2-394224b04982', relationship_type: 'uses',
        source_ref: good[0].id, target_ref: good[1].id, start_time: '2024-02-01T00:00:00Z', stop_time: '2024-01-01T00:00:00Z' }] }, /stop_time: earlier than start_time/],
      [{ ...seedBundle, objects: [...good, 'not an object'] }, /objects\[5\]: not a JSON object/],
      [{ ...seedBundle, objects: [...good, { ...good[0], x_disinfo_kind: 'SPACESHIP' }] }, /x_disinfo_kind/],
    ];
    for (const [bundle, message] of cases) {
      const r = await gql(app, IMPORT, { b: bundle }, bearer(keys.analyst));
      assert.equal(r.errors?.[0].extensions?.code, 'BAD_USER_INPUT', JSON.stringify(r.errors));
      assert.match(r.errors[0].message, message);
      assert.match(r.errors[0].message, /nothing was written/);
    }
    assert.deepEqual(await snapshot(ex), before);
  });
});
