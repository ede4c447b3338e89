import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localDbConfig, runningPid, startDb, stopDb } from '../../db/launcher.js';
import { testExecutor } from '../helpers.js';

describe('db: stop and start keep the data', { skip: !process.env.NEO4J_TEST_OWN_DB && 'external test database' }, () => {
  it('a node written before a clean stop is there after the next start', async () => {
    const config = localDbConfig(process.env);
    let ex = testExecutor();
    const id = `persist-${Date.now()}`;
    await ex.write((tx) => tx.run('CREATE (:Probe {id: $id})', { id }));
    await ex.close();
    assert.equal(await stopDb(config), true);
    assert.equal(runningPid(config), undefined, 'stopped');
    const r = await startDb(config);
    assert.equal(r.started, true);
    ex = testExecutor();
    try {
      const rows = await ex.read('MATCH (p:Probe {id: $id}) RETURN p.id AS id', { id });
      assert.equal(rows.length, 1);
      await ex.write((tx) => tx.run('MATCH (p:Probe) DELETE p'));
    } finally {
      await ex.close();
    }
  });
});
