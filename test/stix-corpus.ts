// Real CTI corpora in the tests (issue 14): where they are, and how much of a bundle lands —
// relationships in vs links landed, by relationship type and end types; objects in vs entities.
// Used by test/integration/stix-corpus.test.ts and by test/stix-corpus-report.ts (a table).
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../db/launcher.js';
import type { Executor } from '../api/store/executor.js';

export const ICS_BUNDLE = path.resolve(projectRoot, '..', 'shared', 'datasets', 'mitre-attack-ics', 'ics-attack.json');
/** For `it(name, { skip }, …)`: false, or why the ICS tests cannot run here. */
export const skipWithoutIcs: string | false = fs.existsSync(ICS_BUNDLE)
  ? false : `ATT&CK for ICS is not at ${ICS_BUNDLE} (see ../shared/datasets/mitre-attack-ics/ABOUT.md): corpus tests skipped`;

type Obj = Record<string, unknown> & { id: string; type: string };
const typeOf = (ref: unknown) => String(ref).split('--')[0];

export interface Row { key: string; in: number; landed: number }

/** The bundle's objects (read whole: the ICS bundle is 3 MB); a lone object is a bundle of one. */
export function readObjects(file: string): Obj[] {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Obj & { objects?: Obj[] };
  return json.type === 'bundle' ? json.objects ?? [] : [json];
}

/** Relationship and sighting ids of a bundle keyed "relationship_type source-type->target-type". */
export function relationshipsByType(objects: Obj[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const o of objects) {
    let key: string | undefined;
    if (o.type === 'relationship') key = `${String(o.relationship_type)} ${typeOf(o.source_ref)}->${typeOf(o.target_ref)}`;
    else if (o.type === 'sighting') key = `sighting ${typeOf(o.sighting_of_ref)}->${((o.where_sighted_refs as string[] | undefined) ?? []).map(typeOf).join('|')}`;
    if (!key) continue;
    out.set(key, [...(out.get(key) ?? []), o.id]);
  }
  return out;
}

/** STIX ids of every link stored (a sighting with several places lands as several links, one id). */
export async function landedStixIds(ex: Executor): Promise<Set<string>> {
  const rows = await ex.read<{ id: string }>('MATCH (:Entity)-[r]->(:Entity) WHERE r.stixId IS NOT NULL RETURN DISTINCT r.stixId AS id');
  return new Set(rows.map((r) => r.id));
}

/** Relationships in vs landed, by type, with a total row last. */
export async function landedByType(ex: Executor, objects: Obj[]): Promise<Row[]> {
  const landed = await landedStixIds(ex);
  const rows = [...relationshipsByType(objects)].map(([key, ids]) => ({ key, in: ids.length, landed: ids.filter((id) => landed.has(id)).length }))
    .sort((a, b) => b.in - a.in);
  rows.push({ key: 'all relationships', in: rows.reduce((a, r) => a + r.in, 0), landed: rows.reduce((a, r) => a + r.landed, 0) });
  return rows;
}

/** Objects in vs entities made from them (by STIX id), by STIX type; relationships left out. */
export async function entitiesByType(ex: Executor, objects: Obj[]): Promise<Row[]> {
  const stored = new Set((await ex.read<{ id: string }>('MATCH (n:Entity) WHERE n.stixId IS NOT NULL RETURN n.stixId AS id')).map((r) => r.id));
  const byType = new Map<string, Row>();
  for (const o of objects) {
    if (o.type === 'relationship' || o.type === 'sighting') continue;
    const row = byType.get(o.type) ?? { key: o.type, in: 0, landed: 0 };
    row.in++;
    if (stored.has(o.id)) row.landed++;
    byType.set(o.type, row);
  }
  return [...byType.values()].sort((a, b) => b.in - a.in);
}

export function table(title: string, rows: Row[], landedHeading = 'landed'): string {
  const width = Math.max(title.length, ...rows.map((r) => r.key.length));
  const pct = (r: Row) => (r.in ? `${((100 * r.landed) / r.in).toFixed(1)} %` : '');
  return [`${title.padEnd(width)}  ${'in'.padStart(5)}  ${landedHeading.padStart(6)}`,
    ...rows.map((r) => `${r.key.padEnd(width)}  ${String(r.in).padStart(5)}  ${String(r.landed).padStart(6)}  ${pct(r)}`)].join('\n');
}
