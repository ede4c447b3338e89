// Entities ranked by one metric (model/metrics.ts), with the total and sum over every entity the
// filter keeps that has it: one Cypher statement, within the caller's clearance.
import type { Node } from 'neo4j-driver';
import { BadInput } from '../../core/errors.js';
import { METRIC_NAME, metricKeys } from '../../model/metrics.js';
import type { EntityKind, Tlp } from '../../model/model.js';
import type { Executor } from './executor.js';
import { filterParams, nodeWhere, type GraphFilter } from './filter.js';
import { toEntity, type EntityRecord } from './records.js';

export interface MetricRankRecord { entity: EntityRecord; value: number; unit: string | null }
export interface MetricRankingRecord { items: MetricRankRecord[]; total: number; sum: number; truncated: boolean }

/**
 * The entities of `kinds` (any when empty; the filter's kinds also apply) that have metric `name`
 * and pass the filter, highest value first (`ascending`: lowest first), ties by id.
 */
export async function metricRanking(
  ex: Executor, args: { name: string; kinds?: EntityKind[] | null; first: number; ascending?: boolean | null; filter?: GraphFilter | null }, clearance: Tlp,
): Promise<MetricRankingRecord> {
  if (!METRIC_NAME.test(args.name)) throw BadInput.field('name', `${JSON.stringify(args.name)} is not a metric name (a letter, then letters, digits or _; at most 64)`);
  const f = filterParams(clearance, args.filter);
  const k = metricKeys(args.name);
  const rows = await ex.read<{ total: number; sum: number; top: Array<{ n: Node; v: number }> }>(
    `MATCH (n:Entity) WHERE n[$key] IS NOT NULL AND ($kinds IS NULL OR n.kind IN $kinds) AND ${nodeWhere('n')}
     WITH n, n[$key] AS v ORDER BY CASE WHEN $asc THEN v ELSE -v END, n.id
     WITH collect({n: n, v: v}) AS found
     RETURN size(found) AS total, reduce(s = 0.0, x IN found | s + x.v) AS sum, found[0..$first] AS top`,
    { f, key: k.value, kinds: args.kinds?.length ? args.kinds : null, asc: !!args.ascending, first: args.first },
  );
  const row = rows[0] ?? { total: 0, sum: 0, top: [] };
  return {
    items: row.top.map((t) => {
      const entity = toEntity(t.n);
      return { entity, value: t.v, unit: (entity[k.unit] as string | undefined) ?? null };
    }),
    total: row.total, sum: row.sum, truncated: row.total > row.top.length,
  };
}
