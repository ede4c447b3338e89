// Chains between two entities by a degree-aware bidirectional search the API drives: each step
// reads the links of one side's frontier (one read), the side whose frontier holds fewer links
// first. Hubs (more than `hubDegree` links) are reached and crossed — a chain may meet in one —
// but not expanded, so one hub never costs its tens of thousands of links; they are listed in
// `hubsSkipped` and the answer says EXPANSION_BUDGET. After each step every chain of up to
// dA + dB links is among the links read (each link of such a chain has an end that one side
// expanded), so they are enumerated here, shortest first, as Neo4j's SHORTEST k would give them.
// A step's links that can complete a chain lead into what the other side reached, so the last step
// reads only those and an expensive earlier one reads them first (often the list is then complete);
// a side that has read its whole component ends the search.
// Measured against SHORTEST at M in docs/performance.md ("Speed at L — first pass at M").
import type { Node, Relationship } from 'neo4j-driver';
import type { Tlp } from '../../model/model.js';
import { Budget, withinBudget } from './budget.js';
import type { Executor } from './executor.js';
import { filterParams, linkWhere, nodeWhere, type FilterParams } from './filter.js';
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
/** An earlier step costing more than this many relationships first reads only its links into the other side. */
const MEET_FIRST_COST = 2_000;
/** The most partial chains the enumeration visits per hop count: a bound on the API's own CPU. */
const MAX_ENUMERATION_STEPS = 200_000;

export interface BidirectionalArgs {
  from: string; to: string; toKind?: string | null; maxHops: number; limit: number;
  filter?: Parameters<typeof filterParams>[1]; hubDegree?: number | null; readBudget?: number | null;
  /** An earlier step costing more than this first reads only its links into the other side (default MEET_FIRST_COST). */
  meetFirstCost?: number;
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
  const ends = await withinBudget(() => ex.read<{ id: string; eid: string; degree: number }>(
    `MATCH (a:Entity {id: $from}) WHERE ${nodeWhere('a', false)}
     MATCH (b:Entity {id: $to}) WHERE b <> a AND ${nodeWhere('b')} AND ($toKind IS NULL OR b.kind = $toKind)
     UNWIND [a, b] AS n RETURN n.id AS id, elementId(n) AS eid, COUNT { (n)--() } AS degree`,
    { from: args.from, to: args.to, toKind: args.toKind ?? null, f }, { timeoutMs: budget.readTimeout() }));
  if (ends === null) return result([], 0, true);
  if (ends.length < 2) return result([], args.maxHops);

