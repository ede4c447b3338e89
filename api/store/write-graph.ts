// Graph writes: a batch of entities and links is validated as a whole, then written in one
// transaction. A batch with any bad record writes nothing.
import { ForbiddenRecords, StaleEndsError } from '../../core/errors.js';
import { TLPS, isTlp, labelOf, relTypeOf, tlpRank, type EntityKind, type Tlp } from '../../model/model.js';
import {
  ENTITY_DEFAULTS, FIELD_LIMITS, LINK_DEFAULTS, badInput, entityRow, linkRow, toProblems,
  type EntityInput, type EntityRow, type LinkInput, type LinkRow, type RecordProblem,
} from '../../core/validate.js';
import { accumulate, confidenceOf, storedCitations } from '../../core/evidence.js';
import type { Executor, Tx } from './executor.js';
import { appendAudit, type AuditEntry } from './audit.js';
import { visibleTlps } from './filter.js';

/** 'items': one audit record per entity/link with what changed (API writes); 'batch': one per batch (bulk loads). */
export type AuditMode = 'items' | 'batch';

export interface WriteOptions {
  /** Who the audit trail names. */
  actor?: string;
  audit?: AuditMode;
  /** Kinds of ids a bulk load has already seen (only used by an unrestricted writer). */
  kindCache?: Map<string, EntityKind>;
  /**
   * The writer's TLP clearance: nothing stored above it may be touched and nothing written above
   * it (FORBIDDEN). RED, the default, is the local operator's, who holds the database password.
   */
  clearance?: Tlp;
  /**
   * Imports: a record's TLP may rise but never fall (a STIX object re-sent without its marking
   * does not unmark what is stored); lowering a marking is an explicit upsert of `tlp`.
   */
  tlpOnlyUp?: boolean;
  /**
   * Imports: an existing record is rewritten only by a newer version (`stixModified`); one that
   * comes without a version (observables) is written once, when it is new.
   */
  versioned?: boolean;
}

export interface WriteResult {
  entitiesCreated: number;
  entitiesUpdated: number;
  /** Entities named but left as they were: nothing differed, or the stored STIX version is not older. */
  entitiesUnchanged: number;
  linksCreated: number;
  linksUpdated: number;
  linksUnchanged: number;
  entityIds: string[];
  linkIds: string[];
}

interface Stored { id: string; kind: EntityKind; tlp: Tlp }
interface StoredLink { id: string; tlp: Tlp; fromTlp: Tlp; toTlp: Tlp; props: Record<string, unknown> }

/**
 * A local edit of an imported record is a new version: now, or just after the stored one when
 * that lies ahead of our clock (a producer's clock, or a date typed by hand), so versions never go back.
 */
export const nextVersion = (v: string) =>
  `CASE WHEN datetime(${v}.stixModified) >= datetime($now) THEN toString(datetime(${v}.stixModified) + duration({milliseconds: 1})) ELSE $now END`;

/**
 * After the MERGE of record `v` (for each `row`): take its write lock, then write the row only when
 * it is new or its version is newer than the stored one (stixModified, else the write time; see
 * WriteOptions.versioned), moving a local edit's version on and, on imports, never lowering the marking.
 * `newer` says which rows were written.
 */
const versionedWrite = (v: string, setLabel = '') => `SET ${v}.id = ${v}.id
       WITH ${v}, row, ${v}.tlp AS tlpBefore, CASE
         WHEN ${v}.updatedAt IS NULL THEN true
         WHEN row.version IS NULL THEN NOT $versioned
         ELSE datetime(coalesce(${v}.stixModified, ${v}.updatedAt)) < datetime(row.version) END AS newer
       FOREACH (_ IN CASE WHEN newer THEN [1] ELSE [] END |
         SET ${setLabel}${v} += row.props, ${v}.updatedAt = $now, ${v}.updatedBy = $actor
         SET ${v}.stixModified = CASE WHEN row.version IS NULL AND ${v}.stixModified IS NOT NULL THEN ${nextVersion(v)} ELSE ${v}.stixModified END
         SET ${v}.tlp = CASE WHEN $onlyUp AND tlpBefore IS NOT NULL AND $ranks[tlpBefore] > $ranks[${v}.tlp] THEN tlpBefore ELSE ${v}.tlp END)`;

