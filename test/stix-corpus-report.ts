// Imports a real bundle (default: ATT&CK for ICS) into an emptied test database and prints what
// landed: relationships in vs links by type, objects in vs entities, the import rate.
//   npx tsx test/run.ts --exec test/stix-corpus-report.ts [bundle.json]
// (never against a database you care about: it empties the graph first).
import { fileSource } from '../api/stix/bundle-stream.js';
import { importStix } from '../api/stix/stix-import.js';
import { migrate } from '../api/store/migrations.js';
import { resetGraph, testExecutor } from './helpers.js';
import { ICS_BUNDLE, entitiesByType, landedByType, readObjects, table } from './stix-corpus.js';

const file = process.argv[2] ?? ICS_BUNDLE;
const ex = testExecutor();
try {
  await migrate(ex);
  await resetGraph(ex, ['Entity', 'StixRaw']);
  const t0 = Date.now();
  const { report, objects } = await importStix(ex, fileSource(file), { progress: false });
  const seconds = (Date.now() - t0) / 1000;
  const all = readObjects(file);
  console.log(`import ${file}: ${objects} objects in ${seconds.toFixed(1)} s, ${Math.round(objects / seconds)} objects/s; created ${report.created}, skipped ${report.skipped}, raw ${report.raw}`);
  for (const w of report.warnings) console.log(`  warning: ${w}`);
  console.log(table('relationship (type source->target)', await landedByType(ex, all), 'links'));
  console.log(table('object type', await entitiesByType(ex, all), 'entities'));
} finally {
  await ex.close();
}
