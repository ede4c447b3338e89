// Coordinated-behaviour analysis over a co-action projection (coaction.ts) with OpenGDS (gds.ts):
// clusters (WCC, Louvain, Leiden), centrality (PageRank, betweenness), the entities acting most
// like one (node similarity: Jaccard over shared neighbours) and a tie's evidence. Results are
// cached by what they depend on: the arguments, the caller's clearance and the graph's version.
import type { Node, Relationship } from 'neo4j-driver';
import { NotFound } from '../../core/errors.js';
import type { Tlp } from '../../model/model.js';
import {
  bipartiteQuery, coactionFilter, projectionKey, projectionQuery, sharedCypher, tieCypher, type CoactionProjection,
} from './coaction.js';
import type { Executor } from './executor.js';
import type { GraphFilter } from './filter.js';
import { withProjectedGraph, type GdsRun } from './gds.js';
import { toEntity, toLink, type EntityRecord, type LinkRecord } from './records.js';

export type ClusterMethod = 'WCC' | 'LOUVAIN' | 'LEIDEN';
export type CentralityMethod = 'PAGERANK' | 'BETWEENNESS';

export interface SharedRecord { entity: EntityRecord; count: number }
export interface ClusterRecord {
  key: string;
  members: string[];
  size: number;
  /** Ties among the members over the most there could be, n(n-1)/2. */
  density: number;
  ties: number;
  /** Mean confidence of the ties among the members, weighted by tie weight (0–100). */
  confidence: number;
  shared: SharedRecord[];
}
export interface ClustersRecord { clusters: ClusterRecord[]; total: number; nodes: number; ties: number; cached: boolean }

/**
 * A store-wide change marker: the number of nodes and of relationships, both read from Neo4j's
 * count store (constant time). Every API write appends audit records in its transaction, so any
 * write moves it; so does a bulk load or a delete.
 */
export async function graphVersion(ex: Executor): Promise<string> {
  const [row] = await ex.read<{ n: number; r: number }>(
    'CALL () { MATCH (n) RETURN count(n) AS n } CALL () { MATCH ()-[r]->() RETURN count(r) AS r } RETURN n, r');
  return `${row.n}:${row.r}`;
}

/** A small LRU of results: bounded, so a stream of different queries cannot grow it. */
class ResultCache {
  private readonly entries = new Map<string, unknown>();
  constructor(private readonly max: number) {}
  get<T>(key: string): T | undefined {
    const v = this.entries.get(key) as T | undefined;
    if (v !== undefined) { this.entries.delete(key); this.entries.set(key, v); }
    return v;
  }
  set(key: string, value: unknown): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
  clear(): void { this.entries.clear(); }
}
const cache = new ResultCache(64);
export const clearAnalysisCache = (): void => cache.clear();

async function cached<T extends object>(ex: Executor, parts: unknown[], compute: () => Promise<T>): Promise<T & { cached: boolean }> {
  const key = JSON.stringify([ex.settings.uri, ex.settings.database, await graphVersion(ex), ...parts]);
  const hit = cache.get<T>(key);
  if (hit) return { ...hit, cached: true };
  const value = await compute();
  cache.set(key, value);
  return { ...value, cached: false };
}

interface Tie { a: number; b: number; w: number; c: number }

/** The projection's ties, once each (the undirected graph streams both directions). */
async function streamTies(run: GdsRun): Promise<Tie[]> {
  const rows = await run<{ s: number; t: number; w: number; c: number }>(
    `CALL gds.graph.relationshipProperties.stream($graph, ['weight', 'confidence'])
     YIELD sourceNodeId AS s, targetNodeId AS t, relationshipProperty AS k, propertyValue AS v
     WITH s, t, k, v WHERE s < t
     WITH s, t, collect([k, v]) AS kv
     RETURN s, t, [x IN kv WHERE x[0] = 'weight'][0][1] AS w, [x IN kv WHERE x[0] = 'confidence'][0][1] AS c`);
  return rows.map((r) => ({ a: r.s, b: r.t, w: r.w, c: r.c }));
}

const ALGORITHM: Record<ClusterMethod, string> = {
  WCC: `CALL gds.wcc.stream($graph) YIELD nodeId, componentId AS community`,
  LOUVAIN: `CALL gds.louvain.stream($graph, {relationshipWeightProperty: 'weight'}) YIELD nodeId, communityId AS community`,
  LEIDEN: `CALL gds.leiden.stream($graph, {relationshipWeightProperty: 'weight', randomSeed: 19}) YIELD nodeId, communityId AS community`,
};

