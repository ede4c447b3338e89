// Granular markings on export (api/stix/markings.ts redactGranular): the parts of a raw STIX object
// marked above the caller's clearance leave it, with the markings that named them. No database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactGranular } from '../../api/stix/markings.js';

const RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
const AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';

function raw() {
  return {
    type: 'x-custom', id: 'x-custom--6ba7b810-9dad-11d1-80b4-00c04fd430c8', name: 'open name',
    description: 'secret description',
    aliases: ['a0', 'a1-red', 'a2', 'a3-amber', 'a4-red'],
    details: { public: 'p', source: { who: 'red informant', when: '2020' } },
    granular_markings: [
      { marking_ref: RED, selectors: ['description', 'aliases.[1]', 'aliases.[4]', 'details.source.who'] },
      { marking_ref: AMBER, selectors: ['aliases.[3]', 'details.public'] },
    ],
  };
}
const granular = [
  { tlp: 'RED' as const, selectors: ['description', 'aliases.[1]', 'aliases.[4]', 'details.source.who'] },
  { tlp: 'AMBER' as const, selectors: ['aliases.[3]', 'details.public'] },
];

describe('granular markings on export', () => {
  it('a GREEN caller gets the object without the AMBER and RED parts, and without those markings', () => {
    const original = raw();
    const { object, redacted } = redactGranular(original, granular, 'GREEN');
    assert.deepEqual(redacted, ['description', 'aliases.[1]', 'aliases.[4]', 'details.source.who', 'aliases.[3]', 'details.public']);
    assert.deepEqual(object, {
      type: 'x-custom', id: 'x-custom--6ba7b810-9dad-11d1-80b4-00c04fd430c8', name: 'open name',
      aliases: ['a0', 'a2'], details: { source: { when: '2020' } },
    }, 'array elements go by their original indexes, whatever the order of the selectors');
    assert.deepEqual(original, raw(), 'the stored object is not changed');
  });

  it('an AMBER caller keeps the AMBER parts and their marking; only the RED ones go', () => {
    const { object, redacted } = redactGranular(raw(), granular, 'AMBER');
    assert.deepEqual(redacted, ['description', 'aliases.[1]', 'aliases.[4]', 'details.source.who']);
    assert.deepEqual(object.aliases, ['a0', 'a2', 'a3-amber']);
    assert.deepEqual(object.details, { public: 'p', source: { when: '2020' } });
    assert.equal('description' in object, false);
    // Regression: after aliases.[1] goes, the AMBER alias sits at [2]; its marking must follow it.
    assert.deepEqual(object.granular_markings, [{ marking_ref: AMBER, selectors: ['aliases.[2]', 'details.public'] }]);
    assert.equal(object.aliases[2], 'a3-amber');
  });

  it('a RED caller gets the very object; selectors pointing nowhere remove nothing', () => {
    const original = raw();
    const red = redactGranular(original, granular, 'RED');
    assert.equal(red.object, original);
    assert.deepEqual(red.redacted, []);
    const { object } = redactGranular(raw(), [{ tlp: 'RED', selectors: ['nothing.here', 'aliases.[9]', 'name.[0]'] }], 'CLEAR');
    const expected: Record<string, unknown> = raw();
    assert.deepEqual(object.aliases, expected.aliases);
    assert.equal(object.name, 'open name');
    assert.deepEqual(object.granular_markings, expected.granular_markings, 'markings naming none of the removed selectors stay');
  });
});
