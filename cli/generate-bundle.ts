// tsx cli/generate-bundle.ts --out /tmp/bench.json [--size S] [--copies 2] [--plain]
//   A large STIX bundle for import benchmarks: `copies` synthetic graphs (seed/synthetic.ts, each
//   with its own id prefix) written through the exporter's object builders, streamed to a file.
//   --plain drops our x_disinfo_* properties, so the import takes the path of another producer's
//   bundle (ids from STIX, citations from the reports' object_refs).
// tsx cli/generate-bundle.ts --out /tmp/ics-x18.json --replicate ics-attack.json --copies 18
//   A real producer's bundle (ATT&CK for ICS) copied `copies` times under new ids (UUIDv5 of copy
//   and id; every reference inside rewritten, marking definitions shared): an ATT&CK-sized bundle
//   with ATT&CK's shapes (x_mitre_* properties, references, revoked objects) for import benchmarks.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { GraphRecord } from '../api/store/bulk-load.js';
import { isSizeName, syntheticRecords } from '../seed/synthetic.js';
import { TLPS, type EntityKind } from '../model/model.js';
import { writeBundle } from '../api/stix/bundle-stream.js';
import { isStixId, uuidV5 } from '../api/stix/ids.js';
import { markingDefinition } from '../api/stix/mapping.js';
import { entityStixId, entityToStix, linkToStix, type EntityProps, type LinkProps } from '../api/stix/to-stix.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    size: { type: 'string', default: 'S' },
    copies: { type: 'string', default: '2' },
    plain: { type: 'boolean', default: false },
    replicate: { type: 'string' },
  },
});

const CREATED = '2024-01-01T00:00:00.000Z';
const plain = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k]) => !k.startsWith('x_disinfo_')));

function* objects(size: Parameters<typeof syntheticRecords>[0], copies: number, stripOurs: boolean): Generator<Record<string, unknown>> {
  const out = stripOurs ? plain : (o: Record<string, unknown>) => o;
  for (const tlp of TLPS) yield markingDefinition(tlp);
  for (let copy = 0; copy < copies; copy++) {
    const kinds = new Map<string, EntityKind>();
    const sources: EntityProps[] = [];
    const citing = new Map<string, string[]>();
    for (const rec of syntheticRecords(size, 1 + copy, `syn${copy}`)) {
      const { record, ...rest } = rec as GraphRecord & Record<string, unknown>;
      if (record === 'entity') {
        const e = { ...rest, createdAt: CREATED } as EntityProps;
        kinds.set(e.id, e.kind);
        if (e.kind === 'SOURCE') sources.push(e);
        else yield out(entityToStix(e));
        continue;
      }
      const l = { ...rest, tlp: rest.tlp ?? 'CLEAR', assertion: rest.assertion ?? 'AFFIRMED', createdAt: CREATED } as unknown as LinkProps;
      l.citations = l.citations.map((c) => ({ source: c.source, locator: c.locator ?? null, quote: c.quote ?? null, via: c.via ?? null }));
      const rel = linkToStix(l, {
        from: entityStixId({ id: l.from, kind: kinds.get(l.from)! }), to: entityStixId({ id: l.to, kind: kinds.get(l.to)! }),
      });
      for (const c of l.citations) {
        const list = citing.get(c.source) ?? [];
        if (list[list.length - 1] !== rel.id) list.push(rel.id as string);
        citing.set(c.source, list);
      }
      yield out(rel);
    }
    for (const s of sources) yield out(entityToStix(s, { objectRefs: citing.get(s.id) ?? [entityStixId(s)] }));
  }
}

/** Every STIX id in `v` (deeply) but marking definitions, renamed for copy `copy`. */
function renamed(v: unknown, copy: number): unknown {
  if (typeof v === 'string') {
    return isStixId(v) && !v.startsWith('marking-definition--') ? `${v.slice(0, v.indexOf('--'))}--${uuidV5(`copy ${copy}:${v}`)}` : v;
  }
  if (Array.isArray(v)) return v.map((x) => renamed(x, copy));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, renamed(x, copy)]));
  return v;
}

function* replicated(file: string, copies: number): Generator<Record<string, unknown>> {
  const objects = (JSON.parse(fs.readFileSync(file, 'utf8')) as { objects: Array<Record<string, unknown>> }).objects;
  for (const o of objects) if (o.type === 'marking-definition') yield o;
  for (let copy = 0; copy < copies; copy++) {
    for (const o of objects) if (o.type !== 'marking-definition') yield renamed(o, copy) as Record<string, unknown>;
  }
}

async function main(): Promise<void> {
  if (!values.out) throw new Error('--out FILE is required');
  if (!isSizeName(values.size)) throw new Error('--size must be XS, S, M or L');
  const t0 = Date.now();
  const file = fs.createWriteStream(values.out);
  const source = values.replicate ? replicated(values.replicate, Number(values.copies)) : objects(values.size, Number(values.copies), values.plain);
  const counts = await writeBundle(file, 'bundle--0c6e7d80-6a4b-4b8e-9d4f-3f2a1b0c9d8e', source);
  await new Promise((resolve) => file.end(resolve));
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const mb = fs.statSync(values.out).size / 1e6;
  console.log(`generate: ${total} objects (${[...counts].map(([t, n]) => `${n} ${t}`).join(', ')}), ${mb.toFixed(0)} MB in ${((Date.now() - t0) / 1000).toFixed(1)} s → ${values.out}`);
}

main().catch((e: Error) => { console.error(`generate failed: ${e.message}`); process.exit(1); });
