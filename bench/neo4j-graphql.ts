// The same database served by @neo4j/graphql (auto-generated resolvers), with the closest
// equivalent of each of our query classes. @neo4j/graphql relationship fields are typed, so
// "all links of an entity" is one connection field per link type and direction (30 fields).
// Queries with no equivalent (shortest paths, shared-neighbour overlap) are null, with the reason.
import { Neo4jGraphQL } from '@neo4j/graphql';
import { createYoga } from 'graphql-yoga';
import type { Driver } from 'neo4j-driver';
import { LINK_TYPE_NAMES } from '../model/model.js';
import { luceneQuery } from '../api/store/read-graph.js';
import { post, serve, type Served } from './http.js';
import type { Input } from './queries.js';

const camel = (t: string) => t.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const FIELDS = LINK_TYPE_NAMES.flatMap((t) => [
  { name: `${camel(t)}Out`, type: t, direction: 'OUT' }, { name: `${camel(t)}In`, type: t, direction: 'IN' },
]);

export const TYPE_DEFS = `
type Link @relationshipProperties {
  id: ID! confidence: Int firstSeen: String lastSeen: String tlp: String assertion: String
  citeSources: [String!] citeLocators: [String!]
}
type Entity @node(labels: ["Entity"])
  @fulltext(indexes: [{ indexName: "entity_text", queryName: "searchEntities", fields: ["name", "aliasText", "description"] }]) {
  id: ID! kind: String! name: String! aliasText: String description: String tlp: String
${FIELDS.map((f) => `  ${f.name}: [Entity!]! @relationship(type: "${f.type}", direction: ${f.direction}, properties: "Link")`).join('\n')}
}`;

/** The visibility our anonymous reader gets (TLP:CLEAR on both the link and the far end). */
const VISIBLE = 'where: { edge: { tlp: { eq: "CLEAR" } }, node: { tlp: { eq: "CLEAR" } } }';

/** Every link of an entity, strongest first, `first` per field. */
function allLinks(first: number, nodeSelection = 'id name', edgeSelection = 'id confidence'): string {
  return FIELDS.map((f) => `${f.name}Connection(first: ${first}, sort: [{ edge: { confidence: DESC } }], ${VISIBLE}) {
    edges { properties { ${edgeSelection} } node { ${nodeSelection} } } }`).join('\n');
}

type Obj = Record<string, unknown>;
interface Edge { properties: Obj; node: Obj }
/** The edges of all 30 connection fields of one returned entity. */
function edgesOf(entity: Obj | undefined): Edge[] {
  if (!entity) return [];
  return FIELDS.flatMap((f) => ((entity[`${f.name}Connection`] as { edges?: Edge[] } | undefined)?.edges ?? []));
}

export interface Equivalent {
  /** Runs the equivalent (one or more HTTP requests) and returns the ids to compare with ours. */
  run(url: string, input: Input): Promise<string[]>;
  note: string;
}

async function data(url: string, query: string, variables: Obj): Promise<Obj> {
  const r = await post(url, query, variables);
  if (r.errors?.length) throw new Error(`@neo4j/graphql: ${r.errors[0].message}`);
  return r.data ?? {};
}

const byId = (first: number, nodeSel?: string, edgeSel?: string) =>
  `query($ids: [ID!]!) { entities(where: { id: { in: $ids }, tlp: { eq: "CLEAR" } }) { id name ${allLinks(first, nodeSel, edgeSel)} } }`;

async function level(url: string, ids: string[], first: number): Promise<Obj[]> {
  return (await data(url, byId(first), { ids })).entities as Obj[];
}

export const EQUIVALENTS: Record<string, Equivalent | null> = {
  'entity+citations': {
    note: '50 strongest links per type and direction (ours: 50 overall); citation sources come back as ids only (no join on a list property)',
    run: async (url, i) => {
      const [e] = (await data(url, byId(50, 'id name', 'id confidence firstSeen lastSeen citeSources citeLocators'), { ids: [i.id] })).entities as Obj[];
      return e ? [String(e.id), ...edgesOf(e).map((x) => String(x.node.id))] : [];
    },
  },
  search: {
    note: 'same full-text index and Lucene query; ranked by score only (ours puts an exact name first)',
    run: async (url, i) => {
      const q = `query($q: String!) { searchEntities(phrase: $q, first: 20, where: { node: { tlp: { eq: "CLEAR" } } }) { edges { score node { id kind name } } } }`;
      const r = (await data(url, q, { q: luceneQuery(i.text ?? '') })).searchEntities as { edges: Edge[] };
      return r.edges.map((e) => String(e.node.id));
    },
  },
  'neighborhood-d1': {
    note: 'one request with 30 connection fields (500 per field); no global strongest-500 cut and no links among the neighbours',
    run: async (url, i) => {
      const [e] = await level(url, [i.id], 500);
      return e ? [String(e.id), ...edgesOf(e).map((x) => String(x.node.id))] : [];
    },
  },
  'neighborhood-d2': {
    note: 'breadth-first like ours: one request per level (30 connection fields, 500 per field); it follows hubs (degree > 500) past the seed where ours lists them as unexpanded',
    run: async (url, i) => {
      const first = await level(url, [i.id], 500);
      const frontier = [...new Set(first.flatMap((e) => edgesOf(e).map((x) => String(x.node.id))))];
      const second = frontier.length ? await level(url, frontier, 500) : [];
      return [i.id, ...frontier, ...second.flatMap((e) => edgesOf(e).map((x) => String(x.node.id)))];
    },
  },
  paths: null,
  overlap: null,
  timeline: {
    note: 'own links plus the links of what it USES, 30 connection fields at each of the two levels, sorted client-side',
    run: async (url, i) => {
      const q = `query($id: ID!) { entities(where: { id: { eq: $id }, tlp: { eq: "CLEAR" } }) { id ${allLinks(1000, 'id', 'id firstSeen confidence')}
        used: usesOutConnection(${VISIBLE}) { edges { node { id ${allLinks(1000, 'id', 'id firstSeen confidence')} } } } } }`;
      const [e] = (await data(url, q, { id: i.id })).entities as Obj[];
      if (!e) return [];
      const used = ((e.used as { edges: Edge[] }).edges).map((x) => x.node);
      const own = edgesOf(e).map((x) => String(x.properties.id));
      const theirs = used.flatMap((m) => edgesOf(m).filter((x) => x.node.id !== e.id).map((x) => String(x.properties.id)));
      return [...new Set([...own, ...theirs])];
    },
  },
};

export const NO_EQUIVALENT: Record<string, string> = {
  paths: '@neo4j/graphql generates no shortest-path query (it would need a @cypher field, i.e. our own Cypher)',
  overlap: 'shared neighbours grouped by the other party need aggregation across typed fields; only a @cypher field could express it',
};

export async function serveNeo4jGraphql(driver: Driver): Promise<Served> {
  const schema = await new Neo4jGraphQL({ typeDefs: TYPE_DEFS, driver }).getSchema();
  const yoga = createYoga({ schema, graphqlEndpoint: '/graphql', landingPage: false, graphiql: false, logging: false });
  return serve(yoga.requestListener);
}
