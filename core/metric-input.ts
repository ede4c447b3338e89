// A record's `metrics` input checked and turned into the properties they are stored in
// (model/metrics.ts). A write names only the metrics it changes: one given again replaces that
// one, others stay; `value: null` removes one.
import { MAX_METRICS, METRIC_NAME, metricKeys } from '../model/metrics.js';

export interface MetricInput {
  name: string;
  value: number | null;
  unit?: string | null;
  asOf?: string | null;
}

const MAX_UNIT = 100;

/** The properties to SET for `metrics` (problems as "metrics[i].field: reason"); {} when absent. */
export function metricProps(metrics: unknown, problems: string[]): Record<string, unknown> {
  if (metrics === undefined) return {};
  if (metrics === null) {
    problems.push('metrics: null is not accepted; remove one metric by giving it with value null');
    return {};
  }
  if (!Array.isArray(metrics)) {
    problems.push('metrics: must be a list of {name, value, unit, asOf}');
    return {};
  }
  if (metrics.length > MAX_METRICS) problems.push(`metrics: ${metrics.length} of them, more than the ${MAX_METRICS} allowed in one write`);
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  metrics.forEach((m: Partial<MetricInput> | null, i) => {
    const at = `metrics[${i}]`;
    if (!m || typeof m !== 'object') return void problems.push(`${at}: must be an object {name, value, unit, asOf}`);
    if (typeof m.name !== 'string' || !METRIC_NAME.test(m.name)) {
      return void problems.push(`${at}.name: ${JSON.stringify(m.name)} is not a metric name (a letter, then letters, digits or _; at most 64)`);
    }
    if (seen.has(m.name)) return void problems.push(`${at}.name: ${m.name} is given twice`);
    seen.add(m.name);
    const k = metricKeys(m.name);
    if (m.value === null) {
      out[k.value] = null;
      out[k.unit] = null;
      out[k.asOf] = null;
      return;
    }
    if (typeof m.value !== 'number' || !Number.isFinite(m.value)) return void problems.push(`${at}.value: ${JSON.stringify(m.value)} must be a finite number (null removes the metric)`);
    if (m.unit != null && (typeof m.unit !== 'string' || m.unit.length > MAX_UNIT)) problems.push(`${at}.unit: must be a string of at most ${MAX_UNIT} characters`);
    let asOf: string | null = null;
    if (m.asOf != null && m.asOf !== '') {
      const ms = typeof m.asOf === 'string' && /^\d{4}-\d{2}(-\d{2})?/.test(m.asOf) ? Date.parse(m.asOf) : NaN;
      if (Number.isNaN(ms)) problems.push(`${at}.asOf: ${JSON.stringify(m.asOf)} is not an ISO-8601 date`);
      else asOf = new Date(ms).toISOString();
    }
    out[k.value] = m.value;
    out[k.unit] = m.unit || null;
    out[k.asOf] = asOf;
  });
  return out;
}
