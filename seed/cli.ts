// npm run seed [-- --file <graph.json|jsonl>] [--reset]
//   Loads the seed article's graph (or another file in the import format) into the database that
//   `npm start` uses; idempotent. --reset empties the database first (asks nothing: be sure).
import { parseArgs } from 'node:util';
import { neo4jSettings } from '../api/config.js';
import { Executor } from '../api/store/executor.js';
import { migrate } from '../api/store/migrations.js';
import { countAll } from '../api/store/write-graph.js';
import { SEED_FILE, loadGraphFile } from './loader.js';

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    reset: { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
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

main().catch((e: Error) => { console.error(`seed failed: ${e.message}`); process.exit(1); });
