// Expensive neighbourhoods kept per graph version. A hub's neighbourhood ranks every one of its
// tens of thousands of links (0.3 s at L) and investigators open the same hubs again and again, so
// an answer that took longer than EXPENSIVE_MS is kept, keyed by everything it depends on
// (arguments and clearance) and the store-wide change marker, until the next write. Cheap answers
// never pay for the marker's read: only a request seen to be expensive before looks it up.
import type { Tlp } from '../../model/model.js';
import type { Budget } from './budget.js';
import type { Executor } from './executor.js';
import type { GraphFilter } from './filter.js';
import { neighborhood, type Subgraph } from './neighborhood.js';
import { graphVersion, ResultCache } from './result-cache.js';

/** An answer slower than this is worth keeping. */
export const EXPENSIVE_MS = 100;
/** At most this many answers kept (a hub's answer at limit 500 holds about 1 MB). */
const ANSWERS = 32;

const answers = new ResultCache(ANSWERS);
/** Argument keys whose answer was expensive (no version: it says only that a lookup may pay). */
const expensive = new ResultCache(1024);

export interface NeighborhoodArgs {
  ids: string[]; depth: number; filter: GraphFilter | null | undefined; limit: number; clearance: Tlp;
  offset: number; hubDegree: number; withCitations: boolean;
}

/** Requests being answered, by arguments, clearance and budget: an identical request arriving meanwhile waits for the same answer. */
const inFlight = new Map<string, Promise<Subgraph & { cached: boolean }>>();

/**
 * The answer to `a`, kept or shared where it may be. `budgetAsked`: the caller set the time budget
 * and so asks for what can be read within it: such a request is always read, never kept.
 */
export function cachedNeighborhood(
  ex: Executor, a: NeighborhoodArgs, budget: Budget, { budgetAsked = false, expensiveMs = EXPENSIVE_MS } = {},
): Promise<Subgraph & { cached: boolean }> {
  if (budgetAsked) return computeNeighborhood(ex, a, budget).then((answer) => ({ ...answer, cached: false }));
  const argsKey = JSON.stringify([ex.settings.uri, ex.settings.database, a.ids, a.depth, a.filter ?? null, a.limit, a.clearance, a.offset, a.hubDegree, a.withCitations]);
  // Fifty investigators opening the same hub at once would otherwise each rank its links.
  const flightKey = JSON.stringify([argsKey, budget.ms]);
  const pending = inFlight.get(flightKey);
  if (pending) return pending;
  const answer = answerOf(ex, a, budget, argsKey, expensiveMs).finally(() => inFlight.delete(flightKey));
  inFlight.set(flightKey, answer);
  return answer;
}

async function answerOf(ex: Executor, a: NeighborhoodArgs, budget: Budget, argsKey: string, expensiveMs: number): Promise<Subgraph & { cached: boolean }> {
  const compute = () => computeNeighborhood(ex, a, budget);
  if (!expensive.get(argsKey)) {
    const started = Date.now();
    const answer = await compute();
    // An answer the budget cut is not kept: with more time it would have held more.
    if (Date.now() - started >= expensiveMs && answer.truncatedBy !== 'TIME_BUDGET') expensive.set(argsKey, true);
    return { ...answer, cached: false };
  }
  const version = await graphVersion(ex);
  const key = JSON.stringify([version, argsKey]);
  const hit = answers.get<Subgraph>(key);
  if (hit) return { ...hit, cached: true };
  const answer = await compute();
  // Kept only when no write came in while it was read, so an answer never outlives its version.
  if (answer.truncatedBy !== 'TIME_BUDGET' && await graphVersion(ex) === version) answers.set(key, answer);
  return { ...answer, cached: false };
}

function computeNeighborhood(ex: Executor, a: NeighborhoodArgs, budget: Budget): Promise<Subgraph> {
  return neighborhood(ex, a.ids, a.depth, a.filter, a.limit, a.clearance, a.offset, a.hubDegree, budget, { withCitations: a.withCitations });
}

/** For tests: forget every kept answer. */
export function clearNeighborhoodCache(): void {
  answers.clear();
  expensive.clear();
}