/**
 * The clusters of a projection by `method`, largest first (ties by their first member's id), those
 * of at least `minSize` members; `first` of them with their top shared neighbours. Confidence:
 * each tie has the confidence of its best-evidenced shared neighbour (the lower of the two links'
 * confidences through it, the highest such over the neighbours); a cluster's is the mean of its
 * internal ties' confidences weighted by tie weight.
 */
export async function clusters(
  ex: Executor,
  args: { projection: CoactionProjection; method: ClusterMethod; minSize: number; first: number; topShared: number; filter?: GraphFilter | null },
  clearance: Tlp,
): Promise<ClustersRecord> {
  const f = coactionFilter(clearance, args.filter);
  return cached(ex, ['clusters', projectionKey(args.projection), args.method, args.minSize, args.first, args.topShared, f], async () => {
    const empty = { clusters: [], total: 0, nodes: 0, ties: 0 };
    const found = await withProjectedGraph(ex, projectionQuery(args.projection, f), async (_graph, run, nodes) => {
      const rows = await run<{ nodeId: number; id: string; community: number }>(
        `${ALGORITHM[args.method]} RETURN nodeId, gds.util.asNode(nodeId).id AS id, community`);
      const ties = await streamTies(run);
      return { rows, ties, nodes };
    }, () => null);
    if (!found) return empty;
    const communityOf = new Map(found.rows.map((r) => [r.nodeId, r.community]));
    const groups = new Map<number, string[]>();
    for (const r of found.rows) groups.set(r.community, [...(groups.get(r.community) ?? []), r.id]);
    const stats = new Map<number, { ties: number; w: number; wc: number }>();
    for (const t of found.ties) {
      const c = communityOf.get(t.a);
      if (c === undefined || c !== communityOf.get(t.b)) continue;
      const s = stats.get(c) ?? { ties: 0, w: 0, wc: 0 };
      s.ties++; s.w += t.w; s.wc += t.w * t.c;
      stats.set(c, s);
    }
    const all = [...groups].map(([c, ids]) => ({ c, ids: ids.sort() }))
      .filter((g) => g.ids.length >= args.minSize)
      .sort((x, y) => y.ids.length - x.ids.length || x.ids[0].localeCompare(y.ids[0]));
    const shown = all.slice(0, args.first);
    const sharedRows = args.topShared === 0 || !shown.length ? [] : await ex.read<{ key: number; z: Node; k: number }>(sharedCypher(args.projection),
      { groups: shown.map((g) => ({ key: g.c, ids: g.ids })), top: args.topShared, p: args.projection, f });
    const sharedOf = new Map<number, SharedRecord[]>();
    for (const r of sharedRows) sharedOf.set(r.key, [...(sharedOf.get(r.key) ?? []), { entity: toEntity(r.z), count: r.k }]);
    const out: ClusterRecord[] = shown.map((g) => {
      const s = stats.get(g.c) ?? { ties: 0, w: 0, wc: 0 };
      const n = g.ids.length;
      return {
        key: g.ids[0], members: g.ids, size: n, ties: s.ties,
        density: n > 1 ? (2 * s.ties) / (n * (n - 1)) : 0,
        confidence: s.w > 0 ? Math.round(s.wc / s.w) : 0,
        shared: (sharedOf.get(g.c) ?? []).sort((x, y) => y.count - x.count || x.entity.id.localeCompare(y.entity.id)),
      };
    });
    return { clusters: out, total: all.length, nodes: found.nodes, ties: found.ties.length };
  });
}

export type RankedRecord = { id: string; score: number };