const TLP_RANKS = Object.fromEntries(TLPS.map((t, i) => [t, i]));
const rankOf = (t: unknown) => tlpRank(isTlp(t) ? t : 'CLEAR');

async function storedEntities(ex: Executor, tx: Tx, ids: string[]): Promise<Map<string, Stored>> {
  if (ids.length === 0) return new Map();
  const rows = await ex.run<Stored>(tx, 'MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id, n.kind AS kind, coalesce(n.tlp, "CLEAR") AS tlp', { ids });
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Links of the batch already stored, with their properties and their ends' markings, through each
 * type's id index. Each is write-locked first: its citations are read to be added to, and a writer
 * in between would otherwise lose its own.
 */
async function storedLinks(ex: Executor, tx: Tx, rows: LinkRow[]): Promise<Map<string, StoredLink>> {
  const out = new Map<string, StoredLink>();
  for (const [type, typed] of groupBy(rows, (r) => r.type)) {
    const found = await ex.run<StoredLink>(tx,
      `UNWIND $ids AS id MATCH (a)-[r:${relTypeOf(type)} {id: id}]->(b)
       SET r.id = r.id
       RETURN r.id AS id, coalesce(r.tlp, "CLEAR") AS tlp, coalesce(a.tlp, "CLEAR") AS fromTlp, coalesce(b.tlp, "CLEAR") AS toTlp, properties(r) AS props`,
      { ids: typed.map((r) => r.id) });
    for (const r of found) out.set(r.id, r);
  }
  return out;
}

async function entityProps(ex: Executor, tx: Tx, ids: string[]): Promise<Map<string, Record<string, unknown>>> {
  const rows = await ex.run<{ id: string; props: Record<string, unknown> }>(tx, 'MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id, properties(n) AS props', { ids });
  return new Map(rows.map((r) => [r.id, r.props]));
}

/** Bookkeeping properties that never count as a change. */
const BOOKKEEPING = new Set(['createdAt', 'updatedAt', 'updatedBy']);
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The fields a patch would change, as {before, after} (null when nothing would). */
function diff(before: Record<string, unknown> | undefined, patch: Record<string, unknown>, defaults: Record<string, unknown>) {
  if (!before) return { before: null, after: { ...defaults, ...patch } };
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (BOOKKEEPING.has(key) || same(before[key], value)) continue;
    b[key] = before[key] ?? null;
    a[key] = value;
  }
  return Object.keys(a).length ? { before: b, after: a } : null;
}

/** Writes a batch in one transaction: every record checked first (clearance, then the model); all or nothing. */
export async function writeBatch(ex: Executor, entities: EntityInput[], links: LinkInput[], opts: WriteOptions = {}): Promise<WriteResult> {
  const learned = new Map<string, EntityKind>();
  const result = await ex.write((tx) => writeBatchInTx(ex, tx, entities, links, opts, learned));
  // Only after the commit: a rolled-back batch teaches the cache nothing.
  if (opts.kindCache) for (const [id, kind] of learned) opts.kindCache.set(id, kind);
  return result;
}

