// The kinds issue 14 added, mapped both ways without a database: ATT&CK's software, mitigations,
// assets, detection strategies and other custom objects, STIX locations and indicators.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tripleAllowed } from '../../model/model.js';
import { entityFromStix, kindOfObject } from '../../api/stix/from-stix.js';
import { artifactStixType, exportStixType, isArtifactType, linkTypeFor } from '../../api/stix/mapping.js';
import { entityStixId, entityToStix, type EntityProps } from '../../api/stix/to-stix.js';
import type { StixObject } from '../../api/stix/stix-validate.js';

const ctx = () => ({ tlpOf: () => 'CLEAR' as const, identityName: () => undefined, warn: () => undefined });
const T = '2024-03-01T10:00:00.000Z';
const obj = (type: string, more: Record<string, unknown> = {}): StixObject =>
  ({ type, spec_version: '2.1', id: `${type}--6ba7b810-9dad-41d1-80b4-00c04fd430c8`, created: T, modified: T, ...more });

describe('STIX kinds of issue 14', () => {
  it('maps each STIX type to its kind; named custom objects become artifacts, framework scaffolding stays raw', () => {
    const cases: Array<[string, string | null]> = [
      ['malware', 'MALWARE'], ['tool', 'TOOL'], ['vulnerability', 'VULNERABILITY'], ['course-of-action', 'COURSE_OF_ACTION'],
      ['location', 'LOCATION'], ['x-mitre-asset', 'ASSET'], ['x-mitre-detection-strategy', 'DETECTION'],
      ['x-mitre-analytic', 'ARTIFACT'], ['x-mitre-data-component', 'ARTIFACT'], ['x-mitre-data-source', 'ARTIFACT'], ['x-acme-thing', 'ARTIFACT'],
      ['x-mitre-tactic', null], ['x-mitre-matrix', null], ['note', null],
    ];
    for (const [type, kind] of cases) assert.equal(kindOfObject(obj(type, { name: 'N' })), kind, type);
    assert.equal(kindOfObject(obj('x-acme-thing')), null, 'an unnamed custom object stays raw');
    assert.equal(isArtifactType('x-disinfo-artifact'), false);
  });

  it('reads malware, locations and indicators from their standard properties', () => {
    const ekans = entityFromStix(obj('malware', {
      name: 'EKANS', x_mitre_aliases: ['EKANS', 'SNAKEHOSE'], malware_types: ['ransomware'],
      external_references: [{ source_name: 'mitre-attack', external_id: 'S0605', url: 'https://attack.mitre.org/software/S0605' }],
    }), ctx())!;
    assert.deepEqual([ekans.kind, ekans.externalId, ekans.aliases, ekans.malwareTypes, ekans.isFamily], ['MALWARE', 'S0605', ['SNAKEHOSE'], ['ransomware'], undefined]);
    const kyiv = entityFromStix(obj('location', { city: 'Kyiv', country: 'UA', region: 'eastern-europe' }), ctx())!;
    assert.deepEqual([kyiv.kind, kyiv.name, kyiv.country, kyiv.region], ['LOCATION', 'Kyiv', 'UA', 'eastern-europe']);
    const hash = entityFromStix(obj('indicator', {
      pattern: "[file:hashes.'SHA-256' = 'aa']", pattern_type: 'stix', valid_from: '2024-01-01T00:00:00Z', indicator_types: ['malicious-activity'],
    }), ctx())!;
    assert.deepEqual([hash.kind, hash.name, hash.patternType, hash.validFrom, hash.indicatorTypes],
      ['INDICATOR', "[file:hashes.'SHA-256' = 'aa']", 'stix', '2024-01-01T00:00:00Z', ['malicious-activity']], 'validity as it came');
    const domain = entityFromStix(obj('indicator', { pattern: "[domain-name:value = 'x.example']" }), ctx())!;
    assert.equal(domain.kind, 'HOST', 'an indicator naming a host is still that host');
    const component = entityFromStix(obj('x-mitre-data-component', { name: 'Process Creation' }), ctx())!;
    assert.deepEqual([component.kind, component.stixType], ['ARTIFACT', 'x-mitre-data-component']);
  });

  it('exports them as their STIX types, artifacts as the type they came as, valid where STIX requires more', () => {
    const artifact: EntityProps = { id: 'x-mitre-analytic--6ba7b810-9dad-41d1-80b4-00c04fd430c8', kind: 'ARTIFACT', name: 'Analytic 1', stixId: 'x-mitre-analytic--6ba7b810-9dad-41d1-80b4-00c04fd430c8' };
    assert.equal(exportStixType(artifact), 'x-mitre-analytic');
    assert.equal(entityStixId(artifact), artifact.stixId, 'its own id survives');
    assert.equal(artifactStixType('local-id'), 'x-disinfo-artifact');
    const out = entityToStix({ ...artifact, description: 'd', stixCreated: T, stixModified: T });
    assert.deepEqual([out.type, out.description, out.created, out.x_disinfo_created], ['x-mitre-analytic', 'd', undefined, T], 'custom: versions as ours');
    const malware = entityToStix({ id: 'm', kind: 'MALWARE', name: 'EKANS', externalId: 'S0605' });
    assert.deepEqual([malware.type, malware.is_family], ['malware', true], 'is_family is required in 2.1');
    const indicator = entityToStix({ id: 'i', kind: 'INDICATOR', name: 'i', pattern: '[x:y = 1]', stixCreated: T });
    assert.deepEqual([indicator.pattern, indicator.pattern_type, indicator.valid_from], ['[x:y = 1]', 'stix', T]);
  });

  it('allows the triples ATT&CK and STIX use', () => {
    assert.ok(tripleAllowed('TECHNIQUE', 'TARGETS', 'ASSET'));
    assert.ok(tripleAllowed('COURSE_OF_ACTION', 'MITIGATES', 'TECHNIQUE'));
    assert.ok(tripleAllowed('DETECTION', 'DETECTS', 'TECHNIQUE'));
    assert.ok(tripleAllowed('ARTIFACT', 'DETECTS', 'TECHNIQUE'), 'older ATT&CK: a data component detects a technique');
    assert.ok(tripleAllowed('MALWARE', 'USES', 'TECHNIQUE'));
    assert.ok(tripleAllowed('THREAT_GROUP', 'USES', 'MALWARE'));
    assert.ok(tripleAllowed('THREAT_GROUP', 'REVOKED_BY', 'THREAT_GROUP'));
    assert.ok(!tripleAllowed('THREAT_GROUP', 'REVOKED_BY', 'CAMPAIGN'), 'revoked by a record of its own kind');
    assert.ok(tripleAllowed('THREAT_GROUP', 'LOCATED_IN', 'LOCATION'));
    assert.ok(tripleAllowed('INDICATOR', 'INDICATES', 'MALWARE'));
    assert.ok(!tripleAllowed('CAMPAIGN', 'TARGETS', 'TECHNIQUE'));
    assert.deepEqual(linkTypeFor('mitigates'), { type: 'MITIGATES' });
  });
});
