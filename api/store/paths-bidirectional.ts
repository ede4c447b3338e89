// Chains between two entities by a degree-aware bidirectional search the API drives: each step
// reads the links of one side's frontier (one read), the side whose frontier holds fewer links
// first. Hubs (more than `hubDegree` links) are reached and crossed — a chain may meet in one —
// but not expanded, so one hub never costs its tens of thousands of links; they are listed in
// `hubsSkipped` and the answer says EXPANSION_BUDGET. After each step every chain of up to
// dA + dB links is among the links read (each link of such a chain has an end that one side
// expanded), so they are enumerated here, shortest first, as Neo4j's SHORTEST k would give them.
// Measured against SHORTEST at M in docs/performance.md ("Speed at L — first pass at M").
import type { Node, Relationship } from 'neo4j-driver';
import type { Tlp } from '../../model/model.js';
import { Budget, withinBudget } from './budget.js';
import type { Executor } from './executor.js';
import { filterParams, linkWhere, nodeWhere } from './filter.js';
import { toEntity, toLink, type EntityRecord, type LinkRecord } from './records.js';

/**
 * Past the seeds, entities with more links than this are crossed but not expanded. Not neighborhood's
 * 500: at M that left out chains SHORTEST finds for 8 of 27 pairs ≤ 3 hops apart (docs/performance.md),
 * while expanding every hub there read at most 5,414 relationships.
 */
export const DEFAULT_PATH_HUB_DEGREE = 20_000;
/**
 * Once a chain is found, the most relationships the search reads to complete its list with longer
 * chains, unless the caller asks for more (readBudget, up to MAX_PATH_READ_BUDGET): at L a
 * relationship read costs 10–20 µs (its marking, confidence, assertion and far end checked), and
 * that completion read up to 50,000 for pairs whose shortest chains were found after a few
 * thousand (docs/performance.md, "Speed at L"). The shortest chains are always complete.
 */
export const DEFAULT_PATH_READ_BUDGET = 20_000;
export const MAX_PATH_READ_BUDGET = 2_000_000;
/** Reads allowed while no chain has been found yet (or readBudget, when higher). */
const FIRST_CHAIN_READS = 200_000;
/** The least time the final read of the chains' entities and links gets. */
const MATERIALISE_MIN_MS = 3_000;
/** Ids per expansion read. */
const CHUNK = 5_000;
/** The most partial chains the enumeration visits per hop count: a bound on the API's own CPU. */
const MAX_ENUMERATION_STEPS = 200_000;

export interface BidirectionalArgs {
  from: string; to: string; toKind?: string | null; maxHops: number; limit: number;
  filter?: Parameters<typeof filterParams>[1]; hubDegree?: number | null; readBudget?: number | null;
}

export interface ChainRecord { nodes: EntityRecord[]; edges: LinkRecord[]; hops: number; confidence: number }

export interface BidirectionalResult {
  /** Every chain found with the fewest links, up to limit + 1 (so a cut list can say so), shortest first. */
  chains: ChainRecord[];
  /** Chains up to this many links were searched (among the links read). */
  searchedHops: number;
  outOfTime: boolean;
  /** Hubs reached but not expanded: chains through two of them in a row, or leaving one towards an unread part, may be missing. */
  hubsSkipped: string[];
  /** The expansion read budget ran out before maxHops, or listing the chains read stopped at its step cap. */
  outOfReads: boolean;
  relationshipsRead: number;
}

interface Edge { rid: string; other: string; confidence: number }

/** Chain confidence: the product of link confidences read as probabilities, back on 0–100. */
const confidenceOf = (cs: number[]) => Math.round(cs.reduce((p, c) => p * (c / 100), 1) * 10000) / 100;

