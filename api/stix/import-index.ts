// What the importer's first pass learns about a bundle, so that later passes can stream: which
// objects become which kind (the newest version of each id), the TLP markings, the reports
// that cite relationships, the sources and identities. Also the warnings, grouped.
import { tlpRank, type EntityKind, type Tlp } from '../../model/model.js';
import { kindOfObject, ourIdOf, versionOf, type StixContext } from './from-stix.js';
import { stixTypeOf } from './ids.js';
import { knownMarkingTlp, tlpOfMarkingDefinition } from './mapping.js';
import type { StixObject } from './stix-validate.js';

/** One indexed object: its position in the bundle, kind (entities only), our id when not the STIX id. */
export interface Entry { ord: number; version: number; kind?: EntityKind; id?: string; skipped?: boolean }

/** A granular marking at a TLP level: the parts of an object (STIX selectors) it covers. */
export interface GranularTlp { tlp: Tlp; selectors: string[] }

/** Warnings grouped by reason, with a count and the first few examples each. */
export class Warnings {
  private readonly groups = new Map<string, { count: number; examples: string[] }>();
  add(group: string, example: string): void {
    const g = this.groups.get(group) ?? { count: 0, examples: [] };
    g.count++;
    if (g.examples.length < 3) g.examples.push(example);
    this.groups.set(group, g);
  }
  lines(): string[] {
    return [...this.groups].map(([group, g]) => `${group}: ${g.count} (e.g. ${g.examples.join(', ')}${g.count > 3 ? ', …' : ''})`);
  }
}

const isLinkObject = (o: StixObject) => o.type === 'relationship' || o.type === 'sighting';

export class BundleIndex implements StixContext {
  readonly entries = new Map<string, Entry>();
  readonly warnings = new Warnings();
  /** Marking definitions in the bundle that define a TLP level. */
  private readonly markings = new Map<string, Tlp>();
  private readonly identityNames = new Map<string, string>();
  /** Our ids of the SOURCE entities the bundle holds (reports, or ours). */
  readonly sourceIds = new Set<string>();
  /** relationship id → reports (our ids) that list it in object_refs. */
  readonly reportsByRelationship = new Map<string, string[]>();
  /** object id → reports that list no relationship at all, only objects: they cite relationships between listed objects. */
  readonly reportsByObject = new Map<string, string[]>();
  readonly rawByType = new Map<string, number>();
  objects = 0;
  superseded = 0;
  /** Records the passes after this one will yield at most (entities, links): the progress bar's total. */
  expectedRecords = 0;

  add(o: StixObject, ord: number): void {
    this.objects++;
    if (o.type === 'marking-definition') {
      const tlp = tlpOfMarkingDefinition(o);
      if (tlp) { this.markings.set(o.id, tlp); return; }
    }
    if (o.type === 'identity' && typeof o.name === 'string') this.identityNames.set(o.id, o.name);
    if (isLinkObject(o)) {
      if (this.keepNewest(o, ord)) this.expectedRecords += o.type === 'sighting' ? Math.max(1, (o.where_sighted_refs as unknown[] | undefined)?.length ?? 0) : 1;
      return;
    }
    const kind = kindOfObject(o);
    if (!kind) {
      this.rawByType.set(o.type, (this.rawByType.get(o.type) ?? 0) + 1);
      return;
    }
    if (!this.keepNewest(o, ord, kind)) return;
    this.expectedRecords += o.type === 'report' && o.created_by_ref ? 2 : 1;
    if (kind === 'SOURCE') {
      this.sourceIds.add(ourIdOf(o));
      if (!o.x_disinfo_kind) this.indexReport(o);
    }
  }

  /** Keeps the newest version of an id (a bundle may carry several); true when this one is new. */
  private keepNewest(o: StixObject, ord: number, kind?: EntityKind): boolean {
    const version = Date.parse(versionOf(o) ?? '');
    const entry: Entry = { ord, version, kind, id: o.x_disinfo_id === undefined ? undefined : ourIdOf(o) };
    const before = this.entries.get(o.id);
    if (!before) {
      this.entries.set(o.id, entry);
      return true;
    }
    this.superseded++;
    this.warnings.add('older versions of an object in the same bundle, ignored', o.id);
    if (version > before.version) this.entries.set(o.id, entry);
    return false;
  }

  private indexReport(o: StixObject): void {
    const refs = o.object_refs as string[];
    const relationships = refs.filter((r) => ['relationship', 'sighting'].includes(stixTypeOf(r)));
    const byRef = relationships.length ? this.reportsByRelationship : this.reportsByObject;
    for (const ref of relationships.length ? relationships : refs) {
      const list = byRef.get(ref) ?? [];
      if (!list.includes(o.id)) list.push(o.id);
      byRef.set(ref, list);
    }
  }

  /** The entity a STIX id stands for in this bundle, unless it was left out. */
  entity(stixId: string): { id: string; kind: EntityKind } | undefined {
    const e = this.entries.get(stixId);
    return e?.kind && !e.skipped ? { id: e.id ?? stixId, kind: e.kind } : undefined;
  }

  /** The TLP of the object as a whole (object_marking_refs). */
  objectTlp(o: StixObject): Tlp {
    let tlp: Tlp = 'CLEAR';
    for (const ref of (o.object_marking_refs as string[] | undefined) ?? []) {
      const t = this.markingTlp(ref);
      if (!t) this.warnings.add('markings that are not TLP, not applied', ref);
      else if (tlpRank(t) > tlpRank(tlp)) tlp = t;
    }
    return tlp;
  }

  /** The TLP granular markings of an object: which of its parts (selectors) carry which TLP. */
  granularTlps(o: StixObject): GranularTlp[] {
    const out: GranularTlp[] = [];
    for (const g of (o.granular_markings as Array<{ marking_ref?: unknown; selectors?: unknown }> | undefined) ?? []) {
      const tlp = typeof g?.marking_ref === 'string' ? this.markingTlp(g.marking_ref) : undefined;
      if (!tlp) {
        this.warnings.add('granular markings that are not TLP (language, statements), not applied', o.id);
        continue;
      }
      out.push({ tlp, selectors: Array.isArray(g.selectors) ? g.selectors.filter((x): x is string => typeof x === 'string') : [] });
    }
    return out;
  }

  /**
   * The TLP of a mapped object: the highest of its object and granular markings. A typed record
   * keeps no per-field marking, so the whole record takes the marking of its most restricted part.
   */
  tlpOf(o: StixObject): Tlp {
    let tlp = this.objectTlp(o);
    for (const g of this.granularTlps(o)) if (tlpRank(g.tlp) > tlpRank(tlp)) tlp = g.tlp;
    return tlp;
  }

  private markingTlp(ref: string): Tlp | undefined {
    return this.markings.get(ref) ?? knownMarkingTlp(ref);
  }

  isTlpMarking(id: string): boolean {
    return this.markings.has(id);
  }

  identityName(id: string): string | undefined {
    return this.identityNames.get(id);
  }

  warn(group: string, example: string): void {
    this.warnings.add(group, example);
  }

  rawCount(): number {
    return [...this.rawByType.values()].reduce((a, b) => a + b, 0);
  }
}
