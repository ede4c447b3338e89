// npm run import -- --mapping m.yaml <file|folder…> [--dry-run] [--strict] …: tables through a mapping (cli/import-tables.ts, docs/tables.md).
// npm run import -- <file|-> [--format stix|jsonl] [--batch-size N] [--default-confidence N] [--checkpoint F] [--fresh] [--progress] [--key K] [--skip-invalid]
//   Imports a STIX 2.1 bundle (streamed: any size) or JSON lines in our own format
//   ({"record":"entity"|"link", ...}, docs/import-format.md) through the bulk loader: batches of
//   one transaction each, a progress bar, and a checkpoint (<file>.checkpoint) so that a run that
//   crashed resumes where it stopped. `-` reads stdin (spooled to a temporary file, no resume).
//   It runs as the local operator (who holds the database password: clearance RED) unless given
//   `--key` (or DISINFO_API_KEY), an analyst key whose clearance then applies to every record.
//   A record the model rejects (an id held by another kind, a link to a missing end …) stops the
//   import at its batch, naming file:line and the reason; with --skip-invalid it is left out, listed
//   (file:line, reason) and counted in the summary line, and the rest is loaded.
//   --resolve (either form): afterwards, entities sharing an exact external id or a normalised
//   observable merge automatically (reversibly); the rest stay candidates (docs/resolution.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { cliApiKey, neo4jSettings } from '../core/config.js';
import { Forbidden } from '../core/errors.js';
import { Executor } from '../api/store/executor.js';
import { findActiveKey } from '../api/store/keys.js';
import { migrate } from '../api/store/migrations.js';
import type { Tlp } from '../model/model.js';
import { InvalidBatch, bulkLoad, invalidLine, readJsonLines, summaryLine, type InvalidRecord } from '../api/store/bulk-load.js';
import { fileSource } from '../api/stix/bundle-stream.js';
import { importStix } from '../api/stix/stix-import.js';
import { StixFormatError } from '../api/stix/stix-validate.js';
import { MappingError } from '../api/tables/mapping.js';
import { autoResolve } from '../api/store/resolution-auto.js';
import { runTablesImport } from './import-tables.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    format: { type: 'string' },
    'batch-size': { type: 'string', default: '5000' },
    'default-confidence': { type: 'string' },
    checkpoint: { type: 'string' },
    fresh: { type: 'boolean', default: false },
    progress: { type: 'boolean' },
    key: { type: 'string' },
    mapping: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    'skip-invalid': { type: 'boolean', default: false },
    resolve: { type: 'boolean', default: false },
  },
});

/** --resolve: the automatic merges after an import, and what is left for an analyst. */
async function resolveAfterImport(ex: Executor, as: { actor: string; clearance: Tlp }): Promise<void> {
  // Only what this import brought is compared against the graph (by indexed key lookups).
  const r = await autoResolve(ex, as.actor, as.clearance, [...imported]);
  for (const m of r.merges) console.error(`import: merged ${m.from.join(', ')} into ${m.into} (${m.mergeId}; undo with unmergeEntities)`);
  console.log(`import: resolve: ${r.merges.length} automatic merge(s) (same external id or observable); ${r.candidatesLeft} candidate pair(s) left for review (mergeCandidates)`);
}

/** JSON lines when the name says so, or when the first line is a whole record of ours. */
function detectFormat(file: string): 'stix' | 'jsonl' {
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(64 * 1024);
  const n = fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  const firstLine = head.subarray(0, n).toString('utf8').split('\n')[0];
  try {
    return typeof (JSON.parse(firstLine) as { record?: unknown }).record === 'string' ? 'jsonl' : 'stix';
  } catch {
    return 'stix';
  }
}

async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lines++;
  }
  return lines;
}

async function spoolStdin(): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'import-')), 'stdin.json');
  await pipeline(process.stdin, fs.createWriteStream(file));
  return file;
}

let checkpointFile: string | undefined;

/** Who the import runs as: the local operator, or the key given (which must be an analyst's). */
async function importer(ex: Executor, key: string | undefined): Promise<{ actor: string; clearance: Tlp }> {
  if (!key) return { actor: 'import', clearance: 'RED' };
  const record = await findActiveKey(ex, key);
  if (!record) throw new Error('--key: unknown or revoked API key');
  if (record.role === 'READER') throw new Error(`--key: the key's role READER cannot write; it needs ANALYST`);
  console.error(`import: as ${record.name} [key ${record.id}], clearance ${record.clearance}`);
  return { actor: `${record.name} [key ${record.id}] (import)`, clearance: record.clearance };
}

