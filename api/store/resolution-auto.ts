// Resolution on import (`npm run import -- … --resolve`): pairs that share an exact external id or
// a normalised observable merge automatically, into the entity that was there first; everything
// else stays a candidate for an analyst (docs/resolution.md). UNSURE pairs are left alone.
import type { Tlp } from '../../model/model.js';
import type { Executor } from './executor.js';
import { mergeCandidates } from './resolution-candidates.js';
import { candidatesFor } from './resolution-scoped.js';
import { MAX_MERGE_FROM, mergeEntities, type MergeResult } from './resolution-merge.js';

export interface AutoResolveResult { merges: MergeResult[]; candidatesLeft: number }

const AUTO = new Set(['EXTERNAL_ID', 'OBSERVABLE']);
/** Imports this small are always compared by lookups; larger ones only when the graph is this many times larger. */
const SCOPED_ALWAYS = 200;
const SCOPED_SHARE = 20;

/**
 * With `ids` (the entities an import brought), only pairs touching them are considered, found by
 * indexed lookups of their keys (resolution-scoped.ts); without, the whole graph.
 */
export async function autoResolve(ex: Executor, actor: string, clearance: Tlp, imported?: string[]): Promise<AutoResolveResult> {
  // Lookups cost per imported record, the whole list per entity in the graph: a large share is cheaper whole.
  const [{ n }] = imported ? await ex.read<{ n: number }>('MATCH (e:Entity) RETURN count(e) AS n') : [{ n: 0 }];
  const ids = imported && (imported.length <= SCOPED_ALWAYS || imported.length * SCOPED_SHARE <= n) ? imported : undefined;
  const candidates = (minScore: number) => (ids ? candidatesFor(ex, ids, { minScore, clearance }) : mergeCandidates(ex, { minScore, clearance }));
  const all = await candidates(0);
  const auto = all.filter((c) => c.judgement === null && c.reasons.some((r) => AUTO.has(r.kind)));
  // Groups of entities joined by automatic pairs (union-find), each merged once.
  const parent = new Map<string, string>();
  const find = (x: string): string => { const p = parent.get(x) ?? x; if (p === x) return x; const r = find(p); parent.set(x, r); return r; };
  for (const c of auto) { const [ra, rb] = [find(c.a), find(c.b)]; if (ra !== rb) parent.set(rb, ra); }
  const groups = new Map<string, string[]>();
  for (const id of new Set(auto.flatMap((c) => [c.a, c.b]))) groups.set(find(id), [...groups.get(find(id)) ?? [], id]);
  const merges: MergeResult[] = [];
  for (const ids of groups.values()) {
    const rows = await ex.read<{ id: string; createdAt: string | null }>(
      'MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id, n.createdAt AS createdAt ORDER BY coalesce(n.createdAt, ""), n.id', { ids });
    if (rows.length < 2) continue;
    const from = rows.slice(1).map((r) => r.id);
    for (let i = 0; i < from.length; i += MAX_MERGE_FROM) {
      merges.push(await mergeEntities(ex, { into: rows[0].id, from: from.slice(i, i + MAX_MERGE_FROM), reason: 'import: same external id or observable' }, actor, clearance));
    }
  }
  // Merged-away ids are no longer entities: the survivors stand for them.
  const left = merges.length ? (await (ids ? candidatesFor(ex, [...ids, ...merges.map((m) => m.into)], { minScore: 0.5, clearance }) : candidates(0.5))).length : all.filter((c) => c.score >= 0.5).length - auto.length;
  return { merges, candidatesLeft: Math.max(0, left) };
}