/** The same inside a caller's transaction (an import that writes more in it). */
export async function writeBatchInTx(
  ex: Executor, tx: Tx, entities: EntityInput[], links: LinkInput[], opts: WriteOptions = {}, learned = new Map<string, EntityKind>(),
): Promise<WriteResult> {
  const actor = opts.actor ?? 'system';
  const audit = opts.audit ?? 'batch';
  const clearance = opts.clearance ?? 'RED';
  const restricted = clearance !== 'RED';
  const kindCache = restricted ? undefined : opts.kindCache;
  const problems: RecordProblem[] = [];
  const forbidden: RecordProblem[] = [];
  const entityRows: EntityRow[] = [];
  const entityIndex: number[] = []; // each row's place in the input, for the problems it names
  entities.forEach((input, index) => {
    const messages: string[] = [];
    const row = input && typeof input === 'object' ? entityRow(input, messages) : (messages.push('record: must be an object'), null);
    problems.push(...toProblems('entities', index, row?.id ?? input?.id ?? undefined, messages));
    if (row) { entityRows.push(row); entityIndex.push(index); }
  });
  const referenced = new Set<string>(entityRows.map((r) => r.id));
  for (const l of links) {
    if (typeof l?.from === 'string') referenced.add(l.from);
    if (typeof l?.to === 'string') referenced.add(l.to);
    for (const c of Array.isArray(l?.citations) ? l.citations : []) {
      if (typeof c?.source === 'string') referenced.add(c.source);
      if (typeof c?.via === 'string') referenced.add(c.via);
    }
  }
  const looked = await storedEntities(ex, tx, kindCache ? [...referenced].filter((id) => !kindCache.has(id)) : [...referenced]);
  const hidden = (id: unknown) => typeof id === 'string' && rankOf(looked.get(id)?.tlp) > tlpRank(clearance);
  const aboveClearance = (tlp: Tlp | undefined) => tlp !== undefined && tlpRank(tlp) > tlpRank(clearance);
  const storedKind = (id: string) => looked.get(id)?.kind ?? kindCache?.get(id);
  const batchKinds = new Map<string, EntityKind>();
  entityRows.forEach((row, r) => {
    const i = entityIndex[r];
    if (hidden(row.id)) forbidden.push({ list: 'entities', index: i, id: row.id, field: 'id', reason: `an entity above your clearance (${clearance}) has this id` });
    if (aboveClearance(row.tlp)) forbidden.push({ list: 'entities', index: i, id: row.id, field: 'tlp', reason: `${row.tlp} is above your clearance (${clearance})` });
    const before = storedKind(row.id);
    if (before && before !== row.kind && !hidden(row.id)) {
      problems.push({ list: 'entities', index: i, id: row.id, field: 'kind', reason: `id already belongs to a ${before}` });
    }
    const earlier = batchKinds.get(row.id);
    if (earlier && earlier !== row.kind) {
      problems.push({ list: 'entities', index: i, id: row.id, field: 'kind', reason: `the same id is given as a ${earlier} earlier in this batch` });
    }
    batchKinds.set(row.id, row.kind);
  });
  const kindOf = (id: string) => batchKinds.get(id) ?? storedKind(id);
  const linkRows: LinkRow[] = [];
  const seenLinkIds = new Set<string>();
  const linkIndex = new Map<string, number>();
  links.forEach((input, index) => {
    const messages: string[] = [];
    const row = input && typeof input === 'object' ? linkRow(input, kindOf, messages) : (messages.push('record: must be an object'), null);
    if (row && seenLinkIds.has(row.id)) messages.push(`id: ${row.id} appears twice in this batch`);
    if (row) { seenLinkIds.add(row.id); linkIndex.set(row.id, index); }
    const id = row?.id ?? input?.id ?? undefined;
    for (const [field, ref] of [['from', input?.from], ['to', input?.to]] as const) {
      if (hidden(ref)) forbidden.push({ list: 'links', index, id, field, reason: `the entity ${JSON.stringify(ref)} is above your clearance (${clearance})` });
    }
    (Array.isArray(input?.citations) ? input.citations : []).forEach((c, i) => {
      for (const field of ['source', 'via'] as const) {
        if (hidden(c?.[field])) forbidden.push({ list: 'links', index, id, field: `citations[${i}].${field}`, reason: `the source ${JSON.stringify(c[field])} is above your clearance (${clearance})` });
      }
    });
    if (aboveClearance(row?.tlp)) forbidden.push({ list: 'links', index, id, field: 'tlp', reason: `${row?.tlp} is above your clearance (${clearance})` });
    problems.push(...toProblems('links', index, id, messages));
    if (row) linkRows.push(row);
  });
  // Always read: a write of an existing link adds its citations to the stored ones (core/evidence.ts).
  const linksBefore = await storedLinks(ex, tx, linkRows);
  linkRows.forEach((row) => {
    const stored = linksBefore.get(row.id);
    if (stored && [stored.tlp, stored.fromTlp, stored.toTlp].some((t) => rankOf(t) > tlpRank(clearance))) {
      forbidden.push({ list: 'links', index: linkIndex.get(row.id) ?? -1, id: row.id, field: 'id', reason: `a link above your clearance (${clearance}) has this id` });
    }
  });
  // The sources the stored versions of these links cite: a link citing a source the writer cannot
  // see is not the writer's to rewrite (only addCitation adds to it); the audit record takes their marking.
  const citedBefore = new Set<string>();
  for (const l of linksBefore.values()) for (const src of (l.props.citeSources as string[] | undefined) ?? []) if (!looked.has(src)) citedBefore.add(src);
  for (const [id, st] of await storedEntities(ex, tx, [...citedBefore])) looked.set(id, st);
  linkRows.forEach((row) => {
    const cited = (linksBefore.get(row.id)?.props.citeSources as string[] | undefined) ?? [];
    if (cited.some(hidden)) {
      forbidden.push({ list: 'links', index: linkIndex.get(row.id) ?? -1, id: row.id, field: 'citations', reason: `the link cites sources above your clearance (${clearance}); it cannot be rewritten by you (addCitation adds to it)` });
    }
  });
  // Clearance first, alone: the model's checks would describe what the caller may not see.
  if (forbidden.length) throw forbiddenWrite(forbidden);
  // Evidence accumulates: the stored citations stay, the new ones are added (deduplicated by source
  // and locator), the confidence follows from them all; past the per-link cap the record is refused.
  for (const row of linkRows) {
    const acc = accumulate(linksBefore.get(row.id)?.props, row.props);
    row.props = acc.props;
    if (acc.problem) problems.push({ list: 'links', index: linkIndex.get(row.id) ?? -1, id: row.id, field: 'citations', reason: acc.problem.replace(/^citations: /, '') });
  }
  if (problems.length) throw badInput(problems);

  const now = new Date().toISOString();
  const entitiesBefore = audit === 'items' ? await entityProps(ex, tx, entityRows.map((r) => r.id)) : new Map<string, Record<string, unknown>>();
  const entityChanges = new Map(entityRows.map((r) => [r.id, audit === 'items' ? diff(entitiesBefore.get(r.id), r.props, ENTITY_DEFAULTS) : undefined]));
  const linkChanges = new Map(linkRows.map((r) => [r.id, audit === 'items' ? diff(linksBefore.get(r.id)?.props, r.props, LINK_DEFAULTS) : undefined]));
  const entitiesToWrite = entityRows.filter((r) => entityChanges.get(r.id) !== null);
  const linksToWrite = linkRows.filter((r) => linkChanges.get(r.id) !== null);
  let entitiesCreated = 0, entitiesWritten = 0, linksCreated = 0, linksWritten = 0;
  const written = new Set<string>();
  for (const [kind, rows] of groupBy(entitiesToWrite, (r) => r.kind)) {
    const out = await ex.runCounted<{ id: string; newer: boolean }>(tx,
      `UNWIND $rows AS row MERGE (n:Entity {id: row.id}) ON CREATE SET n.createdAt = $now, n += $defaults
       ${versionedWrite('n', `n:${labelOf(kind)}, `)}
       RETURN row.id AS id, newer`,
      { rows: rows.map((r) => ({ id: r.id, props: r.props, version: r.props.stixModified ?? null })), now, actor, defaults: ENTITY_DEFAULTS, onlyUp: !!opts.tlpOnlyUp, versioned: !!opts.versioned, ranks: TLP_RANKS });
    entitiesCreated += out.nodesCreated;
    for (const r of out.rows) if (r.newer) { entitiesWritten++; written.add(`e:${r.id}`); }
  }
  for (const [type, rows] of groupBy(linksToWrite, (r) => r.type)) {
    // The ends must still be there (another writer may have deleted one since it was validated
    // or cached): a link whose end is missing would otherwise vanish silently.
    const out = await ex.runCounted<{ id: string; newer: boolean }>(tx,
      `UNWIND $rows AS row MATCH (a:Entity {id: row.from}) MATCH (b:Entity {id: row.to})
       MERGE (a)-[r:${relTypeOf(type)} {id: row.id}]->(b) ON CREATE SET r.createdAt = $now, r += $defaults
       ${versionedWrite('r')}
       RETURN row.id AS id, newer`,
      { rows: rows.map((r) => ({ id: r.id, from: r.from, to: r.to, props: r.props, version: r.props.stixModified ?? null })), now, actor, defaults: LINK_DEFAULTS, onlyUp: !!opts.tlpOnlyUp, versioned: !!opts.versioned, ranks: TLP_RANKS });
    if (out.rows.length !== rows.length) throw new StaleEndsError(rows.length - out.rows.length);
    linksCreated += out.relationshipsCreated;
    for (const r of out.rows) if (r.newer) { linksWritten++; written.add(`l:${r.id}`); }
  }
  const maxTlp = (...ts: unknown[]) => TLPS[Math.max(...ts.map(rankOf))];
  const entries: AuditEntry[] = audit === 'items'
    ? [
      ...entitiesToWrite.filter((r) => written.has(`e:${r.id}`)).map((r) => {
        const change = entityChanges.get(r.id)!;
        return { action: 'UPSERT_ENTITY', entityId: r.id, before: change.before, after: change.after, tlp: maxTlp(entitiesBefore.get(r.id)?.tlp, change.after.tlp) };
      }),
      ...linksToWrite.filter((r) => written.has(`l:${r.id}`)).map((r) => {
        const change = linkChanges.get(r.id)!;
        return {
          action: 'UPSERT_LINK', entityId: r.from, linkId: r.id, before: change.before,
          entityIds: [...new Set([r.from, r.to, ...(r.props.citeSources as string[]), ...((linksBefore.get(r.id)?.props.citeSources as string[] | undefined) ?? [])])],
          after: change.before ? change.after : { type: r.type, from: r.from, to: r.to, ...change.after },
          tlp: maxTlp(linksBefore.get(r.id)?.tlp, change.after.tlp, kindTlp(r.from), kindTlp(r.to),
            ...[...(r.props.citeSources as string[]), ...((linksBefore.get(r.id)?.props.citeSources as string[] | undefined) ?? [])].map(kindTlp)),
        };
      }),
    ]
    : entitiesWritten + linksWritten === 0 ? [] : [{
      action: 'BULK_WRITE', entityId: null, entityIds: entityRows[0] ? [entityRows[0].id] : linkRows[0] ? [linkRows[0].from, linkRows[0].to] : [],
      // A batch of links names its first one, so the record hides once that link is raised.
      linkId: entityRows[0] ? null : linkRows[0]?.id ?? null,
      after: { entities: entitiesWritten, links: linksWritten, firstId: entityRows[0]?.id ?? linkRows[0]?.id ?? null },
      tlp: maxTlp(...entityRows.flatMap((r) => [r.tlp, looked.get(r.id)?.tlp]), ...linkRows.flatMap((r) => [r.tlp, ...(r.props.citeSources as string[]).map(kindTlp)])),
    }];
  function kindTlp(id: string): unknown {
    return entityRows.find((r) => r.id === id)?.tlp ?? looked.get(id)?.tlp;
  }
  await appendAudit(ex, tx, actor, entries);
  for (const [id, s] of looked) learned.set(id, s.kind);
  for (const row of entityRows) learned.set(row.id, row.kind);
  return {
    entitiesCreated, entitiesUpdated: entitiesWritten - entitiesCreated, entitiesUnchanged: entityRows.length - entitiesWritten,
    linksCreated, linksUpdated: linksWritten - linksCreated, linksUnchanged: linkRows.length - linksWritten,
    entityIds: entityRows.map((r) => r.id), linkIds: linkRows.map((r) => r.id),
  };
}

