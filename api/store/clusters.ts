// Coordinated-behaviour analysis over a co-action projection (coaction.ts) with OpenGDS (gds.ts):
// clusters (WCC, Louvain, Leiden), centrality (PageRank, betweenness), the entities acting most
// like one (node similarity: Jaccard over shared neighbours) and a tie's evidence. Results are
// cached by what they depend on: the arguments, the caller's clearance and the graph's version.
import type { Node, Relationship } from 'neo4j-driver';
import { NotFound } from '../../core/errors.js';
import type { Tlp } from '../../model/model.js';
import { bipartiteQuery, coactionFilter, projectionKey, tieCypher, type CoactionProjection } from './coaction.js';
import { clearCoactionGraphs, coactionGraph, PROJECT_TIES, tieRows, type CoactionGraph } from './coaction-graph.js';
import type { Executor } from './executor.js';
import { nodeWhere, type GraphFilter } from './filter.js';
import { withProjectedGraph, type GdsRun } from './gds.js';
import { toEntity, toLink, type EntityRecord, type LinkRecord } from './records.js';
import { cachedIn, ResultCache } from './result-cache.js';

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
export interface ClustersRecord {
  clusters: ClusterRecord[]; total: number; nodes: number; ties: number;
  /** Neighbours linked to more than the projection's maxShared members, left out as hubs. */
  hubsLeftOut: number;
  cached: boolean;
}

const cache = new ResultCache(64);
export const clearAnalysisCache = (): void => { cache.clear(); clearCoactionGraphs(); };
const cached = <T extends object>(ex: Executor, parts: unknown[], compute: (version: string) => Promise<T>) => cachedIn(cache, ex, parts, compute);

const ALGORITHM: Record<ClusterMethod, string> = {
  WCC: `CALL gds.wcc.stream($graph) YIELD nodeId, componentId AS community`,
  // One thread: on the M co-action graph (4,100 members, 77,640 ties) GDS's parallel Louvain took
  // 15–18 s with 2 or 4 threads and 1.1 s with one, for the same 72 communities (2-core machine).
  LOUVAIN: `CALL gds.louvain.stream($graph, {relationshipWeightProperty: 'weight', concurrency: 1}) YIELD nodeId, communityId AS community`,
  LEIDEN: `CALL gds.leiden.stream($graph, {relationshipWeightProperty: 'weight', randomSeed: 19}) YIELD nodeId, communityId AS community`,
};

/** Runs `work` on the co-action graph projected into GDS (node ids = member indexes); `onEmpty` when it has no ties. */
function withCoactionGraph<R>(ex: Executor, g: CoactionGraph, work: (run: GdsRun, nodes: number) => Promise<R>, onEmpty: () => R): Promise<R> {
  if (!g.ties.a.length) return Promise.resolve(onEmpty());
  return withProjectedGraph(ex, { cypher: PROJECT_TIES, params: { ties: tieRows(g) } }, (_graph, run, nodes) => work(run, nodes), onEmpty);
}

