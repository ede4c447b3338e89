// What can go wrong, in the API's terms. Every error a caller may see is one of these classes: a
// stable `code`, the message, and the details the client gets (`field`, `problems`, `id`, `index`,
// `objectId` …), with an HTTP status where the API sets one. The store, STIX and validation code
// throw them and know nothing of GraphQL; api/http/use-error-codes.ts turns them into GraphQL errors
// at the edge, and the HTTP limits (body size, rate) into responses. Callers test the class
// (`instanceof StaleEndsError`), never the message.
/** One bad field of one record in a batch: what BAD_USER_INPUT and FORBIDDEN answers list. */
export interface RecordProblem {
  /** 'entities' or 'links' */
  list: string;
  index: number;
  id?: string;
  field: string;
  reason: string;
}

export type ErrorCode =
  | 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'
  | 'UNAVAILABLE' | 'QUERY_TIMEOUT' | 'RATE_LIMITED' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INTERNAL_SERVER_ERROR';

/** What a client gets besides the message and the code. */
export type ErrorDetails = Record<string, unknown>;

export abstract class ApiError extends Error {
  abstract readonly code: ErrorCode;
  /** The response's HTTP status, where the API sets one (GraphQL errors are otherwise 200). */
  readonly httpStatus: number | undefined = undefined;

  constructor(message: string, readonly details: ErrorDetails = {}) {
    super(message);
    this.name = new.target.name;
  }

  /** What the client gets as the GraphQL error's `extensions` (the HTTP status is not part of it). */
  get extensions(): { code: ErrorCode } & ErrorDetails {
    return { code: this.code, ...this.details };
  }
}

/** One line per record problem (at most 50): `links[2] (id) confidence: …`. */
function problemLines(problems: RecordProblem[]): string {
  return problems.slice(0, 50).map((p) => `${p.list}[${p.index}]${p.id ? ` (${p.id})` : ''} ${p.field}: ${p.reason}`).join('; ');
}

/** The caller's input is wrong: `field` names the argument, `problems` lists record problems. */
export class BadInput extends ApiError {
  readonly code = 'BAD_USER_INPUT';

  /** `field: message`, naming the field. */
  static field(field: string, message: string): BadInput {
    return new BadInput(`${field}: ${message}`, { field });
  }

  /** `name` outside [min, max] or not an integer. */
  static range(field: string, min: number, max: number, got: unknown): BadInput {
    return new BadInput(`${field} must be an integer from ${min} to ${max}; got ${String(got)}`, { field });
  }
}

/** Records that failed validation; nothing was written. */
export class InvalidRecords extends BadInput {
  constructor(readonly problems: RecordProblem[]) {
    super(`Rejected: ${problems.length} invalid record(s); nothing was written. ${problemLines(problems)}`, { problems });
  }
}

/** No API key, or one that is not valid, where one is needed. HTTP 401. */
export class Unauthenticated extends ApiError {
  readonly code = 'UNAUTHENTICATED';
  override readonly httpStatus = 401;
}

/** The caller is known but may not do this (role, clearance, ownership). HTTP 403. */
export class Forbidden extends ApiError {
  readonly code = 'FORBIDDEN';
  override readonly httpStatus = 403;
}

/** Records that would touch or create something above the writer's clearance; nothing was written. */
export class ForbiddenRecords extends Forbidden {
  constructor(readonly problems: RecordProblem[]) {
    super(`Forbidden: ${problems.length} record(s) above your clearance; nothing was written. ${problemLines(problems)}`, { problems });
  }
}

export class NotFound extends ApiError {
  readonly code = 'NOT_FOUND';

  /** `link "x" not found`, with the id. */
  constructor(what: string, readonly id: string) {
    super(`${what} ${JSON.stringify(id)} not found`, { id });
  }
}

/** The write conflicts with what the database holds; the subclasses say how. */
export abstract class Conflict extends ApiError {
  readonly code = 'CONFLICT';
}

/** The ends of some links were deleted by another writer between validation (or caching) and write. */
export class StaleEndsError extends Conflict {
  constructor(readonly count: number) {
    super(`links: the end of ${count} link(s) was deleted by another writer during this batch; nothing was written`, { field: 'links' });
  }
}

/** A uniqueness constraint refused the write: the id is taken by a record of another kind or type. */
export class IdTaken extends Conflict {
  constructor() {
    super('A record with that id already exists with another kind or type.');
  }
}

/** Neo4j cannot be reached (down, restarting, no leader) or the driver could not get the work to it. */
export class Unavailable extends ApiError {
  readonly code = 'UNAVAILABLE';
  constructor() {
    super('The graph database is unavailable; try again shortly.');
  }
}

/** What a query needs is not installed on the database (e.g. the Graph Data Science plugin on an external Neo4j). */
export class PluginMissing extends ApiError {
  readonly code = 'UNAVAILABLE';
  constructor(message: string, missing: string[]) {
    super(message, { missing });
  }
}

/** The transaction timeout stopped the query. */
export class QueryTimeout extends ApiError {
  readonly code = 'QUERY_TIMEOUT';
  constructor() {
    super('The query took too long and was stopped; narrow it (filters, limit, depth).');
  }
}

/** Anything else the database reported: logged, never shown (no Cypher or stack trace reaches a client). */
export class DatabaseError extends ApiError {
  readonly code = 'INTERNAL_SERVER_ERROR';
  constructor() {
    super('Internal database error.');
  }
}

/** Too many requests from one key or client address. HTTP 429, with Retry-After. */
export class RateLimited extends ApiError {
  readonly code = 'RATE_LIMITED';
  override readonly httpStatus = 429;
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

/** The request body is over the limit. HTTP 413. */
export class PayloadTooLarge extends ApiError {
  readonly code = 'PAYLOAD_TOO_LARGE';
  override readonly httpStatus = 413;
  constructor(maxBytes: number) {
    super(`The request body is larger than ${maxBytes} bytes.`);
  }
}

/** A Content-Type the API does not read. HTTP 415. */
export class UnsupportedMediaType extends ApiError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  override readonly httpStatus = 415;
  constructor(type: string) {
    super(`Content-Type ${JSON.stringify(type)} is not supported; send application/json.`);
  }
}
