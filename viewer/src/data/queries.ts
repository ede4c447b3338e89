// Every GraphQL operation the viewer sends, with typed wrappers.
import { KIND_FIELDS, KIND_LABEL, KINDS, type Caller, type Entity, type Filters, type Investigation, type Link, type Metric, type Path, type Subgraph } from '../types.js';
import { gql } from './client.js';
import { toGraphFilter } from '../state/filters.js';

const ENTITY_CORE = 'fragment EntityCore on Entity { id kind name tlp degree }';
/**
 * Link fields, spliced in rather than used as a fragment: the API's cost limit (graphql-armor)
 * counts a fragment spread again for every field merged beside it.
 */
const linkFields = (ends = '{ id }', extra = '') => `
  id type from ${ends} to ${ends} confidence firstSeen lastSeen tlp assertion description ${extra}
  citations { locator quote source { id name title publisher url } via { id name title publisher url } }`;

/** Kind-specific properties for the details panel: an inline fragment per kind, from the model. */
const KIND_FIELDS_SELECTION = KINDS.filter((k) => Object.keys(KIND_FIELDS[k]).length)
  .map((k) => `... on ${KIND_LABEL[k]} { ${Object.keys(KIND_FIELDS[k]).join(' ')} }`).join(' ');

export interface SearchHit { score: number; entity: Entity }
export interface SearchFacet { kind: Entity['kind']; count: number; best: SearchHit }
export interface SearchResults { hits: SearchHit[]; total: number; byKind: SearchFacet[] }

/** The best hits, with the count and best hit of every kind that matches (so an outlet is not buried under its articles). */
export async function search(text: string, signal?: AbortSignal): Promise<SearchResults> {
  const hit = 'score entity { ...EntityCore description }';
  const r = await gql<{ searchResults: SearchResults }>(
    `query Search($text: String!) { searchResults(text: $text, first: 12) { total hits { ${hit} } byKind { kind count best { ${hit} } } } } ${ENTITY_CORE}`,
    { text }, signal);
  return r.searchResults;
}

export async function topEntities(first = 15): Promise<Entity[]> {
  const r = await gql<{ topEntities: Entity[] }>(`query Top($first: Int) { topEntities(first: $first) { ...EntityCore } } ${ENTITY_CORE}`, { first });
  return r.topEntities;
}

const SUBGRAPH = `nodes { ...EntityCore } edges { ${linkFields()} } truncated`;

/** One page of a node's neighbours: `limit` counts the seed itself, hence page + ids. */
export async function neighbours(ids: string[], filter: Filters, page: number, offset: number): Promise<Subgraph> {
  const r = await gql<{ neighborhood: Subgraph }>(
    `query Expand($ids: [ID!]!, $filter: GraphFilter, $limit: Int, $offset: Int) {
       neighborhood(ids: $ids, depth: 1, filter: $filter, limit: $limit, offset: $offset) { ${SUBGRAPH} }
     } ${ENTITY_CORE}`,
    { ids, filter: toGraphFilter(filter), limit: page + ids.length, offset });
  return r.neighborhood;
}

/**
 * Exactly these entities and the links among them: a neighbourhood whose limit equals the
 * number of ids stops before the first level, so only links between the seeds come back.
 */
export async function subgraphOf(ids: string[], filter: Filters | null): Promise<Subgraph> {
  const nodes: Entity[] = [];
  const edges = new Map<string, Link>();
  // The API takes at most 500 ids at once; links that cross chunks are fetched per chunk pair.
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += 250) chunks.push(ids.slice(i, i + 250));
  for (let i = 0; i < chunks.length; i++) {
    for (let j = i; j < chunks.length; j++) {
      const batch = i === j ? chunks[i] : [...chunks[i], ...chunks[j]];
      const r = await gql<{ neighborhood: Subgraph }>(
        `query Among($ids: [ID!]!, $filter: GraphFilter, $limit: Int) {
           neighborhood(ids: $ids, depth: 1, filter: $filter, limit: $limit) { ${SUBGRAPH} }
         } ${ENTITY_CORE}`,
        { ids: batch, filter: filter ? toGraphFilter(filter) : null, limit: batch.length });
      // When an id is missing the limit leaves room for a few neighbours: keep only the asked-for ids.
      const wanted = new Set(batch);
      if (i === j) nodes.push(...r.neighborhood.nodes.filter((n) => wanted.has(n.id)));
      for (const e of r.neighborhood.edges) if (wanted.has(e.from.id) && wanted.has(e.to.id)) edges.set(e.id, e);
    }
  }
  return { nodes, edges: [...edges.values()], truncated: false };
}

