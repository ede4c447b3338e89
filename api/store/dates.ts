// Dates are stored as UTC ISO-8601 strings so that they compare correctly as text.
import { GraphQLError } from 'graphql';

export function toIsoDateTime(value: string, field: string): string {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}(-\d{2})?/.test(value) || Number.isNaN(ms)) {
    throw new GraphQLError(`${field}: ${JSON.stringify(value)} is not an ISO-8601 date`, { extensions: { code: 'BAD_USER_INPUT', field } });
  }
  return new Date(ms).toISOString();
}
