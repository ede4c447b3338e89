// Model ↔ STIX mapping without a database (api/stix/to-stix.ts, from-stix.ts, mapping.ts, ids.ts):
// our records survive a round trip, other producers' objects get a kind and fields, ids are stable.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Tlp } from '../../model/model.js';
import { entityFromStix, kindOfObject, patternObservables, versionOf, type StixContext } from '../../api/stix/from-stix.js';
import { isStixId, stixIdFor, uuidV5 } from '../../api/stix/ids.js';
import { RELATIONSHIP_TYPE, killChainName, linkTypeFor, markingIdFor, tlpFromWord, tlpOfMarkingDefinition, xName } from '../../api/stix/mapping.js';
import type { StixObject } from '../../api/stix/stix-validate.js';
import { entityStixId, entityToStix, linkToStix, stixTime, type EntityProps } from '../../api/stix/to-stix.js';

const TLP_BY_MARKING: Record<string, Tlp> = { [markingIdFor('CLEAR')]: 'CLEAR', [markingIdFor('AMBER')]: 'AMBER' };
const ctx = (warnings: string[] = []): StixContext => ({
  tlpOf: (o) => TLP_BY_MARKING[(o.object_marking_refs as string[] | undefined)?.[0] ?? ''] ?? 'CLEAR',
  identityName: (id) => (id === 'identity--6ba7b810-9dad-11d1-80b4-00c04fd430c8' ? 'Proofpoint' : undefined),
  warn: (group, example) => warnings.push(`${group}: ${example}`),
});

