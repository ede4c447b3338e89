// npm run bench -- [--size XS|S|M|L] [--json out.json] [--runs N] [--duration S] [--import-size XS|S|M]
//   [--viewer-sizes 1000,5000,20000] [--no-viewer] [--ng-budget SECONDS] [--db FOLDER] [--reset]
//   [--classes entity+citations,paths,…] [--queries-only] [--viewer-only] [--viewer-runs N]
// Runs against a Neo4j of its own (.data/neo4j-bench on Bolt 7688, started and stopped here)
// unless NEO4J_URI, NEO4J_HOME_DIR or --db names another. It loads the graph when the database
// does not hold it, but refuses to empty a database holding data that is not synthetic unless
// --reset (which deletes everything in it).
// Everything side by side against a graph of that size: per-class latency (ours over HTTP vs.
// the same Cypher through the driver vs. @neo4j/graphql), autocannon at 1/10/50 connections,
// import rate, viewer timings and memory. Loopback only. --viewer-only times the viewer alone (its
// timings draw synthetic elements in the page: no database is started or read).
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import neo4j from 'neo4j-driver';
import { createApp } from '../api/http/app.js';
import { neo4jSettings } from '../core/config.js';
import { Executor } from '../api/store/executor.js';
import { migrate } from '../api/store/migrations.js';
import { localDbConfig, startDb, stopDb } from '../db/launcher.js';
import { isSizeName, type SizeName } from '../seed/synthetic.js';
import { recordingExecutor } from '../bench/capture.js';
import { loadTest, type LoadResult } from '../bench/concurrency.js';
import { serve } from '../bench/http.js';
import { sampleInputs } from '../bench/inputs.js';
import { captureWith, measureClass, transportFloor, type ClassResult } from '../bench/latency.js';
import { ensureGraph, importComparison, type ImportResult } from '../bench/load.js';
import { benchTarget, RefusedToEmpty } from '../bench/safety.js';
import { neo4jHeapMb, peakRssMb } from '../bench/memory.js';
import { serveNeo4jGraphql } from '../bench/neo4j-graphql.js';
import { CONCURRENCY_CLASS, QUERY_CLASSES } from '../bench/queries.js';
import { queryTable, report, summaryLine, viewerTable, type BenchResult } from '../bench/report.js';
import { findChromium, noChromium } from '../bench/chromium.js';
import { VIEWER_BENCH, viewerBench, type ViewerResult } from '../bench/viewer.js';

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: 'S' },
    json: { type: 'string' },
    runs: { type: 'string', default: '200' },
    duration: { type: 'string', default: '10' },
    'import-size': { type: 'string' },
    'viewer-sizes': { type: 'string' },
    'no-viewer': { type: 'boolean', default: false },
    'ng-budget': { type: 'string', default: '180' },
    db: { type: 'string' },
    reset: { type: 'boolean', default: false },
    // A before/after comparison of a few classes: only these, and nothing past the query phase.
    classes: { type: 'string' },
    'queries-only': { type: 'boolean', default: false },
    'viewer-only': { type: 'boolean', default: false },
    'viewer-runs': { type: 'string', default: '3' },
  },
});

const log = (s: string) => process.stderr.write(`${s}\n`);

