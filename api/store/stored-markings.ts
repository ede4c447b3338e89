// What an import is about to touch, read before it writes: the kind and marking of stored entities
// and the marking of stored links (through each type's id index), so a whole import can be refused
// up front (clearance, ids of another kind, missing link ends) instead of failing part-way.
import { relTypeOf, type EntityKind, type Tlp } from '../../model/model.js';
import type { Executor } from './executor.js';
import { entityRow, linkRow, type EntityInput, type LinkInput } from '../../core/validate.js';
import { accumulate } from '../../core/evidence.js';

export interface StoredEntity { id: string; kind: EntityKind; tlp: Tlp }

export async function storedEntityMarkings(ex: Executor, ids: string[]): Promise<Map<string, StoredEntity>> {
  const out = new Map<string, StoredEntity>();
  for (let i = 0; i < ids.length; i += 10_000) {
    const rows = await ex.read<StoredEntity>('MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id, n.kind AS kind, coalesce(n.tlp, "CLEAR") AS tlp', { ids: ids.slice(i, i + 10_000) });
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

/** Stored markings of links by id, `type` naming each id's relationship type. */
export async function storedLinkMarkings(ex: Executor, links: { id: string; type: string }[]): Promise<Map<string, Tlp>> {
  const out = new Map<string, Tlp>();
  const byType = new Map<string, string[]>();
  for (const l of links) byType.set(l.type, [...(byType.get(l.type) ?? []), l.id]);
  for (const [type, ids] of byType) {
    for (let i = 0; i < ids.length; i += 10_000) {
      const rows = await ex.read<{ id: string; tlp: Tlp }>(`UNWIND $ids AS id MATCH ()-[r:${relTypeOf(type)} {id: id}]->() RETURN r.id AS id, coalesce(r.tlp, "CLEAR") AS tlp`, { ids: ids.slice(i, i + 10_000) });
      for (const r of rows) out.set(r.id, r.tlp);
    }
  }
  return out;
}

const BOOKKEEPING = new Set(['createdAt', 'updatedAt', 'updatedBy']);
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The records of a batch whose given fields differ from what is stored (or that are new): a bulk
 * re-import of unchanged data then writes nothing and says so. `unchanged` counts the others.
 */
export async function changedOnly(ex: Executor, entities: EntityInput[], links: LinkInput[]): Promise<{ entities: EntityInput[]; links: LinkInput[]; unchanged: number }> {
  const eRows = entities.map((e) => ({ input: e, row: entityRow(e, []) }));
  const stored = new Map<string, Record<string, unknown>>();
  const ids = eRows.map((r) => r.row?.id).filter((x): x is string => !!x);
  for (const r of await ex.read<{ id: string; props: Record<string, unknown> }>('MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id, properties(n) AS props', { ids })) stored.set(r.id, r.props);
  const lRows = links.map((l) => ({ input: l, row: linkRow(l, () => 'SOURCE', []) }));
  const storedL = new Map<string, Record<string, unknown>>();
  const byType = new Map<string, string[]>();
  for (const { row } of lRows) if (row) byType.set(row.type, [...(byType.get(row.type) ?? []), row.id]);
  for (const [type, lids] of byType) {
    for (const r of await ex.read<{ id: string; props: Record<string, unknown> }>(`UNWIND $ids AS id MATCH ()-[r:${relTypeOf(type)} {id: id}]->() RETURN r.id AS id, properties(r) AS props`, { ids: lids })) storedL.set(r.id, r.props);
  }
  const differs = (before: Record<string, unknown> | undefined, props: Record<string, unknown>) =>
    !before || Object.entries(props).some(([k, v]) => !BOOKKEEPING.has(k) && !same(before[k], v));
  const e2 = eRows.filter(({ row }) => !row || differs(stored.get(row.id), row.props)).map((r) => r.input);
  // A link's citations are added to the stored ones (core/evidence.ts): it is unchanged when that adds nothing.
  const l2 = lRows.filter(({ row }) => !row || differs(storedL.get(row.id), accumulate(storedL.get(row.id), row.props).props)).map((r) => r.input);
  return { entities: e2, links: l2, unchanged: entities.length - e2.length + links.length - l2.length };
}