/** The neighbours at least two members of each group share, most-shared first (then by id), at most `top` per group. */
function topShared(g: CoactionGraph, groups: number[][], top: number): Array<Array<{ id: string; count: number }>> {
  const groupOf = new Map<number, number>();
  groups.forEach((members, i) => members.forEach((m) => groupOf.set(m, i)));
  const found: Array<Array<{ id: string; count: number }>> = groups.map(() => []);
  if (top === 0) return found;
  for (const z of g.neighbours) {
    const counts = new Map<number, number>();
    for (const m of z.members) {
      const i = groupOf.get(m);
      if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    for (const [i, count] of counts) if (count >= 2) found[i].push({ id: z.id, count });
  }
  return found.map((xs) => xs.sort((x, y) => y.count - x.count || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)).slice(0, top));
}

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
  return cached(ex, ['clusters', projectionKey(args.projection), args.method, args.minSize, args.first, args.topShared, f], async (version) => {
    const g = await coactionGraph(ex, args.projection, f, version);
    const empty = { clusters: [], total: 0, nodes: 0, ties: 0, hubsLeftOut: g.hubsLeftOut };
    const found = await withCoactionGraph(ex, g, async (run, nodes) => ({
      rows: await run<{ nodeId: number; community: number }>(`${ALGORITHM[args.method]} RETURN nodeId, community`),
      nodes,
    }), () => null);
    if (!found) return empty;
    const communityOf = new Map(found.rows.map((r) => [r.nodeId, r.community]));
    const groups = new Map<number, number[]>();
    for (const r of found.rows) {
      const members = groups.get(r.community);
      if (members) members.push(r.nodeId); else groups.set(r.community, [r.nodeId]);
    }
    const stats = new Map<number, { ties: number; w: number; wc: number }>();
    const { a, b, w, c } = g.ties;
    for (let i = 0; i < a.length; i++) {
      const k = communityOf.get(a[i]);
      if (k === undefined || k !== communityOf.get(b[i])) continue;
      const s = stats.get(k) ?? { ties: 0, w: 0, wc: 0 };
      s.ties++; s.w += w[i]; s.wc += w[i] * c[i];
      stats.set(k, s);
    }
    // Member indexes follow id order, so sorting indexes sorts ids.
    const all = [...groups].map(([k, members]) => ({ k, members: members.sort((x, y) => x - y) }))
      .filter((x) => x.members.length >= args.minSize)
      .sort((x, y) => y.members.length - x.members.length || x.members[0] - y.members[0]);
    const shown = all.slice(0, args.first);
    const sharedIds = topShared(g, shown.map((x) => x.members), args.topShared);
    const wanted = [...new Set(sharedIds.flat().map((s) => s.id))];
    const entities = new Map((wanted.length ? await ex.read<{ z: Node }>(
      `MATCH (z:Entity) WHERE z.id IN $ids AND ${nodeWhere('z')} RETURN z`, { ids: wanted, f }) : [])
      .map((r) => [r.z.properties.id as string, toEntity(r.z)]));
    const out: ClusterRecord[] = shown.map((x, i) => {
      const s = stats.get(x.k) ?? { ties: 0, w: 0, wc: 0 };
      const n = x.members.length;
      return {
        key: g.ids[x.members[0]], members: x.members.map((m) => g.ids[m]), size: n, ties: s.ties,
        density: n > 1 ? (2 * s.ties) / (n * (n - 1)) : 0,
        confidence: s.w > 0 ? Math.round(s.wc / s.w) : 0,
        shared: sharedIds[i].flatMap((z) => { const e = entities.get(z.id); return e ? [{ entity: e, count: z.count }] : []; }),
      };
    });
    return { clusters: out, total: all.length, nodes: found.nodes, ties: a.length, hubsLeftOut: g.hubsLeftOut };
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
  return cached(ex, ['centrality', projectionKey(args.projection), args.method, args.first, f], async (version) => {
    const g = await coactionGraph(ex, args.projection, f, version);
    const scored = await withCoactionGraph(ex, g, (run, nodes) => {
      // Exact betweenness costs nodes × ties; past 5,000 nodes it is estimated from 1,000 sources.
      const call = args.method === 'PAGERANK'
        ? `CALL gds.pageRank.stream($graph, {relationshipWeightProperty: 'weight'}) YIELD nodeId, score`
        : `CALL gds.betweenness.stream($graph, ${nodes > 5_000 ? '{samplingSize: 1000, samplingSeed: 19}' : '{}'}) YIELD nodeId, score`;
      return run<{ nodeId: number; score: number }>(`${call} RETURN nodeId, score`);
    }, () => []);
    const items = scored.map((r) => ({ id: g.ids[r.nodeId], score: r.score }))
      .sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
      .slice(0, args.first);
    return { items };
  });
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
