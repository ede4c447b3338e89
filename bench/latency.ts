// Per-class latency, three ways on the same inputs, interleaved so that caches warm evenly (ours and
// raw take turns going first):
// our GraphQL endpoint over HTTP, the same Cypher replayed through the driver, and the
// @neo4j/graphql equivalent over HTTP. Before timing, a sample of inputs checks that the
// @neo4j/graphql answer holds the same entities as ours.
import type { App } from '../api/http/app.js';
import type { Executor } from '../api/store/executor.js';
import { replay, type Replay } from './capture.js';
import { postOk } from './http.js';
import { EQUIVALENTS, NO_EQUIVALENT } from './neo4j-graphql.js';
import type { Input, QueryClass } from './queries.js';
import { percentiles, ratio, timed, type Percentiles } from './stats.js';

export interface Pairing { checked: number; same: number; subset: number; differs: number }

export interface ClassResult {
  ours: Percentiles;
  raw: Percentiles;
  neo4jGraphql: Percentiles | null;
  overhead: number | null;
  vsNeo4jGraphql: number | null;
  pairing: Pairing | null;
  errors: { ours: number; raw: number; neo4jGraphql: number };
  note: string;
}

/** Records the Cypher our API sends for one request, through an app built on a recording executor. */
export type Capture = (qc: QueryClass, input: Input) => Promise<{ data: Record<string, unknown>; statements: Replay }>;

export function captureWith(app: App, take: () => Replay): Capture {
  return async (qc, input) => {
    take();
    const res = await app.fetch('http://bench/graphql', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: qc.query, variables: qc.vars(input) }),
    });
    const body = await res.json() as { data?: Record<string, unknown>; errors?: Array<{ message: string }> };
    if (body.errors?.length) throw new Error(`${qc.name}: ${body.errors[0].message}`);
    return { data: body.data ?? {}, statements: take() };
  };
}

function compare(ours: string[], theirs: string[]): keyof Omit<Pairing, 'checked'> {
  const a = new Set(ours.filter(Boolean));
  const b = new Set(theirs.filter(Boolean));
  if ([...a].every((x) => b.has(x))) return a.size === b.size ? 'same' : 'subset';
  return 'differs';
}

export async function measureClass(
  qc: QueryClass, inputs: Input[],
  ctx: { ex: Executor; ourUrl: string; ngUrl: string; capture: Capture; pairSample: number; tick: () => void; ngBudgetMs: number },
): Promise<ClassResult> {
  const equivalent = EQUIVALENTS[qc.name];
  const captured: Replay[] = [];
  const pairing: Pairing | null = equivalent ? { checked: 0, same: 0, subset: 0, differs: 0 } : null;
  for (const [i, input] of inputs.entries()) {
    const { data, statements } = await ctx.capture(qc, input);
    captured.push(statements);
    if (equivalent && pairing && i < ctx.pairSample) {
      const theirs = await equivalent.run(ctx.ngUrl, input).catch(() => null);
      pairing.checked++;
      if (theirs) pairing[compare(qc.ids(data), theirs)]++;
      else pairing.differs++;
    }
  }
  const samples = { ours: [] as number[], raw: [] as number[], ng: [] as number[] };
  const errors = { ours: 0, raw: 0, neo4jGraphql: 0 };
  const attempt = async (fn: () => Promise<unknown>, into: number[], key: keyof typeof errors) => {
    try { into.push(await timed(fn)); } catch { errors[key]++; }
  };
  let ngSpent = 0;
  for (const [i, input] of inputs.entries()) {
    // Which goes first alternates: the same statements run again at once find Neo4j warm (a search's
    // full-text lookup takes half the time the second time), and always running ours first charged
    // that to ours.
    const ours = () => attempt(() => postOk(ctx.ourUrl, qc.query, qc.vars(input)), samples.ours, 'ours');
    const raw = () => attempt(() => replay(ctx.ex, captured[i]), samples.raw, 'raw');
    for (const run of i % 2 ? [raw, ours] : [ours, raw]) await run();
    // @neo4j/graphql can take tens of seconds per call on hub-heavy classes at L: it gets a time
    // budget per class and keeps the runs it finished within it (their count is reported).
    if (equivalent && ngSpent < ctx.ngBudgetMs) {
      const before = performance.now();
      await attempt(() => equivalent.run(ctx.ngUrl, input), samples.ng, 'neo4jGraphql');
      ngSpent += performance.now() - before;
    }
    ctx.tick();
  }
  const ours = percentiles(samples.ours);
  const raw = percentiles(samples.raw);
  const ng = equivalent && samples.ng.length ? percentiles(samples.ng) : null;
  return {
    ours, raw, neo4jGraphql: ng, overhead: ratio(ours.p50, raw.p50), vsNeo4jGraphql: ratio(ours.p50, ng?.p50),
    pairing, errors, note: equivalent?.note ?? NO_EQUIVALENT[qc.name] ?? '',
  };
}

/** What any request costs over HTTP with no database work: `{ __typename }` through our endpoint. */
export async function transportFloor(ourUrl: string, runs: number): Promise<Percentiles> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await timed(() => postOk(ourUrl, '{ __typename }', {})));
  return percentiles(samples);
}
