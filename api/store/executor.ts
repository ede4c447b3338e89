// The single place that talks to neo4j-driver. Reads run in read transactions (routed to
// readers on a cluster), writes in write transactions; both always name the database and
// carry a timeout. Driver failures become stable GraphQL error codes.
import { GraphQLError } from 'graphql';
import neo4j, { type Driver, type ManagedTransaction, type QueryResult, type RecordShape } from 'neo4j-driver';
import type { Neo4jSettings } from '../config.js';

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
        throw toGraphQLError(e);
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
      throw toGraphQLError(e);
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
    const result = await tx.run<T>(cypher, toCypherParams(params) as Params);
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

const UNAVAILABLE_CODES = new Set(['ServiceUnavailable', 'SessionExpired', 'Neo.TransientError.General.DatabaseUnavailable']);

/** Maps a driver error to a client-safe GraphQL error: never Cypher text or a stack trace. */
export function toGraphQLError(e: unknown): GraphQLError {
  if (e instanceof GraphQLError) return e;
  const code = (e as { code?: string }).code ?? '';
  if (UNAVAILABLE_CODES.has(code) || /connect|ECONNREFUSED|ECONNRESET|socket|Pool is closed/i.test(String((e as Error).message))) {
    return new GraphQLError('The graph database is unavailable; try again shortly.', { extensions: { code: 'UNAVAILABLE' } });
  }
  if (code.includes('TransactionTimedOut') || code.includes('Terminated')) {
    return new GraphQLError('The query took too long and was stopped; narrow it (filters, limit, depth).',
      { extensions: { code: 'QUERY_TIMEOUT' } });
  }
  if (code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
    return new GraphQLError('A record with that id already exists with another kind or type.', { extensions: { code: 'CONFLICT' } });
  }
  console.error('store error:', code, (e as Error).message);
  return new GraphQLError('Internal database error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}
