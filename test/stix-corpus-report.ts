// Imports a real bundle (default: ATT&CK for ICS) into an emptied test database and prints what
// landed: relationships in vs links by type, objects in vs entities, the import rate; then exports
// everything again and prints the closing line (objects in / imported / exported) and what the
// round trip changed (test/stix-roundtrip.ts).
//   npx tsx test/run.ts --exec test/stix-corpus-report.ts [bundle.json]
// (never against a database you care about: it empties the graph first).
import { fileSource } from '../api/stix/bundle-stream.js';
import { exportObjects } from '../api/stix/stix-export.js';
import { importStix } from '../api/stix/stix-import.js';
import { migrate } from '../api/store/migrations.js';
import { resetGraph, testExecutor } from './helpers.js';
import { ICS_BUNDLE, entitiesByType, landedByType, readObjects, table } from './stix-corpus.js';
import { mappedIds, roundTrip, summary } from './stix-roundtrip.js';

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
  const links = await landedByType(ex, all);
  console.log(table('relationship (type source->target)', links, 'links'));
  console.log(table('object type', await entitiesByType(ex, all), 'entities'));
  const exported: Array<Record<string, unknown> & { id: string; type: string }> = [];
  for await (const o of exportObjects(ex, { clearance: 'RED' })) exported.push(o as (typeof exported)[number]);
  // Mapped: input objects the database holds as entities or links (not the Sources made for references).
  const inputIds = new Set(all.map((o) => o.id));
  const mapped = new Set([...await mappedIds(ex)].filter((id) => inputIds.has(id)));
  const rt = roundTrip(all, exported, mapped);
  const total = links[links.length - 1];
  console.log(`in ${all.length} objects (${total.in} relationships); imported ${mapped.size} as entities or links (${total.landed} relationships as links), ${report.raw} kept raw; `
    + `exported ${rt.compared} under their own id and type (${rt.elsewhere.length} as another type), ${exported.length} objects in all; ${Math.round(objects / seconds)} objects/s`);
  console.log(`round trip: ${rt.differences.length} differences${rt.differences.length ? ':' : ''}`);
  for (const [key, n] of summary(rt.differences)) console.log(`  ${key}: ${n}`);
} finally {
  await ex.close();
}
