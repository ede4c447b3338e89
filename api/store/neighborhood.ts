// The neighbourhood of a few entities: breadth-first, a level per statement, hubs listed rather
// than followed, then the links among everything found, in three statements at depth 2 (seeds and
// their level, the next level, the links among them) whatever the number of hubs reached.
import type { Node } from 'neo4j-driver';
import { LINK_TYPES, type Tlp } from '../../model/model.js';
import { Budget, budgetedRead, type TruncatedBy } from './budget.js';
import type { Executor } from './executor.js';
import { filterParams, linkWhere, nodeWhere, type FilterParams, type GraphFilter } from './filter.js';
import { LINK_RETURN, LINK_RETURN_LEAN, linksFromRows, toEntity, type EntityRecord, type LinkRecord } from './records.js';

export interface Subgraph {
  nodes: EntityRecord[];
  edges: LinkRecord[];
  truncated: boolean;
  /** Hubs reached but not expanded (see DEFAULT_HUB_DEGREE). */
  unexpanded: string[];
  /** Entities within reach (seeds, then each level's distinct neighbours, hubs not followed): a lower bound unless totalExact. */
  total: number;
  /** False when `limit` or the budget stopped the expansion before its last level was counted. */
  totalExact: boolean;
  /** ROW_CAP: `limit` cut the result; TIME_BUDGET: the budget ran out (the levels read by then, and links among them if time allowed). */
  truncatedBy: TruncatedBy | null;
}

/**
 * Entities with more links than this are not expanded past the seeds by default: following a hub's
 * thousands of links would dominate the time and crowd out everything else. Callers raise it with
 * `hubDegree`, or expand a hub by asking for its own neighbourhood.
 */
export const DEFAULT_HUB_DEGREE = 500;

const TYPES = Object.keys(LINK_TYPES);

/**
 * A found entity's degree and, for a hub, its links per type and direction (`USES_out`,
 * `USES_in` …). Both come from Neo4j's degree store, so no relationship is read; the typed
 * counts tell linksAmong which side of a hub-to-hub type to expand.
 */
const FOUND_COLUMNS = (v: string) => `${v} AS n, COUNT { (${v})--() } AS degree`;
const TYPED_DEGREES = `CASE WHEN degree > $hubDegree THEN {${TYPES.map((t) => `${t}_out: COUNT { (n)-[:${t}]->() }, ${t}_in: COUNT { (n)<-[:${t}]-() }`).join(', ')}} END`;

interface FoundRow { n: Node; degree: number; typed: Record<string, number> | null }
interface Found { entity: EntityRecord; degree: number; elementId: string; typed: Record<string, number> | null }

/**
 * One level's candidates (neighbours of the entities `start` binds to `a`, not yet seen), ranked
 * strongest link first, and the `take` best of them after `$skip` (`ranked` and `rows`); every
 * candidate is ranked anyway, so counting them costs nothing more. Both subqueries aggregate, so
 * a level without candidates still gives its one row.
 */
const LEVEL = (scope: string, start: string, unseen: string) => `
  CALL (${scope}) {
    ${start}
    MATCH (a)-[r]-(b:Entity)
    WHERE ${unseen} AND ${linkWhere('r')} AND ${nodeWhere('b')}
    WITH b, max(r.confidence) AS strength ORDER BY strength DESC, b.id
    RETURN collect(b) AS ranked
  }
  CALL (ranked, take) {
    UNWIND ranked[$skip..($skip + take)] AS b
    WITH ${FOUND_COLUMNS('b')}
    RETURN collect({n: n, degree: degree, typed: ${TYPED_DEGREES}}) AS rows
  }`;

/**
 * Breadth-first expansion, one statement per level (the seeds read with the first), so that a hub
 * is cut at `limit` nodes (strongest links first) instead of enumerating every path through it.
 * Seeds are always expanded; deeper hubs (degree > hubDegree) are returned but not followed, and listed.
 */
