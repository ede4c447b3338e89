// Aggregates answered in one Cypher statement each: co-occurrence of entities through shared
// neighbours, neighbour counts along a chain of hops, and counts by kind, link type and time
// bucket. Every statement applies the caller's clearance and the filter to each link and entity
// it reads, so what the caller may not see is never counted. Labels and relationship types reach
// the Cypher text only after passing the model's lists (labelOf, relTypeOf); values are parameters.
import type { Node } from 'neo4j-driver';
import { labelOf, relTypeOf, type EntityKind, type LinkType, type Tlp } from '../../model/model.js';
import { Budget, budgetedRead, type TruncatedBy } from './budget.js';
import type { Executor } from './executor.js';
import { filterParams, linkWhere, nodeWhere, type FilterParams, type GraphFilter } from './filter.js';
import { toEntity, type EntityRecord } from './records.js';

/** The filter as aggregates read it: NEGATED links only when asked (like paths and overlap); its `kinds` left to the query's own kinds. */
function aggregateFilter(clearance: Tlp, filter: GraphFilter | null | undefined): FilterParams {
  return { ...filterParams(clearance, { ...filter, includeNegated: filter?.includeNegated ?? false }), kinds: null };
}

/** A label expression `A|B` for a node pattern, every kind checked against the model. */
const labels = (kinds: readonly EntityKind[]): string => [...new Set(kinds)].map(labelOf).join('|');
/** A relationship type expression `:A|B`, or nothing for any type. */
const relTypes = (types: readonly LinkType[] | null | undefined): string =>
  types?.length ? `:${[...new Set(types)].map(relTypeOf).join('|')}` : '';

export interface PairCount { a: EntityRecord; b: EntityRecord; count: number }
export interface CooccurrenceRecord {
  pairs: PairCount[];
  truncated: boolean;
  /** ROW_CAP: more pairs than `first`; TIME_BUDGET: the budget ran out (pairs holds the top ones read by then, if any). */
  truncatedBy: TruncatedBy | null;
}

/**
 * The pairs of entities of `kinds` with the most neighbours of the `via` kinds in common, each
 * shared neighbour counted once per pair. Per shared neighbour, its visible neighbours of `kinds`
 * are collected in id order and paired by index, so a pair is always (lower id, higher id).
 */
export async function cooccurrence(
  ex: Executor,
  args: { kinds: EntityKind[]; via: EntityKind[]; first: number; filter?: GraphFilter | null },
  clearance: Tlp, budget = new Budget(ex.budgetMs()),
): Promise<CooccurrenceRecord> {
  const f = aggregateFilter(clearance, args.filter);
  const { rows, partial } = await budgetedRead<{ a: Node; b: Node; n: number }>(ex, budget,
    `MATCH (z:${labels(args.via)}) WHERE ${nodeWhere('z')}
     CALL (z) {
       MATCH (z)-[r]-(m:${labels(args.kinds)}) WHERE m <> z AND ${linkWhere('r')} AND ${nodeWhere('m')}
       WITH DISTINCT m ORDER BY m.id
       RETURN collect(m) AS members
     }
     WITH members WHERE size(members) > 1
     UNWIND range(0, size(members) - 2) AS i
     UNWIND range(i + 1, size(members) - 1) AS j
     WITH members[i] AS a, members[j] AS b
     WITH a, b, count(*) AS n
     RETURN a, b, n ORDER BY n DESC, a.id, b.id LIMIT $limit`,
    { limit: args.first + 1, f },
  );
  // Rows come sorted, most shared first: those read before the budget ran out are the top pairs.
  const got = rows ?? partial;
  const cut = got.length > args.first;
  return {
    pairs: got.slice(0, args.first).map((r) => ({ a: toEntity(r.a), b: toEntity(r.b), count: r.n })),
    truncated: cut || rows === null,
    truncatedBy: rows === null ? 'TIME_BUDGET' : cut ? 'ROW_CAP' : null,
  };
}

/** One step of neighbourCounts: link types (any when empty), the kinds reached, the direction seen from the step's start. */
export interface Hop { types?: LinkType[] | null; kinds?: EntityKind[] | null; direction?: 'OUT' | 'IN' | 'BOTH' | null }
export interface NeighbourCountRecord { entity: EntityRecord; count: number }
export interface NeighbourCountsRecord {
  items: NeighbourCountRecord[];
  total: number;
  truncated: boolean;
  /** False when the budget ran out before counting ended: then items is empty and total 0. */
  totalExact: boolean;
  truncatedBy: TruncatedBy | null;
}

/**
 * From the seeds, follow `hops` in turn; count, for each entity the last hop reaches, how many
 * distinct entities of the step before reach it (for one hop: how many seeds). With hops
 * [LOCATED_IN ← CAMPAIGN, USES → TECHNIQUE] from a country: each technique with the number of that
 * country's campaigns that use it.
 */
