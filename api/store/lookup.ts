// lookup(kind, name): the entity a converter would address by kind and name — the one with the id
// derived from them (core/validate.ts entityIdFor), else one of that kind whose normalised name
// (searchKey: case, accents and punctuation folded) is the name's. Within the caller's clearance.
import type { Node } from 'neo4j-driver';
import { entityIdFor, searchKey } from '../../core/validate.js';
import { labelOf, type EntityKind, type Tlp } from '../../model/model.js';
import type { Executor } from './executor.js';
import { visibleTlps } from './filter.js';
import { toEntity, type EntityRecord } from './records.js';

/** The entity, or null when there is none the caller may see (a hidden one is not told apart from none). */
export async function lookup(ex: Executor, kind: EntityKind, name: string, clearance: Tlp): Promise<EntityRecord | null> {
  const key = searchKey(name);
  const rows = await ex.read<{ n: Node }>(
    `CALL () {
       MATCH (n:Entity {id: $id}) WHERE n.kind = $kind RETURN n, 0 AS rank
       UNION
       MATCH (n:Entity {nameKey: $key}) WHERE $key <> '' AND n:${labelOf(kind)} RETURN n, 1 AS rank
     }
     WITH n, rank WHERE n.tlp IN $tlps
     RETURN n ORDER BY rank, n.id LIMIT 1`,
    { id: entityIdFor(kind, name), kind, key, tlps: visibleTlps(clearance) },
  );
  return rows[0] ? toEntity(rows[0].n) : null;
}
