// A query's time budget: queries that can stop early (paths, claims) spend it read by read and,
// when it runs out, answer with what they found and say so (truncatedBy: TIME_BUDGET) instead of
// failing with QUERY_TIMEOUT. docs/queries.md, "Limits and budgets".
import { QueryTimeout } from '../../core/errors.js';

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
