// npm run db:backup [-- --out file.jsonl.gz]
// npm run db:restore -- <file> [--force]   (--force empties a non-empty database first)
// Logical backup and restore through Bolt (api/store/backup.ts).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import neo4j from 'neo4j-driver';
import { neo4jSettings, projectRoot } from '../core/config.js';
import { backup, restore } from '../api/store/backup.js';

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' }, force: { type: 'boolean', default: false } } });
  const [command, file] = positionals;
  const s = neo4jSettings();
  const driver = neo4j.driver(s.uri, neo4j.auth.basic(s.user, s.password));
  try {
    if (command === 'backup') {
      const out = values.out ?? path.join(projectRoot, '.data', 'backups', `backup-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl.gz`);
      const r = await backup(driver, s.database, out);
      console.log(`db:backup: ${r.nodes} nodes, ${r.relationships} relationships → ${r.file} (${fs.statSync(r.file).size} bytes) in ${r.seconds.toFixed(1)} s`);
    } else if (command === 'restore' && file) {
      const r = await restore(driver, s.database, file, values.force);
      console.log(`db:restore: ${r.nodes} nodes, ${r.relationships} relationships from ${r.file} in ${r.seconds.toFixed(1)} s`);
    } else {
      console.error('usage: npm run db:backup [-- --out file]  |  npm run db:restore -- <file> [--force]');
      process.exitCode = 2;
    }
  } finally {
    await driver.close();
  }
}

main().catch((e: Error) => { console.error(`db: ${e.message}`); process.exit(1); });
