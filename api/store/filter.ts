// Builds the parameterised WHERE fragments shared by every graph read: clearance, confidence,
// time window, kinds and types. Nothing from the caller is spliced into Cypher text.
import { BadInput } from '../../core/errors.js';
import { TLPS, tlpRank, type EntityKind, type LinkType, type Tlp } from '../../model/model.js';
import { toIsoDateTime } from './dates.js';

export interface GraphFilter {
  kinds?: EntityKind[] | null;
  types?: LinkType[] | null;
  minConfidence?: number | null;
  asOf?: string | null;
  from?: string | null;
  to?: string | null;
  tlpMax?: Tlp | null;
  includeNegated?: boolean | null;
}

export interface FilterParams {
  tlps: Tlp[];
  kinds: EntityKind[] | null;
  types: LinkType[] | null;
  minConfidence: number;
  asOf: string | null;
  from: string | null;
  to: string | null;
  includeNegated: boolean;
}

/** The TLP values visible at a clearance, further narrowed by a filter's tlpMax. */
export function visibleTlps(clearance: Tlp, tlpMax?: Tlp | null): Tlp[] {
  const max = Math.min(tlpRank(clearance), tlpMax ? tlpRank(tlpMax) : Infinity);
  return TLPS.filter((t) => tlpRank(t) <= max);
}

export function filterParams(clearance: Tlp, f: GraphFilter | null | undefined): FilterParams {
  const minConfidence = f?.minConfidence ?? 0;
  if (minConfidence < 0 || minConfidence > 100) {
    throw new BadInput('filter.minConfidence must be between 0 and 100', { field: 'filter.minConfidence' });
  }
  return {
    tlps: visibleTlps(clearance, f?.tlpMax),
    kinds: f?.kinds?.length ? f.kinds : null,
    types: f?.types?.length ? f.types : null,
    minConfidence,
    asOf: f?.asOf ? toIsoDateTime(f.asOf, 'filter.asOf') : null,
    from: f?.from ? toIsoDateTime(f.from, 'filter.from') : null,
    to: f?.to ? toIsoDateTime(f.to, 'filter.to') : null,
    includeNegated: f?.includeNegated ?? true,
  };
}

/** Conditions on relationship `r` (link visibility and the filter). */
export function linkWhere(r: string): string {
  return [
    `${r}.tlp IN $f.tlps`,
    `${r}.confidence >= $f.minConfidence`,
    `($f.types IS NULL OR type(${r}) IN $f.types)`,
    `($f.asOf IS NULL OR ${r}.firstSeen IS NULL OR ${r}.firstSeen <= $f.asOf)`,
    `($f.from IS NULL OR coalesce(${r}.lastSeen, ${r}.firstSeen) IS NULL OR coalesce(${r}.lastSeen, ${r}.firstSeen) >= $f.from)`,
    `($f.to IS NULL OR ${r}.firstSeen IS NULL OR ${r}.firstSeen <= $f.to)`,
    `($f.includeNegated OR ${r}.assertion <> 'NEGATED')`,
  ].join(' AND ');
}

/** Conditions on node `n` (visibility and kinds); seeds of a query skip the kinds test. */
export function nodeWhere(n: string, withKinds = true): string {
  const visible = `${n}.tlp IN $f.tlps`;
  return withKinds ? `${visible} AND ($f.kinds IS NULL OR ${n}.kind IN $f.kinds)` : visible;
}
