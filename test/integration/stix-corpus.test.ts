// Issue 14 against a real corpus: MITRE ATT&CK for ICS (../shared/datasets/mitre-attack-ics/,
// never copied here; skipped with a message when absent). What lands, references as titled
// citations, versions and status kept, export reproducing them, search by external id and alias.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Executor } from '../../api/store/executor.js';
import { fileSource, memorySource } from '../../api/stix/bundle-stream.js';
import { exportBundle } from '../../api/stix/stix-export.js';
import { referenceSourceId, isPublication, type ExternalReference } from '../../api/stix/references.js';
import { importStix, type ImportReport } from '../../api/stix/stix-import.js';
import { paths } from '../../api/store/analysis.js';
import { neighborhood } from '../../api/store/neighborhood.js';
import { search } from '../../api/store/read-graph.js';
import { createApp, gql, seededExecutor } from '../helpers.js';
import { emptyGraph, schemaProblems, skipWithoutSchemas } from '../stix-helpers.js';
import { ICS_BUNDLE, entitiesByType, landedByType, readObjects, skipWithoutIcs, table } from '../stix-corpus.js';
import { mappedIds, roundTrip, summary } from '../stix-roundtrip.js';

type Obj = Record<string, unknown> & { id: string; type: string };
type Props = Record<string, unknown>;

