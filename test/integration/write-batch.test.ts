import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GraphQLError } from 'graphql';
import type { EntityKind } from '../../model/model.js';
import type { Executor } from '../../api/store/executor.js';
import { deleteEntity, writeBatch } from '../../api/store/write-graph.js';
import { seededExecutor } from '../helpers.js';

const link = (to: string) => ({ type: 'USES', from: 'campaign-iran-spoofed-emails-2020', to, confidence: 50, citations: [{ source: 'src-article', locator: 'P11' }] });
const count = async (ex: Executor, id: string) => (await ex.read<{ n: number }>('MATCH (n:Entity {id: $id}) RETURN count(n) AS n', { id }))[0].n;

describe('bulk writes: the loader\'s kind cache', () => {
  let ex: Executor;
  before(async () => { ex = await seededExecutor(); });
  after(() => ex.close());

  it('counts created and updated from what Neo4j reports, and the cache learns every kind it saw', async () => {
    const cache = new Map<string, EntityKind>();
    const first = await writeBatch(ex, [{ id: 'wb-host-1', kind: 'HOST', name: 'WB host 1' }], [link('wb-host-1')], { actor: 'test', kindCache: cache });
    assert.deepEqual([first.entitiesCreated, first.entitiesUpdated, first.linksCreated, first.linksUpdated], [1, 0, 1, 0]);
    assert.equal(cache.get('wb-host-1'), 'HOST');
    assert.equal(cache.get('campaign-iran-spoofed-emails-2020'), 'CAMPAIGN');
    assert.equal(cache.get('src-article'), 'SOURCE');
    const again = await writeBatch(ex, [{ id: 'wb-host-1', kind: 'HOST', name: 'WB host 1' }], [{ ...link('wb-host-1'), id: first.linkIds[0] }], { actor: 'test', kindCache: cache });
    assert.deepEqual([again.entitiesCreated, again.entitiesUpdated, again.linksCreated, again.linksUpdated], [0, 1, 0, 1]);
  });

  it('regression: a link to an entity deleted after it was cached is not silently dropped; the batch writes nothing', async () => {
    const cache = new Map<string, EntityKind>();
    await writeBatch(ex, [{ id: 'wb-host-2', kind: 'HOST', name: 'WB host 2' }], [], { actor: 'test', kindCache: cache });
    await deleteEntity(ex, 'wb-host-2', 'another-writer');
    await assert.rejects(
      writeBatch(ex, [{ id: 'wb-host-3', kind: 'HOST', name: 'WB host 3' }], [link('wb-host-2')], { actor: 'test', kindCache: cache }),
      (e: GraphQLError) => e.extensions.code === 'CONFLICT' && e.extensions.field === 'links' && /deleted by another writer/.test(e.message),
    );
    assert.equal(await count(ex, 'wb-host-3'), 0, 'the entity in the rejected batch was not written');
    await assert.rejects(writeBatch(ex, [], [link('wb-host-2')], { actor: 'test', kindCache: new Map() }),
      (e: GraphQLError) => e.extensions.code === 'BAD_USER_INPUT', 'without the stale cache, validation names the missing end');
  });
});

describe('bulk writes: one id, one kind', () => {
  let ex: Executor;
  before(async () => { ex = await seededExecutor(); });
  after(() => ex.close());

  it('regression: one id given two kinds in one batch was written as the last kind; now BAD_USER_INPUT naming the record, nothing written', async () => {
    await assert.rejects(
      writeBatch(ex, [
        { id: 'wb-bad', kind: 'HOST', name: '' }, // invalid, so row and input indexes differ after it
        { id: 'wb-twice', kind: 'HOST', name: 'Twice' },
        { id: 'wb-twice', kind: 'PERSONA', name: 'Twice' },
      ], [], { actor: 'test' }),
      (e: GraphQLError) => {
        const problems = e.extensions.problems as { index: number; field: string; reason: string }[];
        return e.extensions.code === 'BAD_USER_INPUT'
          && problems.some((p) => p.index === 2 && p.field === 'kind' && /given as a HOST earlier in this batch/.test(p.reason));
      },
    );
    assert.equal(await count(ex, 'wb-twice'), 0);
  });

  it('the same id twice with the same kind is still one entity (later fields win)', async () => {
    await writeBatch(ex, [{ id: 'wb-same', kind: 'HOST', name: 'Same' }, { id: 'wb-same', kind: 'HOST', name: 'Same', description: 'second' }], [], { actor: 'test' });
    assert.equal(await count(ex, 'wb-same'), 1);
  });
});
