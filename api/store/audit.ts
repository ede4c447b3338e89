// The audit trail: every write appends (:AuditRecord) nodes in the same transaction as the
// write itself, so a change and its record commit together or not at all. Nothing in the API
// updates or deletes them.
import { randomUUID } from 'node:crypto';
import type { Tlp } from '../../model/model.js';
import type { Executor, Tx } from './executor.js';
import { visibleTlps } from './filter.js';
import { decodeCursor, encodeCursor } from './browse.js';

export interface AuditEntry {
  action: string;
  /** The entity the change is about (a link's from-entity). */
  entityId: string | null;
  /** Every entity the change touches (a link's two ends). */
  entityIds?: string[];
  linkId?: string | null;
  /** Links the record names besides `linkId` (a deleted entity's links): hidden with them. */
  linkIds?: string[];
  before?: unknown;
  after?: unknown;
  /** The highest marking among what the change touched: admins below it do not see the record. */
  tlp?: Tlp;
}

export async function appendAudit(ex: Executor, tx: Tx, actor: string, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const at = new Date().toISOString();
  await ex.run(tx,
    `UNWIND $rows AS row CREATE (:AuditRecord {id: row.id, at: $at, actor: $actor, action: row.action, entityId: row.entityId,
       entityIds: row.entityIds, linkId: row.linkId, linkIds: row.linkIds, before: row.before, after: row.after, tlp: row.tlp})`,
    {
      at, actor,
      rows: entries.map((e) => ({
        id: randomUUID(), action: e.action, entityId: e.entityId, entityIds: e.entityIds ?? (e.entityId ? [e.entityId] : []),
        linkId: e.linkId ?? null, linkIds: e.linkIds?.length ? e.linkIds : null, tlp: e.tlp ?? 'CLEAR',
        before: e.before === undefined || e.before === null ? null : JSON.stringify(e.before),
        after: e.after === undefined || e.after === null ? null : JSON.stringify(e.after),
      })),
    });
}

export interface AuditRecord {
  id: string;
  at: string;
  actor: string;
  action: string;
  entityId: string | null;
  linkId: string | null;
  before: unknown;
  after: unknown;
}

/** Newest first; keyset pagination on (at, id). */
export async function auditPage(ex: Executor, args: { first: number; after?: string | null; actor?: string | null; entityId?: string | null; clearance: Tlp }) {
  const cursor = decodeCursor(args.after);
  const [afterAt, afterId] = cursor ? cursor.split('|') : [null, null];
  const params = { actor: args.actor ?? null, entityId: args.entityId ?? null, afterAt, afterId, take: args.first + 1, tlps: visibleTlps(args.clearance) };
  // Records from before markings were kept on them (no tlp) are shown to RED admins only.
  // A record shows when its own marking (the highest of what it touched, then) and the current
  // marking of every entity and link it names are within the clearance: markings rise after the
  // fact, and an id is one thing (a link deleted, then written again above the clearance, hides
  // the record of its deletion). Links are found from their ends, which the record names.
  const where = `($actor IS NULL OR a.actor = $actor) AND ($entityId IS NULL OR $entityId IN a.entityIds) AND coalesce(a.tlp, 'RED') IN $tlps
    AND NOT EXISTS { MATCH (e:Entity) WHERE e.id IN a.entityIds AND NOT e.tlp IN $tlps }
    AND (a.linkId IS NULL OR NOT EXISTS { MATCH (e:Entity)-[r]->(:Entity) WHERE e.id IN a.entityIds AND r.id = a.linkId AND NOT r.tlp IN $tlps })
    AND (a.linkIds IS NULL OR NOT EXISTS { MATCH (e:Entity)-[r]->(:Entity) WHERE e.id IN a.entityIds AND r.id IN a.linkIds AND NOT r.tlp IN $tlps })`;
  const [count] = await ex.read<{ total: number }>(`MATCH (a:AuditRecord) WHERE ${where} RETURN count(a) AS total`, params);
  const rows = await ex.read<{ a: { properties: Record<string, unknown> } }>(
    `MATCH (a:AuditRecord) WHERE ${where} AND ($afterAt IS NULL OR a.at < $afterAt OR (a.at = $afterAt AND a.id < $afterId))
     RETURN a ORDER BY a.at DESC, a.id DESC LIMIT $take`, params);
  const items: AuditRecord[] = rows.slice(0, args.first).map(({ a: { properties: p } }) => ({
    id: p.id as string, at: p.at as string, actor: p.actor as string, action: p.action as string,
    entityId: (p.entityId as string | null) ?? null, linkId: (p.linkId as string | null) ?? null,
    before: p.before ? JSON.parse(p.before as string) as unknown : null, after: p.after ? JSON.parse(p.after as string) as unknown : null,
  }));
  const edges = items.map((node) => ({ cursor: encodeCursor(`${node.at}|${node.id}`), node }));
  return { edges, totalCount: count.total, pageInfo: { hasNextPage: rows.length > args.first, endCursor: edges.at(-1)?.cursor ?? null } };
}
