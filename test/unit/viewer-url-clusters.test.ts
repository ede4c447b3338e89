// Collapsed clusters and the cluster colouring in the share URL (viewer/src/state/url.ts), and
// what a saved investigation's pruning (api/store/investigations.ts) leaves of them for a reader
// below some member's clearance (issues 17/18). No database, no browser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pruneState } from '../../api/store/investigations.js';
import { decodeState, encodeState, URL_NODE_LIMIT, type ViewState } from '../../viewer/src/state/url.js';
import { DEFAULT_FILTERS } from '../../viewer/src/types.js';

function view(extra: Partial<ViewState> = {}): ViewState {
  return {
    nodes: ['iran', 'p-1', 'p-2', 'p-3', 'host-1'].map((id, i) => ({ id, x: i * 10, y: 5 - i })),
    hidden: [], selected: null, filters: { ...DEFAULT_FILTERS }, layout: 'fcose', webgl: false, ...extra,
  };
}

describe('the share URL keeps collapsed clusters and the cluster colouring', () => {
  it('encodes members as indices into n= (key first) and the run as method.preset.minSize; decodes them back', () => {
    const s = view({
      collapsed: { 2: { key: 'p-3', members: ['p-1', 'p-2', 'p-3'] }, 5: { key: 'host-1', members: ['host-1'] } },
      clustering: { preset: 'INFRASTRUCTURE', method: 'LEIDEN', minSize: 4 },
    });
    const query = encodeState(s);
    const p = new URLSearchParams(query);
    assert.equal(p.get('col'), '2~3.1.2,5~4');
    assert.equal(p.get('clu'), 'LEIDEN.INFRASTRUCTURE.4');
    const back = decodeState(query);
    assert.deepEqual(back.collapsed, { 2: { key: 'p-3', members: ['p-3', 'p-1', 'p-2'] }, 5: { key: 'host-1', members: ['host-1'] } });
    assert.deepEqual(back.clustering, { preset: 'INFRASTRUCTURE', method: 'LEIDEN', minSize: 4 });
    assert.deepEqual(back.nodes, s.nodes);
  });

  it('an old URL without the fields decodes as before: nothing collapsed, no colouring', () => {
    const back = decodeState('?n=iran~0~5,p-1~10~4&sel=iran');
    assert.equal(back.collapsed, undefined);
    assert.equal(back.clustering, undefined);
    assert.equal(encodeState(back), '?n=iran~0~5,p-1~10~4&sel=iran');
  });

  it('a key that is not a folded member is not written; the first member stands for it', () => {
    const query = encodeState(view({ collapsed: { 1: { key: 'undrawn', members: ['p-2', 'p-1'] } } }));
    assert.equal(new URLSearchParams(query).get('col'), '1~2.1');
    assert.deepEqual(decodeState(query).collapsed, { 1: { key: 'p-2', members: ['p-2', 'p-1'] } });
  });

  it('two collapsed clusters with one number (from two runs) both survive', () => {
    const back = decodeState(encodeState(view({ collapsed: { 1: { key: 'p-1', members: ['p-1'] }, '1/2': { key: 'p-2', members: ['p-2', 'p-3'] } } })));
    assert.deepEqual(back.collapsed, { 1: { key: 'p-1', members: ['p-1'] }, '1/2': { key: 'p-2', members: ['p-2', 'p-3'] } });
  });

  it('past the node limit the members go with the nodes; the colouring stays', () => {
    const nodes = Array.from({ length: URL_NODE_LIMIT + 1 }, (_, i) => ({ id: `n${i}` }));
    const query = encodeState({ ...view(), nodes, collapsed: { 1: { key: 'n1', members: ['n1', 'n2'] } }, clustering: { preset: 'DEFAULT', method: 'LOUVAIN', minSize: 3 } });
    const p = new URLSearchParams(query);
    assert.equal(p.has('n'), false);
    assert.equal(p.has('col'), false, 'no indices without the list they point into');
    assert.equal(p.get('clu'), 'LOUVAIN.DEFAULT.3');
  });

  it('ignores what it cannot use: number 0, indices past n=, an unknown method or preset, a size below 2', () => {
    const back = decodeState('?n=a,b&col=0~0,3~z.5,4~1.1&clu=KMEANS.DEFAULT.3');
    assert.deepEqual(back.collapsed, { 4: { key: 'b', members: ['b'] } });
    assert.equal(back.clustering, undefined);
    assert.equal(decodeState('?clu=LOUVAIN.NOPE.3').clustering, undefined);
    assert.equal(decodeState('?clu=LOUVAIN.DEFAULT.1').clustering, undefined);
    assert.equal(decodeState('?clu=WCC.NARRATIVES.2').clustering?.method, 'WCC');
  });
});

describe('a saved investigation pruned for a reader keeps the collapsed cluster minus what they may not see', () => {
  const saved = { ...view(), collapsed: { 1: { key: 'p-1', members: ['p-1', 'p-2', 'p-3'] }, 2: { key: 'host-1', members: ['host-1'] } } };

  it('a hidden member leaves the cluster (the others stay folded); a hidden key becomes null; an all-hidden cluster has no members', () => {
    const pruned = pruneState(saved, new Set(['p-1', 'host-1'])) as ViewState;
    assert.deepEqual(pruned.collapsed, { 1: { key: null, members: ['p-2', 'p-3'] }, 2: { key: null, members: [] } });
    assert.deepEqual(pruned.nodes.map((n) => n.id), ['iran', 'p-2', 'p-3']);
    const text = JSON.stringify(pruned);
    assert.ok(!text.includes('p-1') && !text.includes('host-1'), text);
  });
});