/** The ids of the entities this import brought (written or unchanged), for --resolve. */
const imported = new Set<string>();
const onEntities = (ids: string[]) => { for (const id of ids) imported.add(id); };

/** --skip-invalid: each record left out, on stderr as it happens. */
const skipInvalid = values['skip-invalid']
  ? { skipInvalid: true, onInvalid: (r: InvalidRecord) => console.error(`import: skipped ${invalidLine(r)}`) }
  : {};

async function main(): Promise<void> {
  if (values.mapping) {
    if (!positionals.length) throw new Error('usage: npm run import -- --mapping m.yaml <file|folder…> [--dry-run] [--strict] [--batch-size N] [--checkpoint F] [--fresh] [--key K]');
    const batchSize = Number(values['batch-size']);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('--batch-size must be a positive integer');
    const code = await runTablesImport({
      mapping: values.mapping, paths: positionals, dryRun: values['dry-run'], strict: values.strict, batchSize,
      checkpoint: values.checkpoint, fresh: values.fresh, progress: values.progress, onEntities, ...skipInvalid,
    }, async () => {
      const ex = new Executor(neo4jSettings());
      await migrate(ex);
      return { ex, as: await importer(ex, values.key ?? cliApiKey()) };
    });
    if (code === 0 && values.resolve && !values['dry-run']) {
      const ex = new Executor(neo4jSettings());
      try { await resolveAfterImport(ex, await importer(ex, values.key ?? cliApiKey())); } finally { await ex.close(); }
    }
    process.exit(code);
  }
  const arg = positionals[0];
  if (!arg) throw new Error('usage: npm run import -- <file|-> [--format stix|jsonl] [--batch-size N] [--default-confidence N] [--checkpoint F] [--fresh]');
  const fromStdin = arg === '-';
  const file = fromStdin ? await spoolStdin() : arg;
  if (!fs.existsSync(file)) throw new Error(`${file}: no such file`);
  const format = values.format ?? detectFormat(file);
  if (format !== 'stix' && format !== 'jsonl') throw new Error('--format must be stix or jsonl');
  const batchSize = Number(values['batch-size']);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('--batch-size must be a positive integer');
  checkpointFile = fromStdin ? undefined : values.checkpoint ?? `${file}.checkpoint`;
  if (values.fresh && checkpointFile) fs.rmSync(checkpointFile, { force: true });
  if (checkpointFile && fs.existsSync(checkpointFile)) console.error(`import: resuming from ${checkpointFile}`);
  const ex = new Executor(neo4jSettings());
  const t0 = Date.now();
  try {
    await migrate(ex);
    const as = await importer(ex, values.key ?? cliApiKey());
    const opts = { batchSize, checkpointFile, progress: values.progress, onEntities, ...as };
    if (format === 'jsonl') {
      const summary = await bulkLoad(ex, readJsonLines(fs.createReadStream(file), fromStdin ? 'stdin' : arg), { ...opts, ...skipInvalid, label: 'jsonl', total: await countLines(file) });
      console.log(summaryLine(`import ${arg}`, summary));
      if (values.resolve) await resolveAfterImport(ex, as);
      return;
    }
    console.error(`import: checking ${arg} …`);
    const confidence = values['default-confidence'] === undefined ? undefined : Number(values['default-confidence']);
    const { report, summary, objects } = await importStix(ex, fileSource(file), { ...opts, label: 'stix', defaultConfidence: confidence, title: file === '-' ? undefined : path.basename(file) });
    for (const w of report.warnings) console.error(`warning: ${w}`);
    const secs = (Date.now() - t0) / 1000;
    console.log(`import ${arg}: ${objects} STIX objects as ${summary.records} records in ${summary.batches} batches: `
      + `${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.skipped} skipped, `
      + `${report.raw} kept raw, ${summary.skipped} done before (checkpoint); ${secs.toFixed(1)} s, ${(objects / secs).toFixed(0)} objects/s`);
    if (values.resolve) await resolveAfterImport(ex, as);
  } finally {
    await ex.close();
    if (fromStdin) fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  const what = e instanceof StixFormatError ? 'malformed STIX bundle, nothing was written'
    : e instanceof MappingError ? 'bad mapping, nothing was written'
    : e instanceof Forbidden ? 'above the key\'s clearance; that batch was not written'
      : e instanceof InvalidBatch ? 'invalid records; earlier batches were written' : 'stopped';
  console.error(`import failed (${what}): ${e.message}`);
  if (checkpointFile && fs.existsSync(checkpointFile)) console.error(`import: run the same command again to resume from ${checkpointFile}`);
  process.exit(1);
});
