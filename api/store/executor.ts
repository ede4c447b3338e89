// The single place that talks to neo4j-driver. Reads run in read transactions (routed to
// readers on a cluster), writes in write transactions; both always name the database and
// carry a timeout. Driver failures become the domain errors of core/errors.ts, told apart by the
// driver's error codes (never by its messages).
import neo4j, { Neo4jError, type Driver, type ManagedTransaction, type QueryResult, type RecordShape } from 'neo4j-driver';
import type { Neo4jSettings } from '../../core/config.js';
import { ApiError, DatabaseError, IdTaken, QueryTimeout, Unavailable } from '../../core/errors.js';

export type Params = Record<string, unknown>;

/** JS numbers reach Cypher as floats; integers (LIMIT, confidence) must be sent as Neo4j integers. */
export function toCypherParams(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? neo4j.int(value) : value;
  if (Array.isArray(value)) return value.map(toCypherParams);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCypherParams(v)]));
  }
  return value;
}
export type Tx = ManagedTransaction;

/** How long a query that can stop early may run (QUERY_BUDGET_MS, QUERY_BUDGET_MAX_MS). */
export interface BudgetSettings {
  defaultMs: number;
  maxMs: number;
}

/** Options of one read: a timeout shorter than the executor's (a budget's remaining time). */
export interface ReadOptions {
  timeoutMs?: number;
}

/**
 * How long past its timeout a read is waited for before the executor gives up on it. Neo4j stops a
 * timed-out transaction only where its operators check for termination; a SHORTEST search
 * expanding from one end does not, and ran minutes past a 15 s timeout (docs/queries.md, "Limits
 * and budgets"), so the API stops waiting on its own. Past Neo4j's check for timed-out
 * transactions (db.transaction.monitor.check.interval, 2 s), so that a read the server does stop
 * ends with the server's own error.
 */
export const ABANDON_GRACE_MS = 2_500;

export class Executor {
  readonly driver: Driver;
  /** Counts queries sent; tests use it to show the absence of N+1 patterns. */
  queryCount = 0;
  /** Reads given up on after their timeout because the server had not stopped them (ABANDON_GRACE_MS). */
  abandoned = 0;
  /** The time budget of queries that answer with what they found when time runs out. */
  budget: BudgetSettings;

  constructor(readonly settings: Neo4jSettings, readonly timeoutMs = 15_000, { maxConnectionPoolSize }: { maxConnectionPoolSize?: number } = {}) {
    this.driver = neo4j.driver(settings.uri, neo4j.auth.basic(settings.user, settings.password), {
      ...(maxConnectionPoolSize ? { maxConnectionPoolSize } : {}),
      disableLosslessIntegers: true,
      connectionAcquisitionTimeout: 5_000,
      connectionTimeout: 5_000,
      maxTransactionRetryTime: 3_000,
    });
    // The server sets its own (QUERY_BUDGET_MS, cli/serve.ts); scripts and tests keep the timeout unless they ask.
    this.budget = { defaultMs: timeoutMs, maxMs: timeoutMs };
  }

  /** A request's budget: `askedMs` (capped to the server's maximum) or the default, in ms. */
  budgetMs(askedMs?: number | null): number {
    return Math.max(1, Math.min(askedMs ?? this.budget.defaultMs, this.budget.maxMs));
  }

