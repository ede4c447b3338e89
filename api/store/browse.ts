// Paged listings: links as claims (single-source, conflicting, by source) and entities by kind.
import type { Node } from 'neo4j-driver';
import { BadInput } from '../../core/errors.js';
import { LINK_TYPE_NAMES, relTypeOf, type Assertion, type EntityKind, type LinkType, type Tlp } from '../../model/model.js';
import { Budget, budgetedRead, type TruncatedBy } from './budget.js';
import type { Executor } from './executor.js';
import { filterParams, linkWhere, nodeWhere } from './filter.js';
import { luceneQuery } from './read-graph.js';
import { linksFromRows, toEntity, type EntityRecord, type LinkRecord } from './records.js';

export const encodeCursor = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');
export function decodeCursor(cursor: string | null | undefined): string | null {
  if (!cursor) return null;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || encodeCursor(key) !== cursor) {
    throw BadInput.field('after', 'not a cursor this API issued');
  }
  return key;
}

export interface ClaimFilter {
  singleSource?: boolean | null;
  conflicting?: boolean | null;
  sourceId?: string | null;
  types?: LinkType[] | null;
  minConfidence?: number | null;
  assertion?: Assertion | null;
}

export interface ClaimRecord {
  link: LinkRecord;
  sourceCount: number;
  sources: string[];
  conflictsWith: LinkRecord[];
}

const DISTINCT_SOURCES = 'reduce(s = [], x IN coalesce(r.citeSources, []) | CASE WHEN x IN s THEN s ELSE s + x END)';

/**
 * Layered attribution: one of b and c is above the other in a chain of affirmed links
 * (x ATTRIBUTED_TO y, x AFFILIATED_WITH y, y OPERATES x, y OWNS x: y is above x; at most 4 steps,
 * all visible). A subject attributed to a group and to the state the group belongs to is
 * consistent, and so is one attributed to a person and the state or organization the person works for.
 * LOCATED_IN does not count: where a group is based is origin, not attribution.
 */
const LAYERED = (b: string, c: string) => `EXISTS {
  MATCH p = (${b})-[:ATTRIBUTED_TO|AFFILIATED_WITH|OPERATES|OWNS*1..4]-(${c})
  WITH p, relationships(p) AS rs, nodes(p) AS ns
  WHERE all(x IN rs WHERE x.assertion = 'AFFIRMED' AND x.tlp IN $f.tlps) AND all(n IN ns WHERE n.tlp IN $f.tlps)
    AND (all(i IN range(0, size(rs) - 1) WHERE ns[i] = CASE WHEN type(rs[i]) IN ['OPERATES', 'OWNS'] THEN endNode(rs[i]) ELSE startNode(rs[i]) END)
      OR all(i IN range(0, size(rs) - 1) WHERE ns[i + 1] = CASE WHEN type(rs[i]) IN ['OPERATES', 'OWNS'] THEN endNode(rs[i]) ELSE startNode(rs[i]) END))
}`;

/**
 * Joint attribution: a source the caller can see cites both attributions (`sources`, r's visible
 * sources, and link `o`'s citations): one source naming two actors together ("Russia and China")
 * says they acted jointly, not that it disagrees with itself.
 */
const JOINT = (o: string) => `any(x IN sources WHERE x IN ${o}.citeSources)`;

/**
 * Conflicts: the same two ends and type with another assertion, or the same subject
 * ATTRIBUTED_TO a different actor — unless the two actors are layered (one belongs to, is run by
 * or is affiliated with the other: LAYERED) or a source names both (JOINT); a DISPUTED link counts
 * as conflicting by itself.
 */
export interface ClaimPage {
  edges: Array<{ cursor: string; node: ClaimRecord }>;
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** False when counting did not finish within the budget: totalCount is then only a lower bound. */
  totalCountExact: boolean;
  /** TIME_BUDGET when the page or the count stopped at the budget. */
  truncatedBy: TruncatedBy | null;
}

