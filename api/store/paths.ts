// Shortest chains of links, within a time budget. Neo4j's SHORTEST expanding from one end (no
// bound target: `toKind`) does not stop at its transaction timeout: on 30k entities / 150k links it
// ran minutes past it. So no such search is sent: the targets of a kind are found first by a
// breadth-first search the API drives level by level (ordinary reads, which stop at their timeout),
// and the chains are then searched with both ends bound (which stops at its timeout), one hop
// count at a time (iterative deepening), shortest first. When the budget runs out the answer holds
// what the hop counts searched so far found, with truncatedBy TIME_BUDGET and searchedHops.
import type { Node, Path as NeoPath, Relationship } from 'neo4j-driver';
import type { EntityKind, Tlp } from '../../model/model.js';
import { Budget, withinBudget, type TruncatedBy } from './budget.js';
import type { Executor } from './executor.js';
import { filterParams, linkWhere, nodeWhere, type GraphFilter } from './filter.js';
import { toEntity, toLink, type EntityRecord, type LinkRecord } from './records.js';
import { bidirectionalChains } from './paths-bidirectional.js';

export interface PathRecord {
  nodes: EntityRecord[];
  edges: LinkRecord[];
  confidence: number;
  hops: number;
  /** True (on every path) when more chains were found than `limit` returns, or the budget ran out. */
  truncated: boolean;
  /** Why, when truncated. */
  truncatedBy: TruncatedBy | null;
}

export interface PathSearchRecord {
  paths: PathRecord[];
  truncated: boolean;
  truncatedBy: TruncatedBy | null;
  /** Chains up to this many hops were searched completely (maxHops unless the budget ran out). */
  searchedHops: number;
  budgetMs: number;
  elapsedMs: number;
  /** Hubs the search crossed but did not expand (between two entities; see paths-bidirectional.ts). */
  hubsSkipped: string[];
  /** Relationships the search read while expanding (between two entities), null for the other searches. */
  relationshipsRead: number | null;
}

export interface PathArgs {
  from: string;
  to?: string | null;
  toKind?: EntityKind | null;
  maxHops: number;
  limit: number;
  filter?: GraphFilter | null;
  /** Between two entities: hubs with more links than this are crossed, not expanded (default DEFAULT_PATH_HUB_DEGREE). */
  hubDegree?: number | null;
  /** Between two entities: the most relationships the search reads while expanding (default DEFAULT_PATH_READ_BUDGET). */
  readBudget?: number | null;
  /** Between two entities the bidirectional search runs; 'shortest' asks Neo4j's SHORTEST instead (kept for comparison). */
  engine?: 'bidirectional' | 'shortest';
  /** Between two entities: from what cost an earlier step first reads only its links into the other side (tests compare both ways). */
  meetFirstCost?: number;
}

/** Chain confidence: the product of link confidences read as probabilities, back on 0–100. */
export function pathConfidence(edges: Array<{ confidence: number }>): number {
  const p = edges.reduce((acc, e) => acc * (e.confidence / 100), 1);
  return Math.round(p * 10000) / 100;
}

/** Ids per breadth-first read: a frontier past this is read in several. */
const FRONTIER_CHUNK = 5_000;
/** The share of the budget the search for targets of a kind may use; the rest is for the chains. */
const TARGET_SHARE = 0.6;

export async function paths(ex: Executor, args: PathArgs, clearance: Tlp, budgetMs?: number): Promise<PathRecord[]> {
  return (await pathSearch(ex, args, clearance, budgetMs)).paths;
}

export async function pathSearch(ex: Executor, args: PathArgs, clearance: Tlp, budgetMs = ex.budgetMs()): Promise<PathSearchRecord> {
  const budget = new Budget(budgetMs);
  // Paths through "X did not happen" links would mislead; they are opt-in here.
  const f = filterParams(clearance, { ...args.filter, includeNegated: args.filter?.includeNegated ?? false });
  const maxHops = Math.trunc(args.maxHops);
  const done = (found: PathRecord[], searchedHops: number, outOfTime: boolean): PathSearchRecord => {
    found.sort((a, b) => a.hops - b.hops || b.confidence - a.confidence);
    const cut = found.length > args.limit;
    const truncatedBy: TruncatedBy | null = outOfTime ? 'TIME_BUDGET' : cut ? 'ROW_CAP' : null;
    const truncated = truncatedBy !== null;
    return {
      paths: found.slice(0, args.limit).map((p) => ({ ...p, truncated, truncatedBy })),
      truncated, truncatedBy, searchedHops, budgetMs, elapsedMs: budget.elapsed(), hubsSkipped: [], relationshipsRead: null,
    };
  };

  if (args.to && args.engine !== 'shortest') {
    const r = await bidirectionalChains(ex, { ...args, to: args.to }, clearance, budget);
    const cut = r.chains.length > args.limit;
    const truncatedBy: TruncatedBy | null = r.outOfTime ? 'TIME_BUDGET'
      : r.outOfReads || r.hubsSkipped.length ? 'EXPANSION_BUDGET' : cut ? 'ROW_CAP' : null;
    const truncated = truncatedBy !== null;
    return {
      paths: r.chains.slice(0, args.limit).map((p) => ({ ...p, truncated, truncatedBy })),
      truncated, truncatedBy, searchedHops: r.searchedHops, budgetMs, elapsedMs: budget.elapsed(),
      hubsSkipped: r.hubsSkipped, relationshipsRead: r.relationshipsRead,
    };
  }

  let targets: string[];
  let firstHops = 1;
  if (args.to) {
    targets = [args.to];
  } else {
    const near = await nearestOfKind(ex, args.from, args.toKind!, maxHops, args.limit + 1, f,
      new Budget(Math.max(1, Math.floor(budget.remaining() * TARGET_SHARE))));
    if (!near.targets.length) return done([], near.searchedHops, near.outOfTime);
    targets = near.targets.map((t) => t.id);
    firstHops = near.targets[0].hops;
    // Out of time before every target of a kind was found: chains to the ones found are still shortest to those.
    if (near.outOfTime) {
      const found = await chains(ex, args, targets, near.targets[near.targets.length - 1].hops, f, budget);
      return done(found ?? [], near.searchedHops, true);
    }
  }
  // One more than asked for, so that a cut list can say so; deeper hop counts only add longer chains.
  let found: PathRecord[] = [];
  for (let h = firstHops; h <= maxHops; h++) {
    const atH = await chains(ex, args, targets, h, f, budget);
    if (atH === null) return done(found, h - 1, true);
    found = atH;
    if (found.length > args.limit) return done(found, h, false);
  }
  return done(found, maxHops, false);
}

