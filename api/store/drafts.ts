// Drafts extracted from reports, kept apart from the graph: (:Draft) nodes (no :Entity label, so
// no graph query, count or export sees them) holding the proposed subgraph as JSON, and
// (:SourceText) nodes holding an ingested SOURCE's paragraphs (P1…Pn) beside it. A draft is
// visible only to the key that made it and to admins, and only within their clearance: to anyone
// else it does not exist (NOT_FOUND, never FORBIDDEN, so nothing can be probed).
import { randomUUID } from 'node:crypto';
import { NotFound } from '../../core/errors.js';
import type { EntityKind, Tlp } from '../../model/model.js';
import { appendAudit } from './audit.js';
import type { Executor, Tx } from './executor.js';
import { visibleTlps } from './filter.js';

export interface DraftViewer { keyId: string | null; admin: boolean; clearance: Tlp; actor: string; name: string }

export interface DraftRecord {
  id: string;
  sourceId: string;
  title: string;
  tlp: Tlp;
  owner: string;
  ownerKeyId: string | null;
  createdAt: string;
  updatedAt: string;
  /** The extraction and its review state (api/ingest decides its shape). */
  content: unknown;
}

/** What the gazetteer needs of each entity a caller may see (sources with their authors and publishers). */
export interface KnownEntity {
  id: string; kind: EntityKind; name: string; aliases: string[] | null;
  author?: string | null; publisher?: string | null; value?: string | null;
}

/** Every entity within the caller's clearance, names and aliases only: what the gazetteer is built from. */
export async function knownEntities(ex: Executor, clearance: Tlp): Promise<KnownEntity[]> {
  return ex.read<KnownEntity & Record<string, unknown>>(
    `MATCH (e:Entity) WHERE coalesce(e.tlp, 'CLEAR') IN $tlps AND NOT coalesce(e.revoked, false)
     RETURN e.id AS id, e.kind AS kind, e.name AS name, e.aliases AS aliases, e.author AS author, e.publisher AS publisher, e.value AS value`,
    { tlps: visibleTlps(clearance) });
}

/** Stores a source's paragraphs beside it (replacing any earlier text), at its marking. */
export async function saveSourceText(ex: Executor, tx: Tx, sourceId: string, paragraphs: { locator: string; text: string }[], tlp: Tlp): Promise<void> {
  await ex.run(tx,
    `MERGE (t:SourceText {sourceId: $sourceId}) SET t.locators = $locators, t.texts = $texts, t.tlp = $tlp, t.updatedAt = $now`,
    { sourceId, locators: paragraphs.map((p) => p.locator), texts: paragraphs.map((p) => p.text), tlp, now: new Date().toISOString() });
}

/** A source's paragraphs, when the caller may see the source; null otherwise or when it has none. */
export async function sourceText(ex: Executor, sourceId: string, clearance: Tlp): Promise<{ locator: string; text: string }[] | null> {
  const rows = await ex.read<{ locators: string[]; texts: string[] }>(
    `MATCH (s:Entity {id: $sourceId}) WHERE coalesce(s.tlp, 'CLEAR') IN $tlps
     MATCH (t:SourceText {sourceId: $sourceId}) WHERE t.tlp IN $tlps RETURN t.locators AS locators, t.texts AS texts`,
    { sourceId, tlps: visibleTlps(clearance) });
  if (!rows.length) return null;
  return rows[0].locators.map((locator, i) => ({ locator, text: rows[0].texts[i] }));
}

function toRecord(p: Record<string, unknown>): DraftRecord {
  return {
    id: p.id as string, sourceId: p.sourceId as string, title: p.title as string, tlp: p.tlp as Tlp,
    owner: p.owner as string, ownerKeyId: (p.ownerKeyId as string | null) ?? null,
    createdAt: p.createdAt as string, updatedAt: p.updatedAt as string, content: JSON.parse(p.content as string),
  };
}

/** Creates a draft inside the caller's transaction (the ingest writes its source in the same one). */
export async function createDraftInTx(ex: Executor, tx: Tx, d: { sourceId: string; title: string; tlp: Tlp; content: unknown }, w: DraftViewer): Promise<DraftRecord> {
  const id = randomUUID();
  const now = new Date().toISOString();
  const rows = await ex.run<{ d: { properties: Record<string, unknown> } }>(tx,
    `CREATE (d:Draft {id: $id, sourceId: $sourceId, title: $title, tlp: $tlp, owner: $owner, ownerKeyId: $keyId,
       createdAt: $now, updatedAt: $now, content: $content}) RETURN d`,
    { id, sourceId: d.sourceId, title: d.title, tlp: d.tlp, owner: w.name, keyId: w.keyId, now, content: JSON.stringify(d.content) });
  await appendAudit(ex, tx, w.actor, [{ action: 'CREATE_DRAFT', entityId: d.sourceId, tlp: d.tlp, after: { id, sourceId: d.sourceId, title: d.title } }]);
  return toRecord(rows[0].d.properties);
}

/** The Cypher condition under which a viewer sees draft `d`. */
const VISIBLE = `d.tlp IN $tlps AND ($admin OR (d.ownerKeyId IS NOT NULL AND d.ownerKeyId = $keyId))`;
const visibility = (v: DraftViewer) => ({ tlps: visibleTlps(v.clearance), admin: v.admin, keyId: v.keyId });

export async function getDraft(ex: Executor, id: string, v: DraftViewer): Promise<DraftRecord | null> {
  const rows = await ex.read<{ d: { properties: Record<string, unknown> } }>(`MATCH (d:Draft {id: $id}) WHERE ${VISIBLE} RETURN d`, { id, ...visibility(v) });
  return rows.length ? toRecord(rows[0].d.properties) : null;
}

export async function listDrafts(ex: Executor, first: number, v: DraftViewer): Promise<DraftRecord[]> {
  const rows = await ex.read<{ d: { properties: Record<string, unknown> } }>(
    `MATCH (d:Draft) WHERE ${VISIBLE} RETURN d ORDER BY d.updatedAt DESC, d.id LIMIT $first`, { first, ...visibility(v) });
  return rows.map((r) => toRecord(r.d.properties));
}

/**
 * Changes a draft in one write transaction: locks it, hands it (as the viewer may see it) and the
 * transaction to `change`, which may write to the graph in it and returns the new content; stores
 * that and an audit record. A draft the viewer may not see is NOT_FOUND.
 */
export async function updateDraft<T>(ex: Executor, id: string, v: DraftViewer,
  change: (draft: DraftRecord, tx: Tx) => Promise<{ content: unknown; result: T; audit: Record<string, unknown> }>): Promise<{ draft: DraftRecord; result: T }> {
  return ex.write(async (tx) => {
    const rows = await ex.run<{ d: { properties: Record<string, unknown> } }>(tx,
      `MATCH (d:Draft {id: $id}) WHERE ${VISIBLE} SET d._lock = true REMOVE d._lock RETURN d`, { id, ...visibility(v) });
    if (!rows.length) throw new NotFound('draft', id);
    const before = toRecord(rows[0].d.properties);
    const { content, result, audit } = await change(before, tx);
    const now = new Date().toISOString();
    const after = await ex.run<{ d: { properties: Record<string, unknown> } }>(tx,
      'MATCH (d:Draft {id: $id}) SET d.content = $content, d.updatedAt = $now RETURN d', { id, content: JSON.stringify(content), now });
    await appendAudit(ex, tx, v.actor, [{ action: 'REVIEW_DRAFT', entityId: before.sourceId, tlp: before.tlp, after: { id, ...audit } }]);
    return { draft: toRecord(after[0].d.properties), result };
  });
}
