// claims(conflicting): attribution to an actor and to what that actor belongs to, is run by or is
// affiliated with is layered, not a conflict; attribution to two actors with no such chain between
// them (siblings under one state, or unrelated) is one (issue 14; docs/model.md, "Negative, uncertain
// and disputed claims").
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Executor } from '../../api/store/executor.js';
import { claims } from '../../api/store/browse.js';
import { writeBatch } from '../../api/store/write-graph.js';
import type { EntityInput, LinkInput } from '../../core/validate.js';
import { seededExecutor } from '../helpers.js';

const cite = [{ source: 'layer-src' }];
// Conflict means sources that disagree: one source naming two actors is joint attribution (evidence-accumulates.test.ts).
const other = { citations: [{ source: 'layer-src-2' }] };
const link = (from: string, type: LinkInput['type'], to: string, more: Partial<LinkInput> = {}): LinkInput =>
  ({ id: `${from}-${type}-${to}`, from, to, type, confidence: 70, citations: cite, ...more });

describe('claims(conflicting) and layered attribution', () => {
  let ex: Executor;
  const conflictsOf = async (id: string) => {
    const page = await claims(ex, { conflicting: true, types: ['ATTRIBUTED_TO'] }, 200, null, 'RED');
    const mine = page.edges.map((e) => e.node).filter((c) => c.link.from === id);
    return mine.map((c) => `${c.link.to}~${c.conflictsWith.map((o) => o.to).sort().join(',')}`).sort();
  };

  before(async () => {
    ex = await seededExecutor();
    const e = (id: string, kind: EntityInput['kind']): EntityInput => ({ id, kind, name: id });
    await writeBatch(ex, [
      { id: 'layer-src', kind: 'SOURCE', name: 'Layer source', title: 'Layer source' },
      { id: 'layer-src-2', kind: 'SOURCE', name: 'Layer source 2', title: 'Layer source 2' },
      e('ly-state', 'STATE_ACTOR'), e('ly-other-state', 'STATE_ACTOR'),
      e('ly-group', 'THREAT_GROUP'), e('ly-sibling', 'THREAT_GROUP'), e('ly-run', 'THREAT_GROUP'), e('ly-unit', 'THREAT_GROUP'),
      e('ly-c1', 'CAMPAIGN'), e('ly-c2', 'CAMPAIGN'), e('ly-c3', 'CAMPAIGN'), e('ly-c4', 'CAMPAIGN'), e('ly-c5', 'CAMPAIGN'),
    ], [
      link('ly-group', 'ATTRIBUTED_TO', 'ly-state'), link('ly-sibling', 'ATTRIBUTED_TO', 'ly-state'),
      link('ly-state', 'OPERATES', 'ly-run'),
      link('ly-unit', 'ATTRIBUTED_TO', 'ly-group'),
      // c1: a group and the state it is attributed to — layered.
      link('ly-c1', 'ATTRIBUTED_TO', 'ly-group'), link('ly-c1', 'ATTRIBUTED_TO', 'ly-state'),
      // c2: a group the state OPERATES, and the state — layered.
      link('ly-c2', 'ATTRIBUTED_TO', 'ly-run'), link('ly-c2', 'ATTRIBUTED_TO', 'ly-state'),
      // c3: a unit of a group of the state, and the state (two steps up) — layered.
      link('ly-c3', 'ATTRIBUTED_TO', 'ly-unit'), link('ly-c3', 'ATTRIBUTED_TO', 'ly-state'),
      // c4: two sibling groups under the same state — a conflict (which of the two?).
      link('ly-c4', 'ATTRIBUTED_TO', 'ly-group'), link('ly-c4', 'ATTRIBUTED_TO', 'ly-sibling', other),
      // c5: a group and another state — a conflict.
      link('ly-c5', 'ATTRIBUTED_TO', 'ly-group'), link('ly-c5', 'ATTRIBUTED_TO', 'ly-other-state', other),
    ]);
  });
  after(() => ex?.close());

  it('does not report a subject attributed to a group and to the state above it (ATTRIBUTED_TO, OPERATES, chains)', async () => {
    assert.deepEqual(await conflictsOf('ly-c1'), []);
    assert.deepEqual(await conflictsOf('ly-c2'), []);
    assert.deepEqual(await conflictsOf('ly-c3'), []);
  });

  it('reports attribution to two siblings, or to a group and an unrelated state', async () => {
    assert.deepEqual(await conflictsOf('ly-c4'), ['ly-group~ly-sibling', 'ly-sibling~ly-group']);
    assert.deepEqual(await conflictsOf('ly-c5'), ['ly-group~ly-other-state', 'ly-other-state~ly-group']);
  });

  it('a NEGATED link in the chain does not make it layered', async () => {
    await writeBatch(ex, [{ id: 'ly-c6', kind: 'CAMPAIGN', name: 'ly-c6' }, { id: 'ly-denied', kind: 'THREAT_GROUP', name: 'ly-denied' }], [
      link('ly-denied', 'ATTRIBUTED_TO', 'ly-state', { id: 'ly-denied-neg', assertion: 'NEGATED' }),
      link('ly-c6', 'ATTRIBUTED_TO', 'ly-denied'), link('ly-c6', 'ATTRIBUTED_TO', 'ly-state', other),
    ]);
    assert.deepEqual(await conflictsOf('ly-c6'), ['ly-denied~ly-state', 'ly-state~ly-denied']);
  });
});
