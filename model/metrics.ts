// Typed numeric facts on entities and links (engagement, takedown counts, scores): how a metric is
// named and where it is stored. Each metric is its own property, `metric_<name>` (a float), with
// `metricUnit_<name>` and `metricAsOf_<name>` beside it, so that a write names only the metrics it
// changes (`SET += `), a filter reads one with n[$key] and an aggregate sums or ranks by it in
// Cypher. Plain TypeScript: the viewer and the filter rules import it too (docs/model.md, "Metrics").

/** A metric as the API shows it. */
export interface Metric {
  name: string;
  value: number;
  unit: string | null;
  /** When the value was measured (ISO-8601 UTC); null when not said. */
  asOf: string | null;
}

/** Letters, digits and _, starting with a letter, at most 64: it becomes part of a property name. */
export const METRIC_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** At most this many metrics in one write of a record. */
export const MAX_METRICS = 50;

const VALUE = 'metric_';
const UNIT = 'metricUnit_';
const AS_OF = 'metricAsOf_';

/** The stored property names of one metric. Only names passing METRIC_NAME ever reach here. */
export const metricKeys = (name: string) => ({ value: `${VALUE}${name}`, unit: `${UNIT}${name}`, asOf: `${AS_OF}${name}` });

/** True for the properties metrics are stored in (kept out of an entity's other fields). */
export const isMetricProperty = (key: string): boolean => key.startsWith(VALUE) || key.startsWith(UNIT) || key.startsWith(AS_OF);

/** The metrics among a record's stored properties, by name. */
export function metricsOf(props: Readonly<Record<string, unknown>>): Metric[] {
  const out: Metric[] = [];
  for (const [key, value] of Object.entries(props)) {
    if (!key.startsWith(VALUE) || typeof value !== 'number') continue;
    const name = key.slice(VALUE.length);
    const k = metricKeys(name);
    out.push({ name, value, unit: (props[k.unit] as string | undefined) ?? null, asOf: (props[k.asOf] as string | undefined) ?? null });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
