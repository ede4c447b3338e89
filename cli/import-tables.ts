// npm run import -- --mapping m.yaml <file|folder…> [--dry-run] [--strict] [--skip-invalid] [--batch-size N] [--checkpoint F] [--fresh] [--key K]
//   Loads tables (CSV/TSV/JSON/JSON lines) through a mapping (docs/tables.md): every file under the
//   paths given that one of the mapping's inputs takes. Bad rows are listed with file:row and the
//   reason and left out whole (with --strict, any bad row stops the import before it writes);
//   --dry-run prints what would be written without a database. Writes through the bulk loader as
//   the STIX and JSON-lines imports do: checked against the database first, then batches of one
//   transaction each, a checkpoint (.data/import-<fingerprint>.checkpoint by default) and audit records.
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../core/config.js';
import type { Executor } from '../api/store/executor.js';
import type { Tlp } from '../model/model.js';
import { summaryLine, type InvalidRecord } from '../api/store/bulk-load.js';
import { parseMapping } from '../api/tables/mapping.js';
import { problemLine } from '../api/tables/evaluate.js';
import { planImport, recordsOf, writePlan, type TablePlan } from '../api/tables/table-import.js';

export interface TablesCliOptions {
  mapping: string;
  paths: string[];
  dryRun: boolean;
  strict: boolean;
  batchSize: number;
  checkpoint?: string;
  fresh: boolean;
  progress?: boolean;
  /** Leave out records the database check or the model rejects (named file:row) and load the rest. */
  skipInvalid?: boolean;
  onInvalid?: (r: InvalidRecord) => void;
  /** The ids of the entities the import brought, batch by batch (--resolve). */
  onEntities?: (ids: string[]) => void;
}

const count = <T>(items: T[], key: (t: T) => string) => {
  const out = new Map<string, number>();
  for (const i of items) out.set(key(i), (out.get(key(i)) ?? 0) + 1);
  return [...out].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join(', ');
};

/** What the plan would write, and what it found wrong, as lines for stderr/stdout. */
export function describePlan(plan: TablePlan, maxProblems = 20): string[] {
  const ev = plan.evaluation;
  const taken = plan.files.filter((f) => f.input);
  const lines = [
    `${taken.length} files (${plan.ignored.length} not taken by any input), ${ev.rows} rows: ${ev.used} used, ${ev.skipped} skipped (no rule matched), ${ev.problems.length} bad`,
    `entities: ${ev.entities.length} (${count(ev.entities, (e) => e.kind)})`,
    `links: ${ev.links.length} (${count(ev.links, (l) => l.type)}), ${ev.links.reduce((n, l) => n + l.citations.length, 0)} citations`,
  ];
  if (ev.external.size) lines.push(`expected in the database: ${[...ev.external].slice(0, 10).map(([id, k]) => `${id} (${k})`).join(', ')}${ev.external.size > 10 ? ' …' : ''}`);
  for (const f of plan.files.filter((x) => x.note)) lines.push(`file ${f.path}: ${f.note}`);
  if (ev.conflicts.count) lines.push(`${ev.conflicts.count} values differed from an earlier row for the same id (the first kept), e.g. ${ev.conflicts.example}`);
  if (ev.citationsDropped) lines.push(`${ev.citationsDropped} citations left out (a link holds at most 500)`);
  for (const p of ev.problems.slice(0, maxProblems)) lines.push(`bad row ${problemLine(p)}`);
  if (ev.problems.length > maxProblems) lines.push(`… and ${ev.problems.length - maxProblems} more bad rows`);
  return lines;
}

export async function runTablesImport(opts: TablesCliOptions, connect: () => Promise<{ ex: Executor; as: { actor: string; clearance: Tlp } }>): Promise<number> {
  const t0 = Date.now();
  const text = fs.readFileSync(opts.mapping, 'utf8');
  const mapping = parseMapping(text);
  const plan = planImport(mapping, text, opts.paths);
  for (const line of describePlan(plan, opts.dryRun ? 20 : 50)) console.error(`import: ${line}`);
  if (opts.dryRun) {
    console.log('dry run: nothing written. First records:');
    let shown = 0;
    for (const r of recordsOf(plan.evaluation)) {
      if (shown++ >= 8) break;
      console.log(JSON.stringify(r).slice(0, 400));
    }
    return plan.evaluation.problems.length && opts.strict ? 2 : 0;
  }
  if (opts.strict && plan.evaluation.problems.length) {
    console.error(`import failed (--strict): ${plan.evaluation.problems.length} bad rows; nothing was written`);
    return 2;
  }
  const checkpointFile = opts.checkpoint ?? path.join(projectRoot, '.data', `import-${mapping.name.replace(/[^\w.-]+/g, '_')}-${plan.fingerprint}.checkpoint`);
  fs.mkdirSync(path.dirname(checkpointFile), { recursive: true });
  if (opts.fresh) fs.rmSync(checkpointFile, { force: true });
  if (fs.existsSync(checkpointFile)) console.error(`import: resuming from ${checkpointFile}`);
  const { ex, as } = await connect();
  try {
    const summary = await writePlan(ex, plan, { batchSize: opts.batchSize, checkpointFile, progress: opts.progress, skipInvalid: opts.skipInvalid, onInvalid: opts.onInvalid, onEntities: opts.onEntities, ...as });
    const secs = (Date.now() - t0) / 1000;
    console.log(`${summaryLine(`import --mapping ${path.basename(opts.mapping)}`, summary)}; ${plan.evaluation.rows} rows read, ${plan.evaluation.problems.length} bad; ${secs.toFixed(1)} s in all`);
    return 0;
  } finally {
    await ex.close();
  }
}
