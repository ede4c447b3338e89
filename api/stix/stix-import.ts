// STIX bundle → graph, in passes over the bundle so that a file can be streamed:
//   1. check and index every object, writing nothing (a malformed bundle is rejected whole);
//   2. entities, then 3. relationships, sightings and report authors as links (their ends now
//      exist) — one record stream that bulkLoad writes in batches of one transaction each;
//   4. objects with no kind in our model, kept whole as (:StixRaw {id, type, json}) nodes.
// Re-importing is idempotent: a record whose stored STIX version is not older is left alone.
import { bulkLoad, type BulkOptions, type BulkSummary, type GraphRecord } from '../store/bulk-load.js';
import { BadInput } from '../../core/errors.js';
import { TLPS, tlpRank, type EntityKind, type Tlp } from '../../model/model.js';
import type { Executor, Tx } from '../store/executor.js';
import { forbiddenWrite, writeBatchInTx } from '../store/write-graph.js';
import { entityRow, type EntityInput, type LinkInput } from '../../core/validate.js';
import type { BundleSource } from './bundle-stream.js';
import { entityFromStix, kindOfObject, versionOf } from './from-stix.js';
import { BundleIndex, type Entry } from './import-index.js';
import { LinkMaker } from './import-links.js';
import { checkObject, type StixObject } from './stix-validate.js';

export interface ImportReport { created: number; updated: number; unchanged: number; skipped: number; raw: number; warnings: string[] }

export interface StixImportOptions extends Pick<BulkOptions, 'batchSize' | 'checkpointFile' | 'progress' | 'actor' | 'label' | 'clearance'> {
  /** Confidence of relationships that state none (default 50). */
  defaultConfidence?: number | null;
  /**
   * One transaction for the whole bundle, raw objects included: all or nothing (the API). Without
   * it, batches of `batchSize` records commit one by one, each atomic (the command line).
   */
  atomic?: boolean;
  /** What the bundle is called (the command line: its file name): the title of the Source made for the bundle itself. */
  title?: string;
}

/** Objects handled per database lookup in passes 2–4. */
const CHUNK = 1000;

const STIX_SCHEMA = [
  'CREATE INDEX entity_stix_id IF NOT EXISTS FOR (n:Entity) ON (n.stixId)',
  'CREATE CONSTRAINT stix_raw_id IF NOT EXISTS FOR (n:StixRaw) REQUIRE n.id IS UNIQUE',
];

export async function ensureStixSchema(ex: Executor): Promise<void> {
  for (const statement of STIX_SCHEMA) await ex.write((tx) => ex.run(tx, statement));
}

const isRelationshipLike = (o: StixObject) => o.type === 'relationship' || o.type === 'sighting';

export class StixImporter {
  readonly index = new BundleIndex();
  private readonly links: LinkMaker;
  /** Made-up sources already written (each just before the first link citing it). */
  private readonly emitted = new Set<string>();
  unchanged = 0;
  skipped = 0;
  rawWritten = 0;
  rawCreated = 0;

  constructor(private readonly ex: Executor, private readonly source: BundleSource, defaultConfidence = 50, private readonly clearance: Tlp = 'RED') {
    this.links = new LinkMaker(ex, this.index, defaultConfidence);
  }

  /** Pass 1: checks every object, throwing StixFormatError at the first malformed one, and indexes it. */
  async scan(): Promise<void> {
    let ord = 0;
    for await (const obj of this.source.objects()) {
      checkObject(obj, ord);
      this.index.add(obj, ord++);
    }
    this.links.bundleId = this.source.bundleId();
    this.skipped += this.index.superseded;
  }

  /** The title of the Source that stands for the bundle itself (cited by links that name no other). */
  titleBundle(title: string | undefined): void {
    this.links.bundleTitle = title ? `STIX bundle ${title} (${this.links.bundleId})` : undefined;
  }

  /** Passes 2 and 3 as one stream: every entity, then every link. The order is the same on every run (resume counts on it). */
  async *records(): AsyncGenerator<GraphRecord> {
    yield* this.entityRecords();
    yield* this.linkRecords();
  }

  private async *entityRecords(): AsyncGenerator<GraphRecord> {
    let chunk: Array<[Entry, EntityInput]> = [];
    let ord = 0;
    for await (const obj of this.source.objects()) {
      const o = obj as StixObject;
      const entry = this.index.entries.get(o.id);
      if (entry?.kind && entry.ord === ord) {
        const e = entityFromStix(o, this.index);
        const problems: string[] = [];
        if (e) entityRow(e, problems);
        if (e && !problems.length) chunk.push([entry, e]);
        else this.leaveOut(entry, o.id, problems[0] ?? 'not mappable');
      }
      ord++;
      if (chunk.length >= CHUNK) { yield* this.storedKindChecked(chunk); chunk = []; }
    }
    yield* this.storedKindChecked(chunk);
  }

