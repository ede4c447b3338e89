// Co-action projections: entities of the `members` kinds tied when they share a neighbour of the
// `via` kinds (infrastructure, narratives, techniques …), optionally only when both linked to it
// within `windowDays` of each other; a tie weighs how many neighbours the two share, and weak ties
// are dropped by an absolute `minWeight` or a percentile of all tie weights (as CooRnet does).
// A neighbour shared by more than `maxShared` members is too common to say anything about
// coordination (a hub host, a mainstream narrative) and ties no one. Every link and entity read
// passes the caller's clearance and the filter, so a projection never holds what the caller
// cannot see. Labels and types reach Cypher only through the model's lists; values are parameters.
import { BadInput } from '../../core/errors.js';
import { labelOf, relTypeOf, type EntityKind, type LinkType, type Tlp } from '../../model/model.js';
import type { Params } from './executor.js';
import { filterParams, linkWhere, nodeWhere, type FilterParams, type GraphFilter } from './filter.js';

export interface CoactionProjection {
  /** Kinds of the entities tied (the nodes of the co-action graph). */
  members: EntityKind[];
  /** Kinds of the neighbours whose sharing ties them. */
  via: EntityKind[];
  /** Link types between a member and a shared neighbour (any type when null or empty). */
  linkTypes: LinkType[] | null;
  /** Both members linked to the shared neighbour within this many days of each other (firstSeen); null: any time. */
  windowDays: number | null;
  /** Ties weighing less (fewer shared neighbours) are dropped. */
  minWeight: number;
  /** Ties below this percentile (0–99) of all tie weights are dropped too; null: no percentile cut. */
  minPercentile: number | null;
  /** A neighbour linked to more members than this ties none of them. */
  maxShared: number;
}

export type ProjectionPreset = 'DEFAULT' | 'INFRASTRUCTURE' | 'NARRATIVES';

/**
 * The named projections. DEFAULT, used when a query names none: personas, hosts and campaigns tied
 * by the hosts, narratives and techniques they share, at least two of them (one shared hub is
 * common; two is a pattern), neighbours shared by more than 50 members ignored.
 */
export const PRESETS: Record<ProjectionPreset, CoactionProjection> = {
  DEFAULT: { members: ['PERSONA', 'HOST', 'CAMPAIGN'], via: ['HOST', 'NARRATIVE', 'TECHNIQUE'], linkTypes: null, windowDays: null, minWeight: 2, minPercentile: null, maxShared: 50 },
  INFRASTRUCTURE: { members: ['PERSONA', 'HOST', 'CAMPAIGN'], via: ['HOST'], linkTypes: null, windowDays: null, minWeight: 1, minPercentile: null, maxShared: 50 },
  NARRATIVES: { members: ['PERSONA', 'HOST'], via: ['NARRATIVE'], linkTypes: null, windowDays: null, minWeight: 2, minPercentile: null, maxShared: 50 },
};

/** What a caller may give: a preset and overrides of its parts. */
export interface ProjectionInput {
  preset?: ProjectionPreset | null;
  members?: EntityKind[] | null;
  via?: EntityKind[] | null;
  linkTypes?: LinkType[] | null;
  windowDays?: number | null;
  minWeight?: number | null;
  minPercentile?: number | null;
  maxShared?: number | null;
}

function int(field: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) throw BadInput.range(`projection.${field}`, min, max, v);
  return v;
}

/** The projection a caller's input names, checked (BAD_USER_INPUT naming the field). */
export function resolveProjection(input: ProjectionInput | null | undefined): CoactionProjection {
  const base = PRESETS[input?.preset ?? 'DEFAULT'];
  const p: CoactionProjection = {
    members: input?.members ?? base.members,
    via: input?.via ?? base.via,
    linkTypes: input?.linkTypes === undefined ? base.linkTypes : input.linkTypes,
    windowDays: input?.windowDays === undefined ? base.windowDays : input.windowDays,
    minWeight: input?.minWeight ?? base.minWeight,
    minPercentile: input?.minPercentile === undefined ? base.minPercentile : input.minPercentile,
    maxShared: input?.maxShared ?? base.maxShared,
  };
  if (!p.members.length || p.members.length > 20) throw BadInput.field('projection.members', 'name 1 to 20 kinds');
  if (!p.via.length || p.via.length > 20) throw BadInput.field('projection.via', 'name 1 to 20 kinds');
  p.members.forEach(labelOf);
  p.via.forEach(labelOf);
  p.linkTypes?.forEach(relTypeOf);
  if (p.windowDays !== null) int('windowDays', p.windowDays, 0, 36_500);
  int('minWeight', p.minWeight, 1, 1_000);
  if (p.minPercentile !== null) int('minPercentile', p.minPercentile, 0, 99);
  int('maxShared', p.maxShared, 2, 1_000);
  return { ...p, members: [...new Set(p.members)].sort(), via: [...new Set(p.via)].sort(), linkTypes: p.linkTypes?.length ? [...new Set(p.linkTypes)].sort() : null };
}

/** A stable text for a projection, for cache keys. */
export const projectionKey = (p: CoactionProjection): string => JSON.stringify(p);

const labels = (kinds: readonly EntityKind[]): string => kinds.map(labelOf).join('|');
const relTypes = (types: readonly LinkType[] | null): string => (types?.length ? `:${types.map(relTypeOf).join('|')}` : '');

