// Graph writes: a batch of entities and links is validated as a whole, then written in one
// transaction. A batch with any bad record writes nothing.
import { GraphQLError } from 'graphql';
import { labelOf, relTypeOf, type EntityKind } from '../model.js';
import {
  badInput, entityRow, linkRow, toProblems,
  type EntityInput, type EntityRow, type LinkInput, type LinkRow, type RecordProblem,
} from '../validate.js';
import type { Executor, Tx } from './executor.js';
import { appendAudit, type AuditEntry } from './audit.js';

/** 'items': one audit record per entity/link with before and after (API writes); 'batch': one per batch (bulk loads). */
export type AuditMode = 'items' | 'batch';

export interface WriteResult {
  entitiesCreated: number;
  entitiesUpdated: number;
  linksCreated: number;
  linksUpdated: number;
  entityIds: string[];
  linkIds: string[];
}

async function existingKinds(ex: Executor, tx: Tx, ids: string[]): Promise<Map<string, EntityKind>> {
  if (ids.length === 0) return new Map();
  const rows = await ex.run<{ id: string; kind: EntityKind }>(tx, 'MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id, n.kind AS kind', { ids });
  return new Map(rows.map((r) => [r.id, r.kind]));
}

/** Links of the batch already stored, with their properties (for the audit's before), through each type's id index. */
async function existingLinks(ex: Executor, tx: Tx, rows: LinkRow[]): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for (const [type, typed] of groupBy(rows, (r) => r.type)) {
    const found = await ex.run<{ id: string; props: unknown }>(tx,
      `UNWIND $ids AS id MATCH ()-[r:${relTypeOf(type)} {id: id}]->() RETURN r.id AS id, properties(r) AS props`,
      { ids: typed.map((r) => r.id) });
    for (const r of found) out.set(r.id, r.props);
  }
  return out;
}

async function entityProps(ex: Executor, tx: Tx, ids: string[]): Promise<Map<string, unknown>> {
  const rows = await ex.run<{ id: string; props: unknown }>(tx, 'MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id, properties(n) AS props', { ids });
  return new Map(rows.map((r) => [r.id, r.props]));
}