  const degree = new Map(ends.map((e) => [e.id, Number(e.degree)]));
  // Element ids of the entities reached, so that the last step can test a far end without reading it.
  const elementIdOf = new Map(ends.map((e) => [e.id, e.eid]));
  const adjacency = new Map<string, Edge[]>();
  const seenRels = new Set<string>();
  const sides = [
    { dist: new Map([[args.from, 0]]), frontier: [args.from], depth: 0, skippedHub: false },
    { dist: new Map([[args.to, 0]]), frontier: [args.to], depth: 0, skippedHub: false },
  ];
  const addLinks = (rows: LinkRow[]) => {
    for (const row of rows) {
      if (row.degree !== null) degree.set(row.y, Number(row.degree));
      elementIdOf.set(row.y, row.ey);
      if (seenRels.has(row.rid)) continue;
      seenRels.add(row.rid);
      const c = Number(row.c);
      pushEdge(adjacency, row.x, { rid: row.rid, other: row.y, confidence: c });
      pushEdge(adjacency, row.y, { rid: row.rid, other: row.x, confidence: c });
    }
  };
  // Up to limit + 1 chains found with their entities and links read (so a cut list can say so).
  const answer = async (chains: RankedChain[], searchedHops: number, outOfTime = false, outOfReads = false) =>
    result(await materialise(ex, chains, args.limit + 1, budget), searchedHops, outOfTime, outOfReads);
  /** The chains of up to `hops` links among the links read. */
  const chainsUpTo = (hops: number) => enumerate(adjacency, args.from, args.to, hops, args.limit * 20 + 1, enumerationCut);
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
    for (const id of side.frontier) if (!ids.includes(id)) { skipped.add(id); side.skippedHub = true; }
    // Until a chain is found the search may read up to FIRST_CHAIN_READS; completing the list past it, readBudget.
    if (reads + cost(side) > (found.length ? readBudget : Math.max(readBudget, FIRST_CHAIN_READS))) return answer(found, sides[0].depth + sides[1].depth, false, true);
    const other = sides[0] === side ? sides[1] : sides[0];
    // Every entity of a chain of dA + dB + 1 links lies within dA of one end or dB of the other, so
    // the links of this step that can complete one lead into what the other side reached. The last
    // step reads only those; an expensive earlier one reads them first, and stops there when they
    // complete the list (or only the shortest chains fit in readBudget). Links towards entities
    // neither side reached are then passed over in Neo4j, never sent.
    const hops = side.depth + other.depth + 1;
    const meet = () => Object.fromEntries([...other.dist.keys()].map((id) => [elementIdOf.get(id)!, true as const]));
    const last = hops === args.maxHops;
    if (!last && cost(side) > (args.meetFirstCost ?? MEET_FIRST_COST)) {
      const rows = await readLinks(ex, ids, meet(), args, f, budget);
      if (rows === null) return answer(found, hops - 1, true);
      reads += rows.length;
      addLinks(rows);
      const chains = chainsUpTo(hops);
      if (chains.length > args.limit) return answer(chains, hops);
      if (chains.length && reads + cost(side) > readBudget) return answer(chains, hops, false, true);
    }
    const rows = await readLinks(ex, ids, last ? meet() : null, args, f, budget);
    if (rows === null) return answer(found, hops - 1, true);
    reads += rows.length;
    addLinks(rows);
    const next: string[] = [];
    for (const row of rows) {
      if (!side.dist.has(row.y)) {
        side.dist.set(row.y, side.depth + 1);
        next.push(row.y);
      }
    }
    side.depth++;
    side.frontier = next;
    // A side with nothing left to expand and no hub passed over has read its whole component: the
    // chains up to maxHops are all among the links read (none, when the other end is not in it).
    if (!last && !next.length && !side.skippedHub) {
      const chains = side.dist.has(other === sides[0] ? args.from : args.to)
        ? chainsUpTo(args.maxHops) : [];
      return answer(chains, args.maxHops);
    }
    const chains = chainsUpTo(hops);
    if (chains.length) {
      found = chains;
      if (chains.length > args.limit) return answer(found, hops);
    }
  }
  // Hubs in the frontiers left were never expanded either.
  for (const s of sides) for (const id of s.frontier) if (id !== args.from && id !== args.to && degree.get(id)! > hubDegree) skipped.add(id);
  const hops = Math.min(args.maxHops, sides[0].depth + sides[1].depth);
  // Both sides ran out of entities to expand: every chain up to maxHops was among the links read.
  return answer(found, sides.every((s) => expandable(s).length === 0) ? args.maxHops : hops);
}

interface LinkRow { x: string; y: string; ey: string; rid: string; c: number; degree: number | null }

/**
 * The links of the entities `ids` that pass the filter, with their far ends; with `meet`, only those
 * whose far end's element id is a key of it (tested before any property is read). Null when the
 * budget ran out.
 */
async function readLinks(
  ex: Executor, ids: string[], meet: Record<string, true> | null, args: BidirectionalArgs, f: FilterParams, budget: Budget,
): Promise<LinkRow[] | null> {
  const out: LinkRow[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await withinBudget(() => ex.read<LinkRow>(
      `UNWIND $ids AS xid
       MATCH (x:Entity {id: xid})-[r]-(y:Entity)
       WHERE ${meet ? '$meet[elementId(y)] IS NOT NULL AND ' : ''}${linkWhere('r')} AND (${nodeWhere('y')} OR y.id IN $ends)
       RETURN xid AS x, y.id AS y, elementId(y) AS ey, elementId(r) AS rid, r.confidence AS c,
              ${meet ? 'null' : 'COUNT { (y)--() }'} AS degree`,
      { ids: ids.slice(i, i + CHUNK), ends: [args.from, args.to], f, meet }, { timeoutMs: budget.readTimeout() }));
    if (rows === null) return null;
    out.push(...rows);
  }
  return out;
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
