// Dates are stored as UTC ISO-8601 strings so that they compare correctly as text.
import { BadInput } from '../../core/errors.js';

export function toIsoDateTime(value: string, field: string): string {
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}(-\d{2})?/.test(value) || Number.isNaN(ms)) {
    throw BadInput.field(field, `${JSON.stringify(value)} is not an ISO-8601 date`);
  }
  return new Date(ms).toISOString();
}
