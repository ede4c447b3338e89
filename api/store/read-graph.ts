// Graph reads: entities, full-text search, links of an entity, stats (neighbourhoods: neighborhood.ts).
import type { Node } from 'neo4j-driver';
import { BadInput } from '../../core/errors.js';
import { searchKey } from '../../core/validate.js';
import { TLPS, type EntityKind, type LinkType, type Tlp } from '../../model/model.js';
import type { Executor } from './executor.js';
import { filterParams, linkWhere, nodeWhere, visibleTlps, type FilterParams } from './filter.js';
import { LINK_RETURN, linksFromRows, toEntity, type EntityRecord, type LinkRecord } from './records.js';

const noFilter = (clearance: Tlp): FilterParams => filterParams(clearance, null);

export async function entitiesByIds(ex: Executor, ids: readonly string[], clearance: Tlp): Promise<Map<string, EntityRecord>> {
  const rows = await ex.read<{ n: Node }>(
    `MATCH (n:Entity) WHERE n.id IN $ids AND ${nodeWhere('n', false)} RETURN n`,
    { ids, f: noFilter(clearance) },
  );
  return new Map(rows.map((r) => [r.n.properties.id as string, toEntity(r.n)]));
}

export const MAX_SEARCH_TEXT = 300;
const TLP_COUNT = TLPS.length;

/**
 * Lucene query for as-you-type search: every word must match, as a word or a prefix. Words are
 * letters and digits only (nothing reaches Lucene's syntax), at most 12, each cut to 40 characters
 * (long prefixes blow Lucene's automaton limits).
 */
export function luceneQuery(text: string): string {
  if (text.length > MAX_SEARCH_TEXT) {
    throw BadInput.field('text', `at most ${MAX_SEARCH_TEXT} characters`);
  }
  const words = text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, 12).map((w) => w.slice(0, 40));
  return words.map((w) => `(${w}^2 OR ${w}*)`).join(' AND ');
}

/**
 * Lucene query for an external id (T0800, G0034, T0097.101) in the `entity_ids` index: the text as
 * one phrase, so the analyser splits it as it split the stored ids; null when it cannot be one id.
 */