/** A write that would touch or create something above the writer's clearance. */
export function forbiddenWrite(problems: RecordProblem[]): ForbiddenRecords {
  return new ForbiddenRecords(problems);
}

function groupBy<T, K>(items: T[], key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export async function countAll(ex: Executor): Promise<{ nodes: number; links: number }> {
  const [row] = await ex.read<{ nodes: number; links: number }>(
    'MATCH (n:Entity) WITH count(n) AS nodes RETURN nodes, COUNT { MATCH (:Entity)-[r]->(:Entity) } AS links');
  return row;
}

/** Deletes an entity and its links, unless it or any of its links is above the deleter's clearance. */
export async function deleteEntity(ex: Executor, id: string, actor: string, clearance: Tlp = 'RED'): Promise<{ deleted: boolean; linksRemoved: number }> {
  return ex.write(async (tx) => {
    const [found] = await ex.run<{ tlp: Tlp; hiddenLinks: number }>(tx,
      `MATCH (n:Entity {id: $id})
       RETURN coalesce(n.tlp, 'CLEAR') AS tlp,
              COUNT { (n)-[r]-(m:Entity) WHERE NOT (coalesce(r.tlp, 'CLEAR') IN $tlps AND coalesce(m.tlp, 'CLEAR') IN $tlps) } AS hiddenLinks`,
      { id, tlps: visibleTlps(clearance) });
    if (!found) return { deleted: false, linksRemoved: 0 };
    if (tlpRank(found.tlp) > tlpRank(clearance)) {
      throw forbiddenWrite([{ list: 'entities', index: 0, id, field: 'id', reason: `an entity above your clearance (${clearance}) has this id` }]);
    }
    if (found.hiddenLinks > 0) {
      throw forbiddenWrite([{ list: 'entities', index: 0, id, field: 'links', reason: `it has links above your clearance (${clearance}); deleting it would delete them` }]);
    }
    const rows = await ex.run<{ links: number; props: Record<string, unknown>; rels: Array<{ props: { tlp?: unknown } }> }>(tx,
      `MATCH (n:Entity {id: $id})
       WITH n, properties(n) AS props, [(n)-[r]-(m:Entity) | {type: type(r), from: startNode(r).id, to: endNode(r).id, props: properties(r)}] AS rels
       DETACH DELETE n RETURN size(rels) AS links, props, rels`, { id });
    const cited = await storedEntities(ex, tx, [...new Set(rows[0].rels.flatMap((r) => (r.props as { citeSources?: string[] }).citeSources ?? []))]);
    const tlp = TLPS[Math.max(rankOf(rows[0].props.tlp), ...rows[0].rels.map((r) => rankOf(r.props.tlp)), ...[...cited.values()].map((c) => rankOf(c.tlp)))];
    await appendAudit(ex, tx, actor, [{
      action: 'DELETE_ENTITY', entityId: id,
      entityIds: [...new Set([id, ...rows[0].rels.flatMap((r) => [(r as { from?: string }).from, (r as { to?: string }).to].filter((x): x is string => !!x)), ...cited.keys()])],
      linkIds: rows[0].rels.map((r) => (r.props as { id?: string }).id).filter((x): x is string => !!x),
      before: { ...rows[0].props, links: rows[0].rels }, after: null, tlp }]);
    return { deleted: true, linksRemoved: rows[0].links };
  });
}

/** The write lock on one link, with its properties and its ends' markings (null: no such link). */
async function lockedLink(ex: Executor, tx: Tx, linkId: string) {
  const [link] = await ex.run<{ tlp: Tlp; fromTlp: Tlp; toTlp: Tlp; from: string; to: string; props: Record<string, unknown> }>(tx,
    `MATCH (a:Entity)-[r {id: $linkId}]->(b:Entity) WITH a, r, b LIMIT 1
     SET r.id = r.id
     RETURN coalesce(r.tlp, 'CLEAR') AS tlp, coalesce(a.tlp, 'CLEAR') AS fromTlp, coalesce(b.tlp, 'CLEAR') AS toTlp, a.id AS from, b.id AS to, properties(r) AS props`, { linkId });
  return link ?? null;
}

/** Stores a link's citation lists and the confidence they give, moving a STIX version on. */
const SET_CITATIONS = `MATCH ()-[r {id: $linkId}]->()
       SET r += $props, r.updatedAt = $now, r.updatedBy = $actor
       SET r.stixModified = CASE WHEN r.stixModified IS NOT NULL THEN ${nextVersion('r')} ELSE null END
       RETURN r.id AS id`;

/**
 * Adds a citation to a link the caller can see, after checking that the source (and via) are SOURCE
 * entities it can see. One with the (source, locator) of a stored citation updates that one with
 * the fields it gives (core/evidence.ts); a new one's confidence, when not given, is the link's.
 * The link's confidence follows.
 */
export async function addCitation(
  ex: Executor, linkId: string, c: { source: string; locator?: string | null; quote?: string | null; via?: string | null; confidence?: number | null }, actor: string,
  clearance: Tlp = 'RED',
): Promise<{ found: boolean; problems: string[] }> {
  return ex.write(async (tx) => {
    const stored = await storedEntities(ex, tx, [c.source, ...(c.via ? [c.via] : [])]);
    const link = await lockedLink(ex, tx, linkId);
    const above = (t: unknown) => rankOf(t) > tlpRank(clearance);
    const forbidden: RecordProblem[] = [];
    if (link && [link.tlp, link.fromTlp, link.toTlp].some(above)) forbidden.push({ list: 'links', index: 0, id: linkId, field: 'linkId', reason: `a link above your clearance (${clearance}) has this id` });
    for (const field of ['source', 'via'] as const) {
      const ref = c[field];
      if (ref && above(stored.get(ref)?.tlp)) forbidden.push({ list: 'links', index: 0, id: linkId, field: `citation.${field}`, reason: `the source ${JSON.stringify(ref)} is above your clearance (${clearance})` });
    }
    if (forbidden.length) throw forbiddenWrite(forbidden);
    const problems: string[] = [];
    if (stored.get(c.source)?.kind !== 'SOURCE') problems.push(`citation.source: no SOURCE entity with id ${JSON.stringify(c.source)}`);
    if (c.via && stored.get(c.via)?.kind !== 'SOURCE') problems.push(`citation.via: no SOURCE entity with id ${JSON.stringify(c.via)}`);
    if ((c.locator?.length ?? 0) > FIELD_LIMITS.locator) problems.push(`citation.locator: longer than ${FIELD_LIMITS.locator} characters`);
    if ((c.quote?.length ?? 0) > FIELD_LIMITS.quote) problems.push(`citation.quote: longer than ${FIELD_LIMITS.quote.toLocaleString('en')} characters`);
    if (c.confidence != null && (!Number.isInteger(c.confidence) || c.confidence < 0 || c.confidence > 100)) problems.push(`citation.confidence: ${c.confidence} must be an integer from 0 to 100`);
    if (problems.length || !link) return { found: !!link, problems };
    // Fields not given keep a stored citation's (same source and locator); a new one's confidence is the link's.
    const before = storedCitations(link.props);
    const k = before.citeSources.findIndex((s, i) => s === c.source && before.citeLocators[i] === (c.locator ?? ''));
    const linkConfidence = typeof link.props.confidence === 'number' ? link.props.confidence : 0;
    const incoming = {
      confidence: linkConfidence,
      citeSources: [c.source], citeLocators: [c.locator ?? ''],
      citeQuotes: [c.quote ?? (k >= 0 ? before.citeQuotes[k] : '')], citeVias: [c.via ?? (k >= 0 ? before.citeVias[k] : '')],
      citeConfidences: [c.confidence ?? (k >= 0 ? before.citeConfidences[k] : linkConfidence)],
      // A citation without a confidence takes the link's: a defaulted one stays defaulted.
      confidenceDefaulted: c.confidence == null && link.props.confidenceDefaulted === true ? true : undefined,
    };
    const acc = accumulate(link.props, incoming);
    if (acc.problem) return { found: true, problems: [acc.problem] };
    const rows = await ex.run<{ id: string }>(tx, SET_CITATIONS,
      { linkId, props: acc.props, now: new Date().toISOString(), actor });
    if (rows.length) {
      const citedBefore = await storedEntities(ex, tx, before.citeSources);
      const tlp = TLPS[Math.max(rankOf(link.tlp), rankOf(link.fromTlp), rankOf(link.toTlp), ...[...stored.values(), ...citedBefore.values()].map((s) => rankOf(s.tlp)))];
      await appendAudit(ex, tx, actor, [{
        action: 'ADD_CITATION', entityId: link.from, entityIds: [...new Set([link.from, link.to, ...stored.keys(), ...citedBefore.keys()])], linkId,
        before: { confidence: link.props.confidence ?? null }, after: { ...c, linkConfidence: acc.props.confidence }, tlp,
      }]);
    }
    return { found: rows.length > 0, problems };
  });
}

/** What removeCitation found: NOT_FOUND for the link or the citation, or the refusal of the last one. */
export type RemoveCitationResult = { outcome: 'removed' | 'noLink' | 'noCitation' | 'last' };

/**
 * Removes one citation, named by source and locator (absent: none), from a link the caller can see;
 * FORBIDDEN when the link, an end or the cited source is above the caller's clearance. The last
 * citation is refused (every link keeps at least one). The link's confidence follows from the rest.
 */
export async function removeCitation(
  ex: Executor, linkId: string, sourceId: string, locator: string | null | undefined, actor: string, clearance: Tlp = 'RED',
): Promise<RemoveCitationResult> {
  return ex.write(async (tx) => {
    const link = await lockedLink(ex, tx, linkId);
    if (!link) return { outcome: 'noLink' as const };
    const above = (t: unknown) => rankOf(t) > tlpRank(clearance);
    const cites = storedCitations(link.props);
    const sources = await storedEntities(ex, tx, [...new Set([...cites.citeSources, ...cites.citeVias.filter(Boolean)])]);
    const forbidden: RecordProblem[] = [];
    if ([link.tlp, link.fromTlp, link.toTlp].some(above)) forbidden.push({ list: 'links', index: 0, id: linkId, field: 'linkId', reason: `a link above your clearance (${clearance}) has this id` });
    else if (above(sources.get(sourceId)?.tlp)) forbidden.push({ list: 'links', index: 0, id: linkId, field: 'sourceId', reason: `the source ${JSON.stringify(sourceId)} is above your clearance (${clearance})` });
    if (forbidden.length) throw forbiddenWrite(forbidden);
    const i = cites.citeSources.findIndex((s, k) => s === sourceId && cites.citeLocators[k] === (locator ?? ''));
    if (i < 0) return { outcome: 'noCitation' as const };
    if (cites.citeSources.length === 1) return { outcome: 'last' as const };
    const removed = { source: sourceId, locator: cites.citeLocators[i] || null, quote: cites.citeQuotes[i] || null, via: cites.citeVias[i] || null, confidence: cites.citeConfidences[i] };
    const keep = (_: unknown, k: number) => k !== i;
    const rest = {
      citeSources: cites.citeSources.filter(keep), citeLocators: cites.citeLocators.filter(keep), citeQuotes: cites.citeQuotes.filter(keep),
      citeVias: cites.citeVias.filter(keep), citeConfidences: cites.citeConfidences.filter(keep),
    };
    const props = { ...rest, confidence: confidenceOf(rest.citeConfidences) };
    await ex.run(tx, SET_CITATIONS, { linkId, props, now: new Date().toISOString(), actor });
    const tlp = TLPS[Math.max(rankOf(link.tlp), rankOf(link.fromTlp), rankOf(link.toTlp), ...[...sources.values()].map((s) => rankOf(s.tlp)))];
    await appendAudit(ex, tx, actor, [{
      action: 'REMOVE_CITATION', entityId: link.from, entityIds: [...new Set([link.from, link.to, ...sources.keys()])], linkId,
      before: { citation: removed, confidence: link.props.confidence ?? null }, after: { confidence: props.confidence }, tlp,
    }]);
    return { outcome: 'removed' as const };
  });
}
