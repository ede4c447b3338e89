// The batch path every large load takes (JSON-lines imports, STIX bundles, synthetic graphs):
// records stream in, are written in batches of one transaction each, and a checkpoint after
// every committed batch lets a crashed load resume where it stopped.
import fs from 'node:fs';
import cliProgress from 'cli-progress';
import type { EntityKind, Tlp } from '../../model/model.js';
import type { Executor } from './executor.js';
import { inCi } from '../../core/config.js';
import { InvalidRecords, StaleEndsError } from '../../core/errors.js';
import { writeBatch, type WriteOptions } from './write-graph.js';
import { entityIdFor, type EntityInput, type LinkInput } from '../../core/validate.js';

export type GraphRecord = ({ record: 'entity' } & EntityInput) | ({ record: 'link' } & LinkInput);

export interface BulkOptions {
  /** Records per transaction. */
  batchSize?: number;
  /** Where progress is remembered; a second run with the same file skips what is done. */
  checkpointFile?: string;
  /** Expected record count, for the progress bar's ETA. */
  total?: number;
  label?: string;
  actor?: string;
  /** Show a progress bar (default: when stderr is a terminal or CI). */
  progress?: boolean;
  /** Given each batch before it is written, returns what still needs writing (e.g. without unchanged versions). */
  prepareBatch?: (entities: EntityInput[], links: LinkInput[]) => Promise<{ entities: EntityInput[]; links: LinkInput[] }>;
  /** The writer's TLP clearance (default RED: the local operator; `--key` gives a key's). */
  clearance?: Tlp;
  /** A record's TLP may rise but never fall (STIX imports). */
  tlpOnlyUp?: boolean;
  /** Existing records are rewritten only by newer versions (STIX imports; see WriteOptions). */
  versioned?: boolean;
  /** Called after each committed batch with the number of records committed so far. */
  onBatch?: (committed: number) => void;
  /** Called with the ids of each batch's entities, written or unchanged (import --resolve compares just these). */
  onEntities?: (ids: string[]) => void;
  /**
   * Leave out the records the model rejects (an id held by another kind, a link whose end is
   * missing …) and write the rest of their batch, instead of stopping at the first such batch.
   * Each one left out is passed to onInvalid and counted in the summary's `invalid`.
   */
  skipInvalid?: boolean;
  onInvalid?: (r: InvalidRecord) => void;
}

/** A record the model rejected: where it came from (file:line, else its ordinal), which field and why. */
export interface InvalidRecord { at: string; record: 'entity' | 'link'; id?: string; field: string; reason: string }

/** A batch holding records the model rejects, where each came from; nothing of that batch was written. */
export class InvalidBatch extends InvalidRecords {
  constructor(readonly invalid: InvalidRecord[]) {
    super(invalid.map((r) => ({ list: `${r.record}s`, index: 0, id: r.id, field: r.field, reason: r.reason })));
    this.message = `${invalid.length} invalid record(s) in a batch; nothing of that batch was written (--skip-invalid leaves them out and loads the rest): `
      + `${invalid.slice(0, 10).map(invalidLine).join('; ')}${invalid.length > 10 ? ` (and ${invalid.length - 10} more)` : ''}`;
  }
}

/** `data.jsonl:17: kind: id already belongs to a STATE_ACTOR (entity ru)`. */
export const invalidLine = (r: InvalidRecord): string => `${r.at}: ${r.field ? `${r.field}: ` : ''}${r.reason}${r.id ? ` (${r.record} ${r.id})` : ''}`;

/** Where each record came from, for readers that know (readJsonLines: file:line). */
export const recordOrigin = new WeakMap<object, string>();

export interface BulkSummary {
  records: number;
  skipped: number;
  batches: number;
  entities: number;
  links: number;
  created: number;
  updated: number;
  /** Records left as stored (their stored STIX version is not older). */
  unchanged: number;
  /** Records the model rejected and skipInvalid left out (absent: none). */
  invalid?: number;
  seconds: number;
  recordsPerSecond: number;
  linksPerSecond: number;
}