const METRIC = 'name value unit asOf';

export interface EntityDetails extends Entity {
  metrics: Metric[];
  links: Array<Link & { from: { id: string; name: string; kind: Entity['kind'] }; to: { id: string; name: string; kind: Entity['kind'] } }>;
}

export async function entityDetails(id: string): Promise<EntityDetails | null> {
  const r = await gql<{ entity: EntityDetails | null }>(
    `query Details($id: ID!) {
       entity(id: $id) {
         id kind name aliases description tlp degree createdAt updatedAt ${KIND_FIELDS_SELECTION} metrics { ${METRIC} }
         links(first: 200) { ${linkFields('{ id name kind }', `attributionKind metrics { ${METRIC} }`)} }
       }
     }`,
    { id });
  return r.entity;
}

/** What a path search found, and whether `limit` (ROW_CAP) or the time budget (TIME_BUDGET) cut it. */
export interface PathsFound { paths: Path[]; truncatedBy: 'ROW_CAP' | 'TIME_BUDGET' | 'EXPANSION_BUDGET' | null; searchedHops: number; hubsSkipped: string[] }

export async function findPaths(from: string, to: string, filter: Filters, maxHops: number): Promise<PathsFound> {
  const r = await gql<{ pathSearch: PathsFound }>(
    `query Paths($from: ID!, $to: ID, $filter: GraphFilter, $maxHops: Int) {
       pathSearch(from: $from, to: $to, filter: $filter, maxHops: $maxHops, limit: 8) {
         paths { confidence hops nodes { ...EntityCore } edges { ${linkFields()} } }
         truncatedBy searchedHops hubsSkipped
       }
     } ${ENTITY_CORE}`,
    { from, to, filter: toGraphFilter(filter), maxHops });
  return r.pathSearch;
}

const INVESTIGATION_FIELDS = 'id name description owner ownerKeyId updatedBy createdAt updatedAt';

/** Who the requests run as; with `key`, who that key is (a refused key throws UNAUTHENTICATED). */
export async function me(key?: string): Promise<Caller> {
  const r = await gql<{ me: Caller }>('{ me { keyId name role clearance } }', {}, undefined, key === undefined ? {} : { key });
  return r.me;
}

/** `description` left undefined keeps the stored one. */
export async function saveInvestigation(name: string, state: unknown, id?: string, description?: string | null): Promise<Investigation> {
  const r = await gql<{ saveInvestigation: Investigation }>(
    `mutation Save($input: InvestigationInput!) { saveInvestigation(input: $input) { ${INVESTIGATION_FIELDS} state } }`,
    { input: { id, name, state, ...(description === undefined ? {} : { description }) } });
  return r.saveInvestigation;
}

export async function loadInvestigation(id: string): Promise<Investigation | null> {
  const r = await gql<{ investigation: Investigation | null }>(
    `query Inv($id: ID!) { investigation(id: $id) { ${INVESTIGATION_FIELDS} state } }`, { id });
  return r.investigation;
}

export async function listInvestigations(): Promise<Investigation[]> {
  const r = await gql<{ investigations: Investigation[] }>(`{ investigations(first: 50) { ${INVESTIGATION_FIELDS} } }`);
  return r.investigations;
}

/** The API takes at most 500 ids per neighbourhood query. */
const MAX_IDS = 500;

/**
 * The links between `fresh` entities and `drawn` ones (and among the fresh), for connecting
 * new nodes to what is already on screen. One request per 500 ids: a neighbourhood whose
 * limit equals its id count returns just the links among its seeds.
 */
