// Checks on incoming STIX objects before anything is written (api/stix/stix-validate.ts): shape
// limits (depth, string and array lengths), the structural check naming the object, bundle
// headers. No database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OBJECT_LIMITS, StixFormatError, checkBundleHeader, checkObject, shapeProblem } from '../../api/stix/stix-validate.js';

const UUID = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
/** An object nested `levels` deep, the object itself being level 1. */
function nested(levels: number): Record<string, unknown> {
  let o: Record<string, unknown> = { leaf: true };
  for (let i = 1; i < levels; i++) o = { a: o };
  return o;
}
const x = (n: number) => 'x'.repeat(n);

describe('STIX object checks', () => {
  it('shapeProblem: depth up to the limit passes; one level more is named with its path, arrays counting as levels', () => {
    assert.equal(OBJECT_LIMITS.depth, 32);
    assert.equal(shapeProblem(nested(OBJECT_LIMITS.depth)), null);
    assert.equal(shapeProblem(nested(OBJECT_LIMITS.depth + 1)), `${Array(OBJECT_LIMITS.depth).fill('a').join('.')}: nested deeper than 32 levels`);
    let arrays: unknown = [1];
    for (let i = 2; i < OBJECT_LIMITS.depth; i++) arrays = [arrays];
    assert.equal(shapeProblem({ list: arrays }), null, 'the object and 31 levels of arrays');
    assert.match(shapeProblem({ list: [arrays] }) ?? '', /^list(\[0\]){31}: nested deeper than 32 levels$/);
    assert.match(shapeProblem(nested(10_000)) ?? '', /nested deeper than 32 levels$/, 'no recursion, so no stack overflow');
  });

  it('shapeProblem: strings, with names and aliases held to the short limit, and array lengths', () => {
    assert.equal(shapeProblem({ description: x(OBJECT_LIMITS.string) }), null);
    assert.equal(shapeProblem({ description: x(OBJECT_LIMITS.string + 1) }), 'description: 100001 characters, more than the 100,000 allowed');
    assert.equal(shapeProblem({ name: x(1_000), x_disinfo_id: x(1_000) }), null);
    assert.equal(shapeProblem({ name: x(1_001) }), 'name: 1001 characters, more than the 1,000 allowed');
    assert.equal(shapeProblem({ aliases: ['ok', x(1_001)] }), 'aliases[1]: 1001 characters, more than the 1,000 allowed');
    assert.equal(shapeProblem({ ext: { deep: { value: x(1_001) } } }), 'ext.deep.value: 1001 characters, more than the 1,000 allowed');
    assert.equal(shapeProblem({ refs: Array(OBJECT_LIMITS.array).fill(0) }), null);
    assert.equal(shapeProblem({ refs: Array(OBJECT_LIMITS.array + 1).fill(0) }), 'refs: 100001 elements, more than the 100,000 allowed');
  });

  it('checkObject names the object by index and id with every problem; a good one passes', () => {
    const campaign = { type: 'campaign', id: `campaign--${UUID}`, name: 'C', created: '2020-10-01T00:00:00Z', modified: '2020-10-01T00:00:00Z' };
    assert.doesNotThrow(() => checkObject(campaign, 0));
    const fails = (o: unknown, i: number) => {
      try {
        checkObject(o, i);
      } catch (e) {
        assert.ok(e instanceof StixFormatError);
        return { message: e.message, index: e.index, objectId: e.objectId };
      }
      assert.fail('accepted');
    };
    assert.deepEqual(fails([campaign], 3), { message: 'objects[3]: not a JSON object', index: 3, objectId: null });
    assert.deepEqual(fails({ ...campaign, name: ' ', confidence: 101, modified: 'yesterday' }, 1), {
      message: `objects[1] (campaign--${UUID}): modified: "yesterday" is not a timestamp; confidence: must be an integer from 0 to 100; name: required, a non-empty string`,
      index: 1, objectId: `campaign--${UUID}`,
    });
    assert.match(fails({ ...campaign, id: `identity--${UUID}` }, 0).message, /id: "identity--.*" is not of the form campaign--<uuid>/);
    assert.match(fails({ type: 'relationship', id: `relationship--${UUID}`, relationship_type: 'uses', source_ref: 'x', target_ref: `campaign--${UUID}`,
      start_time: '2020-10-02T00:00:00Z', stop_time: '2020-10-01T00:00:00Z' }, 0).message, /source_ref: required, a STIX id; stop_time: earlier than start_time$/);
    assert.match(fails({ ...campaign, description: x(OBJECT_LIMITS.string + 1) }, 7).message, /^objects\[7\] \(campaign--.*\): description: 100001 characters/,
      'a shape problem is reported alone');
    assert.match(fails({ type: 'Campaign!', id: 'x' }, 0).message, /type: "Campaign!" is not a STIX type/);
  });

  it('checkBundleHeader: a bundle needs type bundle and a bundle--uuid id; a lone object is a bundle of one', () => {
    assert.equal(checkBundleHeader({ type: 'bundle', id: `bundle--${UUID}` }, true), `bundle--${UUID}`);
    assert.equal(checkBundleHeader({ type: 'campaign', id: `campaign--${UUID}` }, false), `bundle--${UUID}`);
    assert.throws(() => checkBundleHeader({ type: 'bundel', id: `bundle--${UUID}` }, true), /bundle: "type" must be "bundle", not "bundel"/);
    assert.throws(() => checkBundleHeader({ type: 'bundle', id: `campaign--${UUID}` }, true), /"id" must be bundle--<uuid>/);
    assert.throws(() => checkBundleHeader({ hello: 'world' }, false), /not a STIX bundle/);
  });
});
