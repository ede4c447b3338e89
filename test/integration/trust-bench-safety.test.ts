// Benchmarks and synthetic loads destroy nothing by default: they use a database of their own,
// and refuse to empty one that holds anything not synthetic unless --reset is given.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Executor } from '../../api/store/executor.js';
import { createKey } from '../../api/store/keys.js';
import { writeBatch } from '../../api/store/write-graph.js';
import { ensureGraph, holdsGraph } from '../../bench/load.js';
import { benchTarget, inspectDatabase, RefusedToEmpty } from '../../bench/safety.js';
import { localDbConfig, projectRoot } from '../../db/launcher.js';
import { bulkLoad } from '../../api/store/bulk-load.js';
import { SIZES, syntheticRecords } from '../../seed/synthetic.js';
import { resetGraph, seededExecutor } from '../helpers.js';

/** Every entity id and link id, sorted: the graph's identity. */
async function fingerprint(ex: Executor): Promise<string> {
  const [row] = await ex.read<{ ids: string[]; links: string[]; other: number }>(`
    MATCH (n:Entity) WITH collect(n.id) AS ids
    OPTIONAL MATCH (:Entity)-[r]->(:Entity) WITH ids, collect(r.id) AS links
    RETURN ids, links, COUNT { MATCH (m) WHERE NOT m:Entity } AS other`);
  return JSON.stringify({ ids: row.ids.sort(), links: row.links.sort(), other: row.other });
}

const quiet = () => undefined;
const refusal = (e: unknown) => e instanceof RefusedToEmpty && !e.message.includes('\n') && /--reset/.test(e.message);
const entityThere = async (ex: Executor, id: string) => (await ex.read<{ n: number }>('MATCH (n:Entity {id: $id}) RETURN count(n) AS n', { id }))[0].n === 1;

