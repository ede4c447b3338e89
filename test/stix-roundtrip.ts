// Round trip, property by property (issue 14): a bundle imported and exported again, each object
// that became an entity or a link compared with the one that came in, on every property and on its
// external_references (ordering aside). What differs on purpose is listed in BY_DESIGN with its
// reason (docs/stix.md, "Round trip"); anything else is a loss. Used by
// test/integration/stix-roundtrip.test.ts and test/stix-corpus-report.ts.
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { projectRoot } from '../db/launcher.js';
import type { Executor } from '../api/store/executor.js';

/**
 * A small hand-made bundle in the shape of the DISARM framework's STIX (DISARMframeworks,
 * CODE/DISARM-STIX2: attack-patterns with `x_mitre_is_subtechnique` and DISARM external ids,
 * `subtechnique-of`, x-mitre-tactic and matrix, counters as course-of-action `mitigates`, a
 * statement marking, created_by_ref the DISARM identity), plus groups and actors using them.
 */
export const DISARM_SHAPED = path.join(projectRoot, 'test', 'fixtures', 'disarm-shaped.json');

type Obj = Record<string, unknown> & { id: string; type: string };
const stamp = (v: unknown) => (typeof v === 'string' ? v : '');

export interface Difference { id: string; type: string; property: string; input: unknown; output: unknown }

/** Properties that differ on purpose, and why (each is documented in docs/stix.md, "Round trip"). */
export const BY_DESIGN: Record<string, (input: Obj, output: Obj) => boolean> = {
  // STIX 2.0 input goes out as 2.1.
  spec_version: (i) => i.spec_version === undefined,
  // A record holds one TLP: the marking refs become the TLP 2.0 marking definition of its level.
  object_marking_refs: () => true,
  // ... and granular markings raise the whole record to the highest of them.
  granular_markings: () => true,
  // Custom (x-) objects go out observable-shaped: versions in x_disinfo_created / x_disinfo_modified.
  created: (i, o) => i.type.startsWith('x-') && o.x_disinfo_created === i.created,
  modified: (i, o) => i.type.startsWith('x-') && o.x_disinfo_modified === i.modified,
  // STIX 2.0 objects gain what 2.1 requires (malware is_family, indicator pattern_type).
  is_family: (i) => i.spec_version === undefined && i.is_family === undefined,
  pattern_type: (i) => i.spec_version === undefined && i.pattern_type === undefined,
};

const sortedRefs = (v: unknown) => (Array.isArray(v) ? [...v].map((r) => JSON.stringify(r, Object.keys(r as object).sort())).sort() : v);

/** Every property of `input` that `output` does not hold as it came, and every standard property `output` adds. */
export function differences(input: Obj, output: Obj): Difference[] {
  const out: Difference[] = [];
  const keys = new Set([...Object.keys(input), ...Object.keys(output).filter((k) => !k.startsWith('x_disinfo_'))]);
  for (const property of keys) {
    const a = input[property];
    const b = output[property];
    const same = property === 'external_references' ? isDeepStrictEqual(sortedRefs(a), sortedRefs(b)) : isDeepStrictEqual(a, b);
    if (same || BY_DESIGN[property]?.(input, output)) continue;
    out.push({ id: input.id, type: input.type, property, input: a, output: b });
  }
  return out;
}

export interface RoundTrip {
  /** Objects compared (mapped, and exported under their own id). */
  compared: number;
  /** Mapped objects that went out under another id or type, by design (e.g. an indicator that became a host). */
  elsewhere: Obj[];
  differences: Difference[];
}

/** Compares every mapped input object (`mapped`: STIX ids the database holds as entities or links) with its export. */
export function roundTrip(input: Obj[], exported: Obj[], mapped: Set<string>): RoundTrip {
  const byId = new Map(exported.map((o) => [o.id, o]));
  // The newest version of each id is the one kept.
  const latest = new Map<string, Obj>();
  for (const o of input) {
    const seen = latest.get(o.id);
    if (!seen || stamp(o.modified) >= stamp(seen.modified)) latest.set(o.id, o);
  }
  const result: RoundTrip = { compared: 0, elsewhere: [], differences: [] };
  for (const o of latest.values()) {
    if (!mapped.has(o.id)) continue;
    const out = byId.get(o.id);
    if (!out) {
      result.elsewhere.push(o);
      continue;
    }
    result.compared++;
    result.differences.push(...differences(o, out));
  }
  return result;
}

/** Differences counted by "type.property", most frequent first. */
export function summary(diffs: Difference[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const d of diffs) counts.set(`${d.type}.${d.property}`, (counts.get(`${d.type}.${d.property}`) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

/** STIX ids the database holds as entities or links: the objects that were mapped. */
export async function mappedIds(ex: Executor): Promise<Set<string>> {
  const rows = await ex.read<{ id: string }>(
    'MATCH (n:Entity) WHERE n.stixId IS NOT NULL RETURN n.stixId AS id UNION MATCH (:Entity)-[r]->(:Entity) WHERE r.stixId IS NOT NULL RETURN r.stixId AS id');
  return new Set(rows.map((r) => r.id));
}