async function main(): Promise<void> {
  const size = args.size;
  if (!isSizeName(size)) throw new Error('--size must be XS, S, M or L');
  const runs = Number(args.runs);
  const wanted = args.classes?.split(',').map((c) => c.trim()).filter(Boolean) ?? null;
  const unknown = wanted?.filter((c) => !QUERY_CLASSES.some((q) => q.name === c)) ?? [];
  if (unknown.length) throw new Error(`--classes: unknown ${unknown.join(', ')} (known: ${QUERY_CLASSES.map((q) => q.name).join(', ')})`);
  const classes = wanted ? QUERY_CLASSES.filter((q) => wanted.includes(q.name)) : QUERY_CLASSES;
  const queriesOnly = args['queries-only'];
  const small = size === 'XS';
  const importSize = (args['import-size'] ?? (small ? 'XS' : 'S')) as SizeName;
  const viewerSizes = (args['viewer-sizes'] ?? (small ? '1000,5000' : '1000,5000,20000')).split(',').map(Number);
  // Said at the start, not after the long run: without a browser the viewer timings are left out.
  const browser = args['no-viewer'] || queriesOnly ? null : findChromium();
  if (browser?.missing) log(`${noChromium(VIEWER_BENCH, browser.missing)} (skipped; --no-viewer silences this)`);
  const viewerRuns = Number(args['viewer-runs']);
  if (!Number.isInteger(viewerRuns) || viewerRuns < 1) throw new Error('--viewer-runs must be a whole number ≥ 1');
  if (args['viewer-only']) return viewerOnly(viewerSizes, viewerRuns);
  const target = benchTarget(process.env, args.db);
  const dbConfig = localDbConfig(target.env);
  let startedDb = false;
  if (target.local) {
    log(`bench: database ${target.where}`);
    startedDb = (await startDb(dbConfig)).started;
  }
  const settings = neo4jSettings(target.env);
  const ex = new Executor(settings, 30_000);
  const ngDriver = neo4j.driver(settings.uri, neo4j.auth.basic(settings.user, settings.password));
  const closers: Array<() => Promise<void>> = [() => ex.close(), () => ngDriver.close()];
  try {
    await migrate(ex);
    const graph = await ensureGraph(ex, size, log, { reset: args.reset, where: target.where });
    if (graph.summary) log(graph.summary);
    // No rate limit: the bench is one client on purpose.
    const ours = await serve(createApp({ executor: ex, rateLimit: false }).requestListener);
    closers.unshift(ours.close);
    const ng = await serveNeo4jGraphql(ngDriver);
    closers.unshift(ng.close);
    const recorder = recordingExecutor(ex);
    const capture = captureWith(createApp({ executor: recorder.executor, rateLimit: false }), recorder.take);
    const inputs = await sampleInputs(ex, runs);

    const bar = new cliProgress.SingleBar({ format: 'bench {stage} [{bar}] {value}/{total}', stream: process.stderr, fps: 2,
      noTTYOutput: !process.stderr.isTTY, notTTYSchedule: 5000 }, cliProgress.Presets.shades_classic);
    bar.start(classes.length * runs, 0, { stage: 'queries' });
    const queries: Record<string, ClassResult> = {};
    for (const qc of classes) {
      bar.update({ stage: qc.name });
      queries[qc.name] = await measureClass(qc, inputs[qc.input], {
        ex, ourUrl: ours.url, ngUrl: ng.url, capture, pairSample: Math.min(10, runs), tick: () => bar.increment(),
        ngBudgetMs: Number(args['ng-budget']) * 1000,
      });
    }
    bar.stop();
    const floor = await transportFloor(ours.url, runs);
    if (queriesOnly) {
      console.log(queryTable(queries, floor, `\nQueries at ${size}, ${runs} runs each`));
      if (args.json) fs.writeFileSync(args.json, JSON.stringify({ size, runs, at: new Date().toISOString(), queries, transportFloor: floor }, null, 2));
      return;
    }

    const concurrency: LoadResult[] = [];
    const loadClass = QUERY_CLASSES.find((q) => q.name === CONCURRENCY_CLASS)!;
    for (const c of [1, 10, 50]) {
      log(`bench: autocannon ${c} connection(s), ${args.duration} s on ${CONCURRENCY_CLASS}`);
      concurrency.push(await loadTest(ours.url, loadClass, inputs[loadClass.input], c, Number(args.duration)));
    }
    const rssAfterLoad = peakRssMb();

    log(`bench: import comparison on the ${importSize} graph (ours, then a plain UNWIND-MERGE loop)`);
    const importResult: ImportResult = await importComparison(ex, importSize);

    let viewer: ViewerResult | null = null;
    if (browser?.path) {
      log(`bench: viewer in headless Chromium (${browser.path})`);
      viewer = await viewerBench(ours.url.replace(/\/graphql$/, '/'), viewerSizes, viewerRuns);
    }
    const result: BenchResult = {
      size, runs, at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version,
        neo4jHeap: dbConfig.heap, neo4jPagecache: dbConfig.pagecache },
      graph: { size, loadedNow: graph.loaded, loadSummary: graph.summary ?? null },
      queries, transportFloor: floor, concurrency, import: importResult, viewer,
      memory: { apiPeakRssMb: Math.max(rssAfterLoad, peakRssMb()), apiPeakRssMbBeforeImport: rssAfterLoad, neo4jHeap: await neo4jHeapMb(ex) },
      summary: '',
    };
    result.summary = summaryLine(result);
    console.log(report(result));
    if (args.json) fs.writeFileSync(args.json, JSON.stringify(result, null, 2));
    console.log(result.summary);
  } finally {
    for (const close of closers) await close().catch(() => undefined);
    if (startedDb) await stopDb(dbConfig);
  }
}

/** The viewer's timings alone: the page draws synthetic elements, so the API behind it needs no database. */
async function viewerOnly(sizes: number[], runs: number): Promise<void> {
  const browser = findChromium();
  if (browser.missing) throw new Error(noChromium(VIEWER_BENCH, browser.missing));
  const ex = new Executor(neo4jSettings(process.env), 5_000);
  const app = await serve(createApp({ executor: ex, rateLimit: false }).requestListener);
  try {
    log(`bench: viewer only, in headless Chromium (${browser.path}), ${runs} run(s) per expansion`);
    const v = await viewerBench(app.url.replace(/\/graphql$/, '/'), sizes, runs);
    console.log(viewerTable(v));
    const x = v.expandLaidOutMs ?? {};
    console.log(`bench: viewer ${Object.entries(x).map(([n, ms]) => `expand200_at_${n}_ms=${ms}`).join(' ')} view5k_ms=${v.firstRenderMs['5000'] ?? 'n/a'}`
      + ` relayout2k_ms=${v.relayout2k?.ms ?? 'n/a'} relayout2k_overlaps=${v.relayout2k?.overlaps ?? 'n/a'} frame_p95_ms=${v.frameMs.p95}`);
  } finally {
    await app.close();
    await ex.close();
  }
}

main().then(() => process.exit(0), (e: Error) => {
  console.error(e instanceof RefusedToEmpty ? e.message : `bench failed: ${e.stack ?? e.message}`);
  process.exit(1);
});
