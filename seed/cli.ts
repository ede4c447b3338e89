// npm run seed [-- --file <graph.json|jsonl>] [--reset]
//   Loads the seed article's graph (or another file in the import format) into the database that
//   `npm start` uses; idempotent. --reset empties the database first (asks nothing: be sure).
// npm run seed -- --synthetic XS|S|M|L [--seed N] [--batch-size N] [--reset]
//   Generates a deterministic synthetic graph and loads it through the bulk loader (progress bar,
//   checkpoint/resume, summary line). XS 500/2.5k, S 10k/50k, M 100k/500k, L 1M/5M nodes/links.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { neo4jSettings } from '../api/config.js';
import { Executor } from '../api/store/executor.js';
import { migrate } from '../api/store/migrations.js';
import { countAll } from '../api/store/write-graph.js';
import { projectRoot } from '../db/launcher.js';
import { bulkLoad, summaryLine } from './bulk-load.js';
import { SEED_FILE, loadGraphFile } from './loader.js';
import { isSizeName, recordCount, syntheticRecords, SIZES } from './synthetic.js';

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    reset: { type: 'boolean', default: false },
    synthetic: { type: 'string' },
    seed: { type: 'string', default: '1' },
    'batch-size': { type: 'string' },
  },
});

async function loadSynthetic(ex: Executor, size: string): Promise<void> {
  if (!isSizeName(size)) throw new Error(`--synthetic must be one of ${Object.keys(SIZES).join(' ')}`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
  const label = `synthetic-${size}-seed${seed}`;
  const summary = await bulkLoad(ex, syntheticRecords(size, seed), {
    label, total: recordCount(size), batchSize: values['batch-size'] ? Number(values['batch-size']) : undefined,
    checkpointFile: path.join(projectRoot, '.data', `${label}.checkpoint.json`), progress: true,
  });
  const { nodes, links } = await countAll(ex);
  console.log(`${summaryLine(label, summary)}; database now holds ${nodes} entities, ${links} links`);
}

async function main(): Promise<void> {
  const ex = new Executor(neo4jSettings());
  try {
    await migrate(ex);
    if (values.reset) {
      const session = ex.driver.session({ database: ex.settings.database });
      await session.run('MATCH (n:Entity) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
      await session.close();
    }
    if (values.synthetic) return await loadSynthetic(ex, values.synthetic);
    const file = values.file ?? SEED_FILE;
    const t0 = Date.now();
    const r = await loadGraphFile(ex, file);
    const { nodes, links } = await countAll(ex);
    console.log(`seed: ${file}: entities ${r.entitiesCreated} created, ${r.entitiesUpdated} updated; links ${r.linksCreated} created, ${r.linksUpdated} updated in ${Date.now() - t0} ms; database now holds ${nodes} entities, ${links} links`);
  } finally {
    await ex.close();
  }
}

main().catch((e: Error) => { console.error(`seed failed: ${e.message}`); process.exit(1); });