describe('ATT&CK for ICS, imported whole', { skip: skipWithoutIcs }, () => {
  let ex: Executor;
  let report: ImportReport;
  let objects: Obj[];
  const byId = new Map<string, Obj>();
  const entity = async (stixId: string): Promise<Props | undefined> =>
    (await ex.read<{ p: Props }>('MATCH (n:Entity {stixId: $stixId}) RETURN properties(n) AS p', { stixId }))[0]?.p;

  before(async () => {
    ex = await seededExecutor();
    await emptyGraph(ex);
    objects = readObjects(ICS_BUNDLE);
    for (const o of objects) byId.set(o.id, o);
    const t0 = Date.now();
    ({ report } = await importStix(ex, fileSource(ICS_BUNDLE), { progress: false, title: 'ics-attack.json' }));
    const seconds = (Date.now() - t0) / 1000;
    console.log(`ICS: ${objects.length} objects in ${seconds.toFixed(1)} s (${Math.round(objects.length / seconds)} objects/s)`);
    console.log(table('relationship (type source->target)', await landedByType(ex, objects), 'links'));
    console.log(table('object type', await entitiesByType(ex, objects), 'entities'));
  });
  after(() => ex?.close());

  it('lands at least 99 % of the relationships as links, of every type', async () => {
    const rows = await landedByType(ex, objects);
    const row = (key: string) => rows.find((r) => r.key === key);
    for (const key of ['uses campaign->attack-pattern', 'uses intrusion-set->attack-pattern', 'attributed-to campaign->intrusion-set',
      'targets attack-pattern->x-mitre-asset', 'mitigates course-of-action->attack-pattern', 'uses malware->attack-pattern',
      'detects x-mitre-detection-strategy->attack-pattern', 'uses intrusion-set->malware', 'uses campaign->malware', 'revoked-by intrusion-set->intrusion-set']) {
      assert.ok(row(key)!.in > 0, key);
      assert.equal(row(key)!.landed, row(key)!.in, `${key}: every one lands`);
    }
    const total = rows[rows.length - 1];
    assert.equal(total.in, objects.filter((o) => o.type === 'relationship' || o.type === 'sighting').length);
    // Before issue 14's second half: 88 of 1,373 (6.4 %).
    assert.ok(total.landed / total.in >= 0.99, `${total.landed} of ${total.in} landed`);
    assert.equal(report.skipped, objects.filter((o) => o.type === 'relationship').length - total.landed);
  });

  it('gives malware, courses of action, assets, detection strategies and ATT&CK\'s other objects a kind', async () => {
    const kinds = await ex.read<{ type: string; kind: string; n: number }>(
      'MATCH (n:Entity) WHERE n.stixId IS NOT NULL RETURN split(n.stixId, "--")[0] AS type, n.kind AS kind, count(*) AS n ORDER BY type');
    const kindOf = Object.fromEntries(kinds.map((k) => [k.type, k.kind]));
    assert.deepEqual(
      [kindOf.malware, kindOf['course-of-action'], kindOf['x-mitre-asset'], kindOf['x-mitre-detection-strategy'], kindOf['x-mitre-analytic'], kindOf['x-mitre-data-component'], kindOf['x-mitre-data-source']],
      ['MALWARE', 'COURSE_OF_ACTION', 'ASSET', 'DETECTION', 'ARTIFACT', 'ARTIFACT', 'ARTIFACT']);
    const component = objects.find((o) => o.type === 'x-mitre-data-component')!;
    assert.equal((await entity(component.id))?.stixType, 'x-mitre-data-component', 'an artifact keeps its STIX type');
    const raw = await ex.read<{ type: string }>('MATCH (r:StixRaw) RETURN DISTINCT r.type AS type ORDER BY type');
    assert.deepEqual(raw.map((r) => r.type), ['marking-definition', 'x-mitre-matrix', 'x-mitre-tactic'], 'only scaffolding and the statement marking stay raw');
    const revoked = objects.find((o) => o.type === 'relationship' && o.relationship_type === 'revoked-by')!;
    const [r] = await ex.read<{ type: string }>('MATCH ()-[r {stixId: $id}]->() RETURN type(r) AS type', { id: revoked.id });
    assert.equal(r.type, 'REVOKED_BY');
  });

  it('finds the new kinds by external id and name, and reaches them in neighbourhoods and paths', async () => {
    const byExternalId = (kind: string) => {
      const o = objects.find((x) => x.type === kind && !x.revoked && !x.x_mitre_deprecated)!;
      return { o, xid: ((o.external_references as ExternalReference[]).find((r) => r.external_id))!.external_id! };
    };
    for (const type of ['malware', 'course-of-action', 'x-mitre-asset', 'x-mitre-detection-strategy', 'x-mitre-data-component']) {
      const { o, xid } = byExternalId(type);
      const hits = await search(ex, xid, null, 5, 'RED');
      assert.equal(hits[0]?.entity.id, o.id, `search("${xid}") finds the ${type}`);
    }
    assert.equal((await search(ex, 'EKANS', ['MALWARE'], 5, 'RED'))[0]?.entity.name, 'EKANS');
    // A technique's neighbourhood holds what mitigates it, detects it, what it targets and the malware using it.
    const technique = objects.find((o) => o.type === 'attack-pattern' && o.name === 'Modify Controller Tasking')!;
    const g = await neighborhood(ex, [technique.id], 1, null, 500, 'RED');
    const kindsAround = new Set(g.nodes.map((n) => n.kind));
    for (const k of ['COURSE_OF_ACTION', 'DETECTION', 'ASSET', 'MALWARE']) assert.ok(kindsAround.has(k as never), `${k} next to ${technique.name as string}: ${[...kindsAround].join(', ')}`);
    const types = new Set(g.edges.map((l) => l.type));
    for (const t of ['MITIGATES', 'DETECTS', 'TARGETS', 'USES']) assert.ok(types.has(t as never), `${t} in ${[...types].join(', ')}`);
    // Sandworm Team -USES-> its malware -USES-> a technique -TARGETS-> an asset.
    const sandworm = objects.find((o) => o.type === 'intrusion-set' && o.name === 'Sandworm Team')!;
    const found = await paths(ex, { from: sandworm.id, toKind: 'ASSET', maxHops: 3, limit: 5 }, 'RED');
    assert.ok(found.length > 0, 'a path from Sandworm Team to an asset');
    assert.equal(found[0].nodes[found[0].nodes.length - 1].kind, 'ASSET');
    // Malware -USES-> a technique <-MITIGATES- a course of action.
    const ekans = objects.find((o) => o.type === 'malware' && o.name === 'EKANS')!;
    const mitigations = await paths(ex, { from: ekans.id, toKind: 'COURSE_OF_ACTION', maxHops: 2, limit: 5 }, 'RED');
    assert.ok(mitigations.length > 0, 'a path from EKANS to a mitigation');
    assert.deepEqual(mitigations[0].edges.map((e) => e.type), ['USES', 'MITIGATES']);
  });

  it('exports the new kinds with their references and versions, as the OASIS schemas accept', async () => {
    const picked = ['malware', 'course-of-action', 'x-mitre-asset', 'x-mitre-detection-strategy', 'x-mitre-analytic', 'x-mitre-data-component', 'x-mitre-data-source']
      .flatMap((t) => objects.filter((o) => o.type === t));
    const bundle = await exportBundle(ex, { ids: picked.map((o) => o.id), clearance: 'RED' }) as { objects: Obj[] };
    for (const o of picked) {
      const out = bundle.objects.find((x) => x.id === o.id)!;
      assert.ok(out, `${o.id} exported with its own id and type`);
      assert.deepEqual(out.external_references, o.external_references, `${o.id} external_references`);
      for (const p of ['name', 'description', 'x_mitre_deprecated', 'x_mitre_platforms']) assert.deepEqual(out[p], o[p], `${o.id} ${p}`);
      // Custom types carry their versions as ours (the OASIS bundle schema rejects a custom object with created and modified).
      const custom = o.type.startsWith('x-');
      assert.equal(custom ? out.x_disinfo_created : out.created, o.created, `${o.id} created`);
      assert.equal(custom ? out.x_disinfo_modified : out.modified, o.modified, `${o.id} modified`);
      assert.equal(out.revoked ?? false, o.revoked ?? false);
    }
    if (!skipWithoutSchemas) assert.deepEqual(schemaProblems(bundle), []);
  });

  it('turns each publication among a relationship\'s external_references into a titled citation of that publication', async () => {
    const links = await ex.read<{ stixId: string; sources: string[]; quotes: string[] }>(
      'MATCH (:Entity)-[r]->(:Entity) WHERE r.stixId STARTS WITH "relationship--" RETURN r.stixId AS stixId, r.citeSources AS sources, r.citeQuotes AS quotes');
    let withRefs = 0;
    for (const l of links) {
      const refs = ((byId.get(l.stixId)!.external_references ?? []) as ExternalReference[]).filter(isPublication);
      if (refs.length) withRefs++;
      for (const r of refs) assert.ok(l.sources.includes(referenceSourceId(r)), `${l.stixId} cites ${r.source_name}`);
      // The producer (created_by_ref) is cited too.
      assert.ok(l.sources.includes('producer:identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5'), l.stixId);
    }
    assert.ok(withRefs >= 40, `${withRefs} landed relationships carry references`);
    const untitled = await ex.read<{ id: string }>(
      'MATCH (:Entity)-[r]->(:Entity) UNWIND r.citeSources AS s MATCH (src:Source {id: s}) WHERE src.title IS NULL OR trim(src.title) = "" RETURN DISTINCT src.id AS id');
    assert.deepEqual(untitled, [], 'no imported link cites a source without a title');
  });

  it('makes one Source per publication (by URL, else name), with its name, title, URL and the reference whole', async () => {
    const rel = objects.find((o) => o.type === 'relationship' && o.relationship_type === 'uses' && String(o.source_ref).startsWith('campaign--')
      && ((o.external_references ?? []) as ExternalReference[]).some((r) => r.url && r.description))!;
    const ref = (rel.external_references as ExternalReference[]).find((r) => r.url && r.description)!;
    const source = await entity(referenceSourceId(ref));
    assert.ok(source, `a Source for ${ref.source_name}`);
    assert.equal(source.kind, 'SOURCE');
    assert.equal(source.name, ref.source_name);
    assert.equal(source.title, ref.description!.trim());
    assert.equal(source.url, ref.url);
    assert.deepEqual(JSON.parse(source.externalReferences as string), [ref]);
    // Deduplicated: as many reference Sources as distinct URLs/names among landed relationships' publications.
    const landed = await ex.read<{ id: string }>('MATCH (:Entity)-[r]->(:Entity) WHERE r.stixId IS NOT NULL RETURN r.stixId AS id');
    const keys = new Set(landed.flatMap(({ id }) => ((byId.get(id)?.external_references ?? []) as ExternalReference[]).filter(isPublication).map(referenceSourceId)));
    const [{ n }] = await ex.read<{ n: number }>('MATCH (s:Source {sourceType: "publication"}) RETURN count(s) AS n');
    assert.equal(n, keys.size);
  });

  it('resolves (Citation: X) markers to those sources, quoting the sentence each closes', async () => {
    const rel = objects.find((o) => o.type === 'relationship' && o.relationship_type === 'uses' && String(o.source_ref).startsWith('campaign--')
      && /\(Citation: [^)]+\)/.test(String(o.description)))!;
    const name = /\(Citation: ([^)]+)\)/.exec(String(rel.description))![1];
    const ref = (rel.external_references as ExternalReference[]).find((r) => r.source_name === name)!;
    const [link] = await ex.read<{ sources: string[]; quotes: string[] }>(
      'MATCH ()-[r {stixId: $id}]->() RETURN r.citeSources AS sources, r.citeQuotes AS quotes', { id: rel.id });
    const quote = link.quotes[link.sources.indexOf(referenceSourceId(ref))];
    assert.ok(quote.length > 10, `quote for ${name}: ${quote}`);
    assert.ok(String(rel.description).replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').includes(quote), quote);
    assert.ok(!quote.includes('(Citation:'), quote);
  });

  it('keeps external references whole, created, modified, status, kill chain names and platforms', async () => {
    const mapped = (o: Obj) => !['relationship', 'x-mitre-tactic', 'x-mitre-matrix', 'marking-definition', 'identity'].includes(o.type);
    for (const o of objects.filter(mapped)) {
      const e = await entity(o.id);
      assert.ok(e, o.id);
      assert.deepEqual(JSON.parse(e.externalReferences as string), o.external_references, `${o.id} references`);
      assert.equal(e.stixCreated, o.created);
      assert.equal(e.stixModified, o.modified);
      assert.equal(e.revoked ?? false, o.revoked ?? false, `${o.id} revoked`);
      assert.equal(e.deprecated ?? false, o.x_mitre_deprecated ?? false, `${o.id} deprecated`);
      if (o.kill_chain_phases) assert.deepEqual(JSON.parse(e.killChains as string), o.kill_chain_phases);
      if (o.x_mitre_platforms) assert.deepEqual(e.platforms, o.x_mitre_platforms);
    }
    const revoked = await ex.read<{ id: string }>('MATCH (n:Entity {revoked: true}) RETURN n.stixId AS id ORDER BY id');
    assert.deepEqual(revoked.map((r) => r.id), objects.filter((o) => o.revoked && o.type !== 'relationship').map((o) => o.id).sort());
    const [{ n }] = await ex.read<{ n: number }>('MATCH (n:Entity {deprecated: true}) RETURN count(n) AS n');
    assert.equal(n, objects.filter((o) => o.x_mitre_deprecated && mapped(o)).length);
  });

  it('exports what it kept as it came: references, kill chains (mitre-ics-attack), versions, status', async () => {
    const techniques = objects.filter((o) => o.type === 'attack-pattern');
    const bundle = await exportBundle(ex, { ids: techniques.map((o) => o.id), clearance: 'RED' }) as { objects: Obj[] };
    let compared = 0;
    for (const o of techniques) {
      const out = bundle.objects.find((x) => x.id === o.id)!;
      assert.ok(out, o.id);
      assert.deepEqual(out.external_references, o.external_references, `${o.id} external_references`);
      assert.deepEqual(out.kill_chain_phases, o.kill_chain_phases, `${o.id} kill_chain_phases`);
      for (const p of ['created', 'modified', 'name', 'x_mitre_deprecated', 'x_mitre_platforms']) assert.deepEqual(out[p], o[p], `${o.id} ${p}`);
      assert.equal(out.revoked ?? false, o.revoked ?? false);
      compared++;
    }
    assert.equal(compared, 95);
    const links = bundle.objects.filter((x) => x.type === 'relationship');
    for (const l of links) assert.deepEqual(l.external_references, byId.get(l.id)!.external_references, `${l.id} external_references`);
  });

  it('finds techniques and groups by external id, exactly, and groups by alias', async () => {
    for (const [text, name] of [['T0800', 'Activate Firmware Update Mode'], ['t0800', 'Activate Firmware Update Mode'], ['G0034', 'Sandworm Team'], ['Berserk Bear', 'Dragonfly']]) {
      const hits = await search(ex, text, null, 5, 'RED');
      assert.equal(hits[0]?.entity.name, name, `search("${text}") → ${hits.map((h) => h.entity.name).join(', ')}`);
    }
  });

  it('round trip: every mapped object goes out as it came, x_mitre_* properties included', async () => {
    const input = objects;
    const exported = (await exportBundle(ex, { clearance: 'RED' }) as { objects: Obj[] }).objects;
    const result = roundTrip(input, exported, await mappedIds(ex));
    assert.deepEqual(summary(result.differences), [], JSON.stringify(result.differences.slice(0, 3)));
    assert.deepEqual(result.elsewhere.map((o) => o.id), []);
    // Every object but the 14 kept raw (tactics, the matrix, the statement marking) is compared.
    assert.equal(result.compared, input.length - 14);
    // Spot checks that the comparison saw ATT&CK's own properties.
    const technique = input.find((o) => o.type === 'attack-pattern' && o.x_mitre_version && o.x_mitre_data_sources)
      ?? input.find((o) => o.type === 'attack-pattern' && o.x_mitre_version)!;
    const out = exported.find((o) => o.id === technique.id)!;
    for (const p of ['x_mitre_version', 'x_mitre_domains', 'x_mitre_attack_spec_version', 'x_mitre_modified_by_ref', 'created_by_ref']) {
      assert.ok(technique[p] !== undefined, `${p} in the input`);
      assert.deepEqual(out[p], technique[p], p);
    }
    const strategy = input.find((o) => o.type === 'x-mitre-detection-strategy' && o.x_mitre_analytic_refs)!;
    assert.deepEqual(exported.find((o) => o.id === strategy.id)!.x_mitre_analytic_refs, strategy.x_mitre_analytic_refs);
    const rel = input.find((o) => o.type === 'relationship' && o.x_mitre_modified_by_ref)!;
    assert.deepEqual(exported.find((o) => o.id === rel.id)!.x_mitre_modified_by_ref, rel.x_mitre_modified_by_ref);
    if (!skipWithoutSchemas) assert.deepEqual(schemaProblems({ type: 'bundle', id: 'bundle--8e3e7d54-5a6b-4f4f-9d8c-1f6c1f1e2a3b', objects: exported }).slice(0, 5), []);
  });

  it('re-importing the bundle changes nothing', async () => {
    const again = (await importStix(ex, fileSource(ICS_BUNDLE), { progress: false, title: 'ics-attack.json' })).report;
    assert.equal(again.created, 0);
    assert.equal(again.updated, 0);
  });
});