export async function linksBetween(fresh: string[], drawn: string[]): Promise<Link[]> {
  const room = Math.max(1, MAX_IDS - fresh.length);
  const chunks: string[][] = [];
  for (let i = 0; i < Math.max(1, drawn.length); i += room) chunks.push(drawn.slice(i, i + room));
  const freshSet = new Set(fresh);
  const out: Link[] = [];
  for (const chunk of chunks) {
    const ids = [...fresh.slice(0, MAX_IDS), ...chunk];
    const r = await gql<{ neighborhood: Subgraph }>(
      `query Between($ids: [ID!]!, $limit: Int) { neighborhood(ids: $ids, depth: 1, limit: $limit) { edges { ${linkFields()} } } }`,
      { ids, limit: ids.length });
    out.push(...r.neighborhood.edges.filter((e) => freshSet.has(e.from.id) || freshSet.has(e.to.id)));
  }
  return out;
}

// ---- entity resolution (docs/resolution.md) -------------------------------------------------

export type Verdict = 'SAME' | 'DIFFERENT' | 'UNSURE';
export interface MergeReason { kind: string; detail: string; score: number }
export interface MergeCandidate { a: Entity; b: Entity; score: number; reasons: MergeReason[]; judgement: Verdict | null }
export interface CandidatePage { items: MergeCandidate[]; totalCount: number; hasNextPage: boolean; endCursor: string | null }

export async function mergeCandidates(kind: Entity['kind'] | null, minScore: number, first: number, after: string | null): Promise<CandidatePage> {
  const r = await gql<{ mergeCandidates: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: MergeCandidate }> } }>(
    `query Candidates($kind: EntityKind, $minScore: Float, $first: Int, $after: String) {
       mergeCandidates(kind: $kind, minScore: $minScore, first: $first, after: $after) {
         totalCount pageInfo { hasNextPage endCursor }
         edges { node { a { ...EntityCore } b { ...EntityCore } score judgement reasons { kind detail score } } }
       }
     } ${ENTITY_CORE}`,
    { kind, minScore, first, after });
  const c = r.mergeCandidates;
  return { items: c.edges.map((e) => e.node), totalCount: c.totalCount, ...c.pageInfo };
}

export interface MergeDone { mergeId: string; from: string[]; linksMoved: number; linksCombined: number; linksDropped: number; entity: Entity }

export async function mergeEntities(into: string, from: string[], reason: string): Promise<MergeDone> {
  const r = await gql<{ mergeEntities: MergeDone }>(
    `mutation Merge($into: ID!, $from: [ID!]!, $reason: String) {
       mergeEntities(into: $into, from: $from, reason: $reason) { mergeId from linksMoved linksCombined linksDropped entity { ...EntityCore } }
     } ${ENTITY_CORE}`,
    { into, from, reason });
  return r.mergeEntities;
}

export async function unmergeEntities(mergeId: string): Promise<{ restored: Entity[]; linksRestored: number }> {
  const r = await gql<{ unmergeEntities: { restored: Entity[]; linksRestored: number } }>(
    `mutation Unmerge($mergeId: ID!) { unmergeEntities(mergeId: $mergeId) { restored { ...EntityCore } linksRestored } } ${ENTITY_CORE}`,
    { mergeId });
  return r.unmergeEntities;
}

export async function judgeCandidate(a: string, b: string, verdict: Verdict, note: string | null): Promise<void> {
  await gql(`mutation Judge($a: ID!, $b: ID!, $verdict: Verdict!, $note: String) { judgeCandidate(a: $a, b: $b, verdict: $verdict, note: $note) { verdict } }`,
    { a, b, verdict, note });
}

export interface MergeRecordRow { id: string; at: string; actor: string; into: string; from: string[]; reason: string | null; undoneAt: string | null }

export async function recentMerges(first = 10): Promise<MergeRecordRow[]> {
  const r = await gql<{ merges: MergeRecordRow[] }>(`query Merges($first: Int) { merges(first: $first) { id at actor into from reason undoneAt } }`, { first });
  return r.merges;
}
