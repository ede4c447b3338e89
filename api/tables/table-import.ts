// Table imports end to end: find the files each input of a mapping takes, read and evaluate them
// (evaluate.ts), check the result against the database before anything is written (link ends that
// must exist, ids held by another kind, anything stored above the writer's clearance), then write
// through the bulk loader: batches of one transaction each, checkpointed and audited.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { tlpRank, type EntityKind, type Tlp } from '../../model/model.js';
import { entityIdFor, type EntityInput, type LinkInput, type RecordProblem } from '../../core/validate.js';
import { BadInput, ForbiddenRecords } from '../../core/errors.js';
import type { Executor } from '../store/executor.js';
import { bulkLoad, recordOrigin, type BulkOptions, type BulkSummary, type GraphRecord } from '../store/bulk-load.js';
import { changedOnly, storedEntityMarkings, storedLinkMarkings } from '../store/stored-markings.js';
import { Evaluator, type Evaluation } from './evaluate.js';
import type { Mapping } from './mapping.js';
import { formatOf, inputMatches, listFiles, readTable } from './read-table.js';

export interface FileReport {
  path: string;
  /** The input that took the file, or why none did. */
  input?: string;
  rows: number;
  note?: string;
}

export interface TablePlan {
  evaluation: Evaluation;
  files: FileReport[];
  /** Files no input takes (README, LICENSE, other formats …). */
  ignored: string[];
  /** Identifies the mapping and the files' contents: the checkpoint's label. */
  fingerprint: string;
}

/** Reads every file the mapping's inputs take under `args` and evaluates it. No database. */
export function planImport(mapping: Mapping, mappingText: string, args: string[]): TablePlan {
  const evaluator = new Evaluator(mapping);
  const files = listFiles(args);
  const taken = new Set<string>();
  const reports: FileReport[] = [];
  const hash = createHash('sha1').update(mappingText);
  // Inputs in the mapping's order, so that e.g. the techniques are known before the rows that use them.
  mapping.inputs.forEach((input, i) => {
    const label = input.name ?? `inputs[${i}]`;
    for (const f of files) {
      if (!inputMatches(input, f.rel)) continue;
      taken.add(f.rel);
      const text = fs.readFileSync(f.abs, 'utf8');
      hash.update(`\u0000${label}\u0000${f.rel}\u0000`).update(text);
      let table;
      try {
        table = readTable(text, f.rel, input, formatOf(input, f.rel));
      } catch (e) {
        evaluator.problemsOf(f.rel, 0, (e as Error).message);
        reports.push({ path: f.rel, input: label, rows: 0, note: (e as Error).message });
        continue;
      }
      const missing = (input.requireColumns ?? []).filter((c) => !table.info.columns.includes(c));
      if (missing.length) {
        reports.push({ path: f.rel, rows: table.rows.length, note: `not ${label}: no column ${missing.join(', ')}` });
        continue;
      }
      evaluator.add(input, table.info, table.rows);
      reports.push({ path: f.rel, input: label, rows: table.rows.length });
    }
  });
  // A file that several inputs looked at but none took (requireColumns) is reported once, as not taken.
  const used = new Set(reports.filter((r) => r.input).map((r) => r.path));
  const files2 = reports.filter((r) => r.input || !used.has(r.path));
  return {
    evaluation: evaluator.finish(),
    files: files2,
    ignored: files.map((f) => f.rel).filter((rel) => !taken.has(rel)),
    fingerprint: hash.digest('hex').slice(0, 16),
  };
}

/** The records in write order: entities first (sources before what cites them), then links. */
export function* recordsOf(ev: Pick<Evaluation, 'entities' | 'links' | 'origins'>): Generator<GraphRecord> {
  // Each record remembers the row it came from: a write that rejects it names file:row.
  const at = <T extends GraphRecord>(rec: T, from: object): T => {
    const origin = ev.origins?.get(from);
    if (origin) recordOrigin.set(rec, origin);
    return rec;
  };
  const sources = ev.entities.filter((e) => e.kind === 'SOURCE');
  for (const e of [...sources, ...ev.entities.filter((x) => x.kind !== 'SOURCE')]) yield at({ record: 'entity', ...e }, e);
  for (const l of ev.links) yield at({ record: 'link', ...l }, l);
}

