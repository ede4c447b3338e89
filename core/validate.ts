// Checks entity and link records against the model before anything is written. Pure: the
// caller supplies the kinds of ids that already exist in the database.
import { createHash } from 'node:crypto';
import { InvalidRecords, type RecordProblem } from './errors.js';
import { metricProps, type MetricInput } from './metric-input.js';
import {
  ASSERTIONS, ATTRIBUTION_KINDS, KIND_FIELDS, LINK_TYPES, RELIABILITIES, isAttributionKind, isEntityKind, isLinkType, isTlp, tripleAllowed,
  type EntityKind, type LinkType, type Tlp,
} from '../model/model.js';

export interface EntityInput {
  id?: string | null;
  kind: string;
  name: string;
  aliases?: string[] | null;
  description?: string | null;
  tlp?: string | null;
  [field: string]: unknown;
}

export interface CitationInput {
  source: string;
  /** The document the locator points into, when the source is known only through it. */
  via?: string | null;
  locator?: string | null;
  quote?: string | null;
  /** How sure this citation makes its writer (0–100); absent: the link input's confidence. */
  confidence?: number | null;
}

export interface LinkInput {
  id?: string | null;
  type: string;
  from: string;
  to: string;
  confidence: number;
  firstSeen?: string | null;
  lastSeen?: string | null;
  description?: string | null;
  tlp?: string | null;
  assertion?: string | null;
  citations: CitationInput[];
  stixId?: string | null;
  stixCreated?: string | null;
  stixModified?: string | null;
  sightingCount?: number | null;
  /** ATTRIBUTED_TO only: how the actor is responsible (model ATTRIBUTION_KINDS); null clears it. */
  attributionKind?: string | null;
  /** Numeric facts: each replaces the stored metric of its name; value null removes one. */
  metrics?: MetricInput[] | null;
}

export type { RecordProblem } from './errors.js';

/**
 * Rows ready for the Cypher writer. `props` holds only the fields the input named (patch
 * semantics): a field absent from the input is left as stored, a null removes it. What a new
 * record gets for fields it does not name is in ENTITY_DEFAULTS / LINK_DEFAULTS.
 */
export interface EntityRow { id: string; kind: EntityKind; props: Record<string, unknown>; tlp?: Tlp }
export interface LinkRow { id: string; type: LinkType; from: string; to: string; props: Record<string, unknown>; tlp?: Tlp }

/** What a new entity holds for the fields its input does not name. */
export const ENTITY_DEFAULTS = { tlp: 'CLEAR', aliases: [] as string[], aliasText: '', aliasKeyText: '' } as const;

/**
 * A name as `search` compares it: accents dropped, lower case, every run of anything but letters
 * and digits one space ("Robert O'Brien" → "robert o brien", "Curaçao" → "curacao"). Stored as
 * `nameKey` (and `aliasKeyText`, one alias key per line) and indexed by `entity_search`.
 */
export function searchKey(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).join(' ');
}

/** What a new link holds for the fields its input does not name. */
export const LINK_DEFAULTS = { tlp: 'CLEAR', assertion: 'AFFIRMED' } as const;

/**
 * The longest strings a record may hold, in characters (docs/import-format.md). Names and
 * aliases are indexed, and Neo4j's index keys hold at most ~8 KB: past these, a write would fail
 * inside the database instead of naming the field.
 */
export const FIELD_LIMITS = {
  /** name, each alias, and every short field (handle, url, country …) */
  short: 1_000,
  /** description, summary, objective, an indicator's pattern */
  text: 20_000,
  aliases: 500,
  locator: 200,
  quote: 2_000,
  citations: 500,
} as const;
const LONG_TEXT = new Set(['description', 'summary', 'objective', 'pattern']);

/** A string field over its limit, as a problem message (or null). */
function tooLong(field: string, value: unknown): string | null {
  const max = LONG_TEXT.has(field) ? FIELD_LIMITS.text : FIELD_LIMITS.short;
  return typeof value === 'string' && value.length > max ? `${field}: ${value.length} characters, more than the ${max.toLocaleString('en')} allowed` : null;
}

