// A query's time budget: queries that can stop early (every query reading more than a few
// entities: paths, claims, neighborhood, timeline, overlap, the aggregates) spend it read by read and,
// when it runs out, answer with what they found and say so (truncatedBy: TIME_BUDGET) instead of
// failing with QUERY_TIMEOUT. docs/queries.md, "Limits and budgets".
import { QueryTimeout } from '../../core/errors.js';
import type { Executor, Params } from './executor.js';

/** Why an answer holds less than everything: a row cap (`limit`, `first`, a fixed cap), the time budget, or (paths) hubs not expanded. */
export type TruncatedBy = 'ROW_CAP' | 'TIME_BUDGET' | 'EXPANSION_BUDGET';

/** A read gets at least this long, so that a nearly spent budget still asks instead of failing at once. */
const MIN_READ_MS = 50;

export class Budget {
  readonly startedAt = Date.now();
  readonly deadline: number;

  constructor(readonly ms: number) {
    this.deadline = this.startedAt + ms;
  }

  /** Milliseconds left (0 when spent). */
  remaining(): number {
    return Math.max(0, this.deadline - Date.now());
  }

  /** The timeout for the next read: what is left, never under MIN_READ_MS. */
  readTimeout(): number {
    return Math.max(MIN_READ_MS, this.remaining());
  }

  spent(): boolean {
    return this.remaining() === 0;
  }

  elapsed(): number {
    return Date.now() - this.startedAt;
  }
}

/** Runs `read`; a QueryTimeout (the budget ran out inside it) becomes null, anything else is thrown. */
export async function withinBudget<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof QueryTimeout) return null;
    throw e;
  }
}

/**
 * One statement within what is left of `budget`, its rows taken as they come: null when the budget
 * was spent before it started or ran out before its last row (`partial` then holds the rows that
 * came, for statements whose first rows are an answer by themselves: a sorted top list). The
 * executor stops waiting at the deadline itself, so a statement the server is slow to stop cannot
 * overrun the budget.
 */
export async function budgetedRead<T extends Record<string, unknown>>(
  ex: Executor, budget: Budget, cypher: string, params: Params, fetchSize = 1000,
): Promise<{ rows: T[] | null; partial: T[] }> {
  if (budget.spent()) return { rows: null, partial: [] };
  const { rows, complete } = await ex.readUntil<T>(cypher, params, budget.remaining(), fetchSize);
  return complete ? { rows, partial: rows } : { rows: null, partial: rows };
}

/** What every budgeted answer says: how long it had and took, and why it holds less than everything. */
export interface BudgetReport { truncatedBy: TruncatedBy | null; budgetMs: number; elapsedMs: number }