/** The filter as the analysis reads it: NEGATED links only when asked; its `kinds` left to the projection. */
export function coactionFilter(clearance: Tlp, filter: GraphFilter | null | undefined): FilterParams {
  return { ...filterParams(clearance, { ...filter, includeNegated: filter?.includeNegated ?? false }), kinds: null };
}

/**
 * Cypher rows (z, n, ms) for coaction-graph.ts: each neighbour of the `via` kinds linked to at
 * least two members; n, how many; ms, unless n > maxShared (a hub: null), the members as
 * [id, first firstSeen of their links to it in epoch seconds (only with a windowDays), their best
 * link confidence to it]. One pass over the members' links; pairs are counted by the caller.
 */
export function incidenceCypher(p: CoactionProjection): string {
  return `MATCH (z:${labels(p.via)}) WHERE ${nodeWhere('z')}
     CALL (z) {
       MATCH (z)-[r${relTypes(p.linkTypes)}]-(m:${labels(p.members)}) WHERE m <> z AND ${linkWhere('r')} AND ${nodeWhere('m')}
       WITH m, min(r.firstSeen) AS t, max(r.confidence) AS c
       RETURN collect([m.id, CASE WHEN $p.windowDays IS NULL OR t IS NULL THEN null ELSE datetime(t).epochSeconds END, c]) AS ms
     }
     WITH z, ms WHERE size(ms) > 1
     RETURN z.id AS z, size(ms) AS n, CASE WHEN size(ms) <= $p.maxShared THEN ms END AS ms`;
}

/**
 * The bipartite graph behind `similar`: the entity, the members sharing a neighbour with it, and
 * every neighbour of theirs (members → neighbours), for Jaccard over neighbour sets.
 */
export function bipartiteQuery(p: CoactionProjection, f: FilterParams, id: string): { cypher: string; params: Params } {
  const rel = relTypes(p.linkTypes);
  return {
    cypher: `MATCH (s:${labels(p.members)} {id: $id}) WHERE ${nodeWhere('s')}
     MATCH (s)-[r1${rel}]-(z:${labels(p.via)}) WHERE z <> s AND ${linkWhere('r1')} AND ${nodeWhere('z')}
     WITH DISTINCT s, z
     ${sharedByCall(p, 'z')}
     WITH s, z WHERE sharedBy <= $p.maxShared
     MATCH (z)-[r2${rel}]-(m:${labels(p.members)}) WHERE m <> z AND ${linkWhere('r2')} AND ${nodeWhere('m')}
     WITH DISTINCT m
     MATCH (m)-[r3${rel}]-(y:${labels(p.via)}) WHERE y <> m AND ${linkWhere('r3')} AND ${nodeWhere('y')}
     WITH DISTINCT m, y
     WITH gds.graph.project($graph, m, y) AS g
     RETURN g.nodeCount AS nodes`,
    params: { p, f, id },
  };
}

/** How many members neighbour `z` links to, as `sharedBy`: a neighbour shared by more than maxShared ties no one. */
function sharedByCall(p: CoactionProjection, z: string): string {
  return `CALL (${z}) {
       MATCH (${z})-[q${relTypes(p.linkTypes)}]-(m2:${labels(p.members)}) WHERE m2 <> ${z} AND ${linkWhere('q')} AND ${nodeWhere('m2')}
       RETURN count(DISTINCT m2) AS sharedBy
     }`;
}

/** The links from a and from b to each neighbour of the `via` kinds they share, for a tie's evidence. */
export function tieCypher(p: CoactionProjection): string {
  const rel = relTypes(p.linkTypes);
  return `MATCH (a:${labels(p.members)} {id: $a}) WHERE ${nodeWhere('a')}
     MATCH (b:${labels(p.members)} {id: $b}) WHERE ${nodeWhere('b')}
     MATCH (a)-[r${rel}]-(z:${labels(p.via)})-[s${rel}]-(b)
     WHERE z <> a AND z <> b AND ${linkWhere('r')} AND ${linkWhere('s')} AND ${nodeWhere('z')}
     WITH z, collect(DISTINCT r) AS ra, collect(DISTINCT s) AS sb
     ${sharedByCall(p, 'z')}
     WITH z, ra, sb WHERE sharedBy <= $p.maxShared AND ($p.windowDays IS NULL OR
       abs(duration.inSeconds(datetime(reduce(t = null, x IN ra | CASE WHEN t IS NULL OR x.firstSeen < t THEN x.firstSeen ELSE t END)),
                              datetime(reduce(t = null, x IN sb | CASE WHEN t IS NULL OR x.firstSeen < t THEN x.firstSeen ELSE t END))).seconds) <= $p.windowDays * 86400)
     RETURN z, [x IN ra + sb | {r: x, from: startNode(x).id, to: endNode(x).id}] AS rels ORDER BY z.id`;
}

/** Each member's links to the neighbours it shares with at least one other member of $ids: the evidence of its ties. */
export function evidenceCypher(p: CoactionProjection): string {
  return `MATCH (m:${labels(p.members)}) WHERE m.id IN $ids AND ${nodeWhere('m')}
     MATCH (m)-[r${relTypes(p.linkTypes)}]-(z:${labels(p.via)}) WHERE z <> m AND ${linkWhere('r')} AND ${nodeWhere('z')}
     WITH z, collect({m: m, r: r}) AS xs WHERE size(xs) >= 2
     UNWIND xs AS x
     WITH DISTINCT x.m AS m, x.r AS r
     RETURN m.id AS member, m.kind AS kind, r, startNode(r).id AS from, endNode(r).id AS to ORDER BY member, r.id`;
}
