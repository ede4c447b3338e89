// What a producer says that the model has no field for — ATT&CK's x_mitre_* properties, labels,
// created_by_ref, lang, any custom property, and standard properties our view of a field would
// write differently (report_types beyond the first, a 2.0 timestamp without milliseconds) — kept
// on the record generically (`keptProperties`, core/validate.ts PROVENANCE_FIELDS) and given back
// on export, so that a round trip equals the input (docs/stix.md, "Round trip"). Pure.
import { isDeepStrictEqual } from 'node:util';

/** The kept JSON is capped (per record): beyond it the largest properties are left out, with a warning. */
export const KEPT_MAX_CHARS = 65_536;

/**
 * Never kept: identity and version (the record's own), markings (the record holds one TLP),
 * our own x_disinfo_* properties, and how a relationship is typed and joined (its link type and ends).
 */
const NEVER_KEPT = new Set(['type', 'id', 'spec_version', 'created', 'modified', 'object_marking_refs', 'granular_markings',
  'relationship_type', 'source_ref', 'target_ref']);

/** Properties STIX 2.1 requires: never removed on export even when the producer left them out. */
const REQUIRED = new Set(['type', 'id', 'spec_version', 'created', 'modified', 'name', 'is_family', 'pattern', 'pattern_type', 'valid_from',
  'published', 'object_refs', 'relationship_type', 'source_ref', 'target_ref']);

interface Kept {
  /** The producer's properties our view would not reproduce, as they came. */
  p: Record<string, unknown>;
  /** Our view of those properties at import (absent: the producer had none): a later local edit changes it, and then wins. */
  v: Record<string, unknown>;
  /** Properties our view adds that the producer did not write (a location's name from its city): left out while unchanged. */
  a?: string[];
}

const keepable = (k: string) => !NEVER_KEPT.has(k) && !k.startsWith('x_disinfo_');

/**
 * Compares an incoming object with our export's view of the record made from it, and returns what
 * to keep (JSON text), or undefined when the view reproduces the object. `dropped` names the
 * properties left out to stay under KEPT_MAX_CHARS.
 */
export function keptProperties(input: Record<string, unknown>, view: Record<string, unknown>): { json?: string; dropped: string[] } {
  const kept: Kept = { p: {}, v: {} };
  // Our own export: its standard properties are a view of our fields, but for those it lists in
  // x_disinfo_kept (what it was given by a producer), and it invents none.
  const ours = input.x_disinfo_kind !== undefined || input.x_disinfo_type !== undefined;
  if (ours) {
    const listed = new Set(Array.isArray(input.x_disinfo_kept) ? input.x_disinfo_kept : []);
    input = Object.fromEntries(Object.entries(input).filter(([k]) => listed.has(k)));
  }
  for (const [k, value] of Object.entries(input)) {
    if (!keepable(k) || value === undefined || isDeepStrictEqual(view[k], value)) continue;
    kept.p[k] = value;
    if (view[k] !== undefined) kept.v[k] = view[k];
  }
  const added = ours ? [] : Object.keys(view).filter((k) => keepable(k) && !REQUIRED.has(k) && input[k] === undefined && view[k] !== undefined);
  if (added.length) kept.a = added;
  for (const k of added) kept.v[k] = view[k];
  const dropped: string[] = [];
  let json = JSON.stringify(kept);
  // Over the cap: the largest properties go first.
  const bySize = Object.keys(kept.p).sort((a, b) => JSON.stringify(kept.p[b]).length - JSON.stringify(kept.p[a]).length);
  while (json.length > KEPT_MAX_CHARS && bySize.length) {
    const k = bySize.shift()!;
    delete kept.p[k];
    delete kept.v[k];
    dropped.push(k);
    json = JSON.stringify(kept);
  }
  return { json: Object.keys(kept.p).length || kept.a ? json : undefined, dropped };
}

/**
 * The export with the kept properties given back: each as it came unless the record was edited
 * since (our view of it changed), and without the properties our view invented while they are
 * unchanged. `except` names properties the caller fills itself (a report's object_refs).
 */
export function withKept(out: Record<string, unknown>, keptJson: unknown, except: readonly string[] = []): Record<string, unknown> {
  if (typeof keptJson !== 'string') return out;
  let kept: Kept;
  try {
    kept = JSON.parse(keptJson) as Kept;
  } catch {
    return out;
  }
  const result = { ...out };
  // Listed in x_disinfo_kept, so that importing our export keeps them as the producer's.
  const listed = new Set(Array.isArray(out.x_disinfo_kept) ? (out.x_disinfo_kept as string[]) : []);
  for (const [k, value] of Object.entries(kept.p ?? {})) {
    if (except.includes(k)) {
      listed.add(k);
      continue;
    }
    if (k in (kept.v ?? {}) && !isDeepStrictEqual(out[k], kept.v[k])) continue; // edited here since: ours wins
    result[k] = value;
    listed.add(k);
  }
  for (const k of kept.a ?? []) if (!except.includes(k) && isDeepStrictEqual(out[k], kept.v?.[k])) delete result[k];
  if (listed.size) result.x_disinfo_kept = [...listed];
  return result;
}

/** A kept property's value as it came (a report's object_refs), or undefined. */
export function keptValue(keptJson: unknown, property: string): unknown {
  if (typeof keptJson !== 'string') return undefined;
  try {
    return (JSON.parse(keptJson) as Kept).p?.[property];
  } catch {
    return undefined;
  }
}
