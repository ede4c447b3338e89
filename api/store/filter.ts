// Builds the parameterised WHERE fragments shared by every graph read: clearance, confidence,
// time window, kinds and types. Nothing from the caller is spliced into Cypher text. What a filter
// keeps is defined once, in model/filter-rules.ts (the viewer runs the same rules on what it
// draws); this file only writes those rules as Cypher over the bounds filterRules resolves.
import { BadInput } from '../../core/errors.js';
import { FilterValueError, filterRules, visibleTlps, type FilterRules, type LinkFilter } from '../../model/filter-rules.js';
import type { Tlp } from '../../model/model.js';

export { visibleTlps };
export type GraphFilter = LinkFilter;
/** The $f parameter of linkWhere and nodeWhere. */
export type FilterParams = FilterRules;

export function filterParams(clearance: Tlp, f: GraphFilter | null | undefined): FilterParams {
  try {
    return filterRules(clearance, f);
  } catch (e) {
    if (e instanceof FilterValueError) throw new BadInput(e.message, { field: e.field });
    throw e;
  }
}

/** Conditions on relationship `r` (link visibility and the filter): linkPassesRules in Cypher. */
export function linkWhere(r: string): string {
  const last = `coalesce(${r}.lastSeen, ${r}.firstSeen)`;
  return [
    `${r}.tlp IN $f.tlps`,
    `${r}.confidence >= $f.minConfidence`,
    `($f.types IS NULL OR type(${r}) IN $f.types)`,
    `($f.firstSeenBefore IS NULL OR ${r}.firstSeen IS NULL OR ${r}.firstSeen < $f.firstSeenBefore)`,
    `($f.lastSeenFrom IS NULL OR ${last} IS NULL OR ${last} >= $f.lastSeenFrom)`,
    `($f.includeNegated OR ${r}.assertion <> 'NEGATED')`,
    `($f.includeRevoked OR NOT (coalesce(${r}.revoked, false) OR coalesce(${r}.deprecated, false)))`,
    `($f.attributionKinds IS NULL OR type(${r}) <> 'ATTRIBUTED_TO' OR ${r}.attributionKind IN $f.attributionKinds)`,
    metricWhere(r, '$f.linkMetric'),
  ].join(' AND ');
}

/** Conditions on node `n` (visibility, kinds, revoked): entityPassesRules; seeds of a query skip the kinds and revoked tests. */
export function nodeWhere(n: string, withKinds = true): string {
  const visible = `${n}.tlp IN $f.tlps`;
  return withKinds
    ? `${visible} AND ($f.kinds IS NULL OR ${n}.kind IN $f.kinds) AND ($f.includeRevoked OR NOT (coalesce(${n}.revoked, false) OR coalesce(${n}.deprecated, false)))`
      + ` AND ${metricWhere(n, '$f.metric')}`
    : visible;
}

/** A metric bound (MetricRule) on `v`: the property it names, read dynamically, within [min, max]. */
function metricWhere(v: string, m: string): string {
  const value = `${v}[${m}.key]`;
  return `(${m} IS NULL OR (${value} IS NOT NULL AND (${m}.min IS NULL OR ${value} >= ${m}.min) AND (${m}.max IS NULL OR ${value} <= ${m}.max)))`;
}
