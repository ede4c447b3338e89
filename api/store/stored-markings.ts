// What an import is about to touch, read before it writes: the kind and marking of stored entities
// and the marking of stored links (through each type's id index), so a whole import can be refused
// up front (clearance, ids of another kind, missing link ends) instead of failing part-way.
import { relTypeOf, type EntityKind, type Tlp } from '../../model/model.js';
import type { Executor } from './executor.js';

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