interface Checkpoint { label: string; done: number }

function readCheckpoint(file: string | undefined, label: string): number {
  if (!file || !fs.existsSync(file)) return 0;
  const cp = JSON.parse(fs.readFileSync(file, 'utf8')) as Checkpoint;
  return cp.label === label ? cp.done : 0;
}

function writeCheckpoint(file: string | undefined, cp: Checkpoint): void {
  if (!file) return;
  // Write-then-rename so a crash never leaves a torn checkpoint.
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(cp));
  fs.renameSync(`${file}.tmp`, file);
}

export async function bulkLoad(ex: Executor, records: AsyncIterable<GraphRecord> | Iterable<GraphRecord>, opts: BulkOptions = {}): Promise<BulkSummary> {
  const batchSize = opts.batchSize ?? 5000;
  const label = opts.label ?? 'bulk';
  const resumeAt = readCheckpoint(opts.checkpointFile, label);
  const showBar = opts.progress ?? (process.stderr.isTTY || inCi());
  const bar = showBar
    ? new cliProgress.SingleBar({
      format: `${label} [{bar}] {percentage}% | {value}/{total} records | {rate} rec/s | ETA {eta_formatted}`,
      stream: process.stderr, etaBuffer: 20, fps: 2, noTTYOutput: !process.stderr.isTTY, notTTYSchedule: 5000,
    }, cliProgress.Presets.shades_classic)
    : null;
  bar?.start(opts.total ?? 0, 0, { rate: '0' });
  const t0 = Date.now();
  const sum: BulkSummary = { records: 0, skipped: 0, batches: 0, entities: 0, links: 0, created: 0, updated: 0, unchanged: 0, invalid: 0, seconds: 0, recordsPerSecond: 0, linksPerSecond: 0 };
  let entities: EntityInput[] = [];
  let links: LinkInput[] = [];
  let seen = 0;
  // Kinds of entities already written or looked up, so later batches skip most kind lookups.
  const kindCache = new Map<string, EntityKind>();
  // Where each record of the batch came from, by identity (prepareBatch may return a subset).
  let origins = new Map<object, string>();

  /** The batch written; records the model rejects are named where they came from, and left out with skipInvalid. */
  const write = async (todo: { entities: EntityInput[]; links: LinkInput[] }) => {
    for (;;) {
      try {
        return await writeWithCache(ex, todo.entities, todo.links, { actor: opts.actor ?? label, kindCache, clearance: opts.clearance, tlpOnlyUp: opts.tlpOnlyUp, versioned: opts.versioned });
      } catch (e) {
        if (!(e instanceof InvalidRecords) || e instanceof InvalidBatch) throw e;
        const bad = new Map<object, InvalidRecord[]>();
        for (const p of e.problems) {
          const rec = p.list === 'entities' ? todo.entities[p.index] : todo.links[p.index];
          if (!rec) continue;
          const list = bad.get(rec) ?? [];
          list.push({ at: origins.get(rec) ?? '?', record: p.list === 'entities' ? 'entity' : 'link', id: p.id, field: p.field, reason: p.reason });
          bad.set(rec, list);
        }
        const invalid = [...bad.values()].flat();
        if (bad.size === 0) throw e;
        if (!opts.skipInvalid) throw new InvalidBatch(invalid);
        // One line per record (its first problem); the others may pass once it is gone (a link to it will not).
        for (const list of bad.values()) opts.onInvalid?.(list[0]);
        sum.invalid = (sum.invalid ?? 0) + bad.size;
        todo = { entities: todo.entities.filter((x) => !bad.has(x)), links: todo.links.filter((x) => !bad.has(x)) };
        if (todo.entities.length + todo.links.length === 0) return null;
      }
    }
  };

  const flush = async () => {
    if (entities.length + links.length === 0) return;
    opts.onEntities?.(entities.map((e) => e.id ?? entityIdFor(e.kind as EntityKind, String(e.name))));
    const todo = opts.prepareBatch ? await opts.prepareBatch(entities, links) : { entities, links };
    const r = (todo.entities.length + todo.links.length ? await write(todo) : null)
      ?? { entitiesCreated: 0, entitiesUpdated: 0, entitiesUnchanged: 0, linksCreated: 0, linksUpdated: 0, linksUnchanged: 0 };
    sum.batches++;
    sum.entities += entities.length;
    sum.links += links.length;
    sum.created += r.entitiesCreated + r.linksCreated;
    sum.updated += r.entitiesUpdated + r.linksUpdated;
    sum.unchanged += r.entitiesUnchanged + r.linksUnchanged;
    sum.records += entities.length + links.length;
    entities = [];
    links = [];
    origins = new Map();
    writeCheckpoint(opts.checkpointFile, { label, done: seen });
    opts.onBatch?.(seen);
    const secs = (Date.now() - t0) / 1000;
    bar?.update(seen, { rate: (sum.records / Math.max(secs, 0.001)).toFixed(0) });
  };

  for await (const rec of records) {
    seen++;
    if (seen <= resumeAt) { sum.skipped++; continue; }
    const { record, ...rest } = rec;
    const at = recordOrigin.get(rec) ?? `record ${seen}`;
    if (record === 'entity') entities.push(rest as EntityInput);
    else if (record === 'link') links.push(rest as LinkInput);
    else throw new Error(`${at}: "record" must be "entity" or "link"`);
    origins.set(rest, at);
    if (entities.length + links.length >= batchSize) await flush();
  }
  await flush();
  bar?.stop();
  sum.seconds = (Date.now() - t0) / 1000;
  sum.recordsPerSecond = sum.records / Math.max(sum.seconds, 0.001);
  sum.linksPerSecond = sum.links / Math.max(sum.seconds, 0.001);
  if (opts.checkpointFile) fs.rmSync(opts.checkpointFile, { force: true });
  return sum;
}