  private leaveOut(entry: Entry, stixId: string, problem: string): void {
    entry.skipped = true;
    this.skipped++;
    this.index.sourceIds.delete(entry.id ?? stixId);
    this.index.warn(`objects left out (${problem.split(':')[0]})`, `${stixId}: ${problem}`);
  }

  /** An id the database holds as another kind is left out; links then use the stored entity. */
  private async *storedKindChecked(chunk: Array<[Entry, EntityInput]>): AsyncGenerator<GraphRecord> {
    if (!chunk.length) return;
    const rows = await this.ex.read<{ id: string; kind: EntityKind; tlp: Tlp }>(
      'MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id, n.kind AS kind, coalesce(n.tlp, "CLEAR") AS tlp', { ids: chunk.map(([, e]) => e.id) });
    const hidden = rows.filter((r) => tlpRank(r.tlp) > tlpRank(this.clearance));
    // What the importer may not see, it may not change, nor learn the kind of.
    if (hidden.length) {
      throw forbiddenWrite(hidden.map((r) => {
        const at = chunk.find(([, e]) => e.id === r.id)!;
        return { list: 'objects', index: at[0].ord, id: r.id, field: 'id', reason: `an entity above your clearance (${this.clearance}) has this id` };
      }));
    }
    const stored = new Map(rows.map((r) => [r.id, r.kind]));
    for (const [entry, e] of chunk) {
      const kind = stored.get(e.id as string);
      if (!kind || kind === e.kind) {
        yield { record: 'entity', ...e };
        continue;
      }
      this.skipped++;
      this.index.warn('objects whose id the database holds as another kind, left out', `${e.id} (${kind}, not ${e.kind})`);
      entry.kind = kind;
      if (kind === 'SOURCE') this.index.sourceIds.add(e.id as string);
      else this.index.sourceIds.delete(e.id as string);
    }
  }

  private async *linkRecords(): AsyncGenerator<GraphRecord> {
    let chunk: StixObject[] = [];
    let ord = 0;
    for await (const obj of this.source.objects()) {
      const o = obj as StixObject;
      const entry = this.index.entries.get(o.id);
      const authored = o.type === 'report' && !o.x_disinfo_kind && typeof o.created_by_ref === 'string' && !entry?.skipped;
      if (entry?.ord === ord && (isRelationshipLike(o) || authored)) chunk.push(o);
      ord++;
      if (chunk.length >= CHUNK) { yield* this.linksOfChunk(chunk); chunk = []; }
    }
    yield* this.linksOfChunk(chunk);
  }

  private async *linksOfChunk(chunk: StixObject[]): AsyncGenerator<GraphRecord> {
    await this.links.lookUpExternal(chunk);
    for (const o of chunk) {
      for (const link of this.links.linksOf(o)) {
        for (const { source } of link.citations) {
          const made = this.links.generated.get(source);
          if (made && !this.emitted.has(source)) {
            this.emitted.add(source);
            yield { record: 'entity', ...made };
          }
        }
        yield { record: 'link', ...link };
      }
    }
  }

  /**
   * Before each batch is written: of two links with one id, the later is kept. Which versions are
   * newer than the stored ones is decided by the write itself, under a lock (writeBatch).
   */
  readonly prepareBatch = (entities: EntityInput[], links: LinkInput[]) => {
    const byId = new Map<unknown, LinkInput>();
    for (const l of links) {
      if (byId.has(l.id)) {
        this.skipped++;
        this.index.warn('links with an id used twice in one batch, the later kept', String(l.id));
      }
      byId.set(l.id, l);
    }
    return Promise.resolve({ entities, links: [...byId.values()] });
  };

  /** Pass 4: objects with no kind in our model, kept whole; a newer `modified` replaces the stored one. */
  async writeRaw(tx?: Tx): Promise<void> {
    if (!this.index.rawCount()) return;
    let rows: RawRow[] = [];
    const flush = async () => {
      if (!rows.length) return;
      const batch = rows;
      rows = [];
      if (tx) await this.writeRawRows(tx, batch);
      else await this.ex.write((own) => this.writeRawRows(own, batch));
    };
    let ord = 0;
    for await (const obj of this.source.objects()) {
      const o = obj as StixObject;
      const at = ord++;
      if (isRelationshipLike(o) || kindOfObject(o) || this.index.isTlpMarking(o.id)) continue;
      const version = versionOf(o);
      rows.push({
        ord: at, id: o.id, type: o.type, json: JSON.stringify(o), modified: version ?? null,
        tlp: this.index.objectTlp(o), granular: JSON.stringify(this.index.granularTlps(o)),
      });
      if (rows.length >= CHUNK) await flush();
    }
    await flush();
  }

