// The best-connected entities a caller may see (the viewer's start page, `topEntities`).
// Counting every entity's visible links reads every relationship and both its markings: at L
// (1M entities, 5M links) that passed the 15 s read timeout, so the start page failed. The links
// of any marking (Neo4j's degree store, no relationship read) bound the visible ones from above,
// so the ranking runs on a pool of the entities with the most links of any kind, and is exact
// once the last of those it returns has more visible links than any entity left out of the pool
// can have at all; else the pool grows. What is returned never depends on links the caller
// cannot see, only how much work finding it took. The answer is kept per graph version (any write
// moves it), so the start page pays the count once, not on every load.
import type { Node } from 'neo4j-driver';
import type { EntityKind, Tlp } from '../../model/model.js';
import type { Executor } from './executor.js';
import { filterParams, nodeWhere } from './filter.js';
import { toEntity, type EntityRecord } from './records.js';
import { cachedIn, ResultCache } from './result-cache.js';

/** Start-page rankings, per clearance, kinds and count. */
const cache = new ResultCache(32);

/** The first pool: this many entities per one asked for (at least 200). */
const POOL_PER_ENTITY = 20;
/** Past this pool the ranking counts every visible entity's links (the exact scan). */
const MAX_POOL = 200_000;

export async function topEntities(ex: Executor, kinds: EntityKind[] | null, first: number, clearance: Tlp, firstPool?: number): Promise<EntityRecord[]> {
  if (firstPool !== undefined) return ranked(ex, kinds, first, clearance, firstPool);
  const { entities } = await cachedIn(cache, ex, ['topEntities', kinds, first, clearance], async () => ({ entities: await ranked(ex, kinds, first, clearance) }));
  return entities;
}

async function ranked(ex: Executor, kinds: EntityKind[] | null, first: number, clearance: Tlp, firstPool?: number): Promise<EntityRecord[]> {
  const f = filterParams(clearance, null);
  for (let pool = firstPool ?? Math.max(200, first * POOL_PER_ENTITY); ; pool *= 8) {
    const whole = pool >= MAX_POOL;
    const [row] = await ex.read<{ top: Array<{ n: Node; degree: number }>; pooled: number; floor: number | null }>(
      `MATCH (n:Entity) WHERE ${nodeWhere('n', false)} AND ($kinds IS NULL OR n.kind IN $kinds)
       WITH n, COUNT { (n)--() } AS links ORDER BY links DESC LIMIT $pool
       WITH collect(n) AS pooled, min(links) AS floor
       CALL (pooled) {
         UNWIND pooled AS n
         WITH n, COUNT { (n)-[r]-(m:Entity) WHERE r.tlp IN $f.tlps AND m.tlp IN $f.tlps } AS degree
         ORDER BY degree DESC, n.id LIMIT $first
         RETURN collect({n: n, degree: degree}) AS top
       }
       RETURN top, size(pooled) AS pooled, floor`,
      { kinds, first, f, pool: whole ? 2_000_000_000 : pool },
    );
    const top = row?.top ?? [];
    const last = top[top.length - 1];
    // Exact when nothing was left out of the pool, or when nothing left out (at most `floor` links
    // of any marking) can reach the last place returned (ties go by id, so strictly more).
    const exact = whole || !row || row.pooled < pool || (top.length === first && last.degree > (row.floor ?? 0));
    if (exact) return top.map((t) => toEntity(t.n));
  }
}