/** A stable id for records that come without one, so that re-imports update rather than duplicate. */
export function derivedId(prefix: string, ...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('\u0000')).digest('hex');
  return `${prefix}--${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The id an entity gets when written without one: from its kind and its name, trimmed and
 * lower-cased (docs/import-format.md, "Derived ids"). The prefix replaces only the first _ of the
 * kind (course-of_action--…), as it always has: stored ids must not change.
 */
export function entityIdFor(kind: EntityKind, name: string): string {
  return derivedId(kind.toLowerCase().replace('_', '-'), kind, name.trim().toLowerCase());
}

/** Where an imported record came from (its STIX id and version, a sighting's count): kept beside the model's fields. */
export const PROVENANCE_FIELDS = {
  stixId: 'string', stixCreated: 'stamp', stixModified: 'stamp', sightingCount: 'int',
  /** external_references exactly as they came (JSON text: Neo4j holds no list of maps), for export. */
  externalReferences: 'json',
  /** Their external_id values (T0800, G0034 …): `search` finds the record by each, exactly. */
  externalIds: 'strings',
  /** The producer's status: revoked (STIX) and deprecated (x_mitre_deprecated); hidden by default. */
  revoked: 'boolean', deprecated: 'boolean',
  /** kill_chain_phases exactly as they came (JSON text), so that kill chain names travel unchanged. */
  killChains: 'json',
  /** x_mitre_platforms. */
  platforms: 'strings',
  /** An identity's `sectors` and `roles`, every value in order (the kind's sector / role holds the first). */
  sectors: 'strings', roles: 'strings',
  /**
   * A link whose confidence nobody gave (a STIX relationship without `confidence`): it holds the
   * import's default, and an export leaves `confidence` out rather than invent it. Cleared by any
   * write that gives a confidence (core/evidence.ts, accumulate).
   */
  confidenceDefaulted: 'boolean',
  /**
   * What else the producer said (ATT&CK's x_mitre_* properties, labels, created_by_ref, a report's
   * object_refs …), as JSON text of at most 64 KiB, given back on export (api/stix/kept.ts).
   */
  keptProperties: 'json',
} as const;

/** The text the `entity_ids` full-text index holds: each external id, lower-cased, one per line. */
export const externalIdText = (ids: readonly string[]): string => ids.map((x) => x.toLowerCase()).join('\n');

/** A STIX timestamp, kept exactly as it came (its precision too); compared in Cypher with datetime(). */
const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function provenance(input: object, problems: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, type] of Object.entries(PROVENANCE_FIELDS)) {
    const value = (input as Record<string, unknown>)[key];
    if (value === undefined || value === null) continue;
    if (type === 'stamp') {
      if (typeof value === 'string' && STAMP.test(value) && !Number.isNaN(Date.parse(value))) out[key] = value;
      else problems.push(`${key}: ${JSON.stringify(value)} is not a STIX timestamp (YYYY-MM-DDTHH:MM:SS[.s]Z)`);
    } else if (type === 'boolean') {
      if (typeof value === 'boolean') out[key] = value;
      else problems.push(`${key}: must be true or false`);
    } else if (type === 'strings') {
      if (Array.isArray(value) && value.length <= FIELD_LIMITS.aliases && value.every((v) => typeof v === 'string' && v.length <= FIELD_LIMITS.short)) out[key] = value;
      else problems.push(`${key}: must be a list of at most ${FIELD_LIMITS.aliases} strings of at most ${FIELD_LIMITS.short} characters`);
      if (key === 'externalIds' && Array.isArray(out[key])) out.externalIdText = externalIdText(out[key] as string[]);
    } else if (type === 'json') {
      let ok = typeof value === 'string' && value.length <= 1_000_000;
      try { if (ok) JSON.parse(value as string); } catch { ok = false; }
      if (ok) out[key] = value;
      else problems.push(`${key}: must be JSON text`);
    } else if (type === 'int' ? !Number.isInteger(value) : typeof value !== 'string') problems.push(`${key}: must be ${type === 'int' ? 'an integer' : 'a string'}`);
    else out[key] = value;
  }
  return out;
}

function isoOrProblem(value: unknown, field: string, problems: string[]): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}(-\d{2})?/.test(value) || Number.isNaN(Date.parse(value))) {
    problems.push(`${field}: ${JSON.stringify(value)} is not an ISO-8601 date`);
    return null;
  }
  return new Date(Date.parse(value)).toISOString();
}

const ID_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._:-]{0,199}$/u;

const has = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key) && (o as Record<string, unknown>)[key] !== undefined;

export function entityRow(input: EntityInput, problems: string[]): EntityRow | null {
  if (!isEntityKind(input.kind)) {
    problems.push(`kind: unknown entity kind ${JSON.stringify(input.kind)}`);
    return null;
  }
  const kind = input.kind;
  if (typeof input.name !== 'string' || !input.name.trim()) problems.push('name: required, a non-empty string');
  const long = tooLong('name', input.name);
  if (long) problems.push(long);
  if (input.id != null && (typeof input.id !== 'string' || !ID_PATTERN.test(input.id))) {
    problems.push(`id: ${JSON.stringify(input.id)} is not a valid id (letters, digits, . _ : -; at most 200)`);
  }
  const id = input.id ?? entityIdFor(kind, String(input.name));
  // A null tlp is read as absent: a marking cannot be cleared, only changed.
  const tlp = input.tlp ?? undefined;
  if (tlp !== undefined && !isTlp(tlp)) problems.push(`tlp: ${JSON.stringify(tlp)} is not one of CLEAR GREEN AMBER RED`);
  const props: Record<string, unknown> = { id, kind, name: String(input.name ?? '').trim() };
  props.nameKey = searchKey(props.name as string);
  if (tlp !== undefined) props.tlp = tlp;
  if (has(input, 'aliases')) {
    const aliases = input.aliases ?? [];
    if (!Array.isArray(aliases) || aliases.some((a) => typeof a !== 'string')) problems.push('aliases: must be a list of strings');
    else if (aliases.length > FIELD_LIMITS.aliases) problems.push(`aliases: ${aliases.length} of them, more than the ${FIELD_LIMITS.aliases} allowed`);
    else {
      const longAlias = aliases.map((a) => tooLong('aliases[]', a)).find(Boolean);
      if (longAlias) problems.push(longAlias);
      props.aliases = aliases;
      props.aliasText = aliases.join(' | ');
      props.aliasKeyText = aliases.map(searchKey).filter(Boolean).join('\n');
    }
  }
  if (has(input, 'description')) {
    if (input.description !== null && typeof input.description !== 'string') problems.push('description: must be a string');
    const longDescription = tooLong('description', input.description);
    if (longDescription) problems.push(longDescription);
    props.description = input.description ?? null;
  }
  Object.assign(props, provenance(input, problems));
  Object.assign(props, metricProps(input.metrics, problems));
  const fields = KIND_FIELDS[kind] ?? {};
  const common = new Set(['id', 'kind', 'name', 'aliases', 'description', 'tlp', 'metrics', ...Object.keys(PROVENANCE_FIELDS)]);
  for (const [key, value] of Object.entries(input)) {
    if (common.has(key) || value === undefined) continue;
    const type = fields[key];
    if (!type) {
      if (value !== null) problems.push(`${key}: not a field of ${kind}`);
      continue;
    }
    if (value === null) props[key] = null;
    else if (type === 'datetime') props[key] = isoOrProblem(value, key, problems);
    else if (type === 'boolean' && typeof value !== 'boolean') problems.push(`${key}: must be true or false`);
    else if (type === 'int' && !Number.isInteger(value)) problems.push(`${key}: must be an integer`);
    else if (type === 'strings' && (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))) problems.push(`${key}: must be a list of strings`);
    else if (type === 'string' && typeof value !== 'string') problems.push(`${key}: must be a string`);
    else {
      const over = type === 'strings' ? (value as string[]).map((v) => tooLong(`${key}[]`, v)).find(Boolean) : tooLong(key, value);
      if (over) problems.push(over);
      props[key] = value;
    }
  }
  if (kind === 'SOURCE' && props.reliability != null && !(RELIABILITIES as readonly string[]).includes(props.reliability as string)) {
    problems.push(`reliability: ${JSON.stringify(props.reliability)} is not one of A B C D E F`);
  }
  return { id, kind, props, tlp: tlp as Tlp | undefined };
}

/**
 * `kindOf` answers for ids in this batch and in the database; `undefined` means unknown.
 */
export function linkRow(input: LinkInput, kindOf: (id: string) => EntityKind | undefined, problems: string[]): LinkRow | null {
  if (!isLinkType(input.type)) {
    problems.push(`type: unknown link type ${JSON.stringify(input.type)}`);
    return null;
  }
  const type = input.type;
  const fromKind = typeof input.from === 'string' ? kindOf(input.from) : undefined;
  const toKind = typeof input.to === 'string' ? kindOf(input.to) : undefined;
  if (!fromKind) problems.push(`from: no entity with id ${JSON.stringify(input.from)}`);
  if (!toKind) problems.push(`to: no entity with id ${JSON.stringify(input.to)}`);
  if (fromKind && toKind && !tripleAllowed(fromKind, type, toKind)) {
    const allowed = LINK_TYPES[type].allowed.map(([f, t]) => `(${f.join('|')})-[${type}]->(${t.join('|')})`).join(', ');
    problems.push(`type: ${fromKind} -[${type}]-> ${toKind} is not allowed; allowed: ${allowed}`);
  }
  if (typeof input.confidence !== 'number' || !Number.isInteger(input.confidence) || input.confidence < 0 || input.confidence > 100) {
    problems.push(`confidence: ${JSON.stringify(input.confidence)} must be an integer from 0 to 100`);
  }
  const tlp = input.tlp ?? undefined;
  if (tlp !== undefined && !isTlp(tlp)) problems.push(`tlp: ${JSON.stringify(tlp)} is not one of CLEAR GREEN AMBER RED`);
  const assertion = input.assertion ?? undefined;
  if (assertion !== undefined && !(ASSERTIONS as readonly string[]).includes(assertion)) problems.push(`assertion: ${JSON.stringify(assertion)} is not one of ${ASSERTIONS.join(' ')}`);
  const citations = Array.isArray(input.citations) ? input.citations : [];
  if (citations.length === 0) problems.push('citations: at least one citation is required');
  if (citations.length > FIELD_LIMITS.citations) problems.push(`citations: ${citations.length} of them, more than the ${FIELD_LIMITS.citations} allowed`);
  citations.forEach((c, i) => {
    if (!c || typeof c.source !== 'string') problems.push(`citations[${i}].source: required`);
    else if (kindOf(c.source) !== 'SOURCE') problems.push(`citations[${i}].source: no SOURCE entity with id ${JSON.stringify(c.source)}`);
    if (c?.via != null && kindOf(c.via) !== 'SOURCE') problems.push(`citations[${i}].via: no SOURCE entity with id ${JSON.stringify(c.via)}`);
    if (c?.locator != null && (typeof c.locator !== 'string' || c.locator.length > FIELD_LIMITS.locator)) problems.push(`citations[${i}].locator: must be a string of at most ${FIELD_LIMITS.locator} characters`);
    if (c?.quote != null && (typeof c.quote !== 'string' || c.quote.length > FIELD_LIMITS.quote)) problems.push(`citations[${i}].quote: must be a string of at most 2,000 characters`);
    if (c?.confidence != null && (typeof c.confidence !== 'number' || !Number.isInteger(c.confidence) || c.confidence < 0 || c.confidence > 100)) {
      problems.push(`citations[${i}].confidence: ${JSON.stringify(c.confidence)} must be an integer from 0 to 100`);
    }
  });
  const props: Record<string, unknown> = {
    confidence: input.confidence,
    citeSources: citations.map((c) => c?.source),
    citeLocators: citations.map((c) => c?.locator ?? ''),
    citeQuotes: citations.map((c) => c?.quote ?? ''),
    citeVias: citations.map((c) => c?.via ?? ''),
    citeConfidences: citations.map((c) => c?.confidence ?? input.confidence),
  };
  if (tlp !== undefined) props.tlp = tlp;
  if (assertion !== undefined) props.assertion = assertion;
  if (has(input, 'firstSeen')) props.firstSeen = isoOrProblem(input.firstSeen, 'firstSeen', problems);
  if (has(input, 'lastSeen')) props.lastSeen = isoOrProblem(input.lastSeen, 'lastSeen', problems);
  if (props.firstSeen && props.lastSeen && (props.lastSeen as string) < (props.firstSeen as string)) problems.push('lastSeen: earlier than firstSeen');
  if (has(input, 'description')) {
    if (input.description !== null && typeof input.description !== 'string') problems.push('description: must be a string');
    const longDescription = tooLong('description', input.description);
    if (longDescription) problems.push(longDescription);
    props.description = input.description ?? null;
  }
  const suffix = !assertion || assertion === 'AFFIRMED' ? '' : `:${assertion.toLowerCase()}`;
  const id = input.id ?? `${input.from}-${type}-${input.to}${suffix}`;
  if (typeof id !== 'string' || id.length > 500) problems.push('id: must be a string of at most 500 characters');
  props.id = id;
  Object.assign(props, provenance(input, problems));
  Object.assign(props, metricProps(input.metrics, problems));
  if (has(input, 'attributionKind')) {
    const ak = input.attributionKind ?? null;
    if (ak !== null && !isAttributionKind(ak)) problems.push(`attributionKind: ${JSON.stringify(ak)} is not one of ${ATTRIBUTION_KINDS.join(' ')}`);
    else if (ak !== null && type !== 'ATTRIBUTED_TO') problems.push(`attributionKind: only ATTRIBUTED_TO links have one, not ${type}`);
    else props.attributionKind = ak;
  }
  return { id, type, from: input.from, to: input.to, props, tlp: tlp as Tlp | undefined };
}

export function badInput(problems: RecordProblem[]): InvalidRecords {
  return new InvalidRecords(problems);
}

/** Splits "field: reason" strings into RecordProblems for one record. */
export function toProblems(list: string, index: number, id: string | undefined, messages: string[]): RecordProblem[] {
  return messages.map((m) => {
    const at = m.indexOf(': ');
    return { list, index, id, field: at > 0 ? m.slice(0, at) : '', reason: at > 0 ? m.slice(at + 2) : m };
  });
}
