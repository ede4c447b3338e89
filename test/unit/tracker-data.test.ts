// Metrics and attribution kinds without a database: the input check, the filter rules the viewer
// shares, the STIX round trip (x_disinfo_metrics, x_disinfo_attribution_kind), derived ids, and
// metrics and attributionKind from a table mapping.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metricProps } from '../../core/metric-input.js';
import { entityIdFor, entityRow, linkRow } from '../../core/validate.js';
import { entityPassesRules, filterRules, linkPassesRules } from '../../model/filter-rules.js';
import { metricsOf } from '../../model/metrics.js';
import { entityFromStix, metricsFromStix } from '../../api/stix/from-stix.js';
import { entityToStix, linkToStix, type EntityProps, type LinkProps } from '../../api/stix/to-stix.js';
import { parseMapping } from '../../api/tables/mapping.js';
import { Evaluator } from '../../api/tables/evaluate.js';
import { readTable } from '../../api/tables/read-table.js';

describe('metrics', () => {
  it('are stored one property per name, read back sorted, removed by value null; bad ones named by index and field', () => {
    const problems: string[] = [];
    const props = metricProps([{ name: 'engagement', value: 12.5, unit: 'shares', asOf: '2024-03-01' }, { name: 'gone', value: null }], problems);
    assert.deepEqual(problems, []);
    assert.deepEqual(props, {
      metric_engagement: 12.5, metricUnit_engagement: 'shares', metricAsOf_engagement: '2024-03-01T00:00:00.000Z',
      metric_gone: null, metricUnit_gone: null, metricAsOf_gone: null,
    });
    assert.deepEqual(metricsOf({ metric_b: 2, metric_a: 1, metricUnit_a: 'x', name: 'n' }), [
      { name: 'a', value: 1, unit: 'x', asOf: null }, { name: 'b', value: 2, unit: null, asOf: null }]);
    const bad: string[] = [];
    metricProps([{ name: 'a b', value: 1 }, { name: 'x', value: Number.NaN }, { name: 'y', value: 1, asOf: 'soon' }, { name: 'y', value: 2 }], bad);
    assert.deepEqual(bad.map((p) => p.split(':')[0]), ['metrics[0].name', 'metrics[1].value', 'metrics[2].asOf', 'metrics[3].name']);
    const refused: string[] = [];
    metricProps(null, refused);
    assert.match(refused[0], /^metrics: null is not accepted/);
  });

  it('filter rules: an entity or link must have the metric within [min, max]; seeds are exempt; a bad name is refused', () => {
    const r = filterRules('RED', { metric: { name: 'engagement', min: 100, max: 1000 }, linkMetric: { name: 'n', min: 1 } });
    const host = (value?: number) => ({ kind: 'HOST', tlp: 'CLEAR' as const, metrics: value === undefined ? [] : [{ name: 'engagement', value }] });
    assert.equal(entityPassesRules(r, host(100)), true);
    assert.equal(entityPassesRules(r, host(1000)), true);
    assert.equal(entityPassesRules(r, host(99)), false);
    assert.equal(entityPassesRules(r, host()), false);
    assert.equal(entityPassesRules(r, host(), false), true, 'a seed');
    const link = { type: 'USES', confidence: 50, tlp: 'CLEAR' as const, assertion: 'AFFIRMED', firstSeen: null, lastSeen: null };
    assert.equal(linkPassesRules(r, { ...link, metrics: [{ name: 'n', value: 1 }] }), true);
    assert.equal(linkPassesRules(r, link), false);
    assert.throws(() => filterRules('RED', { metric: { name: 'a-b' } }), /filter\.metric\.name/);
    assert.throws(() => filterRules('RED', { metric: { name: 'a', min: 2, max: 1 } }), /filter\.metric\.min/);
  });

  it('attributionKinds narrows ATTRIBUTED_TO links only', () => {
    const r = filterRules('RED', { attributionKinds: ['PROXY'] });
    const link = { confidence: 50, tlp: 'CLEAR' as const, assertion: 'AFFIRMED', firstSeen: null, lastSeen: null };
    assert.equal(linkPassesRules(r, { ...link, type: 'ATTRIBUTED_TO', attributionKind: 'PROXY' }), true);
    assert.equal(linkPassesRules(r, { ...link, type: 'ATTRIBUTED_TO', attributionKind: 'DIRECT' }), false);
    assert.equal(linkPassesRules(r, { ...link, type: 'ATTRIBUTED_TO' }), false);
    assert.equal(linkPassesRules(r, { ...link, type: 'USES' }), true);
  });
});

