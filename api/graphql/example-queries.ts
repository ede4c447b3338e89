// The analyst questions as ready queries: GraphiQL opens with them as tabs, and
// docs/queries.md shows each with its answer on the seed graph (npm run docs:queries).
export interface ExampleQuery {
  title: string;
  question: string;
  query: string;
}

export const EXAMPLE_QUERIES: ExampleQuery[] = [
  {
    title: 'Paths',
    question: 'How are Democratic voters connected to Iran, in at most 4 hops, and on what evidence?',
    query: `{
  paths(from: "tg-democratic-voters", to: "iran", maxHops: 4, limit: 3) {
    hops
    confidence
    nodes { id kind name }
    edges { type confidence citations { locator quote source { title } } }
  }
}`,
  },
  {
    title: 'Paths to a kind',
    question: 'Which state actors can be reached from the Estonian website, and through what?',
    query: `{
  paths(from: "host-estonian-textbook-site", toKind: STATE_ACTOR, limit: 3) {
    hops confidence nodes { name kind }
  }
}`,
  },
  {
    title: 'Overlap',
    question: 'What do the Saudi and the Estonian hosts have in common?',
    query: `{
  overlap(ids: ["host-saudi-insurer-network", "host-estonian-textbook-site"]) {
    between { name }
    shared { id kind name }
    windowsOverlap from to
  }
}`,
  },
  {
    title: 'Shared infrastructure',
    question: 'Which other campaigns share hosts, personas, techniques or data with the spoofed-email campaign?',
    query: `{
  overlap(ids: ["campaign-iran-spoofed-emails-2020"], kinds: [CAMPAIGN, STATE_ACTOR, THREAT_GROUP]) {
    between { name }
    shared { kind name }
  }
}`,
  },
  {
    title: 'Timeline',
    question: 'What happened in the spoofed-email campaign, in order, with sources?',
    query: `{
  timeline(id: "campaign-iran-spoofed-emails-2020") {
    at summary sources { title }
  }
}`,
  },
  {
    title: 'As of a date',
    question: 'What did the graph say about Russia as of 1 January 2017, at confidence 80 or more?',
    query: `{
  neighborhood(ids: ["russia"], depth: 1, filter: { asOf: "2017-01-01", minConfidence: 80 }) {
    nodes { name kind }
    edges { type confidence firstSeen lastSeen }
  }
}`,
  },
  {
    title: 'Single-source claims',
    question: 'Which links rest on a single source?',
    query: `{
  claims(filter: { singleSource: true }, first: 5) {
    totalCount
    edges { node { sourceCount sources { title } link { type from { name } to { name } confidence } } }
  }
}`,
  },
  {
    title: 'Conflicting claims',
    question: 'Where do sources conflict (opposite assertions, or one subject attributed to different actors)?',
    query: `{
  claims(filter: { conflicting: true }) {
    totalCount
    edges { node { link { type from { name } to { name } } conflictsWith { to { name } citations { source { title } } } } }
  }
}`,
  },
  {
    title: 'Negative findings',
    question: 'What does the evidence say did NOT happen?',
    query: `{
  claims(filter: { assertion: NEGATED }) {
    edges { node { link { type from { name } to { name } description citations { locator quote } } } }
  }
}`,
  },
  {
    title: 'Browse',
    question: 'List the hosts, a page at a time.',
    query: `{
  entities(kind: HOST, first: 2) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id name ... on Host { compromised owner country } } }
  }
}`,
  },
  {
    title: 'Source',
    question: 'What does Proofpoint\u2019s analysis assert?',
    query: `{
  source(id: "src-proofpoint-analysis") {
    title publisher reliability
    asserts { type from { name } to { name } confidence }
  }
}`,
  },
  {
    title: 'Search and stats',
    question: 'Find "Estonia"; count the graph.',
    query: `{
  search(text: "Estonia") { score entity { id kind name } }
  stats { nodes links byKind { kind count } }
}`,
  },
];
