// Analyst questions answered in Cypher: paths between entities, overlap, timelines.
import type { Node, Relationship } from 'neo4j-driver';
import type { EntityKind, Tlp } from '../../model/model.js';
import { Budget, budgetedRead, type BudgetReport, type TruncatedBy } from './budget.js';
import type { Executor } from './executor.js';
import { filterParams, linkWhere, nodeWhere, type GraphFilter } from './filter.js';
import { LINK_RETURN, linksFromRows, toEntity, toLink, type EntityRecord, type LinkRecord } from './records.js';

// Paths live in paths.ts (searched within a time budget); re-exported for the callers of this module.
export { pathConfidence, paths, pathSearch, type PathRecord, type PathSearchRecord } from './paths.js';

export interface OverlapRecord {
  between: EntityRecord[];
  shared: EntityRecord[];
  links: LinkRecord[];
  from: string | null;
  to: string | null;
  windowsOverlap: boolean;
  /** True (on every result) when more entities shared neighbours than `first` returns, or the budget ran out. */
  truncated: boolean;
  /** Why (the same on every result): ROW_CAP or TIME_BUDGET; null when nothing was left out. */
  truncatedBy: TruncatedBy | null;
}

/** overlap's results with what the search covered (overlapSearch). */
export interface OverlapSearchRecord extends BudgetReport { results: OverlapRecord[]; truncated: boolean }

const DEFAULT_VIA: EntityKind[] = ['HOST', 'PERSONA', 'TECHNIQUE', 'DATA_ASSET', 'NARRATIVE', 'MALWARE', 'TOOL'];
const DEFAULT_PARTIES: EntityKind[] = ['STATE_ACTOR', 'THREAT_GROUP', 'CAMPAIGN'];

/** The time window a set of links covers: earliest firstSeen to latest lastSeen. */
function windowOf(links: LinkRecord[]): [string | null, string | null] {
  const starts = links.map((l) => l.firstSeen).filter((d): d is string => !!d).sort();
  const ends = links.map((l) => l.lastSeen ?? l.firstSeen).filter((d): d is string => !!d).sort();
  return [starts[0] ?? null, ends[ends.length - 1] ?? null];
}

export async function overlap(
  ex: Executor,
  args: { ids: string[]; via?: EntityKind[] | null; kinds?: EntityKind[] | null; filter?: GraphFilter | null; first: number },
  clearance: Tlp, budget = new Budget(ex.budgetMs()),
): Promise<OverlapSearchRecord> {
  const f = filterParams(clearance, { ...args.filter, includeNegated: args.filter?.includeNegated ?? false });
  const pairs: Array<{ x: string; others: string[] | null }> = args.ids.length === 1
    ? [{ x: args.ids[0], others: null }]
    : args.ids.slice(0, -1).map((x, i) => ({ x, others: args.ids.slice(i + 1) }));
  const via = args.via?.length ? args.via : args.ids.length === 1 ? DEFAULT_VIA : null;
  const parties = args.kinds?.length ? args.kinds : DEFAULT_PARTIES;
  const out: Array<Omit<OverlapRecord, 'truncatedBy'>> = [];
  // One read per id (with several ids): when the budget runs out, the ids compared by then stand.
  let spent = false;
  for (const { x, others } of pairs) {
    const { rows } = await budgetedRead<{ xn: Node; y: Node; shared: Array<{ z: Node; rx: Relationship[]; ry: Relationship[] }> }>(ex, budget,
      `MATCH (xn:Entity {id: $x})-[r1]-(z:Entity)-[r2]-(y:Entity)
       WHERE y <> xn AND ${nodeWhere('xn', false)} AND ${nodeWhere('z', false)} AND ${nodeWhere('y', false)}
         AND ${linkWhere('r1')} AND ${linkWhere('r2')}
         AND ($via IS NULL OR z.kind IN $via)
         AND (CASE WHEN $others IS NULL THEN y.kind IN $parties ELSE y.id IN $others END)
       WITH xn, y, z, collect(DISTINCT r1) AS rx, collect(DISTINCT r2) AS ry
       WITH xn, y, collect({z: z, rx: rx, ry: ry}) AS shared
       RETURN xn, y, shared ORDER BY size(shared) DESC, y.id LIMIT $first`,
      { x, others, via, parties, first: args.first + 1, f },
    );
    if (rows === null) { spent = true; break; }
    for (const row of rows) {
      const xLinks: LinkRecord[] = [];
      const yLinks: LinkRecord[] = [];
      for (const s of row.shared) {
        const zid = s.z.properties.id as string;
        for (const r of s.rx) xLinks.push(endsOf(r, zid, row.xn));
        for (const r of s.ry) yLinks.push(endsOf(r, zid, row.y));
      }
      const [xs, xe] = windowOf(xLinks);
      const [ys, ye] = windowOf(yLinks);
      const from = xs && ys ? (xs > ys ? xs : ys) : xs ?? ys;
      const to = xe && ye ? (xe < ye ? xe : ye) : xe ?? ye;
      out.push({
        between: [toEntity(row.xn), toEntity(row.y)],
        shared: row.shared.map((s) => toEntity(s.z)),
        links: [...xLinks, ...yLinks],
        from, to,
        windowsOverlap: !!(xs && ys && from && to && from <= to),
        truncated: false,
      });
    }
  }
  out.sort((a, b) => b.shared.length - a.shared.length);
  const cut = out.length > args.first;
  const truncatedBy: TruncatedBy | null = spent ? 'TIME_BUDGET' : cut ? 'ROW_CAP' : null;
  const results = out.slice(0, args.first).map((o) => ({ ...o, truncated: truncatedBy !== null, truncatedBy }));
  return { results, truncated: truncatedBy !== null, truncatedBy, budgetMs: budget.ms, elapsedMs: budget.elapsed() };
}

