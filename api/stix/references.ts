// STIX external references as evidence (docs/stix.md, "References"). Pure: an object's
// external_references kept whole; those that name a publication (not an identifier such as an
// ATT&CK or CAPEC id) become Source entities, deduplicated by URL (else by source_name); the
// `(Citation: X)` markers of a description resolve to them, with the sentence they close as quote.
import type { EntityInput } from '../../core/validate.js';
import { uuidV5 } from './ids.js';
import type { StixObject } from './stix-validate.js';

export interface ExternalReference {
  source_name: string;
  description?: string;
  url?: string;
  external_id?: string;
  [property: string]: unknown;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** The object's external_references, as they came (every property of each), or [] when there are none. */
export function externalReferences(o: StixObject): ExternalReference[] {
  const refs = o.external_references;
  return Array.isArray(refs) ? refs.filter((r): r is ExternalReference => !!r && typeof r === 'object' && typeof (r as ExternalReference).source_name === 'string') : [];
}

/** The identifiers the object is known by elsewhere (T0800, G0034, CVE-…), in order, without repeats. */
export function externalIds(o: StixObject): string[] {
  return [...new Set(externalReferences(o).map((r) => text(r.external_id)).filter((x): x is string => !!x))];
}

/**
 * A reference names a publication when it is not an identifier: no external_id, and a URL or a
 * description to go with its name (ATT&CK's alias notes carry only citation markers).
 */
export function isPublication(r: ExternalReference): boolean {
  if (text(r.external_id)) return false;
  const description = text(r.description);
  return !!text(r.url) || (!!description && !/^(\(Citation:[^)]*\)\s*)+$/.test(description));
}

/** Where a reference's Source is found again: its URL, else its source_name. */
export const referenceKey = (r: ExternalReference): string => (text(r.url) ? `url:${text(r.url)}` : `name:${r.source_name.trim().toLowerCase()}`);

/** The id of the Source a reference stands for: a STIX report id, the same for every mention of the same URL or name. */
export const referenceSourceId = (r: ExternalReference): string => `report--${uuidV5(`external-reference:${referenceKey(r)}`)}`;

const SHORT = 1_000;
const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** The Source entity for a publication: named by its source_name, titled by its description (or name), with its URL. */
export function referenceSource(r: ExternalReference): EntityInput {
  const id = referenceSourceId(r);
  const url = text(r.url);
  const title = text(r.description) ?? r.source_name.trim();
  return {
    id, kind: 'SOURCE', name: cut(r.source_name.trim(), SHORT), title: cut(title, SHORT), sourceType: 'publication',
    ...(url && url.length <= SHORT ? { url } : {}),
    ...(title.length > SHORT ? { description: title } : {}),
    externalReferences: JSON.stringify([r]), stixId: id,
  };
}

const MARKER = /\(Citation:\s*([^)]+?)\s*\)/g;
const QUOTE_MAX = 2_000;

/**
 * The `(Citation: X)` markers of a description, in order, each with the text it closes: from the
 * previous marker or sentence end to the marker, other markers and Markdown links' targets removed.
 */
export function citationMarkers(description: unknown): Array<{ name: string; quote: string }> {
  if (typeof description !== 'string') return [];
  const out: Array<{ name: string; quote: string }> = [];
  let last = 0;
  let quote = '';
  for (const m of description.matchAll(MARKER)) {
    const before = description.slice(last, m.index).replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').trim();
    // Markers side by side cite the same sentence; a new sentence starts after the last full stop.
    if (before) {
      const sentences = before.split(/(?<=[.!?])\s+(?=[A-Z[(])/);
      quote = sentences[sentences.length - 1].trim();
    }
    out.push({ name: m[1], quote: cut(quote, QUOTE_MAX) });
    last = (m.index ?? 0) + m[0].length;
  }
  return out;
}

/**
 * What a relationship cites from its own references: one Source per publication (in reference
 * order, once each), with the quote its marker in the description closes (the first, when several).
 */
export function referenceCitations(o: StixObject): Array<{ source: EntityInput; quote: string | null }> {
  const markers = citationMarkers(o.description);
  const seen = new Set<string>();
  const out: Array<{ source: EntityInput; quote: string | null }> = [];
  for (const r of externalReferences(o)) {
    if (!isPublication(r)) continue;
    const source = referenceSource(r);
    if (seen.has(source.id as string)) continue;
    seen.add(source.id as string);
    const marker = markers.find((m) => m.name.toLowerCase() === r.source_name.trim().toLowerCase());
    out.push({ source, quote: marker?.quote || null });
  }
  return out;
}

/** `(Citation: X)` markers naming no reference of the object: evidence that cannot be resolved. */
export function unresolvedMarkers(o: StixObject): string[] {
  const names = new Set(externalReferences(o).map((r) => r.source_name.trim().toLowerCase()));
  return [...new Set(citationMarkers(o.description).map((m) => m.name))].filter((n) => !names.has(n.toLowerCase()));
}

/** The standard properties kept as the producer wrote them (exported back unchanged). */
export const STANDARD_KEPT = ['external_references', 'kill_chain_phases', 'revoked', 'x_mitre_deprecated', 'x_mitre_platforms', 'sectors', 'roles'];

/**
 * What a producer says of an object beside the model's fields, kept on the record
 * (core/validate.ts, PROVENANCE_FIELDS): references whole, external ids, status, kill chains, platforms,
 * an identity's sectors and roles.
 */
export function producerFields(o: StixObject): Record<string, unknown> {
  // Our own export says which standard properties were the producer's (x_disinfo_kept); the
  // others are a view of our fields (a technique's externalId) and must not come back as kept.
  if (o.x_disinfo_kind !== undefined || o.x_disinfo_type !== undefined) {
    const kept = new Set(Array.isArray(o.x_disinfo_kept) ? o.x_disinfo_kept : []);
    o = Object.fromEntries(Object.entries(o).filter(([k]) => !STANDARD_KEPT.includes(k) || kept.has(k))) as StixObject;
  }
  const refs = externalReferences(o);
  const ids = externalIds(o);
  const platforms = Array.isArray(o.x_mitre_platforms) ? o.x_mitre_platforms.filter((p): p is string => typeof p === 'string') : [];
  const out: Record<string, unknown> = {};
  if (refs.length) out.externalReferences = JSON.stringify(o.external_references);
  if (ids.length) out.externalIds = ids;
  if (typeof o.revoked === 'boolean') out.revoked = o.revoked;
  if (typeof o.x_mitre_deprecated === 'boolean') out.deprecated = o.x_mitre_deprecated;
  if (Array.isArray(o.kill_chain_phases) && o.kill_chain_phases.length) out.killChains = JSON.stringify(o.kill_chain_phases);
  if (platforms.length) out.platforms = platforms;
  // An identity's sectors and roles, whole (the model's sector / role keeps the first).
  if (o.type === 'identity') {
    for (const key of ['sectors', 'roles'] as const) {
      const list = o[key];
      if (Array.isArray(list) && list.length && list.every((v) => typeof v === 'string')) out[key] = list;
    }
  }
  return out;
}
