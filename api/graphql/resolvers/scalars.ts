// Scalars run inside graphql-js, which wants a GraphQLError from them: asGraphQLError maps.
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { BadInput } from '../../../core/errors.js';
import { toIsoDateTime } from '../../store/dates.js';
import { dateBound } from '../../../model/filter-rules.js';
import { asGraphQLError } from '../to-graphql-error.js';

function literal(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING: case Kind.BOOLEAN: return ast.value;
    case Kind.INT: case Kind.FLOAT: return Number(ast.value);
    case Kind.NULL: return null;
    case Kind.LIST: return ast.values.map(literal);
    case Kind.OBJECT: return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value)]));
    default: throw new BadInput('JSON literals cannot hold variables');
  }
}

function parseDate(value: unknown): string {
  return asGraphQLError(() => {
    if (typeof value !== 'string') throw new BadInput('DateTime must be an ISO-8601 string');
    // A date alone stays a date (checked, e.g. no 2020-02-30): a filter bound reads it as the whole
    // day (model/filter-rules.ts), and a stored value is made midnight UTC by core/validate.ts.
    if (/^\d{4}-\d{2}(-\d{2})?$/.test(value)) {
      if (!dateBound(value)) throw BadInput.field('DateTime', `${JSON.stringify(value)} is not an ISO-8601 date`);
      return value;
    }
    return toIsoDateTime(value, 'DateTime');
  });
}

export const scalars = {
  // The descriptions repeat schema/base.graphql's: a scalar built here replaces the SDL's.
  DateTime: new GraphQLScalarType({
    name: 'DateTime',
    description: 'An ISO-8601 date or date-time, e.g. 2020-10-21 or 2020-10-21T22:00:00Z. Stored and returned in UTC (2020-10-21T00:00:00.000Z); a date alone is stored as midnight UTC, and in a filter bound (asOf, from, to) it means the whole UTC day.',
    serialize: (v) => (v instanceof Date ? v.toISOString() : String(v)),
    parseValue: parseDate,
    parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
  }),
  JSON: new GraphQLScalarType({
    name: 'JSON',
    description: "Arbitrary JSON: STIX bundles, audit records' before and after, a saved investigation's state.",
    serialize: (v) => v,
    parseValue: (v) => v,
    parseLiteral: (ast) => asGraphQLError(() => literal(ast)),
  }),
};