/** A relationship between `other` and the shared node, with its ends as ids. */
function endsOf(r: Relationship, sharedId: string, other: Node): LinkRecord {
  const otherId = other.properties.id as string;
  return r.startNodeElementId === other.elementId ? toLink(r, otherId, sharedId) : toLink(r, sharedId, otherId);
}

export interface TimelineRecord {
  at: string | null;
  until: string | null;
  summary: string;
  link: LinkRecord;
  sources: string[];
  /** True (on every event) when the timeline held more than TIMELINE_CAP events and was cut. */
  truncated: boolean;
  /** How many events the timeline holds in all, before the cap. */
  total: number;
  /** ROW_CAP (past TIMELINE_CAP) or TIME_BUDGET, the same on every event; null when nothing was left out. */
  truncatedBy: TruncatedBy | null;
  /** False when the budget ran out before the events were counted. */
  totalExact: boolean;
}

/** timeline's events with what the read covered (timelineSearch). */
export interface TimelineSearchRecord extends BudgetReport { events: TimelineRecord[]; truncated: boolean; total: number; totalExact: boolean }

/** The most events a timeline returns. */
export const TIMELINE_CAP = 1000;

/** The entity's own links plus the links of what it USES (its personas, hosts …), in time order. */
export async function timeline(
  ex: Executor, id: string, from: string | null, to: string | null, clearance: Tlp, budget = new Budget(ex.budgetMs()),
): Promise<TimelineSearchRecord> {
  const f = filterParams(clearance, { from, to });
  // One statement: the events are sorted before the first comes, so a read cut by the budget has none.
  const { rows } = await budgetedRead<Record<string, unknown> & { fromName: string; toName: string; total: number }>(ex, budget,
    `MATCH (c:Entity {id: $id}) WHERE ${nodeWhere('c', false)}
     CALL (c) {
       MATCH (c)-[r]-(o:Entity) WHERE ${linkWhere('r')} AND ${nodeWhere('o', false)} RETURN r
       UNION
       MATCH (c)-[u:USES]->(m:Entity)-[r]-(o:Entity)
       WHERE o <> c AND ${linkWhere('u')} AND ${linkWhere('r')} AND ${nodeWhere('m', false)} AND ${nodeWhere('o', false)}
       RETURN r
     }
     WITH DISTINCT r
     WITH count(r) AS total, collect(r) AS events
     UNWIND events AS r
     WITH total, r ORDER BY coalesce(r.firstSeen, '9999') ASC, r.confidence DESC, r.id LIMIT $cap
     RETURN ${LINK_RETURN}, startNode(r).name AS fromName, endNode(r).name AS toName, total`,
    { id, f, cap: TIMELINE_CAP },
  );
  const report = { budgetMs: budget.ms, elapsedMs: budget.elapsed() };
  if (rows === null) return { events: [], truncated: true, truncatedBy: 'TIME_BUDGET', total: 0, totalExact: false, ...report };
  const total = rows.length ? rows[0].total : 0;
  const truncatedBy: TruncatedBy | null = total > rows.length ? 'ROW_CAP' : null;
  const events = linksFromRows(rows).map((link, i) => ({
    at: link.firstSeen,
    until: link.lastSeen,
    summary: `${rows[i].fromName} ${link.assertion === 'NEGATED' ? 'did not ' : ''}${link.type.toLowerCase().replaceAll('_', ' ')} ${rows[i].toName}`,
    link,
    sources: [...new Set(link.citations.map((c) => c.source))],
    truncated: truncatedBy !== null,
    total,
    truncatedBy,
    totalExact: true,
  }));
  return { events, truncated: truncatedBy !== null, truncatedBy, total, totalExact: true, ...report };
}