/** The `first` members with the highest PageRank (weighted by tie weight) or betweenness in the projection. */
export async function centrality(
  ex: Executor,
  args: { projection: CoactionProjection; method: CentralityMethod; first: number; filter?: GraphFilter | null },
  clearance: Tlp,
): Promise<{ items: RankedRecord[]; cached: boolean }> {
  const f = coactionFilter(clearance, args.filter);
  return cached(ex, ['centrality', projectionKey(args.projection), args.method, args.first, f], async () => ({
    items: await withProjectedGraph(ex, projectionQuery(args.projection, f), async (_graph, run, nodes) => {
      // Exact betweenness costs nodes × ties; past 5,000 nodes it is estimated from 1,000 sources.
      const call = args.method === 'PAGERANK'
        ? `CALL gds.pageRank.stream($graph, {relationshipWeightProperty: 'weight'}) YIELD nodeId, score`
        : `CALL gds.betweenness.stream($graph, ${nodes > 5_000 ? '{samplingSize: 1000, samplingSeed: 19}' : '{}'}) YIELD nodeId, score`;
      return run<RankedRecord>(`${call}
        WITH gds.util.asNode(nodeId).id AS id, score ORDER BY score DESC, id LIMIT $first
        RETURN id, score`, { first: args.first });
    }, () => []),
  }));
}

export interface SimilarRecord { id: string; similarity: number; shared: EntityRecord[] }

/**
 * The members acting most like `id`: node similarity (Jaccard over the sets of `via` neighbours)
 * on the bipartite graph of the members sharing a neighbour with it; each with what they share.
 */
export async function similar(
  ex: Executor,
  args: { id: string; projection: CoactionProjection; first: number; filter?: GraphFilter | null },
  clearance: Tlp,
): Promise<{ items: SimilarRecord[]; cached: boolean }> {
  const f = coactionFilter(clearance, args.filter);
  const found = await ex.read('MATCH (n:Entity {id: $id}) WHERE n.tlp IN $f.tlps RETURN n.id AS id', { id: args.id, f });
  if (!found.length) throw new NotFound('entity', args.id);
  return cached(ex, ['similar', args.id, projectionKey(args.projection), args.first, f], async () => {
    const ranked = await withProjectedGraph(ex, bipartiteQuery(args.projection, f, args.id), (_graph, run) =>
      run<{ id: string; similarity: number }>(
        `CALL gds.nodeSimilarity.stream($graph, {topK: $first, similarityCutoff: 0.000001})
         YIELD node1, node2, similarity
         WITH gds.util.asNode(node1) AS a, gds.util.asNode(node2) AS b, similarity WHERE a.id = $id
         RETURN b.id AS id, similarity ORDER BY similarity DESC, id`, { id: args.id, first: args.first }), () => []);
    const items: SimilarRecord[] = [];
    for (const r of ranked) {
      const rows = await ex.read<{ z: Node }>(tieCypher({ ...args.projection, windowDays: null }), { a: args.id, b: r.id, p: args.projection, f });
      items.push({ id: r.id, similarity: r.similarity, shared: rows.map((x) => toEntity(x.z)) });
    }
    return { items };
  });
}

export interface TieRecord {
  a: string;
  b: string;
  weight: number;
  confidence: number;
  shared: Array<{ entity: EntityRecord; links: LinkRecord[] }>;
}

/** What ties a and b in a projection: each shared neighbour with the links from both to it (their citations are the evidence). */
export async function tie(ex: Executor, args: { a: string; b: string; projection: CoactionProjection; filter?: GraphFilter | null }, clearance: Tlp): Promise<TieRecord> {
  const f = coactionFilter(clearance, args.filter);
  const visible = new Set((await ex.read<{ id: string }>('MATCH (n:Entity) WHERE n.id IN [$a, $b] AND n.tlp IN $f.tlps RETURN n.id AS id',
    { a: args.a, b: args.b, f })).map((r) => r.id));
  for (const id of [args.a, args.b]) if (!visible.has(id)) throw new NotFound('entity', id);
  const rows = await ex.read<{ z: Node; rels: Array<{ r: Relationship; from: string; to: string }> }>(
    tieCypher(args.projection), { a: args.a, b: args.b, p: args.projection, f });
  const out = rows.map((row) => ({ entity: toEntity(row.z), links: row.rels.map((x) => toLink(x.r, x.from, x.to)) }));
  const best = out.map((s) => {
    const fromA = s.links.filter((l) => l.from === args.a || l.to === args.a).map((l) => l.confidence);
    const fromB = s.links.filter((l) => l.from === args.b || l.to === args.b).map((l) => l.confidence);
    return Math.min(Math.max(0, ...fromA), Math.max(0, ...fromB));
  });
  return { a: args.a, b: args.b, weight: out.length, confidence: Math.max(0, ...best), shared: out };
}
