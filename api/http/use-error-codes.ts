// The GraphQL edge of core/errors.ts: the domain errors the store, STIX, validation, auth and the
// resolvers throw become GraphQL errors here, and only here — `extensions.code` plus the error's
// details (`field`, `problems`, `id`, `index`, `objectId`), and `extensions.http.status` where the
// error sets one (yoga answers with that status and drops `http` from the body). The HTTP limits
// answer with `errorResponse`, in the same shape.
//
// Every error a client sees carries a stable `extensions.code`: graphql-js leaves some without
// one (e.g. variables of the wrong type), and those are the caller's input problems.
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ApiError } from '../../core/errors.js';
import { toGraphQLError } from '../graphql/to-graphql-error.js';

export { toGraphQLError };

/** An HTTP response for an error raised before GraphQL runs (body size, content type, rate). */
export function errorResponse(fetchAPI: { Response: typeof Response }, e: ApiError, headers: Record<string, string> = {}): Response {
  return new fetchAPI.Response(JSON.stringify({ errors: [{ message: e.message, extensions: e.extensions }] }),
    { status: e.httpStatus ?? 500, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}

function located(e: GraphQLError): GraphQLError {
  return e.originalError instanceof ApiError ? toGraphQLError(e.originalError, e) : e;
}

function withCode(e: GraphQLError | { message: string; extensions?: Record<string, unknown> }): GraphQLError | typeof e {
  if (e.extensions?.code) return e;
  const extensions = { ...e.extensions, code: 'BAD_USER_INPUT' };
  return e instanceof GraphQLError
    ? new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, path: e.path, extensions })
    : { ...e, extensions };
}

export function useErrorCodes(): Plugin {
  return {
    // Thrown while building the context (auth.ts: a bad or revoked key).
    onPluginInit({ registerContextErrorHandler }) {
      registerContextErrorHandler(({ error, setError }) => {
        if (error instanceof ApiError) setError(toGraphQLError(error));
      });
    },
    // Thrown by resolvers; mapped before yoga masks what is not a GraphQL error.
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (Symbol.asyncIterator in result || !result.errors?.some((e: GraphQLError) => e.originalError instanceof ApiError)) return;
          setResult({ ...result, errors: result.errors.map(located) });
        },
      };
    },
    onResultProcess(hook) {
      const { result } = hook;
      if (Array.isArray(result) || !result || typeof result !== 'object' || Symbol.asyncIterator in result) return;
      const r = result as ExecutionResult;
      if (!r.errors?.length || r.errors.every((e) => e.extensions?.code)) return;
      hook.setResult({ ...r, errors: r.errors.map(withCode) as GraphQLError[] });
    },
  };
}