export function externalIdQuery(text: string): string | null {
  const t = text.trim().toLowerCase().replace(/["\\]/g, '');
  return t && t.length <= 200 && !/\s/.test(t) && /[\p{L}\p{N}]/u.test(t) ? `"${t}"` : null;
}

/** One search hit: the entity, its full-text score and its rank tier (0 exact, 1 prefix, 2 full text). */
export interface SearchHitRecord { entity: EntityRecord; score: number; tier: number }
/** Matches of one kind: how many, and the best of them. */
export interface SearchFacetRecord { kind: EntityKind; count: number; best: SearchHitRecord }
export interface SearchPage { hits: SearchHitRecord[]; total: number; byKind: SearchFacetRecord[] }

/** A word as a Lucene term: letters and digits only, so nothing reaches Lucene's syntax. */
const luceneWords = (text: string) => text.split(' ').filter(Boolean).slice(0, 12).map((w) => w.slice(0, 40));

/**
 * The `entity_search` query: every word must match a word of the normalised name or an alias (as
 * the word or its start; whole words weigh more, the name most) or of the description (as typed
 * and without accents). Kinds and clearance are clauses of the same query (weight 0), so they
 * narrow the match set itself rather than a pool of best hits. Null when no word is left.
 */
export function searchLuceneQuery(text: string, kinds: readonly EntityKind[] | null, tlps: readonly Tlp[] | null): string | null {
  if (text.length > MAX_SEARCH_TEXT) throw BadInput.field('text', `at most ${MAX_SEARCH_TEXT} characters`);
  const keys = luceneWords(searchKey(text));
  if (!keys.length) return null;
  const typed = luceneWords(text.toLowerCase().split(/[^\p{L}\p{N}]+/u).join(' '));
  const clauses = keys.map((w, i) => {
    const alt = typed.length === keys.length && typed[i] !== w ? ` OR description:${typed[i]} OR description:${typed[i]}*` : '';
    return `(nameKey:${w}^4 OR nameKey:${w}* OR aliasKeyText:${w}^2 OR aliasKeyText:${w}* OR description:${w} OR description:${w}*${alt})`;
  });
  if (kinds) clauses.push(`(${kinds.map((k) => `kind:"${k.toLowerCase()}"`).join(' OR ')})^0`);
  if (tlps) clauses.push(`(${tlps.map((t) => `tlp:"${t.toLowerCase()}"`).join(' OR ')})^0`);
  return clauses.join(' AND ');
}

export interface SearchOptions {
  kinds?: EntityKind[] | null; first: number; offset?: number; clearance: Tlp; facets?: boolean;
  /** Also what its producer revoked or deprecated: hidden by default, as in every filtered query. */
  includeRevoked?: boolean;
}

/**
 * Search, ranked: exact name, alias or external id first (tier 0), then names or aliases that
 * start with the text (tier 1), then the rest (tier 2); within a tier by full-text score, then id,
 * so that pages are stable. Every match within clearance is ranked (no pool), so `total` and the
 * facets are exact; with `facets`, the counts by kind (and each kind's best hit) ignore `kinds`.
 */
export async function searchPage(ex: Executor, text: string, opts: SearchOptions): Promise<SearchPage> {
  const { first, offset = 0, clearance, facets = false } = opts;
  const kinds = opts.kinds?.length ? opts.kinds : null;
  const tlps = visibleTlps(clearance);
  const q = searchLuceneQuery(text, facets ? null : kinds, tlps.length === TLP_COUNT ? null : tlps);
  if (!q) return { hits: [], total: 0, byKind: [] };
  const idq = externalIdQuery(text);
  const rows = await ex.read<{ total: number; page: Array<{ n: Node; score: number; tier: number }>; byKind: Array<{ kind: EntityKind; count: number; at: number; best: { n: Node; score: number; tier: number } }> }>(
    `CALL () {
       CALL db.index.fulltext.queryNodes('entity_search', $q) YIELD node AS n, score RETURN n, score
       ${idq ? `UNION ALL CALL db.index.fulltext.queryNodes('entity_ids', $idq, {limit: 100}) YIELD node AS n, score RETURN n, score + 100.0 AS score` : ''}
     }
     WITH n, max(score) AS score
     WHERE ${nodeWhere('n', false)} AND ($facetKinds IS NULL OR n.kind IN $facetKinds)
       AND ($includeRevoked OR NOT (coalesce(n.revoked, false) OR coalesce(n.deprecated, false)))
     WITH n, score, coalesce(n.nameKey, '') AS nameKey, [a IN split(coalesce(n.aliasKeyText, ''), '\n') WHERE a <> ''] AS aliasKeys
     WITH n, score, CASE
         WHEN nameKey = $key OR $key IN aliasKeys OR $lower IN [x IN coalesce(n.externalIds, []) | toLower(x)] THEN 0
         WHEN nameKey STARTS WITH $key OR any(a IN aliasKeys WHERE a STARTS WITH $key) THEN 1
         ELSE 2 END AS tier
     ORDER BY tier, score DESC, n.id
     WITH collect({n: n, score: score, tier: tier}) AS ranked
     WITH ranked, [h IN ranked WHERE $kinds IS NULL OR h.n.kind IN $kinds] AS hits
     CALL (ranked) {
       UNWIND range(0, size(ranked) - 1) AS i
       WITH ranked[i].n.kind AS kind, count(*) AS count, min(i) AS best
       RETURN collect({kind: kind, count: count, at: best, best: ranked[best]}) AS byKind
     }
     RETURN size(hits) AS total, hits[$offset..$offset + $first] AS page, CASE WHEN $facets THEN byKind ELSE [] END AS byKind`,
    {
      q, idq, key: searchKey(text), lower: text.trim().toLowerCase(), kinds, facetKinds: facets ? null : kinds, facets,
      offset, first, f: noFilter(clearance), includeRevoked: opts.includeRevoked === true,
    },
  );
  const hit = (h: { n: Node; score: number; tier: number }): SearchHitRecord => ({ entity: toEntity(h.n), score: h.score, tier: Number(h.tier) });
  const r = rows[0];
  if (!r) return { hits: [], total: 0, byKind: [] };
  // Kinds in the order of their best hits.
  const byKind = [...r.byKind].sort((a, b) => Number(a.at) - Number(b.at))
    .map((f) => ({ kind: f.kind, count: Number(f.count), best: hit(f.best) }));
  return { hits: r.page.map(hit), total: Number(r.total), byKind };
}

/** The first `first` hits after `offset` (see searchPage for the order). */
export async function search(ex: Executor, text: string, kinds: EntityKind[] | null, first: number, clearance: Tlp, offset = 0, includeRevoked = false) {
  return (await searchPage(ex, text, { kinds, first, offset, clearance, includeRevoked })).hits;
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

/** The pattern from `a` through `r` to `b` in a links-of direction. */
export function linkPattern(direction: LinksOfArgs['direction']): string {
  return direction === 'OUT' ? '(a)-[r]->(b)' : direction === 'IN' ? '(a)<-[r]-(b)' : '(a)-[r]-(b)';
}

/** Links of many entities with the same arguments, in one query (batched by a DataLoader). */
export async function linksOfMany(ex: Executor, ids: readonly string[], args: LinksOfArgs, clearance: Tlp): Promise<LinkRecord[][]> {
  const pattern = linkPattern(args.direction);
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