export async function bidirectionalChains(ex: Executor, args: BidirectionalArgs, clearance: Tlp, budget: Budget): Promise<BidirectionalResult> {
  const f = filterParams(clearance, { ...args.filter, includeNegated: args.filter?.includeNegated ?? false });
  const hubDegree = args.hubDegree ?? DEFAULT_PATH_HUB_DEGREE;
  const readBudget = args.readBudget ?? DEFAULT_PATH_READ_BUDGET;
  const result = (chains: ChainRecord[], searchedHops: number, outOfTime = false, outOfReads = false): BidirectionalResult => ({
    chains, searchedHops, outOfTime, outOfReads: outOfReads || enumerationCut.value, hubsSkipped: [...skipped].sort(), relationshipsRead: reads,
  });
  const skipped = new Set<string>();
  let reads = 0;
  // Set when listing the chains hit MAX_ENUMERATION_STEPS: some chains among the links read were not looked at.
  const enumerationCut = { value: false };

  // The ends as SHORTEST binds them: `from` visible, `to` visible, of toKind and passing the filter.
  const ends = await withinBudget(() => ex.read<{ id: string; degree: number }>(
    `MATCH (a:Entity {id: $from}) WHERE ${nodeWhere('a', false)}
     MATCH (b:Entity {id: $to}) WHERE b <> a AND ${nodeWhere('b')} AND ($toKind IS NULL OR b.kind = $toKind)
     UNWIND [a, b] AS n RETURN n.id AS id, COUNT { (n)--() } AS degree`,
    { from: args.from, to: args.to, toKind: args.toKind ?? null, f }, { timeoutMs: budget.readTimeout() }));
  if (ends === null) return result([], 0, true);
  if (ends.length < 2) return result([], args.maxHops);

  const degree = new Map(ends.map((e) => [e.id, Number(e.degree)]));
  const adjacency = new Map<string, Edge[]>();
  const seenRels = new Set<string>();
  const sides = [
    { dist: new Map([[args.from, 0]]), frontier: [args.from], depth: 0 },
    { dist: new Map([[args.to, 0]]), frontier: [args.to], depth: 0 },
  ];
  // A side expands its frontier's seeds and non-hubs; what that costs, in relationships.
  const expandable = (side: typeof sides[number]) =>
    side.frontier.filter((id) => id === args.from || id === args.to || degree.get(id)! <= hubDegree);
  const cost = (side: typeof sides[number]) => expandable(side).reduce((s, id) => s + degree.get(id)!, 0);

  let found: RankedChain[] = [];
  while (sides[0].depth + sides[1].depth < args.maxHops) {
    const open = sides.filter((s) => expandable(s).length > 0);
    if (!open.length) break;
    // Both seeds first, so that a chain through one hub between them meets in it; then the cheaper side.
    const unstarted = open.filter((s) => s.depth === 0);
    const side = (unstarted.length ? unstarted : open).reduce((best, s) => (cost(s) < cost(best) ? s : best));
    const ids = expandable(side);
    for (const id of side.frontier) if (!ids.includes(id)) skipped.add(id);
    // Until a chain is found the search may read up to FIRST_CHAIN_READS; completing the list past it, readBudget.
    if (reads + cost(side) > (found.length ? readBudget : Math.max(readBudget, FIRST_CHAIN_READS))) return result(await materialise(ex, found, args.limit + 1, budget), sides[0].depth + sides[1].depth, false, true);
    const next: string[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await withinBudget(() => ex.read<{ x: string; y: string; rid: string; c: number; degree: number }>(
        `UNWIND $ids AS xid
         MATCH (x:Entity {id: xid})-[r]-(y:Entity)
         WHERE ${linkWhere('r')} AND (${nodeWhere('y')} OR y.id IN $ends)
         RETURN xid AS x, y.id AS y, elementId(r) AS rid, r.confidence AS c, COUNT { (y)--() } AS degree`,
        { ids: ids.slice(i, i + CHUNK), ends: [args.from, args.to], f }, { timeoutMs: budget.readTimeout() }));
      if (rows === null) return result(await materialise(ex, found, args.limit + 1, budget), sides[0].depth + sides[1].depth, true);
      reads += rows.length;
      for (const row of rows) {
        degree.set(row.y, Number(row.degree));
        if (!seenRels.has(row.rid)) {
          seenRels.add(row.rid);
          const c = Number(row.c);
          pushEdge(adjacency, row.x, { rid: row.rid, other: row.y, confidence: c });
          pushEdge(adjacency, row.y, { rid: row.rid, other: row.x, confidence: c });
        }
        if (!side.dist.has(row.y)) {
          side.dist.set(row.y, side.depth + 1);
          next.push(row.y);
        }
      }
    }
    side.depth++;
    side.frontier = next;
    const hops = sides[0].depth + sides[1].depth;
    const chains = enumerate(adjacency, args.from, args.to, hops, args.limit * 20 + 1, enumerationCut);
    if (chains.length) {
      found = chains;
      if (chains.length > args.limit) return result(await materialise(ex, found, args.limit + 1, budget), hops);
    }
  }
  // Hubs in the frontiers left were never expanded either.
  for (const s of sides) for (const id of s.frontier) if (id !== args.from && id !== args.to && degree.get(id)! > hubDegree) skipped.add(id);
  const hops = Math.min(args.maxHops, sides[0].depth + sides[1].depth);
  // Both sides ran out of entities to expand: every chain up to maxHops was among the links read.
  return result(await materialise(ex, found, args.limit + 1, budget), sides.every((s) => expandable(s).length === 0) ? args.maxHops : hops);
}

