// Caps on caller-supplied sizes, with errors that name the argument.
import { BadInput, NotFound } from '../../../core/errors.js';

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
    throw BadInput.range(name, min, max, v);
  }
  return v;
}

export function notFound(what: string, id: string): NotFound {
  return new NotFound(what, id);
}