export async function neighbourCounts(
  ex: Executor,
  args: { ids: string[]; hops: Hop[]; first: number; filter?: GraphFilter | null },
  clearance: Tlp, budget = new Budget(ex.budgetMs()),
): Promise<NeighbourCountsRecord> {
  const f = aggregateFilter(clearance, args.filter);
  const params: Record<string, unknown> = { ids: args.ids, first: args.first, f };
  const steps = args.hops.map((h, i) => {
    const [l, r] = h.direction === 'OUT' ? ['-', '->'] : h.direction === 'IN' ? ['<-', '-'] : ['-', '-'];
    const kinds = h.kinds?.length ? `:${labels(h.kinds)}` : ':Entity';
    const prev = `n${i}`;
    const next = `n${i + 1}`;
    const match = `MATCH (${prev})${l}[r${i + 1}${relTypes(h.types)}]${r}(${next}${kinds})
       WHERE ${next} <> ${prev} AND ${linkWhere(`r${i + 1}`)} AND ${nodeWhere(next)}`;
    // Every hop but the last passes on its distinct ends; the last counts the ends of the one before.
    return i < args.hops.length - 1 ? `${match}\n       WITH DISTINCT ${next}` : match;
  });
  const last = `n${args.hops.length}`;
  const before = `n${args.hops.length - 1}`;
  const { rows } = await budgetedRead<{ total: number; top: Array<{ n: Node; c: number }> }>(ex, budget,
    `MATCH (n0:Entity) WHERE n0.id IN $ids AND ${nodeWhere('n0', false)}
     WITH DISTINCT n0
     ${steps.join('\n     ')}
     WITH ${last}, count(DISTINCT ${before}) AS c
     ORDER BY c DESC, ${last}.id
     WITH collect({n: ${last}, c: c}) AS found
     RETURN size(found) AS total, found[0..$first] AS top`,
    params,
  );
  if (rows === null) return { items: [], total: 0, truncated: true, totalExact: false, truncatedBy: 'TIME_BUDGET' };
  const row = rows[0] ?? { total: 0, top: [] };
  const truncated = row.total > row.top.length;
  return {
    items: row.top.map((t) => ({ entity: toEntity(t.n), count: t.c })),
    total: row.total, truncated, totalExact: true, truncatedBy: truncated ? 'ROW_CAP' : null,
  };
}

export type TimeBucket = 'YEAR' | 'MONTH';
export interface CountsRecord {
  entities: number;
  links: number;
  byKind: Array<{ kind: EntityKind; count: number }>;
  byType: Array<{ type: LinkType; count: number }>;
  byBucket: Array<{ bucket: string; count: number }>;
  undated: number;
  /** True when the budget ran out: the part not counted by then (entities, or links) reads 0. */
  truncated: boolean;
  truncatedBy: TruncatedBy | null;
}

/**
 * What a filter keeps, counted: entities by kind (clearance, kinds, revoked), links by type and by
 * the year or month of their firstSeen (the link and both its ends pass). Links without firstSeen
 * are counted in `undated`; byBucket plus undated add up to links.
 */
export async function counts(
  ex: Executor, filter: GraphFilter | null | undefined, bucket: TimeBucket, clearance: Tlp, budget = new Budget(ex.budgetMs()),
): Promise<CountsRecord> {
  // Counting what a filter keeps: NEGATED links count unless the filter leaves them out (its default, as in stats).
  const f = filterParams(clearance, filter);
  const width = bucket === 'YEAR' ? 4 : 7;
  // Side by side, each within the budget: a graph too big to count its links still gets its entities counted.
  const [kindRead, linkRead] = await Promise.all([
    budgetedRead<{ kind: EntityKind; count: number }>(ex, budget,
      `MATCH (n:Entity) WHERE ${nodeWhere('n')} RETURN n.kind AS kind, count(*) AS count ORDER BY kind`, { f }),
    budgetedRead<{ type: LinkType; bucket: string | null; count: number }>(ex, budget,
      `MATCH (a:Entity)-[r]->(b:Entity) WHERE ${linkWhere('r')} AND ${nodeWhere('a')} AND ${nodeWhere('b')}
       RETURN type(r) AS type, substring(r.firstSeen, 0, $width) AS bucket, count(*) AS count`, { f, width }),
  ]);
  const kinds = kindRead.rows ?? [];
  const links = linkRead.rows ?? [];
  const truncated = kindRead.rows === null || linkRead.rows === null;
  const byType = new Map<LinkType, number>();
  const byBucket = new Map<string, number>();
  let undated = 0;
  for (const l of links) {
    byType.set(l.type, (byType.get(l.type) ?? 0) + l.count);
    if (l.bucket) byBucket.set(l.bucket, (byBucket.get(l.bucket) ?? 0) + l.count);
    else undated += l.count;
  }
  return {
    entities: kinds.reduce((s, k) => s + k.count, 0),
    links: links.reduce((s, l) => s + l.count, 0),
    byKind: kinds,
    byType: [...byType].sort(([a], [b]) => a.localeCompare(b)).map(([type, count]) => ({ type, count })),
    byBucket: [...byBucket].sort(([a], [b]) => a.localeCompare(b)).map(([b, count]) => ({ bucket: b, count })),
    undated,
    truncated,
    truncatedBy: truncated ? 'TIME_BUDGET' : null,
  };
}
