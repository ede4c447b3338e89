// npm run seed [-- --file <graph.json|jsonl>] [--reset]
//   Loads the seed article's graph (or another file in the import format) into the database that
//   `npm start` uses; idempotent. --reset EMPTIES that database first (deletes every entity and
//   link; asks nothing: be sure).
// npm run seed -- --synthetic XS|S|M|L [--seed N] [--batch-size N] [--db FOLDER] [--reset]
//   Generates a deterministic synthetic graph and loads it through the bulk loader (progress bar,
//   checkpoint/resume, summary line). XS 500/2.5k, S 10k/50k, M 100k/500k, L 1M/5M nodes/links.
//   It goes to the benchmark's own database (.data/neo4j-bench on Bolt 7688, started here if it
//   is not running, and stopped again after) unless NEO4J_URI, NEO4J_HOME_DIR or --db names
//   another. A database holding only synthetic data takes the graph (another synthetic graph is
//   deleted first; the same one resumes from its checkpoint); one holding anything else is left
//   alone unless --reset, which deletes everything in it.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { neo4jSettings } from '../core/config.js';
import { Executor } from '../api/store/executor.js';
import { migrate } from '../api/store/migrations.js';
import { countAll } from '../api/store/write-graph.js';
import { localDbConfig, projectRoot, startDb, stopDb } from '../db/launcher.js';
import { benchTarget, prepareForSynthetic, RefusedToEmpty } from '../bench/safety.js';
import { bulkLoad, summaryLine } from '../api/store/bulk-load.js';
import { SEED_FILE, loadGraphFile } from '../seed/loader.js';
import { isSizeName, recordCount, syntheticRecords, SIZES } from '../seed/synthetic.js';

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    reset: { type: 'boolean', default: false },
    synthetic: { type: 'string' },
    seed: { type: 'string', default: '1' },
    'batch-size': { type: 'string' },
    db: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

const USAGE = `npm run seed [-- --file <graph.json|jsonl>] [--reset]
  Loads the seed article's graph (or a file in the import format) into the database npm start
  uses; idempotent. --reset EMPTIES that database first: every entity and link is deleted.
npm run seed -- --synthetic XS|S|M|L [--seed N] [--batch-size N] [--db FOLDER] [--reset]
  Loads a deterministic synthetic graph into the benchmark's own database (.data/neo4j-bench,
  Bolt 7688; NEO4J_URI, NEO4J_HOME_DIR or --db for another). A database holding anything that is
  not synthetic is refused; --reset deletes everything in it first.`;

async function loadSynthetic(size: string): Promise<void> {
  if (!isSizeName(size)) throw new Error(`--synthetic must be one of ${Object.keys(SIZES).join(' ')}`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
  const label = `synthetic-${size}-seed${seed}`;
  const checkpointFile = path.join(projectRoot, '.data', `${label}.checkpoint.json`);
  const target = benchTarget(process.env, values.db);
  const config = localDbConfig(target.env);
  let started = false;
  if (target.local) {
    console.log(`seed: synthetic graphs go to ${target.where} (NEO4J_URI, NEO4J_HOME_DIR or --db for another)`);
    started = (await startDb(config)).started;
  }
  // A long job's reads (counting what is there, existing links) get minutes, not the API's 15 s: on a
  // loaded machine the first count over an M-sized graph can take longer.
  const ex = new Executor(neo4jSettings(target.env), 180_000);
  try {
    await migrate(ex);
    let dropped = false;
    await prepareForSynthetic(ex, {
      reset: values.reset, where: target.where, what: 'seed --synthetic',
      // Only this graph's own records stay (a resumed load); any other synthetic graph goes.
      dropSynthetic: (c) => (dropped = c.syntheticEntities > 0 && !(c.syntheticLoads.length > 0 && c.syntheticLoads.every((l) => l === label))),
    });
    // An emptied database has none of what the checkpoint says was written.
    if (values.reset || dropped) fs.rmSync(checkpointFile, { force: true });
    const summary = await bulkLoad(ex, syntheticRecords(size, seed), {
      label, total: recordCount(size), batchSize: values['batch-size'] ? Number(values['batch-size']) : undefined,
      checkpointFile, progress: true,
    });
    const { nodes, links } = await countAll(ex);
    console.log(`${summaryLine(label, summary)}; database now holds ${nodes} entities, ${links} links`);
  } finally {
    await ex.close();
    if (started) await stopDb(config);
  }
}

async function main(): Promise<void> {
  if (values.help) return console.log(USAGE);
  if (values.synthetic) return loadSynthetic(values.synthetic);
  const ex = new Executor(neo4jSettings());
  try {
    await migrate(ex);
    if (values.reset) {
      const session = ex.driver.session({ database: ex.settings.database });
      await session.run('MATCH (n:Entity) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
      await session.close();
    }
    const file = values.file ?? SEED_FILE;
    const t0 = Date.now();
    const r = await loadGraphFile(ex, file);
    const { nodes, links } = await countAll(ex);
    console.log(`seed: ${file}: entities ${r.entitiesCreated} created, ${r.entitiesUpdated} updated; links ${r.linksCreated} created, ${r.linksUpdated} updated in ${Date.now() - t0} ms; database now holds ${nodes} entities, ${links} links`);
  } finally {
    await ex.close();
  }
}

main().catch((e: Error) => { console.error(e instanceof RefusedToEmpty ? e.message : `seed failed: ${e.message}`); process.exit(1); });
