// What a reader may see of a saved investigation's state (api/store/investigations.ts): the ids a
// state may mention, and the state pruned of hidden entities. No database: the hidden set is given.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { candidateIds, pruneState } from '../../api/store/investigations.js';

/** A state shaped like the viewer's: nodes with positions, elements, a selection, filters. */
function state() {
  return {
    nodes: ['iran', 'amber-group', 'host-1'],
    positions: { iran: { x: 1, y: 2 }, 'amber-group': { x: 3, y: 4 }, 'host-1': { x: 5, y: 6 } },
    elements: [
      { group: 'nodes', data: { id: 'iran', name: 'Iran' } },
      { group: 'nodes', data: { id: 'amber-group', name: 'Amberline unit' } },
      { group: 'edges', data: { id: 'amber-group-OPERATES-host-1', source: 'amber-group', target: 'host-1' } },
      { group: 'edges', data: { id: 'iran-x', source: 'iran', target: 'host-1' } },
    ],
    selected: 'amber-group',
    pathFrom: { id: 'amber-group', name: 'Amberline unit' },
    filters: { minConf: 70, kinds: ['HOST'] },
  };
}

describe('investigation state for a reader', () => {
  it('candidateIds: every string value and key up to 300 characters, at any depth', () => {
    const ids = candidateIds({ a: ['x', { y: 'z' }], [`k${'k'.repeat(300)}`]: 'v'.repeat(301), n: 5, b: true, e: '' });
    assert.deepEqual([...ids].sort(), ['a', 'e', 'n', 'b', 'x', 'y', 'z'].sort());
    assert.ok(candidateIds(state()).has('amber-group'));
    assert.equal(candidateIds(null).size, 0);
  });

  it('pruneState: entries mentioning a hidden id go, keys naming one go, a property holding one becomes null', () => {
    const pruned = pruneState(state(), new Set(['amber-group']));
    assert.deepEqual(pruned, {
      nodes: ['iran', 'host-1'],
      positions: { iran: { x: 1, y: 2 }, 'host-1': { x: 5, y: 6 } },
      elements: [
        { group: 'nodes', data: { id: 'iran', name: 'Iran' } },
        { group: 'edges', data: { id: 'iran-x', source: 'iran', target: 'host-1' } },
      ],
      selected: null,
      pathFrom: null,
      filters: { minConf: 70, kinds: ['HOST'] },
    });
    assert.doesNotMatch(JSON.stringify(pruned), /amber|Amberline/i, 'no trace: not the id, not the name');
  });

  it('nothing hidden: the very state; past 64 levels a branch is dropped (fails closed); a hidden root gives {}', () => {
    const s = state();
    assert.equal(pruneState(s, new Set()), s);
    let deep: unknown = 'amber-group';
    for (let i = 0; i < 70; i++) deep = { d: deep };
    // The root is level 0: `deep` and the 63 objects below it stay, the 65th level becomes null.
    assert.deepEqual(pruneState({ keep: 1, deep }, new Set(['other'])), { keep: 1, deep: cut(deep, 64) });
    assert.deepEqual(pruneState('amber-group', new Set(['amber-group'])), {});
  });
});

/** `v` with everything below `levels` nested objects replaced by null, as pruneState cuts it. */
function cut(v: unknown, levels: number): unknown {
  if (!v || typeof v !== 'object') return v;
  if (levels === 0) return null;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, cut(x, levels - 1)]));
}