describe('STIX mapping', () => {
  it('an entity of ours goes out with x_disinfo_* fields and comes back the same', () => {
    const host = {
      id: 'host-estonian-textbook-site', kind: 'HOST' as const, name: 'Estonian textbook site', aliases: ['e-ope'], description: 'hacked',
      tlp: 'AMBER', hostType: 'website', value: 'example.ee', compromised: true, createdAt: '2020-10-01T10:00:00Z', updatedAt: '2020-10-02T10:00:00Z',
    };
    const o = entityToStix(host) as StixObject;
    assert.equal(o.type, 'infrastructure');
    assert.equal(o.id, entityStixId(host));
    assert.deepEqual(o.object_marking_refs, [markingIdFor('AMBER')]);
    assert.equal(o.created, '2020-10-01T10:00:00.000Z');
    assert.equal(o.modified, '2020-10-02T10:00:00.000Z');
    assert.equal(o.x_disinfo_compromised, true);
    assert.equal('x_disinfo_owner' in o, false, 'absent fields are left out, not null (the schemas refuse null)');
    assert.deepEqual(entityFromStix(o, ctx()), {
      id: 'host-estonian-textbook-site', kind: 'HOST', name: 'Estonian textbook site', aliases: ['e-ope'], description: 'hacked', tlp: 'AMBER',
      stixId: o.id, stixCreated: '2020-10-01T10:00:00.000Z', stixModified: '2020-10-02T10:00:00.000Z',
      hostType: 'website', value: 'example.ee', compromised: true,
    });
  });

  it('an identity\'s sectors and roles are kept whole and go out as they came', () => {
    const T = '2021-01-01T00:00:00.000Z';
    const org = { type: 'identity', spec_version: '2.1', id: 'identity--6ba7b820-9dad-11d1-80b4-00c04fd430c8', created: T, modified: T, name: 'Ministry', identity_class: 'organization', sectors: ['government-national', 'defense', 'government-national'] };
    const person = { type: 'identity', spec_version: '2.1', id: 'identity--6ba7b821-9dad-11d1-80b4-00c04fd430c8', created: T, modified: T, name: 'Jane', identity_class: 'individual', roles: ['analyst', 'author'] };
    const e = entityFromStix(org, ctx()) as unknown as Record<string, unknown>;
    assert.deepEqual([e.sector, e.sectors], ['government-national', org.sectors], 'the first as the sector, all as they came');
    const p = entityFromStix(person, ctx()) as unknown as Record<string, unknown>;
    assert.deepEqual([p.role, p.roles], ['analyst', person.roles]);
    const out = entityToStix({ ...e, stixCreated: T, stixModified: T } as unknown as EntityProps);
    assert.deepEqual(out.sectors, org.sectors);
    assert.deepEqual(entityToStix({ ...p, stixCreated: T, stixModified: T } as unknown as EntityProps).roles, person.roles);
    const back = entityFromStix(out as StixObject, ctx()) as unknown as Record<string, unknown>;
    assert.deepEqual(back.sectors, org.sectors, 'our export read back keeps them');
  });

  it('a confidence the producer did not give (confidenceDefaulted) is left out; a given one goes out', () => {
    const l = {
      id: 'camp-USES-host', type: 'USES' as const, from: 'camp', to: 'host', confidence: 50, tlp: 'CLEAR' as const, assertion: 'AFFIRMED' as const,
      firstSeen: null, lastSeen: null, description: null, citations: [{ source: 'bundle', locator: null, quote: null, via: null }],
    };
    assert.equal(linkToStix({ ...l, confidenceDefaulted: true }, { from: 'campaign--a', to: 'infrastructure--b' }).confidence, undefined);
    assert.ok(!('confidence' in linkToStix({ ...l, confidenceDefaulted: true }, { from: 'campaign--a', to: 'infrastructure--b' })));
    assert.equal(linkToStix(l, { from: 'campaign--a', to: 'infrastructure--b' }).confidence, 50);
  });

  it('a link goes out as a relationship with its citations; an equal lastSeen travels as ours only', () => {
    const l = {
      id: 'camp-USES-host', type: 'USES' as const, from: 'camp', to: 'host', confidence: 80, tlp: 'CLEAR' as const, assertion: 'NEGATED' as const,
      firstSeen: '2020-10-01T00:00:00.000Z', lastSeen: '2020-10-01T00:00:00.000Z', description: null,
      citations: [{ source: 'src-article', locator: 'P5', quote: 'no sign', via: null }],
      stixCreated: '2019-01-01T00:00:00.1Z', stixModified: '2019-01-02T00:00:00.1Z',
    };
    const r = linkToStix(l, { from: 'campaign--a', to: 'infrastructure--b' });
    assert.deepEqual(r, {
      type: 'relationship', spec_version: '2.1', id: stixIdFor('relationship', 'camp-USES-host'), created: '2019-01-01T00:00:00.1Z', modified: '2019-01-02T00:00:00.1Z',
      relationship_type: 'uses', source_ref: 'campaign--a', target_ref: 'infrastructure--b', confidence: 80, start_time: '2020-10-01T00:00:00.000Z',
      object_marking_refs: [markingIdFor('CLEAR')], x_disinfo_id: 'camp-USES-host', x_disinfo_type: 'USES', x_disinfo_assertion: 'NEGATED',
      x_disinfo_citations: [{ source: 'src-article', locator: 'P5', quote: 'no sign' }], x_disinfo_last_seen: '2020-10-01T00:00:00.000Z',
    });
    for (const [t, rel] of Object.entries(RELATIONSHIP_TYPE)) assert.equal(linkTypeFor(rel)?.type, t, `${t} comes back from ${rel}`);
    assert.deepEqual(linkTypeFor('indicates'), { type: 'INDICATES', otherwise: { type: 'USES', reversed: true } }, 'an indicator that became a host is used by what it indicates');
  });

  it('other producers\' objects: kinds, fields from standard properties, indicators by their pattern', () => {
    const base = { id: 'threat-actor--6ba7b811-9dad-11d1-80b4-00c04fd430c8', spec_version: '2.1' };
    assert.equal(kindOfObject({ ...base, type: 'threat-actor', threat_actor_types: ['nation-state'] }), 'STATE_ACTOR');
    assert.equal(kindOfObject({ ...base, type: 'threat-actor' }), 'THREAT_GROUP');
    assert.equal(kindOfObject({ ...base, type: 'identity', identity_class: 'individual' }), 'PERSON');
    assert.equal(kindOfObject({ ...base, type: 'identity', identity_class: 'class' }), 'TARGET_GROUP');
    assert.equal(kindOfObject({ ...base, type: 'malware' }), 'MALWARE');
    assert.equal(kindOfObject({ ...base, type: 'x-mitre-tactic', name: 'Initial Access' }), null, 'kept raw');
    assert.deepEqual(patternObservables("[domain-name:value = 'a.example' OR email-addr:value = 'o\\'brien@x.example']"),
      [{ type: 'domain-name', value: 'a.example' }, { type: 'email-addr', value: "o'brien@x.example" }]);
    const indicator = { ...base, id: 'indicator--6ba7b812-9dad-11d1-80b4-00c04fd430c8', type: 'indicator',
      pattern: "[domain-name:value = 'a.example' OR domain-name:value = 'b.example']", modified: '2021-03-04T05:06:07.891Z' };
    const e = entityFromStix(indicator, ctx())!;
    assert.deepEqual([e.kind, e.name, e.aliases, e.hostType, e.value], ['HOST', 'a.example', ['b.example'], 'domain', 'a.example']);
    assert.equal(versionOf(indicator), '2021-03-04T05:06:07.891Z');
    const report = entityFromStix({ ...base, id: 'report--6ba7b813-9dad-11d1-80b4-00c04fd430c8', type: 'report', name: 'R', published: '2020-10-22T00:00:00Z',
      created_by_ref: 'identity--6ba7b810-9dad-11d1-80b4-00c04fd430c8', object_refs: [], external_references: [{ source_name: 'x', url: 'https://x.example/r' }] }, ctx())!;
    assert.deepEqual([report.kind, report.title, report.publisher, report.url, report.sourceType], ['SOURCE', 'R', 'Proofpoint', 'https://x.example/r', 'report']);
    const warnings: string[] = [];
    const long = entityFromStix({ ...base, type: 'campaign', name: 'C', description: 'd'.repeat(20_001) }, ctx(warnings))!;
    assert.equal((long.description as string).length, 20_000);
    assert.deepEqual(warnings, [`descriptions cut to 20,000 characters: ${base.id}`]);
  });

  it('ids, markings, names and times', () => {
    assert.equal(uuidV5('x'), uuidV5('x'));
    assert.match(uuidV5('x'), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8'), '886313e1-3b8a-5372-9b90-0c9aee199e5d', 'RFC 4122 v5 (DNS namespace; Python uuid.uuid5 agrees)');
    const kept = 'campaign--6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    assert.equal(stixIdFor('campaign', 'ours', kept), kept, 'an imported id that fits the type is kept');
    assert.notEqual(stixIdFor('intrusion-set', 'ours', kept), kept, 'one of another type is not');
    assert.ok(isStixId(stixIdFor('campaign', 'ours')));
    assert.deepEqual(['white', 'TLP:AMBER+STRICT', 'tlp:red', 'purple', 3].map(tlpFromWord), ['CLEAR', 'AMBER', 'RED', undefined, undefined]);
    assert.equal(tlpOfMarkingDefinition({ id: 'marking-definition--x', definition_type: 'tlp', definition: { tlp: 'green' } }), 'GREEN');
    assert.equal(tlpOfMarkingDefinition({ id: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9' }), 'CLEAR', 'TLP 1.0 WHITE by its id');
    assert.equal(xName('killChainPhases'), 'x_disinfo_kill_chain_phases');
    assert.deepEqual(['MITRE ATT&CK', 'DISARM Red', '', null].map(killChainName), ['mitre-attack', 'disarm-red', 'disinfo', 'disinfo']);
    assert.equal(stixTime('2020-10-01'), '2020-10-01T00:00:00.000Z');
    assert.equal(stixTime('soon', new Date(0)), '1970-01-01T00:00:00.000Z');
  });
});
