import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { localDbConfig, runningPid, startDb } from '../../db/launcher.js';
import { Executor } from '../../api/store/executor.js';
import { DatabaseError } from '../../core/errors.js';
import { createApp, gql, testExecutor } from '../helpers.js';

describe('foundation: real Neo4j, health and readiness', () => {
  let ex: Executor;
  before(() => { ex = testExecutor(); });
  after(() => ex.close());

  it('writes to and reads from the real Neo4j', async () => {
    const marker = `probe-${Date.now()}`;
    await ex.write((tx) => tx.run('CREATE (:Probe {id: $id, at: datetime()})', { id: marker }));
    const rows = await ex.read<{ id: string; version: string }>(
      'MATCH (p:Probe {id: $id}) CALL dbms.components() YIELD versions RETURN p.id AS id, versions[0] AS version', { id: marker });
    assert.equal(rows[0].id, marker);
    assert.match(rows[0].version, /^5\.26\./, 'the test database is Neo4j 5.26');
    await ex.write((tx) => tx.run('MATCH (p:Probe) DELETE p'));
  });

  it('readUntil takes every row of a result many fetches long, in order', async () => {
    const { rows, complete } = await ex.readUntil<{ i: number }>('UNWIND range(1, $n) AS i RETURN i', { n: 2345 }, 30_000, 50);
    assert.equal(complete, true);
    assert.equal(rows.length, 2345);
    assert.ok(rows.every((r, k) => Number(r.i) === k + 1), 'rows in the order Neo4j sent them');
  });

  it('regression: a read stopped at its deadline left its pooled connection failing the next read (readUntil keeps the rows that came)', async () => {
    // One connection: each read after a stopped one is given the connection that read used.
    const one = new Executor(ex.settings, 15_000, { maxConnectionPoolSize: 1 });
    try {
      // A billion rows stream for minutes: the deadline, not the statement, ends the read.
      const { rows, complete } = await one.readUntil<{ i: number }>('UNWIND range(1, 1000000000) AS i RETURN i', {}, 1_500, 10);
      assert.equal(complete, false);
      assert.ok(rows.length > 0 && rows.length < 1_000_000_000, `${rows.length} rows before the deadline`);
      assert.ok(rows.every((r, k) => Number(r.i) === k + 1), 'the rows that came are a prefix, in order');
      for (let k = 0; k < 5; k++) {
        await one.readUntil('UNWIND range(1, 1000000000) AS i RETURN i', {}, 50 + 50 * k, 10);
        assert.equal((await one.read<{ k: number }>('RETURN $k AS k', { k }))[0].k, k, `the read after stopped read ${k}`);
      }
    } finally {
      await one.close();
    }
    // And with the shared pool: more reads at once than it holds still answer.
    const again = await Promise.all(Array.from({ length: 120 }, (_, k) => ex.read<{ k: number }>('RETURN $k AS k', { k })));
    assert.deepEqual(again.map((r) => Number(r[0].k)), Array.from({ length: 120 }, (_, k) => k));
  });

  it('readUntil throws a failing statement\'s error instead of answering with the rows before it', async () => {
    // Division by zero on the sixth row, after five rows came in batches of two.
    await assert.rejects(ex.readUntil('UNWIND range(5, -5, -1) AS d RETURN 10 / d AS x', {}, 30_000, 2), DatabaseError);
    assert.equal((await ex.read<{ x: number }>('RETURN 1 AS x'))[0].x, 1, 'the connection still answers');
  });

  it('answers { __typename } and a query that reads Neo4j, with /health and /ready 200', async () => {
    const app = createApp({ executor: ex });
    const r = await gql<{ __typename: string; stats: { nodes: number } }>(app, '{ __typename stats { nodes links } }');
    assert.equal(r.status, 200);
    assert.equal(r.data?.__typename, 'Query');
    assert.equal(typeof r.data?.stats.nodes, 'number');
    assert.equal((await app.fetch('http://test/health')).status, 200);
    assert.equal((await app.fetch('http://test/ready')).status, 200);
  });

  it('/ready is 503 and queries say UNAVAILABLE when Neo4j is unreachable', async () => {
    const down = new Executor({ ...ex.settings, uri: 'bolt://127.0.0.1:1' }, 2_000);
    try {
      const app = createApp({ executor: down });
      assert.equal((await app.fetch('http://test/health')).status, 200, 'the process itself is up');
      assert.equal((await app.fetch('http://test/ready')).status, 503);
      const r = await gql(app, '{ stats { nodes } }');
      assert.equal(r.errors?.[0].extensions?.code, 'UNAVAILABLE');
      assert.doesNotMatch(JSON.stringify(r), /MATCH|bolt:|at .*\.ts/, 'no Cypher, URI or stack trace leaks');
    } finally {
      await down.close();
    }
  });

  it('db:start on a running server is a no-op', { skip: !process.env.NEO4J_TEST_OWN_DB && 'external test database' }, async () => {
    const config = localDbConfig(process.env);
    const pid = runningPid(config);
    const r = await startDb(config);
    assert.equal(r.started, false);
    assert.equal(r.pid, pid);
  });
});
