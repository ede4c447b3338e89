// Pass 3 of a STIX import: a relationship, a sighting or a report's author as links of ours —
// ends found in the bundle or the database, the triple checked against the model, citations
// found (docs/stix.md, "Citations"); what cannot be a link is left out with a warning.
import { isLinkType, tripleAllowed, type EntityKind, type LinkType } from '../../model/model.js';
import type { Executor } from '../store/executor.js';
import { linkRow, type CitationInput, type EntityInput, type LinkInput } from '../../core/validate.js';
import { createdOf, metricsFromStix, ourIdOf, versionOf } from './from-stix.js';
import { stixTypeOf } from './ids.js';
import type { BundleIndex } from './import-index.js';
import { SIGHTING_LINK_TYPE, linkTypeFor, type ImportType } from './mapping.js';
import { keptProperties } from './kept.js';
import { producerFields, referenceCitations, unresolvedMarkers } from './references.js';
import { linkToStix, type LinkProps } from './to-stix.js';
import type { StixObject } from './stix-validate.js';

type Ref = { id: string; kind: EntityKind };
type LinkParts = { type: LinkType; fromRef: string; toRef: string; id: string; extra: Partial<LinkInput>; citations?: CitationInput[] };

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));

export class LinkMaker {
  /** Entities outside the bundle, looked up by STIX id or our id (null: not found). */
  private readonly external = new Map<string, Ref | null>();
  /** Sources we make up (a producer's, the bundle's); the importer writes each before the first link citing it. */
  readonly generated = new Map<string, EntityInput>();
  bundleId = '';
  /** The title of the bundle's own Source: the file it came from, when known. */
  bundleTitle: string | undefined;
  skipped = 0;

  constructor(private readonly ex: Executor, private readonly index: BundleIndex, private readonly defaultConfidence: number) {}

  /** One query per chunk for every reference the bundle does not hold: link ends, citations' sources. */
  async lookUpExternal(chunk: StixObject[]): Promise<void> {
    const wanted = new Set<string>();
    for (const o of chunk) {
      const ends = [o.source_ref, o.target_ref, o.sighting_of_ref, ...((o.where_sighted_refs as unknown[]) ?? []), o.type === 'report' ? o.created_by_ref : undefined];
      for (const ref of ends) if (typeof ref === 'string' && !this.index.entity(ref) && !this.external.has(ref)) wanted.add(ref);
      for (const c of (o.x_disinfo_citations as CitationInput[] | undefined) ?? []) {
        for (const id of [c.source, c.via]) if (id && !this.isSource(id) && !this.external.has(id)) wanted.add(id);
      }
    }
    if (!wanted.size) return;
    const ids = [...wanted];
    const rows = await this.ex.read<{ id: string; kind: EntityKind; stixId: string | null }>(
      `MATCH (n:Entity) WHERE n.id IN $ids RETURN n.id AS id, n.kind AS kind, n.stixId AS stixId
       UNION MATCH (n:Entity) WHERE n.stixId IN $ids RETURN n.id AS id, n.kind AS kind, n.stixId AS stixId`, { ids });
    for (const id of ids) this.external.set(id, null);
    for (const r of rows) {
      for (const key of [r.id, r.stixId]) if (key && wanted.has(key)) this.external.set(key, { id: r.id, kind: r.kind });
    }
  }

  private resolve(ref: unknown): Ref | undefined {
    return typeof ref === 'string' ? this.index.entity(ref) ?? this.external.get(ref) ?? undefined : undefined;
  }

  private isSource(id: string): boolean {
    return this.index.sourceIds.has(id) || this.generated.has(id) || this.external.get(id)?.kind === 'SOURCE';
  }

  linksOf(o: StixObject): LinkInput[] {
    if (o.type === 'report') {
      const from = ourIdOf(o);
      return this.checkedLink(o, {
        type: 'AUTHORED_BY', fromRef: o.id, toRef: o.created_by_ref as string, id: `${from}-AUTHORED_BY-${this.resolve(o.created_by_ref)?.id}`,
        extra: { description: null, stixId: null, stixCreated: null, stixModified: versionOf(o) }, citations: [{ source: from }],
      });
    }
    if (o.type === 'sighting') {
      const where = (o.where_sighted_refs as string[] | undefined) ?? [];
      if (!where.length) return this.leaveLinkOut('sightings without where_sighted_refs (nothing to link to)', o.id);
      return where.flatMap((toRef, i) => this.checkedLink(o, {
        type: SIGHTING_LINK_TYPE, fromRef: o.sighting_of_ref as string, toRef, id: i ? `${ourIdOf(o)}:${i + 1}` : ourIdOf(o),
        extra: { firstSeen: o.first_seen as string, lastSeen: o.last_seen as string, sightingCount: o.count as number },
      }));
    }
    let mapped: ImportType | undefined = isLinkType(o.x_disinfo_type) ? { type: o.x_disinfo_type, reversed: false } : linkTypeFor(String(o.relationship_type));
    if (!mapped) return this.leaveLinkOut(`relationships of a type with no link type ("${String(o.relationship_type)}")`, o.id);
    // A type with a fallback (indicates: INDICATES, else the indicator's host is used) takes the one the ends allow.
    const source = this.resolve(o.source_ref);
    const target = this.resolve(o.target_ref);
    if (mapped.otherwise && source && target && !tripleAllowed(source.kind, mapped.type, target.kind)) mapped = mapped.otherwise;
    const [fromRef, toRef] = mapped.reversed ? [o.target_ref, o.source_ref] : [o.source_ref, o.target_ref];
    return this.checkedLink(o, {
      type: mapped.type, fromRef: fromRef as string, toRef: toRef as string, id: ourIdOf(o),
      extra: {
        firstSeen: o.start_time as string, lastSeen: (o.stop_time ?? o.x_disinfo_last_seen) as string, sightingCount: o.x_disinfo_sighting_count as number,
        attributionKind: o.x_disinfo_attribution_kind as string, metrics: metricsFromStix(o.x_disinfo_metrics),
      },
    });
  }

