// Entities ranked by one metric (model/metrics.ts), with the total and sum over every entity the
// filter keeps that has it: one Cypher statement, within the caller's clearance and a time budget.
// Each metric is its own property (metric_<name>), so each metric name in use gets its own range
// index (ensureMetricIndex): the ranking reads only the entities that have the metric, through the
// index, instead of every entity.
import type { Node } from 'neo4j-driver';
import { BadInput } from '../../core/errors.js';
import { METRIC_NAME, metricKeys } from '../../model/metrics.js';
import type { EntityKind, Tlp } from '../../model/model.js';
import { Budget, budgetedRead, type TruncatedBy } from './budget.js';
import type { Executor } from './executor.js';
import { filterParams, nodeWhere, type GraphFilter } from './filter.js';
import { toEntity, type EntityRecord } from './records.js';

export interface MetricRankRecord { entity: EntityRecord; value: number; unit: string | null }
export interface MetricRankingRecord {
  items: MetricRankRecord[]; total: number; sum: number; truncated: boolean;
  /** False when the budget ran out before the ranking finished: then items is empty, total and sum 0. */
  totalExact: boolean;
  truncatedBy: TruncatedBy | null;
}

/** At most this many metric indexes are created; past it, a new metric is ranked by a scan (a write could otherwise add indexes without end). */
export const MAX_METRIC_INDEXES = 200;

/** The range index of metric `name` on :Entity (only names passing METRIC_NAME reach here). */
export const metricIndexName = (name: string): string => `metric_${name}`;

/** Metric names whose index this process has created or found. */
const indexed = new WeakMap<Executor, Set<string>>();

/**
 * Creates the range index of a metric that entities hold, once per process and name (IF NOT
 * EXISTS: other instances may race). A name no entity holds gets none (Neo4j lists the property
 * keys ever written: db.propertyKeys()), so asking for unknown names cannot add indexes. The first
 * ranking waits up to 10 s for the index to come online.
 */
export async function ensureMetricIndex(ex: Executor, name: string): Promise<boolean> {
  let done = indexed.get(ex);
  if (!done) indexed.set(ex, done = new Set());
  if (done.has(name)) return true;
  const key = metricKeys(name).value;
  const session = ex.driver.session({ database: ex.settings.database });
  try {
    const known = await session.run('CALL db.propertyKeys() YIELD propertyKey WHERE propertyKey = $key RETURN count(*) AS n', { key });
    if (Number(known.records[0].get('n')) === 0) return false;
    const existing = await session.run("SHOW INDEXES YIELD name WHERE name STARTS WITH 'metric_' RETURN collect(name) AS names");
    const names = existing.records[0].get('names') as string[];
    if (!names.includes(metricIndexName(name))) {
      if (names.length >= MAX_METRIC_INDEXES) return false;
      await session.run(`CREATE RANGE INDEX \`${metricIndexName(name)}\` IF NOT EXISTS FOR (n:Entity) ON (n.\`${key}\`)`);
      // Wait (a little) for it: the ranking's plan is cached by its text, and a plan made before the
      // index is online would go on scanning every entity.
      await session.run('CALL db.awaitIndex($name, 10)', { name: metricIndexName(name) }).catch(() => undefined);
    }
    done.add(name);
    return true;
  } finally {
    await session.close();
  }
}

/**
 * The entities of `kinds` (any when empty; the filter's kinds also apply) that have metric `name`
 * and pass the filter, highest value first (`ascending`: lowest first), ties by id.
 */
export async function metricRanking(
  ex: Executor, args: { name: string; kinds?: EntityKind[] | null; first: number; ascending?: boolean | null; filter?: GraphFilter | null }, clearance: Tlp,
  budget = new Budget(ex.budgetMs()),
): Promise<MetricRankingRecord> {
  if (!METRIC_NAME.test(args.name)) throw BadInput.field('name', `${JSON.stringify(args.name)} is not a metric name (a letter, then letters, digits or _; at most 64)`);
  const f = filterParams(clearance, args.filter);
  const k = metricKeys(args.name);
  // Without the right to create indexes (a read-only database user), the ranking scans instead.
  await ensureMetricIndex(ex, args.name).catch(() => false);
  // The property is named in the text (it passed METRIC_NAME) so that the planner can use its index.
  const { rows } = await budgetedRead<{ total: number; sum: number; top: Array<{ n: Node; v: number }> }>(ex, budget,
    `MATCH (n:Entity) WHERE n.\`${k.value}\` IS NOT NULL AND ($kinds IS NULL OR n.kind IN $kinds) AND ${nodeWhere('n')}
     WITH n, n.\`${k.value}\` AS v ORDER BY CASE WHEN $asc THEN v ELSE -v END, n.id
     WITH collect({n: n, v: v}) AS found
     RETURN size(found) AS total, reduce(s = 0.0, x IN found | s + x.v) AS sum, found[0..$first] AS top`,
    { f, kinds: args.kinds?.length ? args.kinds : null, asc: !!args.ascending, first: args.first },
  );
  if (rows === null) return { items: [], total: 0, sum: 0, truncated: true, totalExact: false, truncatedBy: 'TIME_BUDGET' };
  const row = rows[0] ?? { total: 0, sum: 0, top: [] };
  const truncated = row.total > row.top.length;
  return {
    items: row.top.map((t) => {
      const entity = toEntity(t.n);
      return { entity, value: t.v, unit: (entity[k.unit] as string | undefined) ?? null };
    }),
    total: row.total, sum: row.sum, truncated, totalExact: true, truncatedBy: truncated ? 'ROW_CAP' : null,
  };
}
