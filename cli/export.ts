// npm run export [-- --out FILE] [--ids a,b,c] [--tlp-max CLEAR|GREEN|AMBER|RED] [--raw]
//   Writes the graph as a STIX 2.1 bundle (streamed, to FILE or stdout). The command line has the
//   database's own credentials, so its clearance is RED unless --tlp-max narrows it.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { neo4jSettings } from '../core/config.js';
import { isTlp } from '../model/model.js';
import { Executor } from '../api/store/executor.js';
import { writeBundle } from '../api/stix/bundle-stream.js';
import { exportObjects, newBundleId } from '../api/stix/stix-export.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    ids: { type: 'string' },
    'tlp-max': { type: 'string', default: 'RED' },
    raw: { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
  const tlpMax = values['tlp-max'];
  if (!isTlp(tlpMax)) throw new Error('--tlp-max must be CLEAR, GREEN, AMBER or RED');
  const ids = values.ids?.split(',').map((s) => s.trim()).filter(Boolean);
  const ex = new Executor(neo4jSettings());
  const out = values.out ? fs.createWriteStream(values.out) : process.stdout;
  const t0 = Date.now();
  try {
    const counts = await writeBundle(out, newBundleId(), exportObjects(ex, { ids, clearance: tlpMax, includeRaw: values.raw }));
    if (values.out) await new Promise((resolve, reject) => { out.on('error', reject); (out as fs.WriteStream).end(resolve); });
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const types = [...counts].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${n} ${t}`).join(', ');
    console.error(`export: ${total} objects (${types}) to ${values.out ?? 'stdout'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await ex.close();
  }
}

main().catch((e: Error) => { console.error(`export failed: ${e.message}`); process.exit(1); });