  private async writeRawRows(tx: Tx, rows: RawRow[]): Promise<void> {
    const above = (t: unknown) => tlpRank((t as Tlp | null) ?? 'CLEAR') > tlpRank(this.clearance);
    const stored = await this.ex.run<{ id: string; tlp: Tlp | null }>(tx, 'MATCH (r:StixRaw) WHERE r.id IN $ids RETURN r.id AS id, r.tlp AS tlp', { ids: rows.map((r) => r.id) });
    const problems = [
      ...stored.filter((r) => above(r.tlp)).map((r) => ({ list: 'objects', index: rows.find((x) => x.id === r.id)!.ord, id: r.id, field: 'id', reason: `an object above your clearance (${this.clearance}) has this id` })),
      ...rows.filter((r) => above(r.tlp)).map((r) => ({ list: 'objects', index: r.ord, id: r.id, field: 'object_marking_refs', reason: `${r.tlp} is above your clearance (${this.clearance})` })),
    ];
    if (problems.length) throw forbiddenWrite(problems);
    const out = await this.ex.runCounted<{ newer: boolean }>(tx,
      `UNWIND $rows AS row MERGE (r:StixRaw {id: row.id}) ON CREATE SET r.createdAt = $now
       SET r.id = r.id
       WITH r, row, (r.json IS NULL OR (row.modified IS NOT NULL AND (r.modified IS NULL OR datetime(r.modified) < datetime(row.modified)))) AS newer
       FOREACH (_ IN CASE WHEN newer THEN [1] ELSE [] END | SET r.type = row.type, r.json = row.json, r.modified = row.modified, r.granular = row.granular, r.updatedAt = $now,
         r.tlp = CASE WHEN r.tlp IS NOT NULL AND $ranks[r.tlp] > $ranks[row.tlp] THEN r.tlp ELSE row.tlp END)
       RETURN newer`, { rows: rows.map(({ ord: _ord, ...r }) => r), now: new Date().toISOString(), ranks: Object.fromEntries(TLPS.map((t, i) => [t, i])) });
    const written = out.rows.filter((r) => r.newer).length;
    this.rawWritten += written;
    this.rawCreated += out.nodesCreated;
    this.unchanged += rows.length - written;
  }

  report(summary: BulkSummary): ImportReport {
    const raw = this.index.rawCount();
    const types = [...this.index.rawByType].map(([t, n]) => `${n} ${t}`).join(', ');
    return {
      created: summary.created + this.rawCreated, updated: summary.updated + this.rawWritten - this.rawCreated,
      unchanged: summary.unchanged + this.unchanged, skipped: this.skipped + this.links.skipped, raw,
      warnings: [...(raw ? [`objects kept raw as :StixRaw nodes (no kind in our model): ${raw} (${types})`] : []), ...this.index.warnings.lines()],
    };
  }
}

/**
 * Imports a bundle: checks it whole, then writes it — in one transaction when `atomic` (the API),
 * else through bulkLoad (batches, checkpoint, progress).
 */
export async function importStix(
  ex: Executor, source: BundleSource, opts: StixImportOptions = {},
): Promise<{ report: ImportReport; summary: BulkSummary; objects: number }> {
  const confidence = opts.defaultConfidence ?? 50;
  if (!Number.isInteger(confidence) || confidence < 0 || confidence > 100) {
    throw new BadInput('defaultConfidence must be an integer from 0 to 100', { field: 'defaultConfidence' });
  }
  await ensureStixSchema(ex);
  const importer = new StixImporter(ex, source, confidence, opts.clearance ?? 'RED');
  await importer.scan();
  importer.titleBundle(opts.title);
  if (!opts.atomic) {
    const summary = await bulkLoad(ex, importer.records(), {
      ...opts, label: opts.label ?? 'stix', total: importer.index.expectedRecords, prepareBatch: importer.prepareBatch, tlpOnlyUp: true, versioned: true,
    });
    await importer.writeRaw();
    return { report: importer.report(summary), summary, objects: importer.index.objects };
  }
  const entities: EntityInput[] = [];
  const links: LinkInput[] = [];
  for await (const { record, ...rest } of importer.records()) {
    if (record === 'entity') entities.push(rest as EntityInput);
    else links.push(rest as LinkInput);
  }
  const todo = await importer.prepareBatch(entities, links);
  const t0 = Date.now();
  const r = await ex.write(async (tx) => {
    importer.rawWritten = importer.rawCreated = importer.unchanged = 0;
    const written = await writeBatchInTx(ex, tx, todo.entities, todo.links, { actor: opts.actor ?? 'stix', clearance: opts.clearance ?? 'RED', tlpOnlyUp: true, versioned: true });
    await importer.writeRaw(tx);
    return written;
  });
  const seconds = (Date.now() - t0) / 1000;
  const records = entities.length + links.length;
  const summary: BulkSummary = {
    records, skipped: 0, batches: 1, entities: entities.length, links: links.length,
    created: r.entitiesCreated + r.linksCreated, updated: r.entitiesUpdated + r.linksUpdated, unchanged: r.entitiesUnchanged + r.linksUnchanged,
    seconds, recordsPerSecond: records / Math.max(seconds, 0.001), linksPerSecond: links.length / Math.max(seconds, 0.001),
  };
  return { report: importer.report(summary), summary, objects: importer.index.objects };
}

interface RawRow { ord: number; id: string; type: string; json: string; modified: string | null; tlp: Tlp; granular: string }
