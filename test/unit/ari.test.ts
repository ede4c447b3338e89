// The adjusted Rand index the cluster recovery tests use (test/ari.ts). No database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adjustedRandIndex } from '../ari.js';

describe('adjusted Rand index', () => {
  it('is 1 for the same grouping under other labels', () => {
    assert.equal(adjustedRandIndex([0, 0, 1, 1, 2], ['b', 'b', 'a', 'a', 'c']), 1);
  });
  it('matches the worked example: [0,0,1,1] against [0,0,1,2] is 4/7', () => {
    // pairs together in both: 1; expected by chance: 2·1/6; maximum: (2+1)/2 → (1 − 1/3)/(3/2 − 1/3)
    assert.ok(Math.abs(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2]) - 4 / 7) < 1e-12);
  });
  it('is negative for a grouping that splits every true pair', () => {
    assert.ok(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]) < 0);
  });
  it('refuses labelings of different lengths', () => {
    assert.throws(() => adjustedRandIndex([0], [0, 1]));
  });
});
