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

export class Executor {
  readonly driver: Driver;
  /** Counts queries sent; tests use it to show the absence of N+1 patterns. */
  queryCount = 0;

  constructor(readonly settings: Neo4jSettings, readonly timeoutMs = 15_000) {
    this.driver = neo4j.driver(settings.uri, neo4j.auth.basic(settings.user, settings.password), {
      disableLosslessIntegers: true,
      connectionAcquisitionTimeout: 5_000,
      connectionTimeout: 5_000,
      maxTransactionRetryTime: 3_000,
    });
  }

  /**
   * One read statement as an auto-commit transaction: RUN and PULL go out in one network write,
   * where a managed transaction needs three (BEGIN+RUN+PULL, COMMIT, and the reply waits between).
   * Reads are idempotent, so transient failures (leader switch, dropped connection) are retried here.
   */
  async read<T extends RecordShape = RecordShape>(cypher: string, params: Params = {}): Promise<T[]> {
    this.queryCount++;
    const cypherParams = toCypherParams(params) as Params;
    for (let attempt = 0; ; attempt++) {
      const session = this.driver.session({ database: this.settings.database, defaultAccessMode: neo4j.session.READ });
      try {
        const result: QueryResult<T> = await session.run<T>(cypher, cypherParams, { timeout: this.timeoutMs });
        return result.records.map((r) => r.toObject());
      } catch (e) {
        if (attempt < READ_RETRIES.length && neo4j.isRetryableError(e)) {
          await new Promise((resolve) => setTimeout(resolve, READ_RETRIES[attempt]));
          continue;
        }
        throw fromDriverError(e);
      } finally {
        await session.close();
      }
    }
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
