// Aggregates answered in one Cypher statement each: co-occurrence of entities through shared
// neighbours, neighbour counts along a chain of hops, and counts by kind, link type and time
// bucket. Every statement applies the caller's clearance and the filter to each link and entity
// it reads, so what the caller may not see is never counted. Labels and relationship types reach
// the Cypher text only after passing the model's lists (labelOf, relTypeOf); values are parameters.
import type { Node } from 'neo4j-driver';
import { labelOf, relTypeOf, type EntityKind, type LinkType, type Tlp } from '../../model/model.js';
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
export interface CooccurrenceRecord { pairs: PairCount[]; truncated: boolean }

/**
 * The pairs of entities of `kinds` with the most neighbours of the `via` kinds in common, each
 * shared neighbour counted once per pair. Per shared neighbour, its visible neighbours of `kinds`
 * are collected in id order and paired by index, so a pair is always (lower id, higher id).
 */
export async function cooccurrence(
  ex: Executor,
  args: { kinds: EntityKind[]; via: EntityKind[]; first: number; filter?: GraphFilter | null },
  clearance: Tlp,
): Promise<CooccurrenceRecord> {
  const f = aggregateFilter(clearance, args.filter);
  const rows = await ex.read<{ a: Node; b: Node; n: number }>(
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
  return {
    pairs: rows.slice(0, args.first).map((r) => ({ a: toEntity(r.a), b: toEntity(r.b), count: r.n })),
    truncated: rows.length > args.first,
  };
}

/** One step of neighbourCounts: link types (any when empty), the kinds reached, the direction seen from the step's start. */
export interface Hop { types?: LinkType[] | null; kinds?: EntityKind[] | null; direction?: 'OUT' | 'IN' | 'BOTH' | null }
export interface NeighbourCountRecord { entity: EntityRecord; count: number }
export interface NeighbourCountsRecord { items: NeighbourCountRecord[]; total: number; truncated: boolean }

/**
 * From the seeds, follow `hops` in turn; count, for each entity the last hop reaches, how many
 * distinct entities of the step before reach it (for one hop: how many seeds). With hops
 * [LOCATED_IN ← CAMPAIGN, USES → TECHNIQUE] from a country: each technique with the number of that
 * country's campaigns that use it.
 */
export async function neighbourCounts(
  ex: Executor,
  args: { ids: string[]; hops: Hop[]; first: number; filter?: GraphFilter | null },
  clearance: Tlp,
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
  const rows = await ex.read<{ total: number; top: Array<{ n: Node; c: number }> }>(
    `MATCH (n0:Entity) WHERE n0.id IN $ids AND ${nodeWhere('n0', false)}
     WITH DISTINCT n0
     ${steps.join('\n     ')}
     WITH ${last}, count(DISTINCT ${before}) AS c
     ORDER BY c DESC, ${last}.id
     WITH collect({n: ${last}, c: c}) AS found
     RETURN size(found) AS total, found[0..$first] AS top`,
    params,
  );
  const row = rows[0] ?? { total: 0, top: [] };
  return {
    items: row.top.map((t) => ({ entity: toEntity(t.n), count: t.c })),
    total: row.total,
    truncated: row.total > row.top.length,
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
}

/**
 * What a filter keeps, counted: entities by kind (clearance, kinds, revoked), links by type and by
 * the year or month of their firstSeen (the link and both its ends pass). Links without firstSeen
 * are counted in `undated`; byBucket plus undated add up to links.
 */
export async function counts(ex: Executor, filter: GraphFilter | null | undefined, bucket: TimeBucket, clearance: Tlp): Promise<CountsRecord> {
  // Counting what a filter keeps: NEGATED links count unless the filter leaves them out (its default, as in stats).
  const f = filterParams(clearance, filter);
  const kinds = await ex.read<{ kind: EntityKind; count: number }>(
    `MATCH (n:Entity) WHERE ${nodeWhere('n')} RETURN n.kind AS kind, count(*) AS count ORDER BY kind`, { f });
  const width = bucket === 'YEAR' ? 4 : 7;
  const links = await ex.read<{ type: LinkType; bucket: string | null; count: number }>(
    `MATCH (a:Entity)-[r]->(b:Entity) WHERE ${linkWhere('r')} AND ${nodeWhere('a')} AND ${nodeWhere('b')}
     RETURN type(r) AS type, substring(r.firstSeen, 0, $width) AS bucket, count(*) AS count`, { f, width });
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
  };
}
