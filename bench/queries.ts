// The query classes the benchmark times: each one's GraphQL text for our API, its inputs, and
// which entities (or links) a result holds, so that other implementations can be checked against it.

export interface Input { id: string; to?: string; text?: string }

export interface QueryClass {
  name: string;
  /** Our GraphQL query. */
  query: string;
  vars(input: Input): Record<string, unknown>;
  /** Ids (entities, or links for timeline) in a result of ours, for the pairing check. */
  ids(data: Record<string, unknown>): string[];
  /** Which sampled inputs it takes. */
  input: 'entity' | 'campaign' | 'text' | 'pair';
}

type Obj = Record<string, unknown>;
const list = (x: unknown): Obj[] => (Array.isArray(x) ? (x as Obj[]) : []);
const idOf = (x: unknown): string => String((x as { id?: string | number } | null)?.id ?? '');

const SUBGRAPH = 'truncated nodes { id kind name } edges { id type confidence from { id } to { id } }';

export const QUERY_CLASSES: QueryClass[] = [
  {
    name: 'entity+citations', input: 'entity',
    query: `query($id: ID!) { entity(id: $id) { id kind name description tlp
      links(first: 50) { id type confidence firstSeen lastSeen from { id name } to { id name } citations { locator quote source { id name } } } } }`,
    vars: (i) => ({ id: i.id }),
    ids: (d) => {
      const e = d.entity as Obj | null;
      return e ? [idOf(e), ...list(e.links).flatMap((l) => [idOf(l.from), idOf(l.to)])] : [];
    },
  },
  {
    name: 'search', input: 'text',
    query: 'query($text: String!) { search(text: $text, first: 20) { score entity { id kind name } } }',
    vars: (i) => ({ text: i.text }),
    ids: (d) => list(d.search).map((h) => idOf(h.entity)),
  },
  {
    name: 'neighborhood-d1', input: 'entity',
    query: `query($id: ID!) { neighborhood(ids: [$id], depth: 1, limit: 500) { ${SUBGRAPH} } }`,
    vars: (i) => ({ id: i.id }),
    ids: (d) => list((d.neighborhood as Obj).nodes).map(idOf),
  },
  {
    name: 'neighborhood-d2', input: 'entity',
    query: `query($id: ID!) { neighborhood(ids: [$id], depth: 2, limit: 500) { ${SUBGRAPH} } }`,
    vars: (i) => ({ id: i.id }),
    ids: (d) => list((d.neighborhood as Obj).nodes).map(idOf),
  },
  {
    name: 'paths', input: 'pair',
    query: `query($id: ID!, $to: ID!) { paths(from: $id, to: $to, maxHops: 4, limit: 5) {
      hops confidence nodes { id name } edges { id type confidence citations { locator } } } }`,
    vars: (i) => ({ id: i.id, to: i.to }),
    ids: (d) => list(d.paths).flatMap((p) => list(p.nodes).map(idOf)),
  },
  {
    name: 'overlap', input: 'campaign',
    query: `query($id: ID!) { overlap(ids: [$id], first: 20) { between { id name } shared { id kind name } from to windowsOverlap } }`,
    vars: (i) => ({ id: i.id }),
    ids: (d) => list(d.overlap).flatMap((o) => [...list(o.between), ...list(o.shared)].map(idOf)),
  },
  {
    name: 'timeline', input: 'campaign',
    query: `query($id: ID!) { timeline(id: $id) { at until summary link { id type confidence } sources { id name } } }`,
    vars: (i) => ({ id: i.id }),
    ids: (d) => list(d.timeline).map((t) => idOf(t.link)),
  },
];

/** The class the concurrency runs use. */
export const CONCURRENCY_CLASS = 'neighborhood-d2';