/** Most a load remembers of entity kinds (about 100 bytes each). */
const KIND_CACHE_MAX = 2_000_000;

/** A batch written with the load's kind cache; if another writer made the cache stale, once more without it. */
async function writeWithCache(ex: Executor, entities: EntityInput[], links: LinkInput[], opts: WriteOptions & { kindCache: Map<string, EntityKind> }) {
  const { kindCache } = opts;
  if (kindCache.size > KIND_CACHE_MAX) kindCache.clear();
  try {
    return await writeBatch(ex, entities, links, opts);
  } catch (e) {
    if (!(e instanceof StaleEndsError) || kindCache.size === 0) throw e;
    kindCache.clear();
    return writeBatch(ex, entities, links, opts);
  }
}

export function summaryLine(label: string, s: BulkSummary): string {
  return `${label}: ${s.records} records (${s.entities} entities, ${s.links} links) in ${s.batches} batches, `
    + `${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.skipped} skipped by checkpoint${s.invalid ? `, ${s.invalid} invalid left out` : ''}; ${s.seconds.toFixed(1)} s, `
    + `${s.recordsPerSecond.toFixed(0)} records/s, ${s.linksPerSecond.toFixed(0)} links/s`;
}

/** Streams JSON-lines records (`{"record":"entity"|"link", ...}`) from a file or stdin; each remembers `name:line` (recordOrigin). */
export async function* readJsonLines(input: NodeJS.ReadableStream, name = 'line'): AsyncGenerator<GraphRecord> {
  const { createInterface } = await import('node:readline');
  let n = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    n++;
    if (!line.trim()) continue;
    let rec: GraphRecord;
    try {
      rec = JSON.parse(line) as GraphRecord;
    } catch (e) {
      throw new Error(`${name === 'line' ? 'line ' : `${name}:`}${n}: not valid JSON (${(e as Error).message})`, { cause: e });
    }
    if (rec && typeof rec === 'object') recordOrigin.set(rec, name === 'line' ? `line ${n}` : `${name}:${n}`);
    yield rec;
  }
}
