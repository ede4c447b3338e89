// Graph reads: entities, full-text search, neighbourhoods, links of an entity, stats.
import { GraphQLError } from 'graphql';
import type { Node } from 'neo4j-driver';
import type { EntityKind, LinkType, Tlp } from '../model.js';
import type { Executor } from './executor.js';
import { filterParams, linkWhere, nodeWhere, visibleTlps, type FilterParams, type GraphFilter } from './filter.js';
import { LINK_RETURN, linksFromRows, toEntity, type EntityRecord, type LinkRecord } from './records.js';

export interface Subgraph {
  nodes: EntityRecord[];
  edges: LinkRecord[];
  truncated: boolean;
}

const noFilter = (clearance: Tlp): FilterParams => filterParams(clearance, null);

export async function entitiesByIds(ex: Executor, ids: readonly string[], clearance: Tlp): Promise<Map<string, EntityRecord>> {
  const rows = await ex.read<{ n: Node }>(
    `MATCH (n:Entity) WHERE n.id IN $ids AND ${nodeWhere('n', false)} RETURN n`,
    { ids, f: noFilter(clearance) },
  );
  return new Map(rows.map((r) => [r.n.properties.id as string, toEntity(r.n)]));
}

export const MAX_SEARCH_TEXT = 300;

/**
 * Lucene query for as-you-type search: every word must match, as a word or a prefix. Words are
 * letters and digits only (nothing reaches Lucene's syntax), at most 12, each cut to 40 characters
 * (long prefixes blow Lucene's automaton limits).
 */
export function luceneQuery(text: string): string {
  if (text.length > MAX_SEARCH_TEXT) {
    throw new GraphQLError(`text: at most ${MAX_SEARCH_TEXT} characters`, { extensions: { code: 'BAD_USER_INPUT', field: 'text' } });
  }
  const words = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, 12).map((w) => w.slice(0, 40));
  return words.map((w) => `(${w}^2 OR ${w}*)`).join(' AND ');
}

export async function search(ex: Executor, text: string, kinds: EntityKind[] | null, first: number, clearance: Tlp) {
  const q = luceneQuery(text);
  if (!q) return [];
  const rows = await ex.read<{ n: Node; score: number }>(
    `CALL db.index.fulltext.queryNodes('entity_text', $q, {limit: $pool}) YIELD node AS n, score
     WHERE ${nodeWhere('n', false)} AND ($kinds IS NULL OR n.kind IN $kinds)
     WITH n, score, toLower(n.name) = $lower OR $lower IN [a IN coalesce(n.aliases, []) | toLower(a)] AS exact
     RETURN n, score ORDER BY exact DESC, score DESC LIMIT $first`,
    { q, pool: Math.max(first * 5, 50), lower: text.trim().toLowerCase(), kinds, first, f: noFilter(clearance) },
  );
  return rows.map((r) => ({ entity: toEntity(r.n), score: r.score }));
}

/**
 * Breadth-first expansion, one query per level, so that a hub is cut at `limit` nodes
 * (strongest links first) instead of enumerating every path through it.
 */
export async function neighborhood(
  ex: Executor, ids: string[], depth: number, filter: GraphFilter | null | undefined, limit: number, clearance: Tlp, offset = 0,
): Promise<Subgraph> {
  const f = filterParams(clearance, filter);
  const seedRows = await ex.read<{ n: Node }>(`MATCH (n:Entity) WHERE n.id IN $ids AND ${nodeWhere('n', false)} RETURN n`, { ids, f });
  const nodes = new Map<string, EntityRecord>(seedRows.map((r) => [r.n.properties.id as string, toEntity(r.n)]));
  let frontier = [...nodes.keys()];
  let truncated = false;
  for (let level = 0; level < depth && frontier.length && !truncated; level++) {
    const remaining = limit - nodes.size;
    if (remaining <= 0) { truncated = true; break; }
    const rows = await ex.read<{ b: Node }>(
      `MATCH (a:Entity)-[r]-(b:Entity)
       WHERE a.id IN $frontier AND NOT b.id IN $seen AND ${linkWhere('r')} AND ${nodeWhere('b')}
       WITH b, max(r.confidence) AS strength ORDER BY strength DESC, b.id SKIP $skip LIMIT $take
       RETURN b`,
      { frontier, seen: [...nodes.keys()], take: remaining + 1, skip: level === 0 ? offset : 0, f },
    );
    if (rows.length > remaining) { truncated = true; rows.length = remaining; }
    frontier = rows.map((r) => r.b.properties.id as string);
    for (const r of rows) nodes.set(r.b.properties.id as string, toEntity(r.b));
  }
  const edges = await linksAmong(ex, [...nodes.keys()], f, limit * 4);
  return { nodes: [...nodes.values()], edges, truncated };
}

