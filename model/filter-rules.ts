// The one definition of what a graph filter (GraphFilter in schema/link.graphql) keeps. The API
// builds its Cypher from these bounds (api/store/filter.ts) and the viewer runs linkPasses and
// entityPasses on what it draws (viewer/src/state/filters.ts); test/filter-cases.ts holds the table
// of cases both are tested against. Plain TypeScript: no imports outside model/.
//
// Dates. A bound is an ISO-8601 date (2020-10-21; a month, 2020-10, also works) or a date-time
// (2020-10-21T15:00:00Z). A date covers its whole UTC day (or month); a date-time is that instant.
//   asOf D  keeps a link first seen before D ends:         firstSeen < end(D)
//   to D    the same bound (end of a window):              firstSeen < end(D)
//   from D  keeps a link still seen when D begins:         coalesce(lastSeen, firstSeen) ≥ start(D)
// so asOf 2020-10-21 and to 2020-10-21 keep a link first seen at 23:00 that day, and from 2020-10-21
// keeps one last seen at 01:00 that day. A link without the date a bound looks at is kept.
// Stored dates are canonical UTC strings (2020-10-21T15:00:00.000Z), so they compare as text, in
// Cypher and here alike; an instant's end is the next millisecond.
import { TLPS, tlpRank, type AttributionKind, type EntityKind, type LinkType, type Tlp } from './model.js';
import { METRIC_NAME, metricKeys } from './metrics.js';

/** A bound on one metric (model/metrics.ts): the record must have it, within [min, max] (either may be absent). */
export interface MetricBound {
  name: string;
  min?: number | null;
  max?: number | null;
}

/** The filter's fields, as GraphQL delivers them (absent or null = no restriction). */
export interface LinkFilter {
  /** Only entities of these kinds; empty = every kind. */
  kinds?: readonly EntityKind[] | null;
  /** Only links of these types; empty = every type. */
  types?: readonly LinkType[] | null;
  /** Only links with confidence ≥ this (0–100). */
  minConfidence?: number | null;
  asOf?: string | null;
  from?: string | null;
  to?: string | null;
  /** Highest marking shown: narrows the caller's clearance, never widens it. */
  tlpMax?: Tlp | null;
  /** Keep NEGATED links (default true; paths and overlap pass false as their default). */
  includeNegated?: boolean | null;
  /** Keep what its producer revoked or deprecated (STIX revoked, x_mitre_deprecated); default false. */
  includeRevoked?: boolean | null;
  /** Only entities with this metric in range (seeds exempt, like kinds). */
  metric?: MetricBound | null;
  /** Only links with this metric in range. */
  linkMetric?: MetricBound | null;
  /** ATTRIBUTED_TO links only of these attribution kinds (one without a kind is dropped); other links unaffected. */
  attributionKinds?: readonly AttributionKind[] | null;
}

export const FILTER_DEFAULTS = { minConfidence: 0, includeNegated: true, includeRevoked: false } as const;

/** What the rules read of a link. */
export interface FilterableLink {
  type: string;
  confidence: number;
  tlp: Tlp;
  assertion: string;
  firstSeen: string | null;
  lastSeen: string | null;
  revoked?: boolean | null;
  deprecated?: boolean | null;
  attributionKind?: string | null;
  metrics?: ReadonlyArray<{ name: string; value: number }> | null;
}

/** What the rules read of an entity. */
export interface FilterableEntity {
  kind: string;
  tlp: Tlp;
  revoked?: boolean | null;
  deprecated?: boolean | null;
  metrics?: ReadonlyArray<{ name: string; value: number }> | null;
}

/** A metric bound resolved: the stored property it reads (n[key] in Cypher). */
export interface MetricRule { name: string; key: string; min: number | null; max: number | null }

/** A filter resolved once: canonical bounds, defaults applied, the visible markings. */
export interface FilterRules {
  tlps: Tlp[];
  kinds: EntityKind[] | null;
  types: LinkType[] | null;
  minConfidence: number;
  /** Exclusive upper bound on firstSeen: the earlier end of asOf and to. */
  firstSeenBefore: string | null;
  /** Inclusive lower bound on coalesce(lastSeen, firstSeen): the start of from. */
  lastSeenFrom: string | null;
  includeNegated: boolean;
  includeRevoked: boolean;
  metric: MetricRule | null;
  linkMetric: MetricRule | null;
  attributionKinds: AttributionKind[] | null;
}

/** Why a filter cannot be resolved: the field (filter.asOf …) and a message starting with it. */
export class FilterValueError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

const DATE_ONLY = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;

/**
 * The UTC period a bound names, as canonical ISO strings [start, end): a whole day or month for a
 * date, one millisecond for a date-time. null when the value is not an ISO-8601 date.
 */
export function dateBound(value: string): { start: string; end: string } | null {
  const day = DATE_ONLY.exec(value);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), day[3] ? Number(day[3]) : 1];
    const start = new Date(Date.UTC(y, m - 1, d));
    // Date.UTC rolls 2020-02-30 over into March; such a day is refused, not moved.
    if (start.getUTCFullYear() !== y || start.getUTCMonth() !== m - 1 || start.getUTCDate() !== d) return null;
    const end = day[3] ? new Date(Date.UTC(y, m - 1, d + 1)) : new Date(Date.UTC(y, m, 1));
    return { start: start.toISOString(), end: end.toISOString() };
  }
  const ms = Date.parse(value);
  if (!/^\d{4}-\d{2}(-\d{2})?/.test(value) || Number.isNaN(ms)) return null;
  return { start: new Date(ms).toISOString(), end: new Date(ms + 1).toISOString() };
}

