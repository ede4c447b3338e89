// The evidence rule (core/evidence.ts): citations added, deduplicated by (source, locator); the
// link's confidence is the highest of its citations'; the per-link cap.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accumulate, confidenceOf, mergeCitations, storedCitations } from '../../core/evidence.js';

const row = (confidence: number, ...cites: Array<[string, string, number?]>) => ({
  confidence,
  citeSources: cites.map((c) => c[0]), citeLocators: cites.map((c) => c[1]), citeQuotes: cites.map(() => ''), citeVias: cites.map(() => ''),
  citeConfidences: cites.map((c) => c[2] ?? confidence),
});

describe('evidence accumulates (core/evidence.ts)', () => {
  it('confidence is the highest of the citations\'', () => {
    assert.equal(confidenceOf([40, 85, 60]), 85);
    assert.equal(confidenceOf([]), 0);
  });

  it('adds new citations after the stored ones, updates one with the same source and locator in place', () => {
    const stored = row(60, ['a', 'P1'], ['b', 'p. 4', 80]);
    const m = mergeCitations(stored, row(30, ['a', 'P1'], ['c', 'ch. 2'], ['a', 'P2']));
    assert.deepEqual(m.citeSources, ['a', 'b', 'c', 'a']);
    assert.deepEqual(m.citeLocators, ['P1', 'p. 4', 'ch. 2', 'P2']);
    assert.deepEqual(m.citeConfidences, [30, 80, 30, 30]);
    assert.equal(accumulate(stored, row(30, ['a', 'P1'])).props.confidence, 80);
  });

  it('a write repeating a citation holds it once; a legacy link gives each citation its confidence', () => {
    assert.deepEqual(mergeCitations(undefined, row(50, ['a', 'P1'], ['a', 'P1', 70])).citeConfidences, [70]);
    assert.deepEqual(storedCitations({ confidence: 55, citeSources: ['a', 'b'], citeLocators: ['', ''], citeQuotes: ['', ''], citeVias: ['', ''] }).citeConfidences, [55, 55]);
  });

  it('the same write again changes nothing', () => {
    const once = accumulate(undefined, row(60, ['a', 'P1'], ['b', ''])).props;
    assert.deepEqual(accumulate(once, row(60, ['a', 'P1'], ['b', ''])).props, once);
  });

  it('past 500 citations the write is refused, with the way out', () => {
    const full = row(50, ...Array.from({ length: 500 }, (_, i) => ['a', `L${i}`] as [string, string]));
    assert.equal(accumulate(full, row(50, ['a', 'L3'])).problem, null, 'updating one in place is fine');
    assert.match(accumulate(full, row(50, ['b', 'x'])).problem ?? '', /501 citations, more than the 500 allowed.*removeCitation/);
  });

  it('a defaulted confidence (confidenceDefaulted) stays flagged only while no write gives one', () => {
    const flagged = { ...row(50, ['bundle', '']), confidenceDefaulted: true };
    assert.equal(accumulate(undefined, flagged).props.confidenceDefaulted, true, 'a new link without a confidence');
    assert.ok(!('confidenceDefaulted' in accumulate(undefined, row(70, ['a', ''])).props), 'a new link with one: no flag');
    assert.equal(accumulate(flagged, flagged).props.confidenceDefaulted, true, 'another defaulted write keeps it');
    assert.equal(accumulate(flagged, row(80, ['a', ''])).props.confidenceDefaulted, null, 'a given confidence clears it');
    assert.ok(!('confidenceDefaulted' in accumulate(row(80, ['a', '']), flagged).props), 'a link with a given confidence is not flagged later');
  });
});
