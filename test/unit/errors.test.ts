// core/errors.ts and its two edges: driver failures become domain errors by their codes
// (api/store/executor.ts), and domain errors become GraphQL errors (api/http/use-error-codes.ts)
// with the same codes, messages and details the API has always returned. No database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphQLError } from 'graphql';
import { Neo4jError } from 'neo4j-driver';
import {
  ApiError, BadInput, Conflict, DatabaseError, Forbidden, ForbiddenRecords, IdTaken, InvalidRecords, NotFound, QueryTimeout,
  RateLimited, StaleEndsError, Unauthenticated, Unavailable,
} from '../../core/errors.js';
import { Executor, fromDriverError } from '../../api/store/executor.js';
import { errorResponse, toGraphQLError } from '../../api/http/use-error-codes.js';

const driverError = (code: string, message = 'whatever the driver says') => new Neo4jError(message, code, '50N42', 'error: general processing exception');

describe('errors', () => {
  it('each class has its stable code, message and details', () => {
    const e = BadInput.range('depth', 1, 4, 9);
    assert.deepEqual([e.code, e.message, e.extensions, e.httpStatus], ['BAD_USER_INPUT', 'depth must be an integer from 1 to 4; got 9', { code: 'BAD_USER_INPUT', field: 'depth' }, undefined]);
    assert.deepEqual(new NotFound('link', 'a-USES-b').extensions, { code: 'NOT_FOUND', id: 'a-USES-b' });
    assert.equal(new NotFound('link', 'x').message, 'link "x" not found');
    assert.deepEqual([new Unauthenticated('Not authenticated: x.').httpStatus, new Forbidden('no').httpStatus, new RateLimited('slow', 2).httpStatus], [401, 403, 429]);
    const problems = [{ list: 'links', index: 2, id: 'l', field: 'confidence', reason: 'too high' }];
    assert.equal(new InvalidRecords(problems).message, 'Rejected: 1 invalid record(s); nothing was written. links[2] (l) confidence: too high');
    assert.equal(new ForbiddenRecords(problems).message, 'Forbidden: 1 record(s) above your clearance; nothing was written. links[2] (l) confidence: too high');
    assert.deepEqual(new ForbiddenRecords(problems).extensions, { code: 'FORBIDDEN', problems });
  });

  it('conflicts are typed: stale ends and an id taken by another kind', () => {
    const stale = new StaleEndsError(3);
    assert.ok(stale instanceof Conflict && stale instanceof ApiError);
    assert.deepEqual(stale.extensions, { code: 'CONFLICT', field: 'links' });
    assert.match(stale.message, /^links: the end of 3 link\(s\) was deleted by another writer/);
    assert.ok(new IdTaken() instanceof Conflict);
  });

  it('driver failures are told apart by their codes, not their messages', () => {
    for (const code of ['ServiceUnavailable', 'SessionExpired', 'Neo.TransientError.General.DatabaseUnavailable', 'Neo.TransientError.Transaction.DeadlockDetected']) {
      assert.ok(fromDriverError(driverError(code, 'no words this mapping knows')) instanceof Unavailable, code);
    }
    // Raised by the driver itself (acquisition timeout, closed pool): no server code.
    assert.ok(fromDriverError(driverError('N/A', 'Connection acquisition timed out in 5000 ms.')) instanceof Unavailable);
    assert.ok(fromDriverError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) instanceof Unavailable);
    assert.ok(fromDriverError(driverError('Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration')) instanceof QueryTimeout);
    assert.ok(fromDriverError(driverError('Neo.ClientError.Transaction.Terminated')) instanceof QueryTimeout);
    assert.ok(fromDriverError(driverError('Neo.ClientError.Schema.ConstraintValidationFailed')) instanceof IdTaken);
    // A message that mentions a socket no longer decides anything.
    const original = console.error;
    console.error = () => undefined;
    try {
      assert.ok(fromDriverError(driverError('Neo.ClientError.Statement.SyntaxError', 'socket connect refused')) instanceof DatabaseError);
      assert.ok(fromDriverError(new TypeError('connect')) instanceof DatabaseError);
    } finally {
      console.error = original;
    }
    const domain = new StaleEndsError(1);
    assert.equal(fromDriverError(domain), domain, 'domain errors thrown inside a transaction pass through');
  });

  it('an unreachable Neo4j is UNAVAILABLE', async () => {
    const ex = new Executor({ uri: 'bolt://127.0.0.1:1', user: 'neo4j', password: 'x', database: 'neo4j', local: false }, 1_000);
    try {
      await assert.rejects(ex.read('RETURN 1'), (e) => e instanceof Unavailable && e.extensions.code === 'UNAVAILABLE');
    } finally {
      await ex.close();
    }
  });

  it('the GraphQL edge: extensions.code, the details, the HTTP status where one is set', () => {
    const g = toGraphQLError(new Forbidden('Only the owner or an admin can change investigation "i".', { id: 'i' }));
    assert.ok(g instanceof GraphQLError);
    assert.equal(g.message, 'Only the owner or an admin can change investigation "i".');
    assert.deepEqual(g.extensions, { code: 'FORBIDDEN', id: 'i', http: { status: 403 } });
    assert.equal(g.originalError, undefined, 'yoga treats it as an expected error, not masked');
    assert.deepEqual(toGraphQLError(new BadInput('x', { index: 3, objectId: 'campaign--1' })).extensions, { code: 'BAD_USER_INPUT', index: 3, objectId: 'campaign--1' });
    const other = new Error('not ours');
    assert.equal(toGraphQLError(other), other);
  });

  it('the HTTP edge: the same body shape, the status and headers', async () => {
    const r = errorResponse({ Response }, new RateLimited('Rate limit: slow down.', 3), { 'retry-after': '3' });
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '3');
    assert.deepEqual(await r.json(), { errors: [{ message: 'Rate limit: slow down.', extensions: { code: 'RATE_LIMITED' } }] });
  });
});
