// Pure parts of issue 14's reference handling: which references are publications, their Sources
// (deduplicated by URL, else name), (Citation: X) markers and their quotes, the external-id query.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  citationMarkers, externalIds, isPublication, producerFields, referenceCitations, referenceSource, referenceSourceId, unresolvedMarkers,
} from '../../api/stix/references.js';
import { externalIdQuery } from '../../api/store/read-graph.js';
import { entityRow, linkRow } from '../../core/validate.js';
import type { StixObject } from '../../api/stix/stix-validate.js';

const obj = (extra: Record<string, unknown>) => ({ type: 'relationship', id: 'relationship--00000000-0000-4000-8000-000000000001', ...extra }) as StixObject;
const paper = { source_name: 'Doe 2020', description: 'Doe, J. (2020) Grid attacks. Retrieved 2021/01/01.', url: 'https://example.org/doe.pdf' };

describe('STIX external references as evidence', () => {
  it('tells publications from identifiers and alias notes', () => {
    assert.equal(isPublication(paper), true);
    assert.equal(isPublication({ source_name: 'mitre-attack', external_id: 'T0800', url: 'https://attack.mitre.org/techniques/T0800' }), false);
    assert.equal(isPublication({ source_name: 'Berserk Bear', description: '(Citation: Gigamon Berserk Bear October 2021)(Citation: DOJ)' }), false);
    assert.equal(isPublication({ source_name: 'A talk', description: 'Smith, talk at S4, 2019' }), true);
    assert.equal(isPublication({ source_name: 'only a name' }), false);
  });

  it('makes one Source per URL (else per name), titled by the description', () => {
    assert.equal(referenceSourceId(paper), referenceSourceId({ ...paper, source_name: 'Doe, 2020' }));
    assert.notEqual(referenceSourceId(paper), referenceSourceId({ ...paper, url: 'https://example.org/other.pdf' }));
    assert.equal(referenceSourceId({ source_name: 'Talk X', description: 'd' }), referenceSourceId({ source_name: 'talk x ', description: 'e' }));
    assert.match(referenceSourceId(paper), /^report--[0-9a-f-]{36}$/);
    const s = referenceSource(paper);
    assert.deepEqual({ kind: s.kind, name: s.name, title: s.title, url: s.url, sourceType: s.sourceType }, {
      kind: 'SOURCE', name: 'Doe 2020', title: paper.description, url: paper.url, sourceType: 'publication' });
    assert.deepEqual(JSON.parse(s.externalReferences as string), [paper]);
    const problems: string[] = [];
    entityRow(s, problems);
    assert.deepEqual(problems, []);
    assert.equal(referenceSource({ source_name: 'No description', url: 'https://x.org' }).title, 'No description');
  });

  it('reads (Citation: X) markers with the sentence each closes', () => {
    const d = 'First claim about [Sandworm](https://attack.mitre.org/groups/G0034).(Citation: A) Second claim. Third claim, twice cited. (Citation: B) (Citation: C)';
    assert.deepEqual(citationMarkers(d), [
      { name: 'A', quote: 'First claim about Sandworm.' },
      { name: 'B', quote: 'Third claim, twice cited.' },
      { name: 'C', quote: 'Third claim, twice cited.' },
    ]);
    assert.deepEqual(citationMarkers(undefined), []);
  });

  it('cites each publication once, with its marker\'s quote, and names unresolved markers', () => {
    const o = obj({ description: 'Used X.(Citation: Doe 2020)(Citation: Nobody)', external_references: [paper, { ...paper, source_name: 'Doe again' }, { source_name: 'mitre-attack', external_id: 'T1' }] });
    const cited = referenceCitations(o);
    assert.equal(cited.length, 1);
    assert.equal(cited[0].source.id, referenceSourceId(paper));
    assert.equal(cited[0].quote, 'Used X.');
    assert.deepEqual(unresolvedMarkers(o), ['Nobody']);
  });

  it('keeps references, external ids, status, kill chains and platforms on the record, and the validator accepts them', () => {
    const refs = [{ source_name: 'mitre-attack', external_id: 'T0800', url: 'https://attack.mitre.org/techniques/T0800' }, paper];
    const o = obj({ type: 'attack-pattern', external_references: refs, revoked: false, x_mitre_deprecated: true,
      kill_chain_phases: [{ kill_chain_name: 'mitre-ics-attack', phase_name: 'inhibit-response-function' }], x_mitre_platforms: ['None'] });
    const fields = producerFields(o);
    assert.deepEqual(JSON.parse(fields.externalReferences as string), refs);
    assert.deepEqual(fields.externalIds, ['T0800']);
    assert.deepEqual([fields.revoked, fields.deprecated, fields.platforms], [false, true, ['None']]);
    assert.equal((JSON.parse(fields.killChains as string) as Array<{ kill_chain_name: string }>)[0].kill_chain_name, 'mitre-ics-attack');
    assert.deepEqual(externalIds(o), ['T0800']);
    const problems: string[] = [];
    const row = entityRow({ kind: 'TECHNIQUE', name: 'T', ...fields }, problems);
    assert.deepEqual(problems, []);
    assert.equal(row!.props.externalIdText, 't0800');
    const bad: string[] = [];
    entityRow({ kind: 'TECHNIQUE', name: 'T', externalReferences: '{not json', revoked: 'yes' }, bad);
    assert.deepEqual(bad.sort(), ['externalReferences: must be JSON text', 'revoked: must be true or false']);
    const linkProblems: string[] = [];
    linkRow({ type: 'USES', from: 'a', to: 'b', confidence: 50, citations: [{ source: 's' }], deprecated: 1 } as never, (id) => (id === 's' ? 'SOURCE' : id === 'a' ? 'CAMPAIGN' : 'TECHNIQUE'), linkProblems);
    assert.deepEqual(linkProblems, ['deprecated: must be true or false']);
  });

  it('turns a search text into an exact external-id phrase, or nothing', () => {
    assert.equal(externalIdQuery(' T0097.101 '), '"t0097.101"');
    assert.equal(externalIdQuery('G0034'), '"g0034"');
    assert.equal(externalIdQuery('two words'), null);
    assert.equal(externalIdQuery('"\\'), null);
    assert.equal(externalIdQuery('a"b'), '"ab"');
  });
});

describe('revoked and deprecated records in filters', () => {
  it('are hidden by default and shown with includeRevoked; seeds are exempt', async () => {
    const { entityPassesRules, filterRules, linkPasses } = await import('../../model/filter-rules.js');
    const link = { type: 'USES', confidence: 50, tlp: 'CLEAR' as const, assertion: 'AFFIRMED', firstSeen: null, lastSeen: null };
    assert.equal(linkPasses(null, link), true);
    assert.equal(linkPasses(null, { ...link, revoked: true }), false);
    assert.equal(linkPasses(null, { ...link, deprecated: true }), false);
    assert.equal(linkPasses({ includeRevoked: true }, { ...link, deprecated: true }), true);
    const rules = filterRules('RED', null);
    const old = { kind: 'TECHNIQUE', tlp: 'CLEAR' as const, deprecated: true };
    assert.equal(entityPassesRules(rules, old), false);
    assert.equal(entityPassesRules(rules, old, false), true, 'a seed is shown');
    assert.equal(entityPassesRules(filterRules('RED', { includeRevoked: true }), old), true);
    assert.equal(entityPassesRules(rules, { ...old, deprecated: false, revoked: false }), true);
  });
});