function pushEdge(adjacency: Map<string, Edge[]>, at: string, e: Edge) {
  const list = adjacency.get(at);
  if (list) list.push(e);
  else adjacency.set(at, [e]);
}

interface RawChain { nodes: string[]; edges: Edge[]; confidence: number }
type RankedChain = RawChain & { hops: number };

/**
 * Simple chains from `from` to `to` of at most `maxLen` links over the links read, fewest links
 * first and, among as many links, most confident first; at most `cap` per hop count. Exact
 * distances to `to` over the same links prune the search.
 */
function enumerate(
  adjacency: Map<string, Edge[]>, from: string, to: string, maxLen: number, cap: number, cut: { value: boolean },
): RankedChain[] {
  const toDist = new Map([[to, 0]]);
  let level = [to];
  for (let d = 1; d <= maxLen && level.length; d++) {
    const next: string[] = [];
    for (const id of level) for (const e of adjacency.get(id) ?? []) if (!toDist.has(e.other)) { toDist.set(e.other, d); next.push(e.other); }
    level = next;
  }
  if (!toDist.has(from)) return [];
  const out: RankedChain[] = [];
  for (let len = toDist.get(from)!; len <= maxLen; len++) {
    const atLen: RawChain[] = [];
    let steps = 0;
    const onPath = new Set([from]);
    const nodes = [from];
    const edges: Edge[] = [];
    const walk = (at: string) => {
      if (atLen.length >= cap || steps > MAX_ENUMERATION_STEPS) return;
      if (edges.length === len) {
        if (at === to) atLen.push({ nodes: [...nodes], edges: [...edges], confidence: confidenceOf(edges.map((e) => e.confidence)) });
        return;
      }
      // Counted per link looked at, not per call: a hub met from the other side holds thousands.
      for (const e of adjacency.get(at) ?? []) {
        if (++steps > MAX_ENUMERATION_STEPS) { cut.value = true; return; }
        const left = len - edges.length - 1;
        if (onPath.has(e.other) || (toDist.get(e.other) ?? Infinity) > left || (e.other === to && left > 0)) continue;
        onPath.add(e.other); nodes.push(e.other); edges.push(e);
        walk(e.other);
        onPath.delete(e.other); nodes.pop(); edges.pop();
      }
    };
    walk(from);
    atLen.sort((a, b) => b.confidence - a.confidence);
    out.push(...atLen.map((c) => ({ ...c, hops: len })));
    if (out.length >= cap) break;
  }
  return out;
}

/** The first `take` chains with their entities and links read in one statement. */
async function materialise(ex: Executor, chains: RankedChain[], take: number, budget: Budget): Promise<ChainRecord[]> {
  const raw = chains.slice(0, take);
  if (!raw.length) return [];
  const rids = [...new Set(raw.flatMap((c) => c.edges.map((e) => e.rid)))];
  const ids = [...new Set(raw.flatMap((c) => c.nodes))];
  const rows = await ex.read<{ nodes: Node[]; rels: Array<{ r: Relationship; from: string; to: string }> }>(
    `CALL () { MATCH (n:Entity) WHERE n.id IN $ids RETURN collect(n) AS nodes }
     CALL () { MATCH ()-[r]->() WHERE elementId(r) IN $rids RETURN collect({r: r, from: startNode(r).id, to: endNode(r).id}) AS rels }
     RETURN nodes, rels`, { ids, rids },
    // A few ids and element ids: given a few seconds even when the search spent the budget, so that
    // what was found is answered (as TIME_BUDGET) rather than lost.
    { timeoutMs: Math.max(budget.readTimeout(), MATERIALISE_MIN_MS) });
  const entity = new Map(rows[0].nodes.map((n) => [n.properties.id as string, toEntity(n)]));
  const link = new Map(rows[0].rels.map((x) => [x.r.elementId, toLink(x.r, x.from, x.to)]));
  return raw.map((c) => ({
    nodes: c.nodes.map((id) => entity.get(id)!), edges: c.edges.map((e) => link.get(e.rid)!), hops: c.hops, confidence: c.confidence,
  }));
}
