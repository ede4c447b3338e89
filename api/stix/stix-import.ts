// STIX bundle → graph, in passes over the bundle so that a file can be streamed:
//   1. check and index every object, writing nothing (a malformed bundle is rejected whole);
//   2. entities, then 3. relationships, sightings and report authors as links (their ends now
//      exist) — one record stream that bulkLoad writes in batches of one transaction each;
//   4. objects with no kind in our model, kept whole as (:StixRaw {id, type, json}) nodes.
// Re-importing is idempotent: a record whose stored STIX version is not older is left alone.
import { GraphQLError } from 'graphql';
import { bulkLoad, type BulkOptions, type BulkSummary, type GraphRecord } from '../../seed/bulk-load.js';
import { relTypeOf, type EntityKind } from '../model.js';
import type { Executor } from '../store/executor.js';
import { entityRow, type EntityInput, type LinkInput } from '../validate.js';
import type { BundleSource } from './bundle-stream.js';
import { entityFromStix, kindOfObject, versionOf } from './from-stix.js';
import { BundleIndex, type Entry } from './import-index.js';
import { LinkMaker } from './import-links.js';
import { checkObject, type StixObject } from './stix-validate.js';

export interface ImportReport { created: number; updated: number; unchanged: number; skipped: number; raw: number; warnings: string[] }

export interface StixImportOptions extends Pick<BulkOptions, 'batchSize' | 'checkpointFile' | 'progress' | 'actor' | 'label'> {
  /** Confidence of relationships that state none (default 50). */
  defaultConfidence?: number | null;
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

  constructor(private readonly ex: Executor, private readonly source: BundleSource, defaultConfidence = 50) {
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
    const rows = await this.ex.read<{ id: string; kind: EntityKind }>(
      'MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id, n.kind AS kind', { ids: chunk.map(([, e]) => e.id) });
    const stored = new Map(rows.map((r) => [r.id, r.kind]));
    for (const [entry, e] of chunk) {
      const kind = stored.get(e.id as string);
      if (!kind || kind === e.kind) {
        yield { record: 'entity', ...e } as GraphRecord;
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
            yield { record: 'entity', ...made } as GraphRecord;
          }
        }
        yield { record: 'link', ...link } as GraphRecord;
      }
    }
  }

  /** Before each batch is written: drops records whose stored STIX version is the same or newer. */
  readonly prepareBatch = async (entities: EntityInput[], links: LinkInput[]) => {
    type Version = { id: string; modified: string | null };
    const linkTypes = [...new Set(links.map((l) => l.type))].map(relTypeOf);
    // By type, so that the relationship-id indexes answer (not an expansion of every hub's links).
    const byType = linkTypes.map((type, i) => `UNWIND $ids${i} AS id MATCH ()-[r:${type} {id: id}]->() RETURN r.id AS id, r.stixModified AS modified`);
    const found = await Promise.all([
      this.ex.read<Version>('MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id, n.stixModified AS modified', { ids: entities.map((e) => e.id) }),
      byType.length ? this.ex.read<Version>(byType.join(' UNION ALL '),
        Object.fromEntries(linkTypes.map((type, i) => [`ids${i}`, links.filter((l) => l.type === type).map((l) => l.id)]))) : [],
    ]);
    const versions = new Map(found.flat().map((r) => [r.id, r.modified]));
    const changed = (id: unknown, incoming: unknown) => {
      if (!versions.has(id as string)) return true;
      const before = versions.get(id as string);
      const newer = typeof incoming === 'string' && (before == null || Date.parse(incoming) > Date.parse(before));
      if (!newer) this.unchanged++;
      return newer;
    };
    // Two links with one id would fail the batch: the later one wins.
    const byId = new Map<unknown, LinkInput>();
    for (const l of links) {
      if (byId.has(l.id)) {
        this.skipped++;
        this.index.warn('links with an id used twice in one batch, the later kept', String(l.id));
      }
      byId.set(l.id, l);
    }
    return {
      entities: entities.filter((e) => changed(e.id, e.stixModified)),
      links: [...byId.values()].filter((l) => changed(l.id, l.stixModified)),
    };
  };

  /** Pass 4: objects with no kind in our model, kept whole; a newer `modified` replaces the stored one. */
  async writeRaw(): Promise<void> {
    if (!this.index.rawCount()) return;
    let rows: Array<Record<string, unknown>> = [];
    const flush = async () => {
      if (!rows.length) return;
      await this.ex.write((tx) => this.ex.run(tx,
        `UNWIND $rows AS row MERGE (r:StixRaw {id: row.id}) ON CREATE SET r += row, r.createdAt = $now
         WITH r, row WHERE row.modified IS NOT NULL AND (r.modified IS NULL OR r.modified < row.modified)
         SET r += row`, { rows, now: new Date().toISOString() }));
      rows = [];
    };
    for await (const obj of this.source.objects()) {
      const o = obj as StixObject;
      if (isRelationshipLike(o) || kindOfObject(o) || this.index.isTlpMarking(o.id)) continue;
      const version = versionOf(o);
      rows.push({ id: o.id, type: o.type, json: JSON.stringify(o), modified: version ? new Date(version).toISOString() : null, tlp: this.index.tlpOf(o) });
      if (rows.length >= CHUNK) await flush();
    }
    await flush();
  }

  report(summary: BulkSummary): ImportReport {
    const raw = this.index.rawCount();
    const types = [...this.index.rawByType].map(([t, n]) => `${n} ${t}`).join(', ');
    return {
      created: summary.created, updated: summary.updated, unchanged: this.unchanged, skipped: this.skipped + this.links.skipped, raw,
      warnings: [...(raw ? [`objects kept raw as :StixRaw nodes (no kind in our model): ${raw} (${types})`] : []), ...this.index.warnings.lines()],
    };
  }
}

/** Imports a bundle: checks it whole, then writes it through bulkLoad (batches, checkpoint, progress). */
export async function importStix(
  ex: Executor, source: BundleSource, opts: StixImportOptions = {},
): Promise<{ report: ImportReport; summary: BulkSummary; objects: number }> {
  const confidence = opts.defaultConfidence ?? 50;
  if (!Number.isInteger(confidence) || confidence < 0 || confidence > 100) {
    throw new GraphQLError('defaultConfidence must be an integer from 0 to 100', { extensions: { code: 'BAD_USER_INPUT', field: 'defaultConfidence' } });
  }
  await ensureStixSchema(ex);
  const importer = new StixImporter(ex, source, confidence);
  await importer.scan();
  const summary = await bulkLoad(ex, importer.records(), {
    ...opts, label: opts.label ?? 'stix', total: importer.index.expectedRecords, prepareBatch: importer.prepareBatch,
  });
  await importer.writeRaw();
  return { report: importer.report(summary), summary, objects: importer.index.objects };
}
