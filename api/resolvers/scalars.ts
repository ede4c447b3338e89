import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { toIsoDateTime } from '../store/dates.js';

function literal(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING: case Kind.BOOLEAN: return ast.value;
    case Kind.INT: case Kind.FLOAT: return Number(ast.value);
    case Kind.NULL: return null;
    case Kind.LIST: return ast.values.map(literal);
    case Kind.OBJECT: return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value)]));
    default: throw new GraphQLError('JSON literals cannot hold variables', { extensions: { code: 'BAD_USER_INPUT' } });
  }
}

function parseDate(value: unknown): string {
  if (typeof value !== 'string') throw new GraphQLError('DateTime must be an ISO-8601 string', { extensions: { code: 'BAD_USER_INPUT' } });
  return toIsoDateTime(value, 'DateTime');
}

export const scalars = {
  // The descriptions repeat schema/base.graphql's: a scalar built here replaces the SDL's.
  DateTime: new GraphQLScalarType({
    name: 'DateTime',
    description: 'An ISO-8601 date or date-time, e.g. 2020-10-21 or 2020-10-21T22:00:00Z. Stored and returned in UTC (2020-10-21T00:00:00.000Z); a date alone is midnight UTC.',
    serialize: (v) => (v instanceof Date ? v.toISOString() : String(v)),
    parseValue: parseDate,
    parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
  }),
  JSON: new GraphQLScalarType({
    name: 'JSON',
    description: "Arbitrary JSON: STIX bundles, audit records' before and after, a saved investigation's state.",
    serialize: (v) => v,
    parseValue: (v) => v,
    parseLiteral: literal,
  }),
};