export async function claims(
  ex: Executor, filter: ClaimFilter | null | undefined, first: number, after: string | null, clearance: Tlp, budgetMs = ex.budgetMs(),
): Promise<ClaimPage> {
  const budget = new Budget(budgetMs);
  const f = filterParams(clearance, { types: filter?.types, minConfidence: filter?.minConfidence });
  const params = {
    f, sourceId: filter?.sourceId ?? null, assertion: filter?.assertion ?? null,
    single: filter?.singleSource ?? false, conflicting: filter?.conflicting ?? false, after, take: first + 1,
  };
  // The cheap conditions first; the sources and conflicts of a link are worked out only for the
  // links read, in id order, so a page costs its own links. `type` null: every link type at once;
  // a type: that type's links from `$afterKey` on, in the order of its id index (the uniqueness
  // constraint's), so that a page need not sort every link.
  const candidates = (type: LinkType | null) => `MATCH (a:Entity)-[r${type ? `:${relTypeOf(type)}` : ''}]->(b:Entity)
     WHERE ${type ? 'r.id > $afterKey AND ' : ''}${linkWhere('r')} AND ${nodeWhere('a', false)} AND ${nodeWhere('b', false)}
       AND ($sourceId IS NULL OR $sourceId IN r.citeSources)
       AND ($assertion IS NULL OR r.assertion = $assertion)`;
  const judged = `// Only the sources the caller may see count (and can be filtered on): a hidden one leaves no trace.
     WITH a, r, b, [x IN ${DISTINCT_SOURCES} WHERE COUNT { MATCH (s:Entity {id: x}) WHERE s.tlp IN $f.tlps } > 0] AS sources
     WHERE ($sourceId IS NULL OR $sourceId IN sources) AND (NOT $single OR size(sources) = 1)
     WITH a, r, b, sources, COLLECT {
       MATCH (a)-[o]->(c:Entity)
       WHERE o <> r AND type(o) = type(r) AND ${linkWhere('o')} AND ${nodeWhere('c', false)}
         AND ((c = b AND o.assertion <> r.assertion)
           OR (type(r) = 'ATTRIBUTED_TO' AND c <> b AND o.assertion = 'AFFIRMED' AND r.assertion = 'AFFIRMED' AND NOT ${LAYERED('b', 'c')}
             AND NOT ${JOINT('o')}))
       RETURN {r: o, from: a.id, to: c.id}
     } AS conflicts
     WHERE (NOT $conflicting OR size(conflicts) > 0 OR r.assertion = 'DISPUTED')`;
  const matching = (keyset: boolean) => `${candidates(null)}
       ${keyset ? 'AND ($after IS NULL OR r.id > $after)' : ''}
     ${keyset ? 'WITH a, r, b ORDER BY r.id' : ''}
     ${judged}`;
  // Without the filters that drop links only once their sources or conflicts are known, every
  // candidate is a claim: the first `take` of each type, merged, are the page (a few links read
  // per type instead of every link sorted: 2–9 s over 151k links). With them, the links are read
  // in id order until `take` pass, which may mean all of them.
  const dropsLate = !!filter?.singleSource || !!filter?.conflicting || !!filter?.sourceId;
  const types = filter?.types?.length ? [...new Set(filter.types)].sort() : LINK_TYPE_NAMES;
  const pageQuery = dropsLate ? `${matching(true)}
     RETURN r, a.id AS from, b.id AS to, sources, conflicts LIMIT $take` : `CALL () {
       ${types.map((t) => `${candidates(t)} RETURN a, r, b ORDER BY r.id LIMIT $take`).join('\n       UNION ALL\n       ')}
     }
     WITH a, r, b ORDER BY r.id LIMIT $take
     ${judged}
     RETURN r, a.id AS from, b.id AS to, sources, conflicts ORDER BY r.id`;
  const read = await ex.readUntil<Record<string, unknown> & { sources: string[]; conflicts: Array<Record<string, unknown>> }>(
    pageQuery, { ...params, afterKey: after ?? '' }, budget.readTimeout());
  const page = read.rows;
  const links = linksFromRows(page);
  const items: ClaimRecord[] = page.slice(0, first).map((p, i) => ({
    link: links[i],
    sourceCount: p.sources.length,
    sources: p.sources,
    conflictsWith: linksFromRows(p.conflicts),
  }));
  // A page cut by the budget may have more after it; the cursor continues from its last claim.
  const hasNextPage = page.length > first || !read.complete;
  // The total is exact when counting ends within what is left of the budget; else a lower bound.
  const whole = read.complete && !hasNextPage && after === null;
  const counted = whole ? [{ total: items.length }] : read.complete && !budget.spent()
    // Without late-dropping filters every candidate counts: no need to work out sources and conflicts.
    ? (await budgetedRead<{ total: number }>(ex, budget, `${dropsLate ? matching(false) : candidates(null)} RETURN count(*) AS total`, params)).rows
    : null;
  const exact = counted !== null;
  const totalCount = exact ? counted[0].total : items.length + (hasNextPage ? 1 : 0);
  const out = connection(items, (c) => c.link.id, totalCount, hasNextPage);
  return { ...out, totalCountExact: exact, truncatedBy: !read.complete || !exact ? 'TIME_BUDGET' : items.length < totalCount ? 'ROW_CAP' : null };
}

export interface EntityFilter {
  text?: string | null;
  tlpMax?: Tlp | null;
  linkedTo?: string | null;
}

/** Keyset pagination on id: stable under inserts and cheap on the id index. */
export async function entityPage(
  ex: Executor, kind: EntityKind | null, filter: EntityFilter | null | undefined, first: number, after: string | null, clearance: Tlp,
) {
  const f = filterParams(clearance, { tlpMax: filter?.tlpMax });
  const q = filter?.text ? luceneQuery(filter.text) : null;
  const match = q
    ? `CALL db.index.fulltext.queryNodes('entity_text', $q) YIELD node AS n WITH n`
    : 'MATCH (n:Entity)';
  const where = `${nodeWhere('n', false)} AND ($kind IS NULL OR n.kind = $kind)
    AND ($linkedTo IS NULL OR EXISTS { (n)-[r]-(m:Entity {id: $linkedTo}) WHERE ${nodeWhere('m', false)} AND r.tlp IN $f.tlps })`;
  const params = { f, kind, q, linkedTo: filter?.linkedTo ?? null, after, take: first + 1 };
  const [countRow] = await ex.read<{ total: number }>(`${match} WHERE ${where} RETURN count(n) AS total`, params);
  const rows = await ex.read<{ n: Node }>(
    `${match} WHERE ${where} AND ($after IS NULL OR n.id > $after) RETURN n ORDER BY n.id LIMIT $take`, params);
  const items = rows.slice(0, first).map((r) => toEntity(r.n));
  return connection(items, (e: EntityRecord) => e.id, countRow.total, rows.length > first);
}

function connection<T>(items: T[], key: (t: T) => string, totalCount: number, hasNextPage: boolean) {
  const edges = items.map((node) => ({ cursor: encodeCursor(key(node)), node }));
  return { edges, totalCount, pageInfo: { hasNextPage, endCursor: edges.length ? edges[edges.length - 1].cursor : null } };
}
