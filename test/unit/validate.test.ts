// Record checks before any write (core/validate.ts): patch semantics of the rows handed to the
// Cypher writer, the field limits, links against the model. No database: `kindOf` stands in for it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EntityKind } from '../../model/model.js';
import {
  FIELD_LIMITS, badInput, derivedId, entityRow, linkRow, toProblems, type EntityInput, type LinkInput,
} from '../../core/validate.js';

const KINDS: Record<string, EntityKind> = { camp: 'CAMPAIGN', iran: 'STATE_ACTOR', host: 'HOST', src: 'SOURCE', src2: 'SOURCE' };
const kindOf = (id: string) => KINDS[id];

function entity(input: EntityInput) {
  const problems: string[] = [];
  const row = entityRow(input, problems);
  return { row, problems };
}

function link(input: Partial<LinkInput>) {
  const problems: string[] = [];
  const row = linkRow({ type: 'USES', from: 'camp', to: 'host', confidence: 70, citations: [{ source: 'src', locator: 'P1' }], ...input }, kindOf, problems);
  return { row, problems };
}

const x = (n: number) => 'x'.repeat(n);

describe('validate: entities', () => {
  it('patch semantics: only the fields the input names are in props; null clears; a null tlp is absent', () => {
    const bare = entity({ id: 'h1', kind: 'HOST', name: '  Host one ' });
    assert.deepEqual(bare.problems, []);
    assert.deepEqual(bare.row, { id: 'h1', kind: 'HOST', props: { id: 'h1', kind: 'HOST', name: 'Host one', nameKey: 'host one' }, tlp: undefined },
      'no tlp, aliases, description or kind fields: what is stored stays');

    const cleared = entity({ id: 'h1', kind: 'HOST', name: 'Host one', description: null, aliases: null, owner: null, tlp: null });
    assert.deepEqual(cleared.problems, []);
    assert.deepEqual(cleared.row!.props, { id: 'h1', kind: 'HOST', name: 'Host one', nameKey: 'host one', description: null, aliases: [], aliasText: '', aliasKeyText: '', owner: null });
    assert.equal(cleared.row!.tlp, undefined, 'a marking cannot be cleared, only changed');
    assert.equal('tlp' in cleared.row!.props, false);

    const set = entity({ id: 'h1', kind: 'HOST', name: 'H', tlp: 'AMBER', aliases: ['a', 'b'], compromised: true, description: 'd' });
    assert.deepEqual(set.row!.props, { id: 'h1', kind: 'HOST', name: 'H', nameKey: 'h', tlp: 'AMBER', aliases: ['a', 'b'], aliasText: 'a | b', aliasKeyText: 'a\nb', compromised: true, description: 'd' });
    assert.equal(set.row!.tlp, 'AMBER');

    const undef = entity({ id: 'h1', kind: 'HOST', name: 'H', description: undefined, owner: undefined });
    assert.deepEqual(undef.row!.props, { id: 'h1', kind: 'HOST', name: 'H', nameKey: 'h' }, 'undefined is the same as absent');
  });

  it('types per kind field, unknown fields, unknown kinds, dates and provenance', () => {
    assert.deepEqual(entity({ kind: 'WIZARD', name: 'x' }), { row: null, problems: ['kind: unknown entity kind "WIZARD"'] });
    assert.deepEqual(entity({ id: 'h', kind: 'HOST', name: 'H', compromised: 'yes', country: 3, colour: 'red', shade: null }).problems,
      ['compromised: must be true or false', 'country: must be a string', 'colour: not a field of HOST']);
    const c = entity({ id: 'c', kind: 'CAMPAIGN', name: 'C', firstSeen: '2020-10-01', lastSeen: 'last week' });
    assert.equal(c.row!.props.firstSeen, '2020-10-01T00:00:00.000Z');
    assert.deepEqual(c.problems, ['lastSeen: "last week" is not an ISO-8601 date']);
    const s = entity({ id: 's', kind: 'SOURCE', name: 'S', reliability: 'Z', stixModified: '2020-10-01T00:00:00.123456Z', stixCreated: '2020-10-01' });
    assert.deepEqual(s.problems, ['stixCreated: "2020-10-01" is not a STIX timestamp (YYYY-MM-DDTHH:MM:SS[.s]Z)', 'reliability: "Z" is not one of A B C D E F']);
    assert.equal(s.row!.props.stixModified, '2020-10-01T00:00:00.123456Z', 'a STIX timestamp is kept exactly, precision and all');
    assert.deepEqual(entity({ id: 'bad id!', kind: 'HOST', name: '' }).problems,
      ['name: required, a non-empty string', 'id: "bad id!" is not a valid id (letters, digits, . _ : -; at most 200)']);
  });

  it('an entity without an id gets a stable derived one: same kind and name (any case, any padding), same id', () => {
    const a = entity({ kind: 'THREAT_GROUP', name: 'Fancy Bear' }).row!.id;
    assert.equal(entity({ kind: 'THREAT_GROUP', name: '  fancy bear ' }).row!.id, a);
    assert.notEqual(entity({ kind: 'STATE_ACTOR', name: 'Fancy Bear' }).row!.id, a);
    assert.match(a, /^threat-group--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(derivedId('p', 'a', 'b'), derivedId('p', 'a', 'b'));
    assert.notEqual(derivedId('p', 'a', 'b'), derivedId('p', 'ab', ''), 'parts are separated, not concatenated');
  });

  it('FIELD_LIMITS: a string at the limit passes, one character more is named with its length and limit', () => {
    assert.deepEqual(FIELD_LIMITS, { short: 1_000, text: 20_000, aliases: 500, locator: 200, quote: 2_000, citations: 500 });
    const at = entity({ id: 'h', kind: 'HOST', name: x(1_000), owner: x(1_000), description: x(20_000), aliases: Array(500).fill(x(1_000)) });
    assert.deepEqual(at.problems, []);
    const over = entity({ id: 'h', kind: 'HOST', name: x(1_001), owner: x(1_001), description: x(20_001) });
    assert.deepEqual(over.problems, [
      'name: 1001 characters, more than the 1,000 allowed',
      'description: 20001 characters, more than the 20,000 allowed',
      'owner: 1001 characters, more than the 1,000 allowed',
    ]);
    assert.deepEqual(entity({ id: 'h', kind: 'HOST', name: 'H', aliases: Array(501).fill('a') }).problems, ['aliases: 501 of them, more than the 500 allowed']);
    assert.deepEqual(entity({ id: 'h', kind: 'HOST', name: 'H', aliases: ['ok', x(1_001)] }).problems, ['aliases[]: 1001 characters, more than the 1,000 allowed']);
    assert.deepEqual(entity({ id: 't', kind: 'TECHNIQUE', name: 'T', killChainPhases: ['a', x(1_001)] }).problems,
      ['killChainPhases[]: 1001 characters, more than the 1,000 allowed']);
    assert.deepEqual(entity({ id: 'n', kind: 'NARRATIVE', name: 'N', summary: x(20_000) }).problems, [], 'summary is long text');
  });
});

describe('validate: links', () => {
  it('patch semantics: tlp, assertion, dates and description only when named; citations always given (the store adds them to the stored ones: core/evidence.ts)', () => {
    const bare = link({});
    assert.deepEqual(bare.problems, []);
    assert.deepEqual(bare.row, {
      id: 'camp-USES-host', type: 'USES', from: 'camp', to: 'host', tlp: undefined,
      props: { id: 'camp-USES-host', confidence: 70, citeSources: ['src'], citeLocators: ['P1'], citeQuotes: [''], citeVias: [''], citeConfidences: [70] },
    });
    const cleared = link({ firstSeen: null, lastSeen: null, description: null, tlp: null, assertion: null });
    assert.deepEqual(cleared.problems, []);
    assert.equal(cleared.row!.props.firstSeen, null);
    assert.equal(cleared.row!.props.lastSeen, null);
    assert.equal(cleared.row!.props.description, null);
    assert.equal('tlp' in cleared.row!.props || 'assertion' in cleared.row!.props, false);
    const negated = link({ assertion: 'NEGATED', tlp: 'GREEN' });
    assert.equal(negated.row!.id, 'camp-USES-host:negated', 'a negated finding is another link than the affirmed one');
    assert.equal(negated.row!.props.assertion, 'NEGATED');
    assert.equal(negated.row!.props.tlp, 'GREEN');
  });

  it('ends, triples, confidence, dates and citations are checked against the model', () => {
    assert.deepEqual(link({ type: 'LIKES' }), { row: null, problems: ['type: unknown link type "LIKES"'] });
    assert.deepEqual(link({ from: 'nobody', confidence: 101 }).problems,
      ['from: no entity with id "nobody"', 'confidence: 101 must be an integer from 0 to 100']);
    assert.match(link({ from: 'host', to: 'camp' }).problems.join(), /^type: HOST -\[USES\]-> CAMPAIGN is not allowed; allowed: \(/);
    assert.deepEqual(link({ confidence: 0 }).problems, []);
    assert.deepEqual(link({ confidence: 50.5 }).problems, ['confidence: 50.5 must be an integer from 0 to 100']);
    assert.deepEqual(link({ firstSeen: '2020-10-02', lastSeen: '2020-10-01' }).problems, ['lastSeen: earlier than firstSeen']);
    assert.deepEqual(link({ citations: [] }).problems, ['citations: at least one citation is required']);
    assert.deepEqual(link({ citations: [{ source: 'camp' }, { source: 'src', via: 'host' }] }).problems,
      ['citations[0].source: no SOURCE entity with id "camp"', 'citations[1].via: no SOURCE entity with id "host"']);
    assert.deepEqual(link({ tlp: 'PURPLE', assertion: 'MAYBE' }).problems,
      ['tlp: "PURPLE" is not one of CLEAR GREEN AMBER RED', 'assertion: "MAYBE" is not one of AFFIRMED NEGATED DISPUTED']);
  });

  it('FIELD_LIMITS on citations: locator 200, quote 2,000, 500 citations', () => {
    assert.deepEqual(link({ citations: [{ source: 'src', locator: x(200), quote: x(2_000) }] }).problems, []);
    assert.deepEqual(link({ citations: [{ source: 'src', locator: x(201), quote: x(2_001) }] }).problems, [
      'citations[0].locator: must be a string of at most 200 characters',
      'citations[0].quote: must be a string of at most 2,000 characters',
    ]);
    assert.deepEqual(link({ citations: Array(500).fill({ source: 'src2' }) }).problems, []);
    assert.deepEqual(link({ citations: Array(501).fill({ source: 'src2' }) }).problems, ['citations: 501 of them, more than the 500 allowed']);
    assert.deepEqual(link({ description: x(20_001) }).problems, ['description: 20001 characters, more than the 20,000 allowed']);
  });

  it('problems become one BAD_USER_INPUT error listing each record by index and field', () => {
    const problems = [...toProblems('entities', 2, 'h', ['name: required', 'odd']), ...toProblems('links', 0, undefined, ['confidence: too high'])];
    assert.deepEqual(problems[1], { list: 'entities', index: 2, id: 'h', field: '', reason: 'odd' });
    const e = badInput(problems);
    assert.equal(e.extensions.code, 'BAD_USER_INPUT');
    assert.equal(e.message, 'Rejected: 3 invalid record(s); nothing was written. entities[2] (h) name: required; entities[2] (h) : odd; links[0] confidence: too high');
  });
});
