// The parameters every graph read is filtered with (api/store/filter.ts over model/filter-rules.ts):
// clearance and tlpMax, defaults, dates normalised, bad values refused. No database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filterParams, linkWhere, nodeWhere, visibleTlps } from '../../api/store/filter.js';

describe('filter params', () => {
  it('visible TLPs: up to the clearance, narrowed (never widened) by tlpMax', () => {
    assert.deepEqual(visibleTlps('CLEAR'), ['CLEAR']);
    assert.deepEqual(visibleTlps('AMBER'), ['CLEAR', 'GREEN', 'AMBER']);
    assert.deepEqual(visibleTlps('RED', 'GREEN'), ['CLEAR', 'GREEN']);
    assert.deepEqual(visibleTlps('GREEN', 'RED'), ['CLEAR', 'GREEN'], 'a filter cannot see past the clearance');
  });

  it('defaults for no filter; empty lists mean no restriction; date bounds as UTC ISO strings (model/filter-rules.ts)', () => {
    assert.deepEqual(filterParams('GREEN', null), {
      tlps: ['CLEAR', 'GREEN'], kinds: null, types: null, minConfidence: 0, firstSeenBefore: null, lastSeenFrom: null, includeNegated: true, includeRevoked: false, metric: null, linkMetric: null, attributionKinds: null,
    });
    assert.deepEqual(filterParams('RED', { kinds: [], types: ['USES'], minConfidence: 60, asOf: '2020-10-01', from: '2020-09-30T22:00:00-02:00',
      to: null, tlpMax: 'AMBER', includeNegated: false }), {
      tlps: ['CLEAR', 'GREEN', 'AMBER'], kinds: null, types: ['USES'], minConfidence: 60, firstSeenBefore: '2020-10-02T00:00:00.000Z',
      lastSeenFrom: '2020-10-01T00:00:00.000Z', includeNegated: false, includeRevoked: false, metric: null, linkMetric: null, attributionKinds: null,
    }, 'asOf 2020-10-01 is the whole day: links first seen before 2020-10-02 begins');
  });

  it('a confidence outside 0–100 or a date that is not ISO-8601 is BAD_USER_INPUT naming the field', () => {
    // By code and field, as the client gets them (whichever error class carries them).
    const refused = (f: Parameters<typeof filterParams>[1], field: string) => assert.throws(() => filterParams('CLEAR', f), (e: unknown) => {
      const extensions = (e as { extensions?: { code?: unknown; field?: unknown } }).extensions;
      return extensions?.code === 'BAD_USER_INPUT' && extensions.field === field && (e as Error).message.startsWith(field);
    });
    refused({ minConfidence: 101 }, 'filter.minConfidence');
    refused({ minConfidence: -1 }, 'filter.minConfidence');
    refused({ asOf: 'yesterday' }, 'filter.asOf');
    refused({ from: '10/01/2020' }, 'filter.from');
    refused({ to: '2020-13-45' }, 'filter.to');
  });

  it('the Cypher conditions only name parameters, never values', () => {
    assert.equal(nodeWhere('n', false), 'n.tlp IN $f.tlps');
    assert.equal(nodeWhere('m'), 'm.tlp IN $f.tlps AND ($f.kinds IS NULL OR m.kind IN $f.kinds) AND ($f.includeRevoked OR NOT (coalesce(m.revoked, false) OR coalesce(m.deprecated, false)))'
      + ' AND ($f.metric IS NULL OR (m[$f.metric.key] IS NOT NULL AND ($f.metric.min IS NULL OR m[$f.metric.key] >= $f.metric.min) AND ($f.metric.max IS NULL OR m[$f.metric.key] <= $f.metric.max)))');
    const where = linkWhere('r');
    assert.match(where, /^r\.tlp IN \$f\.tlps AND r\.confidence >= \$f\.minConfidence AND /);
    assert.match(where, /\(\$f\.includeNegated OR r\.assertion <> 'NEGATED'\) AND /);
    assert.match(where, /\(\$f\.includeRevoked OR NOT \(coalesce\(r\.revoked, false\) OR coalesce\(r\.deprecated, false\)\)\) AND /);
    assert.match(where, /\(\$f\.attributionKinds IS NULL OR type\(r\) <> 'ATTRIBUTED_TO' OR r\.attributionKind IN \$f\.attributionKinds\) AND /);
    assert.match(where, /\(\$f\.linkMetric IS NULL OR \(r\[\$f\.linkMetric\.key\] IS NOT NULL AND .*\)\)$/);
  });
});
