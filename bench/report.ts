// The printed tables and the one-line summary of a benchmark run.
import type { LoadResult } from './concurrency.js';
import type { ClassResult } from './latency.js';
import type { ImportResult } from './load.js';
import { table, type Percentiles } from './stats.js';
import type { ViewerResult } from './viewer.js';

export interface BenchResult {
  size: string;
  runs: number;
  at: string;
  machine: Record<string, string | number>;
  graph: { size: string; loadedNow: boolean; loadSummary: string | null };
  queries: Record<string, ClassResult>;
  /** `{ __typename }` over HTTP: the per-request floor every class pays. */
  transportFloor: Percentiles;
  concurrency: LoadResult[];
  import: ImportResult;
  viewer: ViewerResult | null;
  memory: { apiPeakRssMb: number; apiPeakRssMbBeforeImport: number; neo4jHeap: { usedMb: number; committedMb: number; maxMb: number } | null };
  summary: string;
}

const worst = (xs: Array<number | null>): number | null => {
  const ok = xs.filter((x): x is number => x !== null);
  return ok.length ? Math.max(...ok) : null;
};

export function summaryLine(r: BenchResult): string {
  const classes = Object.values(r.queries);
  const fmt = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : String(x));
  return `bench: overhead_p50=${fmt(worst(classes.map((c) => c.overhead)))} vs_neo4j_graphql_p50=${fmt(worst(classes.map((c) => c.vsNeo4jGraphql)))} `
    + `import_ratio=${fmt(r.import.ratio)} view5k_ms=${fmt(r.viewer?.firstRenderMs['5000'])}`;
}

/** The per-class latency table with its notes and the transport floor. */
export function queryTable(queries: Record<string, ClassResult>, floor: Percentiles, heading = ''): string {
  const q = Object.entries(queries).map(([name, c]) => [
    name, c.ours.p50, c.ours.p95, c.ours.p99, c.raw.p50, c.raw.p95, c.raw.p99, c.overhead,
    c.neo4jGraphql?.p50, c.neo4jGraphql?.p95, c.neo4jGraphql?.p99, c.vsNeo4jGraphql,
    c.pairing ? `${c.pairing.same}=/${c.pairing.subset}⊂/${c.pairing.differs}≠` : null,
    `${c.errors.ours}/${c.errors.raw}/${c.errors.neo4jGraphql}`,
  ]);
  return [
    `${heading}, ms (ours = GraphQL over HTTP; raw = same Cypher via neo4j-driver; n4jgql = @neo4j/graphql)`,
    table(['class', 'ours p50', 'p95', 'p99', 'raw p50', 'p95', 'p99', 'ours/raw', 'n4jgql p50', 'p95', 'p99', 'ours/n4jgql', 'pairing', 'errors'], q),
    ...Object.entries(queries).filter(([, c]) => c.note).map(([name, c]) => `  ${name}: ${c.note}`),
    ...Object.entries(queries).filter(([, c]) => c.neo4jGraphql && c.neo4jGraphql.runs < c.ours.runs)
      .map(([name, c]) => `  ${name}: @neo4j/graphql finished ${c.neo4jGraphql!.runs} of ${c.ours.runs} runs within its time budget`),
    `  HTTP + GraphQL floor ({ __typename }, no database): p50 ${floor.p50} ms, p95 ${floor.p95} ms`,
  ].join('\n');
}

/** The viewer's timings (bench/viewer.ts) as a table under its heading. */
export function viewerTable(v: ViewerResult): string {
  return [`\nViewer (${v.page === 'viewer' ? 'the real viewer page' : 'minimal Cytoscape page under bench/'}, canvas, headless Chromium)`,
    table(['measure', 'ms'], [
      ...Object.entries(v.firstRenderMs).map(([n, ms]) => [`first render ${n} elements`, ms]),
      ['expand 200 neighbours', v.expand200Ms],
      ...Object.entries(v.expandLaidOutMs ?? {}).map(([n, ms]) => [`expand 200 neighbours, placed, at ${n} elements (median)`, ms]),
      ...(v.relayout2k ? [[`⟳ 2,000 nodes (${v.relayout2k.overlaps} overlapping pairs after, ${v.relayout2k.width}×${v.relayout2k.height})`, v.relayout2k.ms]] : []),
      [`pan/zoom frame, median (${v.frameMs.frames} frames)`, v.frameMs.median],
      ['pan/zoom frame, p95', v.frameMs.p95],
    ])].join('\n');
}

export function report(r: BenchResult): string {
  const parts = [
    queryTable(r.queries, r.transportFloor, `\nQueries at ${r.size}, ${r.runs} runs each`),
    '\nConcurrency (autocannon, neighborhood depth 2)',
    table(['connections', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'requests'],
      r.concurrency.map((c) => [c.connections, c.reqPerSec, c.p50, c.p99, c.errors, c.requests])),
    '\nImport (links/s)',
    table(['records', 'links', 'ours (bulkLoad)', 'raw UNWIND-MERGE', 'ratio', 'raw + provenance properties'],
      [[r.import.records, r.import.links, r.import.oursLinksPerSec, r.import.rawLinksPerSec, r.import.ratio, r.import.rawWithProvenanceLinksPerSec]]),
  ];
  if (r.viewer) parts.push(viewerTable(r.viewer));
  const heap = r.memory.neo4jHeap;
  parts.push('\nMemory', table(['measure', 'MB'], [
    ['API process peak RSS (queries + load tests)', r.memory.apiPeakRssMbBeforeImport],
    ['API process peak RSS (incl. import comparison)', r.memory.apiPeakRssMb],
    ['Neo4j heap used', heap?.usedMb], ['Neo4j heap committed', heap?.committedMb], ['Neo4j heap max', heap?.maxMb],
  ]), '');
  return parts.join('\n');
}