  /**
   * One read statement as an auto-commit transaction: RUN and PULL go out in one network write,
   * where a managed transaction needs three (BEGIN+RUN+PULL, COMMIT, and the reply waits between).
   * Reads are idempotent, so transient failures (leader switch, dropped connection) are retried here.
   */
  async read<T extends RecordShape = RecordShape>(cypher: string, params: Params = {}, options: ReadOptions = {}): Promise<T[]> {
    this.queryCount++;
    const cypherParams = toCypherParams(params) as Params;
    const timeout = Math.max(1, Math.min(options.timeoutMs ?? this.timeoutMs, this.timeoutMs));
    const deadline = Date.now() + timeout + ABANDON_GRACE_MS;
    for (let attempt = 0; ; attempt++) {
      const session = this.driver.session({ database: this.settings.database, defaultAccessMode: neo4j.session.READ });
      let abandoned = false;
      try {
        const running = session.run<T>(cypher, cypherParams, { timeout });
        const result: QueryResult<T> = await untilDeadline(running, deadline, () => {
          abandoned = true;
          this.abandoned++;
        });
        return result.records.map((r) => r.toObject());
      } catch (e) {
        if (!abandoned && attempt < READ_RETRIES.length && neo4j.isRetryableError(e) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, READ_RETRIES[attempt]));
          continue;
        }
        throw fromDriverError(e);
      } finally {
        // An abandoned read's session closes once the server ends the transaction; nobody waits for it.
        if (abandoned) session.close().catch(() => undefined);
        else await session.close();
      }
    }
  }

  /**
   * A read whose records are taken as they come, in small batches, until `timeoutMs` runs out:
   * then reading stops (the rest is discarded) and `complete` is false. For queries that can
   * answer with the first part of their rows (a page that stops at the time budget).
   */
  async readUntil<T extends RecordShape = RecordShape>(
    cypher: string, params: Params, timeoutMs: number, fetchSize = 50,
  ): Promise<{ rows: T[]; complete: boolean }> {
    this.queryCount++;
    const timeout = Math.max(1, Math.min(timeoutMs, this.timeoutMs));
    const deadline = Date.now() + timeout;
    const session = this.driver.session({ database: this.settings.database, defaultAccessMode: neo4j.session.READ, fetchSize });
    const result = session.run<T>(cypher, toCypherParams(params), { timeout: timeout + ABANDON_GRACE_MS });
    // Records arrive through one observer and one deadline timer for the whole read: an async
    // iterator with a promise and a timer per record made a depth-2 neighbourhood's links-among
    // statement a fifth slower than a plain read at L.
    const rows: T[] = [];
    let settled = false;
    const outcome = await new Promise<{ complete: boolean } | { error: Error }>((resolve) => {
      const settle = (o: { complete: boolean } | { error: Error }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(o);
      };
      const timer = setTimeout(() => settle({ complete: false }), Math.max(0, deadline - Date.now()));
      result.subscribe({
        onNext: (record) => { if (!settled) rows.push(record.toObject()); },
        onCompleted: () => settle({ complete: true }),
        onError: (e) => {
          // What the discarded rest of a stopped read reports is nobody's error.
          if (settled) return;
          const error = fromDriverError(e);
          // The server's own timeout, a moment after ours: what came before it stands.
          settle(error instanceof QueryTimeout ? { complete: false } : { error });
        },
      });
    });
    if ('error' in outcome) {
      await session.close().catch(() => undefined);
      throw outcome.error;
    }
    if (outcome.complete) await session.close();
    // The rest is discarded before the session closes, in the background: closing a session that
    // is still streaming sends a RESET that can cross the DISCARD on the wire, and the connection
    // then failed the next read given it from the pool.
    else void result.summary().catch(() => undefined).finally(() => session.close().catch(() => undefined));
    return { rows, complete: outcome.complete };
  }

  /** Runs `work` in one write transaction: every statement commits together or none does. */
  async write<R>(work: (tx: Tx) => Promise<R>): Promise<R> {
    const session = this.driver.session({ database: this.settings.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      return await session.executeWrite(work, { timeout: this.timeoutMs * 4 });
    } catch (e) {
      throw fromDriverError(e);
    } finally {
      await session.close();
    }
  }

  /** A statement inside a write transaction, counted like reads. */
  async run<T extends RecordShape = RecordShape>(tx: Tx, cypher: string, params: Params = {}): Promise<T[]> {
    return (await this.runCounted<T>(tx, cypher, params)).rows;
  }

  /** Like `run`, with what the statement changed (nodes and relationships created). */
  async runCounted<T extends RecordShape = RecordShape>(tx: Tx, cypher: string, params: Params = {}): Promise<{ rows: T[]; nodesCreated: number; relationshipsCreated: number }> {
    this.queryCount++;
    const result = await tx.run<T>(cypher, toCypherParams(params));
    const counters = result.summary.counters.updates();
    return { rows: result.records.map((r) => r.toObject()), nodesCreated: counters.nodesCreated, relationshipsCreated: counters.relationshipsCreated };
  }

  async ping(): Promise<boolean> {
    try {
      await this.driver.verifyConnectivity({ database: this.settings.database });
      return true;
    } catch {
      return false;
    }
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}

/**
 * The query's answer, or a QueryTimeout at `deadline` (then `onAbandon` runs; the query's own
 * failure later is ignored).
 */
function untilDeadline<R>(running: PromiseLike<R>, deadline: number, onAbandon: () => void): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const timer = setTimeout(() => {
      onAbandon();
      reject(new QueryTimeout());
    }, Math.max(0, deadline - Date.now()));
    Promise.resolve(running).then(
      (r) => { clearTimeout(timer); resolve(r); },
      (e: unknown) => { clearTimeout(timer); reject(e instanceof Error ? e : new Error(String(e))); },
    );
  });
}

/** Back-off before each retry of a read that failed transiently, ms. */
const READ_RETRIES = [100, 400, 1_000];

/**
 * Codes of a database that cannot be reached or cannot serve now: the driver's own for a lost or
 * refused connection and an expired session, the server's while a database starts or stops, and
 * Node's socket errors should one reach us unwrapped.
 */
const UNAVAILABLE_CODES = new Set([
  neo4j.error.SERVICE_UNAVAILABLE, neo4j.error.SESSION_EXPIRED,
  'Neo.TransientError.General.DatabaseUnavailable',
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH',
]);

/**
 * The code of a driver error raised by the driver itself, before or without a server's answer:
 * a connection acquisition timeout, a closed pool, a transaction cut off by a lost connection.
 */
const DRIVER_LOCAL = 'N/A';

/** Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration, …Transaction.Terminated and their kin. */
// A transaction terminated while the database shuts down or restarts is transient (Unavailable,
// below); one terminated otherwise ran into a timeout or was stopped as a runaway.
const isTimeout = (code: string) => code.includes('TransactionTimedOut') || (code.includes('Terminated') && !code.startsWith('Neo.TransientError.'));

/**
 * Maps what the driver threw to a domain error a client may see: never Cypher text or a stack
 * trace. Domain errors thrown inside a write transaction pass through.
 */
export function fromDriverError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const code = String((e as { code?: string | number } | null)?.code ?? '');
  if (isTimeout(code)) return new QueryTimeout();
  if (UNAVAILABLE_CODES.has(code)) return new Unavailable();
  // Transient failures left after the driver's retries (a write's managed transaction, or a read
  // out of retries) and errors raised by the driver before any server answered.
  if (neo4j.isRetryableError(e) || (e instanceof Neo4jError && code === DRIVER_LOCAL)) return new Unavailable();
  if (code === 'Neo.ClientError.Schema.ConstraintValidationFailed') return new IdTaken();
  console.error('store error:', code, (e as Error)?.message);
  return new DatabaseError();
}