/** The markings visible at a clearance, further narrowed (never widened) by tlpMax. */
export function visibleTlps(clearance: Tlp, tlpMax?: Tlp | null): Tlp[] {
  const max = Math.min(tlpRank(clearance), tlpMax ? tlpRank(tlpMax) : Infinity);
  return TLPS.filter((t) => tlpRank(t) <= max);
}

function bound(f: LinkFilter, key: 'asOf' | 'from' | 'to'): { start: string; end: string } | null {
  const v = f[key];
  if (v == null || v === '') return null;
  const b = dateBound(v);
  if (!b) throw new FilterValueError(`filter.${key}`, `filter.${key}: ${JSON.stringify(v)} is not an ISO-8601 date`);
  return b;
}

function metricRule(m: MetricBound | null | undefined, field: string): MetricRule | null {
  if (m == null) return null;
  if (typeof m.name !== 'string' || !METRIC_NAME.test(m.name)) {
    throw new FilterValueError(`${field}.name`, `${field}.name: ${JSON.stringify(m.name)} is not a metric name (a letter, then letters, digits or _; at most 64)`);
  }
  const min = m.min ?? null;
  const max = m.max ?? null;
  if (min !== null && max !== null && min > max) throw new FilterValueError(`${field}.min`, `${field}.min: ${min} is more than max ${max}`);
  return { name: m.name, key: metricKeys(m.name).value, min, max };
}

function metricPasses(rule: MetricRule | null, metrics: FilterableEntity['metrics']): boolean {
  if (!rule) return true;
  const v = metrics?.find((m) => m.name === rule.name)?.value;
  return v != null && (rule.min === null || v >= rule.min) && (rule.max === null || v <= rule.max);
}

/** Resolves a filter for a caller's clearance; throws FilterValueError for a bad value. */
export function filterRules(clearance: Tlp, f: LinkFilter | null | undefined): FilterRules {
  const g = f ?? {};
  const minConfidence = g.minConfidence ?? FILTER_DEFAULTS.minConfidence;
  if (!(minConfidence >= 0 && minConfidence <= 100)) {
    throw new FilterValueError('filter.minConfidence', 'filter.minConfidence must be between 0 and 100');
  }
  const ends = [bound(g, 'asOf')?.end, bound(g, 'to')?.end].filter((e): e is string => !!e).sort();
  return {
    tlps: visibleTlps(clearance, g.tlpMax),
    kinds: g.kinds?.length ? [...g.kinds] : null,
    types: g.types?.length ? [...g.types] : null,
    minConfidence,
    firstSeenBefore: ends[0] ?? null,
    lastSeenFrom: bound(g, 'from')?.start ?? null,
    includeNegated: g.includeNegated ?? FILTER_DEFAULTS.includeNegated,
    includeRevoked: g.includeRevoked ?? FILTER_DEFAULTS.includeRevoked,
    metric: metricRule(g.metric, 'filter.metric'),
    linkMetric: metricRule(g.linkMetric, 'filter.linkMetric'),
    attributionKinds: g.attributionKinds?.length ? [...g.attributionKinds] : null,
  };
}

/** Does a link pass? (Its two ends must pass entityPasses too for it to be shown.) */
export function linkPassesRules(r: FilterRules, l: FilterableLink): boolean {
  if (!r.tlps.includes(l.tlp)) return false;
  if (!(l.confidence >= r.minConfidence)) return false;
  if (r.types && !(r.types as readonly string[]).includes(l.type)) return false;
  if (r.firstSeenBefore !== null && l.firstSeen != null && !(l.firstSeen < r.firstSeenBefore)) return false;
  const last = l.lastSeen ?? l.firstSeen;
  if (r.lastSeenFrom !== null && last != null && !(last >= r.lastSeenFrom)) return false;
  if (!r.includeNegated && l.assertion === 'NEGATED') return false;
  if (!r.includeRevoked && (l.revoked || l.deprecated)) return false;
  if (r.attributionKinds && l.type === 'ATTRIBUTED_TO' && !(r.attributionKinds as readonly string[]).includes(l.attributionKind ?? '')) return false;
  return metricPasses(r.linkMetric, l.metrics);
}

/** Does an entity pass? Queries exempt their seeds from `kinds` and from hiding the revoked (withKinds false). */
export function entityPassesRules(r: FilterRules, e: FilterableEntity, withKinds = true): boolean {
  if (!r.tlps.includes(e.tlp)) return false;
  if (withKinds && !r.includeRevoked && (e.revoked || e.deprecated)) return false;
  if (withKinds && !metricPasses(r.metric, e.metrics)) return false;
  return !withKinds || !r.kinds || (r.kinds as readonly string[]).includes(e.kind);
}

/** linkPasses for one call: the viewer passes clearance RED (the API already applied the key's). */
export function linkPasses(f: LinkFilter | null | undefined, l: FilterableLink, clearance: Tlp = 'RED'): boolean {
  return linkPassesRules(filterRules(clearance, f), l);
}

export function entityPasses(f: LinkFilter | null | undefined, e: FilterableEntity, clearance: Tlp = 'RED'): boolean {
  return entityPassesRules(filterRules(clearance, f), e);
}