describe('external ids with dots, and sightings', () => {
  let ex: Executor;
  const stamp = '2024-03-01T00:00:00.000Z';
  const id = (type: string, n: number) => `${type}--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  before(async () => {
    ex = await seededExecutor();
    await emptyGraph(ex);
  });
  after(() => ex?.close());

  it('finds a sub-technique by its dotted id, ranked above its parent', async () => {
    const technique = (n: number, name: string, externalId: string) => ({
      type: 'attack-pattern', spec_version: '2.1', id: id('attack-pattern', n), created: stamp, modified: stamp, name,
      external_references: [{ source_name: 'mitre-attack', external_id: externalId, url: `https://attack.mitre.org/techniques/${externalId.replace('.', '/')}` }],
    });
    await importStix(ex, memorySource({ type: 'bundle', id: id('bundle', 1), objects: [technique(1, 'Parent technique', 'T0097'), technique(2, 'Sub-technique', 'T0097.101')] }), { progress: false });
    assert.equal((await search(ex, 'T0097.101', null, 5, 'RED'))[0]?.entity.name, 'Sub-technique');
    assert.equal((await search(ex, 'T0097', null, 5, 'RED'))[0]?.entity.name, 'Parent technique');
  });

  it('hides what its producer revoked or deprecated unless the filter includes it; a seed is shown', async () => {
    const campaign = id('campaign', 7);
    const technique = id('attack-pattern', 8);
    const objects = [
      { type: 'campaign', spec_version: '2.1', id: campaign, created: stamp, modified: stamp, name: 'Old campaign', x_mitre_deprecated: true },
      { type: 'attack-pattern', spec_version: '2.1', id: technique, created: stamp, modified: stamp, name: 'Live technique', x_mitre_deprecated: false, revoked: false },
      { type: 'relationship', spec_version: '2.1', id: id('relationship', 9), created: stamp, modified: stamp, relationship_type: 'uses', source_ref: campaign, target_ref: technique },
    ];
    await importStix(ex, memorySource({ type: 'bundle', id: id('bundle', 10), objects }), { progress: false });
    const ids = (g: { nodes: Array<{ id: string }> }) => g.nodes.map((n) => n.id);
    assert.deepEqual(ids(await neighborhood(ex, [technique], 1, null, 50, 'RED')), [technique], 'the deprecated campaign is hidden by default');
    assert.deepEqual(ids(await neighborhood(ex, [technique], 1, { includeRevoked: true }, 50, 'RED')).sort(), [campaign, technique].sort());
    assert.ok(ids(await neighborhood(ex, [campaign], 1, null, 50, 'RED')).includes(campaign), 'asked for by id, it is there');
    const exported = await exportBundle(ex, { ids: [campaign, technique], clearance: 'RED' }) as { objects: Array<Record<string, unknown>> };
    assert.equal(exported.objects.find((o) => o.id === campaign)?.x_mitre_deprecated, true, 'an export keeps it');
    // search hides it too, unless asked (search and searchResults take includeRevoked).
    assert.deepEqual((await search(ex, 'Old campaign', null, 5, 'RED')).map((h) => h.entity.id), []);
    assert.deepEqual((await search(ex, 'Old campaign', null, 5, 'RED', 0, true)).map((h) => h.entity.id), [campaign]);
    const app = createApp({ executor: ex });
    const q = 'query($r: Boolean) { search(text: "Old campaign", includeRevoked: $r) { entity { id } } searchResults(text: "Old campaign", includeRevoked: $r) { total } }';
    const hidden = await gql<{ search: unknown[]; searchResults: { total: number } }>(app, q, {});
    assert.deepEqual([hidden.errors, hidden.data?.search.length, hidden.data?.searchResults.total], [undefined, 0, 0]);
    const shown = await gql<{ search: Array<{ entity: { id: string } }>; searchResults: { total: number } }>(app, q, { r: true });
    assert.deepEqual([shown.data?.search.map((h) => h.entity.id), shown.data?.searchResults.total], [[campaign], 1]);
  });

  it('lands a sighting whose two ends import as a link with its count and first/last seen', async () => {
    const objects = [
      { type: 'intrusion-set', spec_version: '2.1', id: id('intrusion-set', 3), created: stamp, modified: stamp, name: 'Sighted group' },
      { type: 'identity', spec_version: '2.1', id: id('identity', 4), created: stamp, modified: stamp, name: 'Utility A', identity_class: 'organization' },
      { type: 'sighting', spec_version: '2.1', id: id('sighting', 5), created: stamp, modified: stamp, sighting_of_ref: id('intrusion-set', 3),
        where_sighted_refs: [id('identity', 4), id('identity', 6)], count: 7, first_seen: '2024-01-01T00:00:00Z', last_seen: '2024-02-01T00:00:00Z' },
    ];
    const { report } = await importStix(ex, memorySource({ type: 'bundle', id: id('bundle', 2), objects }), { progress: false });
    const links = await ex.read<{ p: Props; to: string }>('MATCH (:Entity)-[r {stixId: $id}]->(b) RETURN properties(r) AS p, b.id AS to', { id: id('sighting', 5) });
    assert.equal(links.length, 1, 'the place not in the bundle or database is left out');
    assert.equal(links[0].to, id('identity', 4));
    assert.equal(links[0].p.sightingCount, 7);
    assert.equal(links[0].p.firstSeen, '2024-01-01T00:00:00.000Z');
    assert.equal(links[0].p.lastSeen, '2024-02-01T00:00:00.000Z');
    assert.equal(report.skipped, 1);
  });
});