export async function neighborhood(
  ex: Executor, ids: string[], depth: number, filter: GraphFilter | null | undefined, limit: number, clearance: Tlp,
  offset = 0, hubDegree = DEFAULT_HUB_DEGREE, budget = new Budget(ex.budgetMs()),
  { withCitations = true }: { withCitations?: boolean } = {},
): Promise<Subgraph> {
  const f = filterParams(clearance, filter);
  // Every entity found, with what linksAmong needs of it.
  const found = new Map<string, Found>();
  const add = (rows: FoundRow[]) => {
    for (const { n, degree, typed } of rows) {
      found.set(n.properties.id as string, { entity: toEntity(n), degree: Number(degree), elementId: n.elementId, typed });
    }
  };
  const unexpanded: string[] = [];
  const spentAnswer = (): Subgraph => ({
    nodes: [...found.values()].map((x) => x.entity), edges: [], truncated: true, unexpanded, total: found.size, totalExact: false, truncatedBy: 'TIME_BUDGET',
  });
  // The seeds and their neighbours in one statement.
  const first = await budgetedRead<{ seeds: FoundRow[]; total: number; rows: FoundRow[] }>(ex, budget,
    `MATCH (n:Entity) WHERE n.id IN $ids AND ${nodeWhere('n', false)}
     WITH n, COUNT { (n)--() } AS degree
     WITH collect({n: n, degree: degree, typed: ${TYPED_DEGREES}}) AS seeds, collect(n) AS seedNodes
     WITH seeds, seedNodes, CASE WHEN $limit > size(seedNodes) THEN $limit - size(seedNodes) ELSE 0 END AS take
     ${LEVEL('seedNodes', 'UNWIND seedNodes AS a', 'NOT b IN seedNodes')}
     RETURN seeds, size(ranked) AS total, rows`,
    { ids, f, hubDegree, limit: depth > 0 ? limit : 0, skip: offset },
  );
  if (first.rows === null) return spentAnswer();
  const { seeds, total: reached0, rows: rows0 } = first.rows[0];
  add(seeds);
  let total = found.size;
  let truncated = false;
  let totalExact = true;
  let level = 0;
  let level_ = { total: seeds.length ? Number(reached0) : 0, rows: seeds.length ? rows0 : [] };
  while (true) {
    const remaining = Math.max(0, limit - found.size);
    const skip = level === 0 ? offset : 0;
    total += level_.total;
    if (level_.total - skip > remaining) {
      truncated = true;
      // The levels past this one were not reached: how many they hold is unknown.
      if (level < depth - 1) totalExact = false;
    }
    add(level_.rows);
    let frontier = level_.rows.map((r) => r.n.properties.id as string);
    level += 1;
    if (level >= depth || !frontier.length || truncated) break;
    unexpanded.push(...frontier.filter((id) => found.get(id)!.degree > hubDegree));
    frontier = frontier.filter((id) => found.get(id)!.degree <= hubDegree);
    if (!frontier.length) break;
    const read = await budgetedRead<{ total: number; rows: FoundRow[] }>(ex, budget,
      `WITH $take AS take ${LEVEL('', 'MATCH (a:Entity) WHERE a.id IN $frontier', 'NOT b.id IN $seen')} RETURN size(ranked) AS total, rows`,
      { frontier, seen: [...found.keys()], take: Math.max(0, limit - found.size), skip: 0, f, hubDegree },
    );
    if (read.rows === null) return spentAnswer();
    level_ = read.rows[0] ?? { total: 0, rows: [] };
  }
  const edges = await linksAmong(ex, found, hubDegree, f, limit * 4, budget, withCitations);
  if (edges === null) return spentAnswer();
  return {
    nodes: [...found.values()].map((x) => x.entity), edges, truncated, unexpanded, total, totalExact,
    truncatedBy: truncated ? 'ROW_CAP' : null,
  };
}

/**
 * For each link type that can join two of these hubs, which way to expand: from the side holding
 * fewer links of that type (summed over the hubs). The planner alone cannot know that one
 * direction holds 100× fewer links (a group OPERATES thousands of personas, a persona is operated
 * by one group).
 */
function hubLinkSides(hubs: ReadonlyArray<Record<string, number>>): { out: string[]; in: string[] } {
  const sides = { out: [] as string[], in: [] as string[] };
  for (const t of TYPES) {
    const out = hubs.reduce((s, h) => s + Number(h[`${t}_out`] ?? 0), 0);
    const inn = hubs.reduce((s, h) => s + Number(h[`${t}_in`] ?? 0), 0);
    if (out > 0 && inn > 0) (out <= inn ? sides.out : sides.in).push(t);
  }
  return sides;
}

const asSet = (keys: string[]): Record<string, true> => Object.fromEntries(keys.map((k) => [k, true]));

/**
 * Links among a set of visible entities, in one statement; null when the budget ran out. Small
 * entities expand all their links (each small-small link once, from its start; the other end is
 * tested by element id, which needs no property read); links between two hubs are read per type
 * from the side holding fewer of them, so no hub's whole adjacency is expanded. The other end is
 * looked up in a map: a list (`elementId(b) IN $list`) lets the planner seek every listed entity
 * and test every pair (Expand(Into)), hundreds of times the relationships read by expanding `a`.
 */
async function linksAmong(
  ex: Executor, found: Map<string, Found>, hubDegree: number, f: FilterParams, cap: number, budget: Budget, withCitations: boolean,
): Promise<LinkRecord[] | null> {
  if (found.size === 0) return [];
  const all = [...found.values()];
  const hubs = all.filter((x) => x.degree > hubDegree);
  const small = all.filter((x) => x.degree <= hubDegree).map((x) => x.elementId);
  const hubElementIds = hubs.map((x) => x.elementId);
  const sides = hubLinkSides(hubs.map((h) => h.typed ?? {}));
  const branches = [
    `MATCH (a) WHERE elementId(a) IN $small
     CALL (a) {
       MATCH (a)-[r]-(b) WHERE $found[elementId(b)] IS NOT NULL AND (startNode(r) = a OR $hubs[elementId(b)] IS NOT NULL)
       RETURN r
     }
     RETURN r`,
  ];
  const hubBranch = (types: string[], out: boolean) =>
    `MATCH (a) WHERE elementId(a) IN $hubElementIds
     CALL (a) {
       MATCH (a)${out ? '-' : '<-'}[r:${types.join('|')}]${out ? '->' : '-'}(b) WHERE $hubs[elementId(b)] IS NOT NULL
       RETURN r
     }
     RETURN r`;
  if (sides.out.length) branches.push(hubBranch(sides.out, true));
  if (sides.in.length) branches.push(hubBranch(sides.in, false));
  const read = await budgetedRead(ex, budget,
    `CALL () { ${branches.join(' UNION ALL ')} }
     WITH r WHERE ${linkWhere('r')}
     RETURN ${withCitations ? LINK_RETURN : LINK_RETURN_LEAN} ORDER BY r.confidence DESC, r.id LIMIT $cap`,
    { small, hubElementIds, found: asSet(all.map((x) => x.elementId)), hubs: asSet(hubElementIds), f, cap });
  if (read.rows === null) return null;
  // An element id can be reused after a delete: keep only links whose ends are in the set.
  return linksFromRows(read.rows).filter((l) => found.has(l.from) && found.has(l.to));
}
