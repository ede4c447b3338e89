// api/stix/kept.ts: what the model has no field for is kept and given back on export; a local
// edit of a field wins over the producer's value; what our view invents is left out; the cap bites.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KEPT_MAX_CHARS, keptProperties, keptValue, withKept } from '../../api/stix/kept.js';

const input = {
  type: 'report', id: 'report--1', created: 'c', modified: 'm', name: 'R', report_types: ['threat-report', 'campaign'],
  x_mitre_version: '1.2', labels: ['a'], object_marking_refs: ['marking-definition--x'], object_refs: ['malware--1', 'note--2'],
};
const view = { type: 'report', id: 'report--1', created: 'c', modified: 'm', name: 'R', report_types: ['threat-report'], lang: 'en', x_disinfo_kind: 'SOURCE' };

describe('kept properties', () => {
  it('keeps what the view does not reproduce, never ids, versions, markings or ours', () => {
    const { json } = keptProperties(input, view);
    const kept = JSON.parse(json!) as { p: Record<string, unknown>; a: string[] };
    assert.deepEqual(Object.keys(kept.p).sort(), ['labels', 'object_refs', 'report_types', 'x_mitre_version']);
    assert.deepEqual(kept.a, ['lang']);
    assert.deepEqual(keptValue(json, 'object_refs'), input.object_refs);
  });

  it('gives them back on export, drops what the view invented, and lets a local edit win', () => {
    const { json } = keptProperties(input, view);
    const out = withKept({ ...view }, json, ['object_refs']);
    assert.deepEqual(out.report_types, ['threat-report', 'campaign']);
    assert.equal(out.x_mitre_version, '1.2');
    assert.equal(out.lang, undefined, 'the producer gave no lang');
    assert.equal(out.object_refs, undefined, 'object_refs are the exporter\'s');
    assert.deepEqual(new Set(out.x_disinfo_kept as string[]), new Set(['labels', 'object_refs', 'report_types', 'x_mitre_version']));
    const edited = withKept({ ...view, report_types: ['blog'], lang: 'fr' }, json);
    assert.deepEqual(edited.report_types, ['blog'], 'sourceType edited here since: ours wins');
    assert.equal(edited.lang, 'fr');
  });

  it('keeps from our own export only what it lists in x_disinfo_kept', () => {
    const ours = { ...input, x_disinfo_kind: 'SOURCE', x_disinfo_kept: ['x_mitre_version'] };
    const kept = JSON.parse(keptProperties(ours, view).json!) as { p: Record<string, unknown>; a?: string[] };
    assert.deepEqual(kept.p, { x_mitre_version: '1.2' });
    assert.equal(kept.a, undefined);
  });

  it('leaves out the largest properties past the cap, naming them', () => {
    const big = { ...input, x_big: 'x'.repeat(KEPT_MAX_CHARS) };
    const { json, dropped } = keptProperties(big, view);
    assert.deepEqual(dropped, ['x_big']);
    assert.ok(json!.length <= KEPT_MAX_CHARS);
    assert.equal(keptValue(json, 'x_mitre_version'), '1.2');
  });
});
