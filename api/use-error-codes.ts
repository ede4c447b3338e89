// Every error a client sees carries a stable `extensions.code`: graphql-js leaves some without
// one (e.g. variables of the wrong type), and those are the caller's input problems.
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

function withCode(e: GraphQLError | { message: string; extensions?: Record<string, unknown> }): GraphQLError | typeof e {
  if (e.extensions?.code) return e;
  const extensions = { ...e.extensions, code: 'BAD_USER_INPUT' };
  return e instanceof GraphQLError
    ? new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, path: e.path, extensions })
    : { ...e, extensions };
}

export function useErrorCodes(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !result || typeof result !== 'object' || Symbol.asyncIterator in result) return;
      const r = result as ExecutionResult;
      if (!r.errors?.length || r.errors.every((e) => e.extensions?.code)) return;
      setResult({ ...r, errors: r.errors.map(withCode) as GraphQLError[] });
    },
  };
}