/**
 * The chains from `from` to the targets, at most `hops` links long: both ends bound, so Neo4j
 * searches from both sides and stops at the read's timeout. null when the budget ran out.
 */
async function chains(
  ex: Executor, args: PathArgs, targets: string[], hops: number, f: ReturnType<typeof filterParams>, budget: Budget,
): Promise<PathRecord[] | null> {
  // Validated integers, inlined because SHORTEST k and quantifiers cannot be parameters.
  const k = Math.trunc(args.limit) + 1;
  const h = Math.trunc(hops);
  const rows = await withinBudget(() => ex.read<{ p: NeoPath }>(
    `MATCH (a:Entity {id: $from}) WHERE ${nodeWhere('a', false)}
     UNWIND $targets AS target
     MATCH (b:Entity {id: target}) WHERE b <> a AND ($toKind IS NULL OR b.kind = $toKind)
     MATCH p = SHORTEST ${k} (a) ((x)-[r]-(y:Entity) WHERE ${linkWhere('r')} AND ${nodeWhere('y')}){1,${h}} (b)
     RETURN p ORDER BY length(p) LIMIT $scan`,
    { from: args.from, targets, toKind: args.toKind ?? null, scan: args.limit * 20 + 1, f },
    { timeoutMs: budget.readTimeout() },
  ));
  if (rows === null) return null;
  return rows.map(({ p }) => {
    const nodes = [p.start, ...p.segments.map((s) => s.end)].map((n: Node) => toEntity(n));
    const edges = p.segments.map((s) => {
      const rel: Relationship = s.relationship;
      const forward = rel.startNodeElementId === s.start.elementId;
      const [from, to] = forward ? [s.start, s.end] : [s.end, s.start];
      return toLink(rel, from.properties.id as string, to.properties.id as string);
    });
    return { nodes, edges, confidence: pathConfidence(edges), hops: edges.length, truncated: false, truncatedBy: null };
  });
}

/**
 * The `want` entities of `kind` nearest to `from` (fewer when fewer are within `maxHops`), by a
 * breadth-first search over the links and entities the filter lets through: one read per level
 * (per FRONTIER_CHUNK ids), each holding the ids already seen so that it returns only new ones.
 */
async function nearestOfKind(
  ex: Executor, from: string, kind: EntityKind, maxHops: number, want: number, f: ReturnType<typeof filterParams>, budget: Budget,
): Promise<{ targets: Array<{ id: string; hops: number }>; searchedHops: number; outOfTime: boolean }> {
  const seen = new Set([from]);
  const targets: Array<{ id: string; hops: number }> = [];
  let frontier = [from];
  for (let level = 1; level <= maxHops && frontier.length; level++) {
    const next: string[] = [];
    const atLevel: string[] = [];
    for (let i = 0; i < frontier.length; i += FRONTIER_CHUNK) {
      const rows = await withinBudget(() => ex.read<{ id: string; kind: string }>(
        `UNWIND $ids AS xid
         MATCH (x:Entity {id: xid})-[r]-(y:Entity)
         WHERE ${nodeWhere('x', false)} AND ${linkWhere('r')} AND ${nodeWhere('y')} AND NOT y.id IN $seen
         RETURN DISTINCT y.id AS id, y.kind AS kind`,
        { ids: frontier.slice(i, i + FRONTIER_CHUNK), seen: [...seen], f },
        { timeoutMs: budget.readTimeout() },
      ));
      if (rows === null) return { targets: pick(targets, atLevel, level, want), searchedHops: level - 1, outOfTime: true };
      for (const row of rows) {
        if (seen.has(row.id)) continue;
        seen.add(row.id);
        next.push(row.id);
        if (row.kind === kind) atLevel.push(row.id);
      }
    }
    const all = pick(targets, atLevel, level, want);
    if (all.length >= want) return { targets: all, searchedHops: level, outOfTime: false };
    targets.push(...all.slice(targets.length));
    frontier = next;
  }
  return { targets, searchedHops: maxHops, outOfTime: false };
}

/** The targets found before this level, then this level's in id order, at most `want`. */
function pick(before: Array<{ id: string; hops: number }>, atLevel: string[], level: number, want: number) {
  return [...before, ...atLevel.sort().map((id) => ({ id, hops: level }))].slice(0, want);
}