const linkId = (l: LinkInput) => l.id ?? `${l.from}-${l.type}-${l.to}${!l.assertion || l.assertion === 'AFFIRMED' ? '' : `:${l.assertion.toLowerCase()}`}`;
const entityId = (e: EntityInput) => e.id ?? entityIdFor(e.kind as EntityKind, String(e.name));

/**
 * Everything the import would touch, checked in the database before the first write: link ends
 * and cited sources the mapping names by id must exist with their kind; no id may be held by an
 * entity of another kind; nothing stored (entity or link) may be above the writer's clearance,
 * and nothing written may be marked above it. Throws (nothing written) naming the records.
 */
export async function preflight(ex: Executor, ev: Evaluation, clearance: Tlp, skipInvalid = false): Promise<void> {
  const where = (r: object) => (ev.origins?.get(r) ? `${ev.origins.get(r)}: ` : '');
  const ids = [...new Set([...ev.entities.map(entityId), ...ev.external.keys()])];
  const stored = await storedEntityMarkings(ex, ids);
  const invalid: string[] = [];
  for (const [id, kind] of ev.external) {
    const s = stored.get(id);
    if (!s || tlpRank(s.tlp) > tlpRank(clearance)) invalid.push(`${id}: no ${kind} with this id in the database, and no row yields it`);
    else if (s.kind !== kind) invalid.push(`${id}: is a ${s.kind} in the database, the mapping says ${kind}`);
  }
  const forbidden: RecordProblem[] = [];
  ev.entities.forEach((e, index) => {
    const id = entityId(e);
    const s = stored.get(id);
    if (s && tlpRank(s.tlp) > tlpRank(clearance)) forbidden.push({ list: 'entities', index, id, field: 'id', reason: 'an entity above your clearance holds this id' });
    else if (s && s.kind !== e.kind) invalid.push(`${where(e)}${id}: is a ${s.kind} in the database, the mapping makes it a ${e.kind}`);
    if (e.tlp && tlpRank(e.tlp as Tlp) > tlpRank(clearance)) forbidden.push({ list: 'entities', index, id, field: 'tlp', reason: `${e.tlp} is above your clearance` });
  });
  const storedLinks = await storedLinkMarkings(ex, ev.links.map((l) => ({ id: linkId(l), type: l.type })));
  ev.links.forEach((l, index) => {
    const id = linkId(l);
    const t = storedLinks.get(id);
    if (t && tlpRank(t) > tlpRank(clearance)) forbidden.push({ list: 'links', index, id, field: 'id', reason: 'a link above your clearance holds this id' });
    if (l.tlp && tlpRank(l.tlp as Tlp) > tlpRank(clearance)) forbidden.push({ list: 'links', index, id, field: 'tlp', reason: `${l.tlp} is above your clearance` });
  });
  if (forbidden.length) throw new ForbiddenRecords(forbidden);
  // With skipInvalid the loader leaves out each record the model rejects (and names its row) instead.
  if (invalid.length && !skipInvalid) throw new BadInput(`The import cannot be written; nothing was written. ${invalid.slice(0, 20).join('; ')}${invalid.length > 20 ? ` (and ${invalid.length - 20} more)` : ''}`);
}

export interface TableImportOptions extends Omit<BulkOptions, 'label' | 'total' | 'prepareBatch' | 'versioned'> {
  clearance?: Tlp;
}

/** Checks, then writes the plan's records through the bulk loader (checkpoint label: the plan's fingerprint). */
export async function writePlan(ex: Executor, plan: TablePlan, opts: TableImportOptions = {}): Promise<BulkSummary> {
  await preflight(ex, plan.evaluation, opts.clearance ?? 'RED', opts.skipInvalid);
  const ev = plan.evaluation;
  let unchanged = 0;
  const summary = await bulkLoad(ex, recordsOf(ev), {
    ...opts, label: `tables:${plan.fingerprint}`, total: ev.entities.length + ev.links.length, tlpOnlyUp: true,
    // Records that would change nothing are not written (nor audited): a re-run reports them unchanged.
    prepareBatch: async (entities, links) => {
      const todo = await changedOnly(ex, entities, links);
      unchanged += todo.unchanged;
      return todo;
    },
  });
  return { ...summary, unchanged: summary.unchanged + unchanged };
}
