import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Executor } from '../../api/store/executor.js';
import { memorySource } from '../../api/stix/bundle-stream.js';
import { exportBundle } from '../../api/stix/stix-export.js';
import { importStix, type ImportReport } from '../../api/stix/stix-import.js';
import { writeBatch } from '../../api/store/write-graph.js';
import { seededExecutor } from '../helpers.js';
import { EVERY, emptyGraph, everyTypeBundle, exampleBundles, schemaProblems, skipWithoutSchemas } from '../stix-helpers.js';

type Props = Record<string, unknown>;

describe('STIX import of other producers\' bundles', () => {
  let ex: Executor;
  let report: ImportReport;
  const entity = async (id: string): Promise<Props | undefined> =>
    (await ex.read<{ p: Props }>('MATCH (n:Entity) WHERE n.id = $id OR n.stixId = $id RETURN properties(n) AS p', { id }))[0]?.p;
  const linksOf = async (from: string) => ex.read<{ type: string; to: string; p: Props }>(
    'MATCH (a:Entity {id: $from})-[r]->(b:Entity) RETURN type(r) AS type, b.id AS to, properties(r) AS p ORDER BY r.id', { from });
  const importBundle = async (bundle: unknown, defaultConfidence?: number) =>
    (await importStix(ex, memorySource(bundle), { batchSize: 1e9, progress: false, defaultConfidence })).report;

  before(async () => {
    ex = await seededExecutor();
    await emptyGraph(ex);
    report = await importBundle(everyTypeBundle(), 70);
  });
  after(() => ex.close());

  it('maps every SDO and observable type to its kind, with fields and TLP markings', async () => {
    const expect: Array<[string, string, Props]> = [
      [EVERY.nationState, 'STATE_ACTOR', { name: 'Republic of Examplia', aliases: ['Examplia'], tlp: 'AMBER' }],
      [EVERY.criminals, 'THREAT_GROUP', { tlp: 'CLEAR' }],
      [EVERY.apt, 'THREAT_GROUP', { aliases: ['Example Bear'], description: 'Newer text' }],
      [EVERY.campaign, 'CAMPAIGN', { objective: 'Depress turnout', firstSeen: '2024-01-01T00:00:00.000Z', lastSeen: '2024-02-28T00:00:00.000Z', tlp: 'RED' }],
      [EVERY.c2, 'HOST', { hostType: 'command-and-control', tlp: 'GREEN' }],
      [EVERY.analyst, 'PERSON', { role: 'researcher' }],
      [EVERY.vendor, 'ORGANIZATION', { sector: 'technology' }],
      [EVERY.voters, 'TARGET_GROUP', {}],
      [EVERY.diaspora, 'TARGET_GROUP', {}],
      [EVERY.phishing, 'TECHNIQUE', { framework: 'mitre-attack', externalId: 'T1566', killChainPhases: ['initial-access'] }],
      [EVERY.report, 'SOURCE', { title: 'Mirage report', publisher: 'Example Threat Intel', url: 'https://intel.example/mirage', published: '2024-03-01T00:00:00.000Z', sourceType: 'campaign' }],
      [EVERY.indicator, 'HOST', { value: 'mirage.example', hostType: 'domain', aliases: ['203.0.113.9'], name: 'Mirage landing domain' }],
      [EVERY.domain, 'HOST', { value: 'news-mirage.example', hostType: 'domain' }],
      [EVERY.ip, 'HOST', { value: '198.51.100.7', hostType: 'ip address' }],
      [EVERY.url, 'HOST', { value: 'https://news-mirage.example/vote', hostType: 'url' }],
      [EVERY.email, 'PERSONA', { name: 'Mirage Press', handle: 'press@news-mirage.example', platform: 'email' }],
      [EVERY.account, 'PERSONA', { name: 'Mirage News', handle: 'mirage_news', platform: 'twitter' }],
      [EVERY.narrative, 'NARRATIVE', { summary: 'Claims that voting is pointless' }],
    ];
    for (const [id, kind, fields] of expect) {
      const e = await entity(id);
      assert.ok(e, `${id} imported`);
      assert.equal(e.kind, kind, id);
      assert.equal(e.stixId, id, 'the STIX id is kept');
      for (const [k, v] of Object.entries(fields)) assert.deepEqual(e[k], v, `${id} ${k}`);
    }
  });

  it('relationships become links: type, confidence, start/stop times, citations of reports, creators or the bundle', async () => {
    const campaign = await linksOf(EVERY.campaign);
    const uses = campaign.find((l) => l.p.stixId === EVERY.usesRel)!;
    assert.deepEqual([uses.type, uses.to, uses.p.confidence], ['USES', EVERY.phishing, 85]);
    assert.deepEqual([uses.p.firstSeen, uses.p.lastSeen], ['2024-01-05T00:00:00.000Z', '2024-02-10T00:00:00.000Z']);
    assert.deepEqual(uses.p.citeSources, [EVERY.report], 'cited by the report listing it in object_refs');
    const targets = campaign.find((l) => l.p.stixId === EVERY.targetsRel)!;
    assert.deepEqual([targets.type, targets.p.confidence, targets.p.citeSources], ['TARGETS', 70, [EVERY.bundle]], 'no report, no creator: the bundle');
    const bundleSource = await entity(EVERY.bundle);
    assert.deepEqual([bundleSource?.kind, bundleSource?.name], ['SOURCE', `STIX bundle ${EVERY.bundle}`]);
    const [attributed] = await linksOf(EVERY.apt);
    assert.deepEqual([attributed.type, attributed.to, attributed.p.confidence], ['ATTRIBUTED_TO', EVERY.nationState, 40]);
    assert.deepEqual(attributed.p.citeSources, [`producer:${EVERY.analyst}`], 'created_by_ref: the producer is the source');
    assert.equal((await entity(`producer:${EVERY.analyst}`))?.name, 'Jane Analyst (STIX producer)');
    const indicated = campaign.find((l) => l.p.stixId === EVERY.indicatesRel)!;
    assert.deepEqual([indicated.type, indicated.to, indicated.p.confidence], ['USES', EVERY.indicator, 90], 'indicates, reversed: the campaign uses what indicates it');
    const [authored] = await linksOf(EVERY.report);
    assert.deepEqual([authored.type, authored.to, authored.p.citeSources], ['AUTHORED_BY', EVERY.vendor, [EVERY.report]], "a report's created_by_ref");
  });

  it('a sighting becomes a TARGETS link with its count', async () => {
    const sighting = (await linksOf(EVERY.campaign)).find((l) => l.p.stixId === EVERY.sighting)!;
    assert.deepEqual([sighting.type, sighting.to, sighting.p.sightingCount, sighting.p.firstSeen], ['TARGETS', EVERY.vendor, 12, '2024-02-01T00:00:00.000Z']);
  });

  it('skips what the model does not allow, keeps unknown and custom objects raw, and says so', async () => {
    assert.equal(report.raw, 2, 'x-mitre-tactic, the statement marking');
    const raw = await ex.read<{ id: string; type: string; json: string }>('MATCH (r:StixRaw) RETURN r.id AS id, r.type AS type, r.json AS json ORDER BY r.id');
    assert.deepEqual(raw.map((r) => r.type).sort(), ['marking-definition', 'x-mitre-tactic']);
    assert.equal(JSON.parse(raw.find((r) => r.type === 'x-mitre-tactic')!.json).x_mitre_shortname, 'initial-access', 'kept whole');
    assert.equal(await entity(EVERY.tactic), undefined, 'not an entity');
    assert.equal(report.skipped, 2, 'the forbidden triple, the older intrusion-set');
    assert.equal((await entity(EVERY.malware))?.kind, 'MALWARE', 'malware has a kind of its own');
    assert.ok((await linksOf(EVERY.campaign)).some((l) => l.p.stixId === EVERY.toMalwareRel && l.type === 'USES'), 'the campaign uses the malware');
    const says = (re: RegExp) => assert.ok(report.warnings.some((w) => re.test(w)), `${re} in ${report.warnings.join('\n')}`);
    says(/not allow: CAMPAIGN -\[TARGETS\]-> TECHNIQUE: 1 \(e\.g\. relationship--00000004/);
    says(/older versions.*: 1/);
    says(/kept raw.*1 x-mitre-tactic/);
    says(/not TLP, not applied: 1 \(e\.g\. marking-definition--00000001/);
    assert.ok(report.created >= 25, `created ${report.created}`);
  });

  it('re-importing is idempotent, and an export keeps the other producer\'s STIX ids', async () => {
    const before = await ex.read<{ n: number }>('MATCH (n) RETURN count(n) AS n');
    const again = await importBundle(everyTypeBundle(), 70);
    assert.deepEqual([again.created, again.updated, again.unchanged], [0, 0, report.created]);
    assert.deepEqual(await ex.read<{ n: number }>('MATCH (n) RETURN count(n) AS n'), before);
    const exported = await exportBundle(ex, { clearance: 'RED' }) as { objects: Props[] };
    const ids = new Set(exported.objects.map((o) => o.id));
    for (const id of [EVERY.nationState, EVERY.campaign, EVERY.usesRel, EVERY.report, EVERY.account]) assert.ok(ids.has(id), `${id} exported under its own id`);
    if (!skipWithoutSchemas) assert.deepEqual(schemaProblems(exported), []);
    const withRaw = await exportBundle(ex, { clearance: 'RED', includeRaw: true }) as { objects: Props[] };
    assert.ok(withRaw.objects.some((o) => o.id === EVERY.tactic && o.x_mitre_shortname === 'initial-access'), 'raw objects come back on request');
  });

  it('imports the OASIS example bundles without error', { skip: skipWithoutSchemas }, async () => {
    const files = exampleBundles();
    assert.ok(files.length >= 8, `found ${files.length} examples`);
    for (const file of files) {
      const r = await importBundle(JSON.parse(fs.readFileSync(file, 'utf8')));
      assert.ok(r.created + r.unchanged + r.updated + r.raw > 0, `${path.basename(file)} imported something`);
    }
    const apt1 = await entity('intrusion-set--da1065ce-972c-4605-8755-9cd1074e3b5a');
    assert.deepEqual([apt1?.kind, apt1?.name], ['THREAT_GROUP', 'APT1']);
    const cited = await ex.read<{ n: number }>('MATCH ()-[r]->() WHERE "report--e33ffe07-2f4c-48d8-b0af-ee2619d765cf" IN r.citeSources RETURN count(r) AS n');
    assert.ok(cited[0].n >= 5, 'the APT1 report cites the relationships it lists');
  });

  it('an absent confidence is defaulted inside, flagged, and not exported; a given one is', async () => {
    const T = '2021-01-01T00:00:00.000Z';
    const ids = {
      bundle: 'bundle--30000000-0000-4000-8000-000000000000', group: 'intrusion-set--30000000-0000-4000-8000-000000000001',
      malware: 'malware--30000000-0000-4000-8000-000000000002', absent: 'relationship--30000000-0000-4000-8000-000000000003',
      given: 'relationship--30000000-0000-4000-8000-000000000004', tool: 'tool--30000000-0000-4000-8000-000000000005',
    };
    const common = { spec_version: '2.1', created: T, modified: T };
    await importBundle({
      type: 'bundle', id: ids.bundle, objects: [
        { ...common, type: 'intrusion-set', id: ids.group, name: 'Group C' },
        { ...common, type: 'malware', id: ids.malware, name: 'Malware C', is_family: true },
        { ...common, type: 'tool', id: ids.tool, name: 'Tool C' },
        { ...common, type: 'relationship', id: ids.absent, relationship_type: 'uses', source_ref: ids.group, target_ref: ids.malware },
        { ...common, type: 'relationship', id: ids.given, relationship_type: 'uses', source_ref: ids.group, target_ref: ids.tool, confidence: 40 },
      ],
    }, 60);
    const link = async (stixId: string) => (await ex.read<{ p: Props }>('MATCH ()-[r {stixId: $stixId}]->() RETURN properties(r) AS p', { stixId }))[0].p;
    const exported = async () => new Map(((await exportBundle(ex, { clearance: 'RED', ids: [ids.group, ids.malware, ids.tool] })) as { objects: Props[] }).objects.map((o) => [o.id, o]));
    assert.deepEqual([(await link(ids.absent)).confidence, (await link(ids.absent)).confidenceDefaulted], [60, true], 'the import\'s default, recorded as such');
    assert.deepEqual([(await link(ids.given)).confidence, (await link(ids.given)).confidenceDefaulted], [40, undefined]);
    let out = await exported();
    assert.ok(out.get(ids.absent) && !('confidence' in out.get(ids.absent)!), 'no confidence invented');
    assert.equal(out.get(ids.given)?.confidence, 40);
    // Re-importing our export keeps it so.
    await importBundle({ type: 'bundle', id: 'bundle--30000000-0000-4000-8000-0000000000ff', objects: [...out.values()] }, 50);
    assert.equal((await link(ids.absent)).confidenceDefaulted, true);
    // A write that gives a confidence clears the flag: our own links export theirs.
    const l = await link(ids.absent);
    await writeBatch(ex, [], [{ id: l.id as string, type: 'USES', from: ids.group, to: ids.malware, confidence: 75, citations: [{ source: ids.bundle, locator: 'analyst' }] }]);
    assert.deepEqual([(await link(ids.absent)).confidence, (await link(ids.absent)).confidenceDefaulted], [75, undefined]);
    out = await exported();
    assert.equal(out.get(ids.absent)?.confidence, 75);
  });

  it('an identity\'s sectors and roles are kept whole and exported as they came', async () => {
    const T = '2021-01-01T00:00:00.000Z';
    const org = { type: 'identity', spec_version: '2.1', id: 'identity--40000000-0000-4000-8000-000000000001', created: T, modified: T, name: 'Ministry D', identity_class: 'organization', sectors: ['government-national', 'defense'] };
    const person = { type: 'identity', spec_version: '2.1', id: 'identity--40000000-0000-4000-8000-000000000002', created: T, modified: T, name: 'Person D', identity_class: 'individual', roles: ['analyst', 'author', 'spokesperson'] };
    await importBundle({ type: 'bundle', id: 'bundle--40000000-0000-4000-8000-000000000000', objects: [org, person] });
    assert.deepEqual([(await entity(org.id))?.sector, (await entity(org.id))?.sectors], ['government-national', org.sectors]);
    assert.deepEqual([(await entity(person.id))?.role, (await entity(person.id))?.roles], ['analyst', person.roles]);
    const out = new Map(((await exportBundle(ex, { clearance: 'RED', ids: [org.id, person.id] })) as { objects: Props[] }).objects.map((o) => [o.id, o]));
    assert.deepEqual(out.get(org.id)?.sectors, org.sectors);
    assert.deepEqual(out.get(person.id)?.roles, person.roles);
  });

  it('STIX 2.0 input exports as valid 2.1, mapped and raw', async () => {
    const T = '2017-05-31T21:30:19.735Z';
    const ids = {
      statement: 'marking-definition--20000000-0000-4000-8000-000000000001', group: 'intrusion-set--20000000-0000-4000-8000-000000000002',
      malware: 'malware--20000000-0000-4000-8000-000000000003', rel: 'relationship--20000000-0000-4000-8000-000000000004',
    };
    const r = await importBundle({
      type: 'bundle', id: 'bundle--20000000-0000-4000-8000-000000000000', spec_version: '2.0', objects: [
        { type: 'marking-definition', id: ids.statement, created: T, definition_type: 'statement', definition: { statement: 'Copyright 2017' } },
        { type: 'intrusion-set', id: ids.group, created: T, modified: T, name: 'Group 2.0' },
        { type: 'malware', id: ids.malware, created: T, modified: T, name: 'Malware 2.0', labels: ['remote-access-trojan'] },
        { type: 'relationship', id: ids.rel, created: T, modified: T, relationship_type: 'uses', source_ref: ids.group, target_ref: ids.malware },
      ],
    });
    assert.equal(r.raw, 1, 'the statement marking kept raw');
    for (const includeRaw of [false, true]) {
      const bundle = await exportBundle(ex, { clearance: 'RED', ids: Object.values(ids), includeRaw }) as { objects: Props[] };
      const got = new Map(bundle.objects.map((o) => [o.id, o]));
      for (const id of includeRaw ? Object.values(ids) : [ids.group, ids.malware, ids.rel]) assert.equal(got.get(id)?.spec_version, '2.1', `${id} (includeRaw ${includeRaw})`);
      assert.equal(got.get(ids.malware)?.is_family, true, 'required by 2.1');
      assert.deepEqual(got.get(ids.statement) && { ...got.get(ids.statement) },
        includeRaw ? { type: 'marking-definition', spec_version: '2.1', id: ids.statement, created: T, definition_type: 'statement', definition: { statement: 'Copyright 2017' } } : undefined,
        'nothing else added');
      if (!skipWithoutSchemas) assert.deepEqual(schemaProblems(bundle), []);
    }
  });
});