/** Validates everything first (inside the transaction, so lookups see a consistent graph). */
export async function writeBatch(
  ex: Executor, entities: EntityInput[], links: LinkInput[], actor = 'system', audit: AuditMode = 'batch',
  kindCache?: Map<string, EntityKind>,
): Promise<WriteResult> {
  const learned = new Map<string, EntityKind>();
  const result = await ex.write(async (tx) => {
    const problems: RecordProblem[] = [];
    const entityRows: EntityRow[] = [];
    entities.forEach((input, index) => {
      const messages: string[] = [];
      const row = entityRow(input, messages);
      problems.push(...toProblems('entities', index, row?.id ?? input?.id ?? undefined, messages));
      if (row) entityRows.push(row);
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
    const looked = await existingKinds(ex, tx, kindCache ? [...referenced].filter((id) => !kindCache.has(id)) : [...referenced]);
    const storedKind = (id: string) => looked.get(id) ?? kindCache?.get(id);
    const batchKinds = new Map<string, EntityKind>();
    entityRows.forEach((row, i) => {
      const before = storedKind(row.id);
      if (before && before !== row.kind) {
        problems.push({ list: 'entities', index: i, id: row.id, field: 'kind', reason: `id already belongs to a ${before}` });
      }
      batchKinds.set(row.id, row.kind);
    });
    const kindOf = (id: string) => batchKinds.get(id) ?? storedKind(id);
    const linkRows: LinkRow[] = [];
    const seenLinkIds = new Set<string>();
    links.forEach((input, index) => {
      const messages: string[] = [];
      const row = input && typeof input === 'object' ? linkRow(input, kindOf, messages) : (messages.push('record: must be an object'), null);
      if (row && seenLinkIds.has(row.id)) messages.push(`id: ${row.id} appears twice in this batch`);
      if (row) seenLinkIds.add(row.id);
      problems.push(...toProblems('links', index, row?.id ?? input?.id ?? undefined, messages));
      if (row) linkRows.push(row);
    });
    if (problems.length) throw badInput(problems);

    const now = new Date().toISOString();
    const entitiesBefore = audit === 'items' ? await entityProps(ex, tx, entityRows.map((r) => r.id)) : new Map<string, unknown>();
    const linksBefore = audit === 'items' ? await existingLinks(ex, tx, linkRows) : new Map<string, unknown>();
    let entitiesCreated = 0;
    let linksCreated = 0;
    for (const [kind, rows] of groupBy(entityRows, (r) => r.kind)) {
      const label = labelOf(kind);
      entitiesCreated += (await ex.runCounted(tx,
        `UNWIND $rows AS row MERGE (n:Entity {id: row.id}) ON CREATE SET n.createdAt = $now
         SET n:${label}, n += row.props, n.updatedAt = $now, n.updatedBy = $actor`,
        { rows: rows.map((r) => ({ id: r.id, props: r.props })), now, actor })).nodesCreated;
    }
    for (const [type, rows] of groupBy(linkRows, (r) => r.type)) {
      const relType = relTypeOf(type);
      // The ends must still be there (another writer may have deleted one since it was validated
      // or cached): a link whose end is missing would otherwise vanish silently.
      const written = await ex.runCounted<{ n: number }>(tx,
        `UNWIND $rows AS row MATCH (a:Entity {id: row.from}) MATCH (b:Entity {id: row.to})
         MERGE (a)-[r:${relType} {id: row.id}]->(b) ON CREATE SET r.createdAt = $now
         SET r += row.props, r.updatedAt = $now, r.updatedBy = $actor
         RETURN count(*) AS n`,
        { rows: rows.map((r) => ({ id: r.id, from: r.from, to: r.to, props: r.props })), now, actor });
      if (written.rows[0].n !== rows.length) throw staleEnds(rows.length - written.rows[0].n);
      linksCreated += written.relationshipsCreated;
    }
    const entries: AuditEntry[] = audit === 'items'
      ? [
        ...entityRows.map((r) => ({ action: 'UPSERT_ENTITY', entityId: r.id, before: entitiesBefore.get(r.id) ?? null, after: r.props })),
        ...linkRows.map((r) => ({
          action: 'UPSERT_LINK', entityId: r.from, entityIds: [r.from, r.to], linkId: r.id,
          before: linksBefore.get(r.id) ?? null, after: { type: r.type, from: r.from, to: r.to, ...r.props },
        })),
      ]
      : [{ action: 'BULK_WRITE', entityId: null, after: { entities: entityRows.length, links: linkRows.length, firstId: entityRows[0]?.id ?? linkRows[0]?.id ?? null } }];
    await appendAudit(ex, tx, actor, entries);
    for (const [id, kind] of looked) learned.set(id, kind);
    for (const row of entityRows) learned.set(row.id, row.kind);
    return {
      entitiesCreated, entitiesUpdated: entityRows.length - entitiesCreated,
      linksCreated, linksUpdated: linkRows.length - linksCreated,
      entityIds: entityRows.map((r) => r.id), linkIds: linkRows.map((r) => r.id),
    };
  });
  // Only after the commit: a rolled-back batch teaches the cache nothing.
  if (kindCache) for (const [id, kind] of learned) kindCache.set(id, kind);
  return result;
}

/** The ends of some links were deleted by another writer between validation (or caching) and write. */
export function staleEnds(count: number): GraphQLError {
  return new GraphQLError(`links: the end of ${count} link(s) was deleted by another writer during this batch; nothing was written`,
    { extensions: { code: 'CONFLICT', field: 'links', reason: 'stale-ends' } });
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

export async function deleteEntity(ex: Executor, id: string, actor: string): Promise<{ deleted: boolean; linksRemoved: number }> {
  return ex.write(async (tx) => {
    const rows = await ex.run<{ links: number; props: unknown; rels: unknown[] }>(tx,
      `MATCH (n:Entity {id: $id})
       WITH n, properties(n) AS props, [(n)-[r]-(m:Entity) | {type: type(r), from: startNode(r).id, to: endNode(r).id, props: properties(r)}] AS rels
       DETACH DELETE n RETURN size(rels) AS links, props, rels`, { id });
    if (rows.length) await appendAudit(ex, tx, actor, [{ action: 'DELETE_ENTITY', entityId: id, before: { ...rows[0].props as object, links: rows[0].rels }, after: null }]);
    return { deleted: rows.length > 0, linksRemoved: rows[0]?.links ?? 0 };
  });
}

/** Appends a citation to a link, after checking that the source (and via) are SOURCE entities. */
export async function addCitation(
  ex: Executor, linkId: string, c: { source: string; locator?: string | null; quote?: string | null; via?: string | null }, actor: string,
): Promise<{ found: boolean; problems: string[] }> {
  return ex.write(async (tx) => {
    const kinds = await existingKinds(ex, tx, [c.source, ...(c.via ? [c.via] : [])]);
    const problems: string[] = [];
    if (kinds.get(c.source) !== 'SOURCE') problems.push(`citation.source: no SOURCE entity with id ${JSON.stringify(c.source)}`);
    if (c.via && kinds.get(c.via) !== 'SOURCE') problems.push(`citation.via: no SOURCE entity with id ${JSON.stringify(c.via)}`);
    if ((c.quote?.length ?? 0) > 2000) problems.push('citation.quote: longer than 2,000 characters');
    if (problems.length) return { found: true, problems };
    const rows = await ex.run<{ id: string; from: string; to: string; before: unknown }>(tx,
      `MATCH (a:Entity)-[r {id: $linkId}]->(b:Entity)
       WITH a, b, r, properties(r) AS before
       SET r.citeSources = r.citeSources + $source, r.citeLocators = r.citeLocators + $locator,
           r.citeQuotes = r.citeQuotes + $quote, r.citeVias = coalesce(r.citeVias, [x IN r.citeSources | '']) + $via,
           r.updatedAt = $now, r.updatedBy = $actor
       RETURN r.id AS id, a.id AS from, b.id AS to, before`,
      { linkId, source: c.source, locator: c.locator ?? '', quote: c.quote ?? '', via: c.via ?? '', now: new Date().toISOString(), actor });
    if (rows.length) {
      await appendAudit(ex, tx, actor, [{ action: 'ADD_CITATION', entityId: rows[0].from, entityIds: [rows[0].from, rows[0].to], linkId, before: rows[0].before, after: c }]);
    }
    return { found: rows.length > 0, problems };
  });
}