async function linksAmong(ex: Executor, ids: string[], f: FilterParams, cap: number): Promise<LinkRecord[]> {
  if (ids.length === 0) return [];
  const rows = await ex.read(
    `MATCH (a:Entity)-[r]->(b:Entity) WHERE a.id IN $ids AND b.id IN $ids AND ${linkWhere('r')}
     RETURN ${LINK_RETURN} ORDER BY r.confidence DESC LIMIT $cap`,
    { ids, f, cap },
  );
  return linksFromRows(rows);
}

export async function linkById(ex: Executor, id: string, clearance: Tlp): Promise<LinkRecord | null> {
  const rows = await ex.read(
    `MATCH (a:Entity)-[r {id: $id}]->(b:Entity) WHERE ${linkWhere('r')} AND ${nodeWhere('a', false)} AND ${nodeWhere('b', false)}
     RETURN ${LINK_RETURN}`, { id, f: noFilter(clearance) });
  return linksFromRows(rows)[0] ?? null;
}

export interface LinksOfArgs {
  types?: LinkType[] | null;
  direction?: 'OUT' | 'IN' | 'BOTH' | null;
  first?: number | null;
}

/** Links of many entities with the same arguments, in one query (batched by a DataLoader). */
export async function linksOfMany(ex: Executor, ids: readonly string[], args: LinksOfArgs, clearance: Tlp): Promise<LinkRecord[][]> {
  const pattern = args.direction === 'OUT' ? '(a)-[r]->(b)' : args.direction === 'IN' ? '(a)<-[r]-(b)' : '(a)-[r]-(b)';
  const f = filterParams(clearance, { types: args.types });
  const rows = await ex.read(
    `UNWIND $ids AS id MATCH (a:Entity {id: id})
     CALL (a) {
       MATCH ${pattern.replace('(b)', '(b:Entity)')} WHERE ${linkWhere('r')} AND ${nodeWhere('b', false)}
       RETURN r ORDER BY r.confidence DESC, r.id LIMIT $first
     }
     RETURN id, ${LINK_RETURN}`,
    { ids, f, first: args.first ?? 100 },
  );
  const byId = new Map<string, LinkRecord[]>(ids.map((id) => [id, []]));
  linksFromRows(rows).forEach((link, i) => byId.get(rows[i].id as string)?.push(link));
  return ids.map((id) => byId.get(id) ?? []);
}

export async function degrees(ex: Executor, ids: readonly string[], clearance: Tlp): Promise<number[]> {
  const rows = await ex.read<{ id: string; degree: number }>(
    `UNWIND $ids AS id MATCH (a:Entity {id: id})
     RETURN id, COUNT { (a)-[r]-(b:Entity) WHERE r.tlp IN $f.tlps AND b.tlp IN $f.tlps } AS degree`,
    { ids, f: noFilter(clearance) },
  );
  const byId = new Map(rows.map((r) => [r.id, r.degree]));
  return ids.map((id) => byId.get(id) ?? 0);
}

/** Every link citing a source (citations live on relationships, so this scans them). */
export async function linksCitingSource(ex: Executor, sourceId: string, first: number, clearance: Tlp): Promise<LinkRecord[]> {
  const rows = await ex.read(
    `MATCH (a:Entity)-[r]->(b:Entity) WHERE $sourceId IN r.citeSources AND ${linkWhere('r')}
       AND ${nodeWhere('a', false)} AND ${nodeWhere('b', false)}
     RETURN ${LINK_RETURN} ORDER BY r.id LIMIT $first`,
    { sourceId, first, f: noFilter(clearance) },
  );
  return linksFromRows(rows);
}

export async function topEntities(ex: Executor, kinds: EntityKind[] | null, first: number, clearance: Tlp): Promise<EntityRecord[]> {
  const rows = await ex.read<{ n: Node }>(
    `MATCH (n:Entity) WHERE ${nodeWhere('n', false)} AND ($kinds IS NULL OR n.kind IN $kinds)
     WITH n, COUNT { (n)-[r]-(m:Entity) WHERE r.tlp IN $f.tlps AND m.tlp IN $f.tlps } AS degree
     RETURN n ORDER BY degree DESC, n.id LIMIT $first`,
    { kinds, first, f: noFilter(clearance) },
  );
  return rows.map((r) => toEntity(r.n));
}

export async function stats(ex: Executor, clearance: Tlp) {
  const f = noFilter(clearance);
  const kinds = await ex.read<{ kind: EntityKind; count: number }>(
    `MATCH (n:Entity) WHERE ${nodeWhere('n', false)} RETURN n.kind AS kind, count(*) AS count ORDER BY kind`, { f });
  const types = await ex.read<{ type: LinkType; count: number }>(
    `MATCH (a:Entity)-[r]->(b:Entity) WHERE r.tlp IN $f.tlps AND a.tlp IN $f.tlps AND b.tlp IN $f.tlps
     RETURN type(r) AS type, count(*) AS count ORDER BY type`, { f });
  return {
    nodes: kinds.reduce((s, k) => s + k.count, 0),
    links: types.reduce((s, t) => s + t.count, 0),
    byKind: kinds,
    byType: types,
  };
}

export { visibleTlps };
