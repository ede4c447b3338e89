// A domain error (core/errors.ts) as the GraphQL error a client gets. The yoga plugin that applies
// it to every response is api/http/use-error-codes.ts; scalars use asGraphQLError directly.
import { GraphQLError } from 'graphql';
import { ApiError } from '../../core/errors.js';

/**
 * A domain error as the GraphQL error the client gets; `at` (the error graphql-js located at a
 * field) gives it its path and locations. Anything else is returned as it is.
 */
export function toGraphQLError(e: ApiError, at?: GraphQLError): GraphQLError;
export function toGraphQLError(e: unknown, at?: GraphQLError): unknown;
export function toGraphQLError(e: unknown, at?: GraphQLError): unknown {
  if (!(e instanceof ApiError)) return e;
  const extensions = e.httpStatus === undefined ? e.extensions : { ...e.extensions, http: { status: e.httpStatus } };
  return new GraphQLError(e.message, { nodes: at?.nodes, source: at?.source, positions: at?.positions, path: at?.path, extensions });
}

/** For code that must throw a GraphQLError itself (scalars' parseValue/parseLiteral run inside graphql-js). */
export function asGraphQLError<T>(work: () => T): T {
  try {
    return work();
  } catch (e) {
    throw toGraphQLError(e);
  }
}
