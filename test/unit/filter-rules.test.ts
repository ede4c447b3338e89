// The filter semantics (model/filter-rules.ts) against the shared table of cases in
// test/filter-cases.ts; test/integration/filter-semantics.test.ts runs the same table against the
// API over Neo4j. Plus the date bounds themselves. No database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dateBound, entityPasses, entityPassesRules, filterRules, linkPasses } from '../../model/filter-rules.js';
import { FILTER_CASES, farOf, linkOf } from '../filter-cases.js';

describe('filter rules: the shared table of cases', () => {
  for (const c of FILTER_CASES) {
    it(`${c.passes ? 'shown' : 'hidden'}: ${c.name}`, () => {
      const clearance = c.clearance ?? 'RED';
      const shown = linkPasses(c.filter, linkOf(c), clearance) && entityPasses(c.filter, farOf(c), clearance);
      assert.equal(shown, c.passes);
    });
  }

  it('the table covers every filter field, both outcomes of each', () => {
    for (const key of ['asOf', 'from', 'to', 'minConfidence', 'tlpMax', 'includeNegated', 'types', 'kinds'] as const) {
      const outcomes = new Set(FILTER_CASES.filter((c) => c.filter[key] != null).map((c) => c.passes));
      assert.deepEqual([...outcomes].sort(), [false, true], key);
    }
    assert.ok(FILTER_CASES.some((c) => c.clearance && c.clearance !== 'RED'), 'clearances below RED');
  });
});

describe('filter rules: bounds and defaults', () => {
  it('a bare day is the whole UTC day, a month the whole month, a date-time one millisecond', () => {
    assert.deepEqual(dateBound('2020-10-21'), { start: '2020-10-21T00:00:00.000Z', end: '2020-10-22T00:00:00.000Z' });
    assert.deepEqual(dateBound('2020-12-31'), { start: '2020-12-31T00:00:00.000Z', end: '2021-01-01T00:00:00.000Z' });
    assert.deepEqual(dateBound('2020-02'), { start: '2020-02-01T00:00:00.000Z', end: '2020-03-01T00:00:00.000Z' });
    assert.deepEqual(dateBound('2020-10-21T22:00:00+02:00'), { start: '2020-10-21T20:00:00.000Z', end: '2020-10-21T20:00:00.001Z' });
    for (const bad of ['2020-02-30', '2020-13-01', '2020-13', 'yesterday', '10/21/2020', '']) assert.equal(dateBound(bad), null, bad);
  });

  it('asOf and to bound firstSeen by the earlier end; from bounds lastSeen by its start', () => {
    const r = filterRules('AMBER', { asOf: '2020-10-21', to: '2020-10-25', from: '2020-10-01T12:00:00Z' });
    assert.equal(r.firstSeenBefore, '2020-10-22T00:00:00.000Z');
    assert.equal(r.lastSeenFrom, '2020-10-01T12:00:00.000Z');
    assert.deepEqual(r.tlps, ['CLEAR', 'GREEN', 'AMBER']);
    assert.deepEqual(filterRules('RED', null), {
      tlps: ['CLEAR', 'GREEN', 'AMBER', 'RED'], kinds: null, types: null, minConfidence: 0, firstSeenBefore: null, lastSeenFrom: null, includeNegated: true, includeRevoked: false, metric: null, linkMetric: null, attributionKinds: null,
    });
  });

  it('the seeds of a query are exempt from kinds, never from the marking', () => {
    const r = filterRules('GREEN', { kinds: ['HOST'] });
    assert.equal(entityPassesRules(r, { kind: 'CAMPAIGN', tlp: 'CLEAR' }), false);
    assert.equal(entityPassesRules(r, { kind: 'CAMPAIGN', tlp: 'CLEAR' }, false), true);
    assert.equal(entityPassesRules(r, { kind: 'CAMPAIGN', tlp: 'AMBER' }, false), false);
  });
});