describe('attributionKind and derived ids', () => {
  const kindOf = (id: string) => ({ c: 'CAMPAIGN', p: 'PERSON', h: 'HOST', s: 'SOURCE' } as const)[id];
  const base = { from: 'c', to: 'p', confidence: 60, citations: [{ source: 's' }] };
  it('is one of the enum, and only on ATTRIBUTED_TO; a campaign may be attributed to a person', () => {
    const ok: string[] = [];
    assert.equal(linkRow({ ...base, type: 'ATTRIBUTED_TO', attributionKind: 'PROXY' }, kindOf, ok)?.props.attributionKind, 'PROXY');
    assert.deepEqual(ok, []);
    const bad: string[] = [];
    linkRow({ ...base, type: 'ATTRIBUTED_TO', attributionKind: 'ROUGHLY' }, kindOf, bad);
    linkRow({ ...base, to: 'h', type: 'USES', attributionKind: 'DIRECT' }, kindOf, bad);
    assert.deepEqual(bad.map((p) => p.split(':')[0]), ['attributionKind', 'attributionKind']);
  });

  it('an entity without id gets the id derived from its kind and trimmed, lower-cased name', () => {
    const row = entityRow({ kind: 'PERSON', name: ' Jane DOE ' }, []);
    assert.equal(row?.id, entityIdFor('PERSON', 'jane doe'));
    assert.match(row.id, /^person--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(entityIdFor('ORGANIZATION', 'jane doe'), row?.id, 'the kind is part of it');
  });
});

describe('STIX round trip of metrics and attributionKind', () => {
  it('travel as x_disinfo_metrics and x_disinfo_attribution_kind and come back as inputs', () => {
    const entity = { id: 'h1', kind: 'HOST', name: 'h1', tlp: 'CLEAR', metric_engagement: 7, metricUnit_engagement: 'shares' } as unknown as EntityProps;
    const stix = entityToStix(entity);
    assert.deepEqual(stix.x_disinfo_metrics, [{ name: 'engagement', value: 7, unit: 'shares' }]);
    const back = entityFromStix(stix as never, { warn: () => {}, tlpOf: () => 'CLEAR' } as never);
    assert.deepEqual(back?.metrics, [{ name: 'engagement', value: 7, unit: 'shares', asOf: null }]);
    const link = {
      id: 'l1', type: 'ATTRIBUTED_TO', from: 'c', to: 'p', confidence: 60, tlp: 'CLEAR', assertion: 'AFFIRMED', firstSeen: null, lastSeen: null,
      description: null, citations: [], attributionKind: 'PROXY', metrics: [{ name: 'n', value: 3, unit: null, asOf: '2024-01-01T00:00:00.000Z' }],
    } as unknown as LinkProps;
    const rel = linkToStix(link, { from: 'campaign--x', to: 'identity--y' });
    assert.equal(rel.x_disinfo_attribution_kind, 'PROXY');
    assert.deepEqual(metricsFromStix(rel.x_disinfo_metrics), [{ name: 'n', value: 3, unit: null, asOf: '2024-01-01T00:00:00.000Z' }]);
  });
});

describe('table mappings: metrics and attributionKind', () => {
  const MAPPING = `
format: disinfo-tables/1
name: tracker-metrics
tables: { kinds: { direct: DIRECT, 'via proxy': PROXY } }
inputs:
  - files: '*.tsv'
    entities:
      src: { kind: SOURCE, id: trk, name: Tracker, fields: { title: Tracker } }
      op: { kind: CAMPAIGN, id: 'op-{op}', name: '{op}', required: true }
      who: { kind: PERSON, name: '{person}', metrics: { followers: '{followers}' }, metricUnits: { followers: accounts } }
    links:
      - { type: ATTRIBUTED_TO, from: op, to: who, confidence: 60, attributionKind: { from: how, then: [trim, lower, { lookup: kinds }] },
          metrics: { accountsRemoved: '{removed}' } }
    cite: { source: src }
`;
  const evaluate = (tsv: string) => {
    const mapping = parseMapping(MAPPING);
    const ev = new Evaluator(mapping);
    const t = readTable(tsv, 'trk.tsv', mapping.inputs[0], 'tsv');
    ev.add(mapping.inputs[0], t.info, t.rows);
    return ev.finish();
  };

  it('a row gives typed metrics and the kind of attribution; a value that is not a number is a bad row naming it', () => {
    const ev = evaluate('op\tperson\tfollowers\thow\tremoved\nAlpha\tJane Doe\t12,500\tVia proxy\t42\nBeta\tJohn Roe\tmany\tdirect\t\n');
    const jane = ev.entities.find((e) => e.name === 'Jane Doe');
    assert.deepEqual(jane?.metrics, [{ name: 'followers', value: 12500, unit: 'accounts' }]);
    assert.equal(jane?.id, entityIdFor('PERSON', 'Jane Doe'));
    assert.deepEqual(ev.links.map((l) => [l.attributionKind, l.metrics]), [['PROXY', [{ name: 'accountsRemoved', value: 42, unit: null }]]]);
    assert.deepEqual(ev.problems.map((p) => [p.row, p.reason.split(':')[0]]), [[3, 'who.metrics.followers']]);
  });

  it('the mapping refuses a bad metric name, and attributionKind on another link type', () => {
    assert.throws(() => parseMapping(MAPPING.replace('followers: \'{followers}\'', '\'9 lives\': \'{followers}\'')), /is not a metric name/);
    assert.throws(() => parseMapping(MAPPING.replace('type: ATTRIBUTED_TO', 'type: IMPERSONATES')), /attributionKind: only ATTRIBUTED_TO/);
  });
});