  /** The link, or nothing (with a warning) when an end is missing, the model forbids the triple or a field is invalid. */
  private checkedLink(o: StixObject, p: LinkParts): LinkInput[] {
    const from = this.resolve(p.fromRef);
    const to = this.resolve(p.toRef);
    if (!from || !to) {
      return this.leaveLinkOut(`links whose end is not an entity, here or in the database (${stixTypeOf(from ? p.toRef : p.fromRef)})`, o.id);
    }
    if (!tripleAllowed(from.kind, p.type, to.kind)) return this.leaveLinkOut(`links the model does not allow: ${from.kind} -[${p.type}]-> ${to.kind}`, o.id);
    const link = defined({
      id: p.id, type: p.type, from: from.id, to: to.id,
      confidence: Number.isInteger(o.confidence) ? o.confidence : this.defaultConfidence,
      // Recorded, so that an export leaves out the confidence the producer did not give.
      confidenceDefaulted: Number.isInteger(o.confidence) ? undefined : true,
      description: o.description, tlp: this.index.tlpOf(o), assertion: o.x_disinfo_assertion,
      citations: p.citations ?? this.citationsOf(o, p.fromRef, p.toRef), stixId: o.id, stixCreated: createdOf(o), stixModified: versionOf(o),
      ...(o.type === 'report' ? {} : producerFields(o)), ...p.extra,
    }) as unknown as LinkInput;
    // What else a relationship says (ATT&CK's x_mitre_*, created_by_ref …), kept for export; a
    // sighting or a report's author is a link of another shape, its properties are not its own.
    if (o.type === 'relationship') {
      const view = linkToStix({ ...link, citations: [] } as unknown as LinkProps, { from: String(o.source_ref), to: String(o.target_ref) });
      const { json, dropped } = keptProperties(o, view);
      if (json) (link as unknown as Record<string, unknown>).keptProperties = json;
      if (dropped.length) this.index.warn('properties left out of keptProperties (over 64 KiB)', `${o.id}: ${dropped.join(', ')}`);
    }
    const problems: string[] = [];
    const kindOf = (id: string) => (id === from.id ? from.kind : id === to.id ? to.kind : this.isSource(id) ? 'SOURCE' : undefined);
    linkRow(link, kindOf, problems);
    return problems.length ? this.leaveLinkOut(`links left out (${problems[0].split(':')[0]})`, `${o.id}: ${problems[0]}`) : [link];
  }

  private leaveLinkOut(group: string, example: string): LinkInput[] {
    this.skipped++;
    this.index.warn(group, example);
    return [];
  }

  /**
   * Ours restore their own citations (x_disinfo_citations). Otherwise a relationship cites the
   * reports listing it in object_refs (or, for reports listing no relationship, listing both its
   * ends), each publication among its external_references (quoting the sentence its
   * `(Citation: X)` marker closes) and its creator (created_by_ref); with none of these, the bundle itself.
   */
  private citationsOf(o: StixObject, fromRef: string, toRef: string): CitationInput[] {
    const given = o.x_disinfo_citations as CitationInput[] | undefined;
    if (given) {
      const kept = given.filter((c) => this.isSource(c.source) && (c.via == null || this.isSource(c.via)));
      if (kept.length < given.length) this.index.warn('citations whose source is neither in the bundle nor in the database, dropped', o.id);
      if (kept.length) return kept.map((c) => ({ source: c.source, locator: c.locator ?? null, quote: c.quote ?? null, via: c.via ?? null }));
    }
    const sources = new Set(this.index.reportsByRelationship.get(o.id) ?? []);
    const byTo = this.index.reportsByObject.get(toRef) ?? [];
    for (const r of this.index.reportsByObject.get(fromRef) ?? []) if (byTo.includes(r)) sources.add(r);
    const cited: CitationInput[] = [...sources].filter((s) => this.isSource(s)).map((source) => ({ source }));
    for (const { source, quote } of referenceCitations(o)) {
      const id = source.id as string;
      if (!this.isSource(id)) this.generated.set(id, source);
      cited.push({ source: id, quote });
    }
    const unresolved = unresolvedMarkers(o);
    if (unresolved.length) this.index.warn('(Citation: X) markers naming no external reference of their relationship, not cited', `${o.id}: ${unresolved[0]}`);
    if (typeof o.created_by_ref === 'string') cited.push({ source: this.producerSource(o.created_by_ref) });
    if (!cited.length) cited.push({ source: this.bundleSource() });
    return cited;
  }

  private producerSource(identityId: string): string {
    const id = `producer:${identityId}`;
    const name = this.index.identityName(identityId) ?? identityId;
    if (!this.generated.has(id)) {
      this.generated.set(id, {
        id, kind: 'SOURCE', name: `${name} (STIX producer)`, title: `${name}: STIX objects (created_by_ref)`, publisher: name, author: name, sourceType: 'stix-producer',
        description: `What ${name} (${identityId}) asserts as creator (created_by_ref) of STIX relationships.`,
      });
    }
    return id;
  }

  private bundleSource(): string {
    const id = this.bundleId;
    if (!this.generated.has(id)) {
      this.generated.set(id, {
        id, kind: 'SOURCE', name: `STIX bundle ${id}`, title: this.bundleTitle ?? `STIX bundle ${id}`, sourceType: 'stix-bundle',
        description: 'A STIX bundle, cited by those of its relationships that name no report and no creator (created_by_ref).',
      });
    }
    return id;
  }
}