describe('benchmarks and synthetic loads destroy nothing by default', () => {
  let ex: Executor;
  before(async () => { ex = await seededExecutor(); });
  after(() => ex.close());

  it('by default they use a database of their own, not the one npm start uses', () => {
    const own = localDbConfig(benchTarget({}).env);
    const users = localDbConfig({});
    assert.equal(own.home, localDbConfig({ NEO4J_HOME_DIR: '.data/neo4j-bench' }).home);
    assert.notEqual(own.home, users.home);
    assert.deepEqual([own.boltPort, own.httpPort], [7688, 7475]);
    assert.equal(benchTarget({}).local, true);
    // Explicit choices win.
    const uri = benchTarget({ NEO4J_URI: 'bolt://db.example:7687' });
    assert.deepEqual([uri.local, uri.env.NEO4J_URI], [false, 'bolt://db.example:7687']);
    const home = localDbConfig(benchTarget({ NEO4J_HOME_DIR: '.data/mine' }).env);
    assert.deepEqual([home.home.endsWith('/.data/mine'), home.boltPort], [true, 7687]);
    assert.ok(localDbConfig(benchTarget({}, '.data/other').env).home.endsWith('/.data/other'), '--db');
    assert.equal(localDbConfig(benchTarget({ NEO4J_BOLT_PORT: '7999' }).env).boltPort, 7999);
  });

  it('the bench refuses to empty a database holding the seed graph, in one line, and the seed graph stays whole', async () => {
    const before = await fingerprint(ex);
    await assert.rejects(ensureGraph(ex, 'XS', quiet), (e) => refusal(e) && /entities not from a synthetic graph \(e\.g\. "/.test((e as Error).message));
    assert.equal(await fingerprint(ex), before);
    assert.ok(await entityThere(ex, 'iran'));
  });

  it('an API key, an investigation or an API write\'s audit record alone is enough to refuse', async () => {
    await resetGraph(ex);
    await createKey(ex, 'someone', 'READER', 'GREEN');
    await assert.rejects(ensureGraph(ex, 'XS', quiet), (e) => refusal(e) && /1 ApiKey/.test((e as Error).message));
    await resetGraph(ex);
    await ex.write((tx) => tx.run("CREATE (:Investigation {id: 'inv-bench-test', name: 'kept'})"));
    await assert.rejects(ensureGraph(ex, 'XS', quiet), (e) => refusal(e) && /1 Investigation/.test((e as Error).message));
    await resetGraph(ex);
    await writeBatch(ex, [{ id: 'syn-but-by-hand', kind: 'PERSONA', name: 'Written by an analyst' }], [], { actor: 'analyst-jane' });
    await ex.write((tx) => tx.run("MATCH (n:Entity {id: 'syn-but-by-hand'}) DETACH DELETE n"));
    const contents = await inspectDatabase(ex);
    assert.ok((contents.foreign.AuditRecord ?? 0) >= 1, JSON.stringify(contents));
    await assert.rejects(ensureGraph(ex, 'XS', quiet), (e) => refusal(e) && /AuditRecord/.test((e as Error).message));
  });

  it('with --reset it proceeds: the database is emptied and the graph loaded', async () => {
    await ex.close();
    ex = await seededExecutor();
    await createKey(ex, 'someone', 'READER', 'GREEN');
    const r = await ensureGraph(ex, 'XS', quiet, { reset: true });
    assert.equal(r.loaded, true);
    assert.ok(await holdsGraph(ex, 'XS'));
    assert.equal(await entityThere(ex, 'iran'), false);
    const contents = await inspectDatabase(ex);
    assert.deepEqual(contents.foreign, {}, 'nothing but the synthetic graph and its load\'s audit records');
    assert.equal(contents.syntheticEntities, SIZES.XS.nodes);
  });

  it('a database holding only synthetic data is reused, or reloaded, without --reset', async () => {
    const reused = await ensureGraph(ex, 'XS', quiet);
    assert.equal(reused.loaded, false, 'the same graph is reused as it is');
    // A damaged graph and leftovers of an interrupted import comparison are the bench's own: reloaded.
    await ex.write((tx) => tx.run("MATCH (n:Entity) WHERE n.id IN ['syn-persona-0', 'syn-host-1'] DETACH DELETE n"));
    const copies = [...syntheticRecords('XS', 7, 'impo0')].slice(0, 50);
    await bulkLoad(ex, copies, { label: 'import-ours-XS', progress: false });
    assert.equal(await holdsGraph(ex, 'XS'), false);
    const reloaded = await ensureGraph(ex, 'XS', quiet);
    assert.equal(reloaded.loaded, true);
    assert.ok(await holdsGraph(ex, 'XS'));
    assert.equal(await entityThere(ex, 'impo0-persona-0'), false);
  });

  describe('the commands', () => {
    const run = (script: string, args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', script, ...args],
      { cwd: projectRoot, env: process.env, encoding: 'utf8', timeout: 120_000 });

    it('npm run bench and npm run seed -- --synthetic refuse on the seed graph with one clear line, and leave it whole', async () => {
      await ex.close();
      ex = await seededExecutor();
      const before = await fingerprint(ex);
      for (const [script, args] of [['cli/bench.ts', ['--size', 'XS', '--no-viewer']], ['cli/seed.ts', ['--synthetic', 'XS']]] as const) {
        const r = run(script, [...args]);
        assert.equal(r.status, 1, `${script}: ${r.stdout}\n${r.stderr}`);
        const lines = r.stderr.trim().split('\n');
        assert.equal(lines.length, 1, r.stderr);
        assert.match(lines[0], /refusing to empty the database at bolt:\/\/.* it holds \d+ entities not from a synthetic graph .*--reset/);
        assert.equal(await fingerprint(ex), before, `${script} changed nothing`);
      }
    });

    it('npm run seed -- --synthetic --reset empties and loads; without --reset it loads over synthetic data', async () => {
      const reset = run('cli/seed.ts', ['--synthetic', 'XS', '--reset']);
      assert.equal(reset.status, 0, reset.stderr);
      assert.equal(await entityThere(ex, 'iran'), false);
      assert.ok(await holdsGraph(ex, 'XS'));
      const again = run('cli/seed.ts', ['--synthetic', 'XS']);
      assert.equal(again.status, 0, again.stderr);
      assert.ok(await holdsGraph(ex, 'XS'));
      assert.match(again.stdout, /database now holds 500 entities, 2500 links/);
    });
  });
});
