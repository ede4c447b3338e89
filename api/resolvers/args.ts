// Caps on caller-supplied sizes, with errors that name the argument.
import { GraphQLError } from 'graphql';

export const LIMITS = {
  depth: 4,
  limit: 5000,
  first: 500,
  maxHops: 6,
  ids: 500,
  batch: 5000,
} as const;

export function bounded(name: string, value: number | null | undefined, fallback: number, min: number, max: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new GraphQLError(`${name} must be an integer from ${min} to ${max}; got ${v}`, { extensions: { code: 'BAD_USER_INPUT', field: name } });
  }
  return v;
}

export function notFound(what: string, id: string): GraphQLError {
  return new GraphQLError(`${what} ${JSON.stringify(id)} not found`, { extensions: { code: 'NOT_FOUND', id } });
}
