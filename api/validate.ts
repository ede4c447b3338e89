// Checks entity and link records against the model before anything is written. Pure: the
// caller supplies the kinds of ids that already exist in the database.
import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import {
  ASSERTIONS, KIND_FIELDS, LINK_TYPES, RELIABILITIES, isEntityKind, isLinkType, isTlp, tripleAllowed,
  type Assertion, type EntityKind, type LinkType, type Tlp,
} from './model.js';

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
  stixModified?: string | null;
  sightingCount?: number | null;
}

export interface RecordProblem {
  /** 'entities' or 'links' */
  list: string;
  index: number;
  id?: string;
  field: string;
  reason: string;
}

/** Rows ready for the Cypher writer. */
export interface EntityRow { id: string; kind: EntityKind; props: Record<string, unknown> }
export interface LinkRow { id: string; type: LinkType; from: string; to: string; props: Record<string, unknown> }

const MAX_TEXT = 20_000;
const ID_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}._:-]{0,199}$/u;

/** A stable id for records that come without one, so that re-imports update rather than duplicate. */
export function derivedId(prefix: string, ...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('\u0000')).digest('hex');
  return `${prefix}--${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Where an imported record came from (its STIX id and version, a sighting's count): kept beside the model's fields. */
export const PROVENANCE_FIELDS = { stixId: 'string', stixModified: 'datetime', sightingCount: 'int' } as const;

function provenance(input: object, problems: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, type] of Object.entries(PROVENANCE_FIELDS)) {
    const value = (input as Record<string, unknown>)[key];
    if (value === undefined || value === null) continue;
    if (type === 'datetime') out[key] = isoOrProblem(value, key, problems);
    else if (type === 'int' ? !Number.isInteger(value) : typeof value !== 'string') problems.push(`${key}: must be ${type === 'int' ? 'an integer' : 'a string'}`);
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

export function entityRow(input: EntityInput, problems: string[]): EntityRow | null {
  if (!isEntityKind(input.kind)) {
    problems.push(`kind: unknown entity kind ${JSON.stringify(input.kind)}`);
    return null;
  }
  const kind = input.kind;
  if (typeof input.name !== 'string' || !input.name.trim()) problems.push('name: required, a non-empty string');
  if (input.id != null && (typeof input.id !== 'string' || !ID_PATTERN.test(input.id))) {
    problems.push(`id: ${JSON.stringify(input.id)} is not a valid id (letters, digits, . _ : -; at most 200)`);
  }
  const tlp = input.tlp ?? 'CLEAR';
  if (!isTlp(tlp)) problems.push(`tlp: ${JSON.stringify(tlp)} is not one of CLEAR GREEN AMBER RED`);
  const aliases = input.aliases ?? [];
  if (!Array.isArray(aliases) || aliases.some((a) => typeof a !== 'string')) problems.push('aliases: must be a list of strings');
  if (typeof input.description === 'string' && input.description.length > MAX_TEXT) problems.push(`description: longer than ${MAX_TEXT} characters`);
  const id = input.id ?? derivedId(kind.toLowerCase().replace('_', '-'), kind, String(input.name).trim().toLowerCase());
  const props: Record<string, unknown> = {
    id, kind, name: String(input.name ?? '').trim(), aliases: Array.isArray(aliases) ? aliases : [],
    aliasText: Array.isArray(aliases) ? aliases.join(' | ') : '', description: input.description ?? null, tlp,
    ...provenance(input, problems),
  };
  const fields = KIND_FIELDS[kind] ?? {};
  const common = new Set(['id', 'kind', 'name', 'aliases', 'description', 'tlp', ...Object.keys(PROVENANCE_FIELDS)]);
  for (const [key, value] of Object.entries(input)) {
    if (common.has(key) || value === undefined || value === null) continue;
    const type = fields[key];
    if (!type) { problems.push(`${key}: not a field of ${kind}`); continue; }
    if (type === 'datetime') props[key] = isoOrProblem(value, key, problems);
    else if (type === 'boolean' && typeof value !== 'boolean') problems.push(`${key}: must be true or false`);
    else if (type === 'int' && !Number.isInteger(value)) problems.push(`${key}: must be an integer`);
    else if (type === 'strings' && (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))) problems.push(`${key}: must be a list of strings`);
    else if (type === 'string' && typeof value !== 'string') problems.push(`${key}: must be a string`);
    else props[key] = value;
  }
  if (kind === 'SOURCE' && props.reliability != null && !(RELIABILITIES as readonly string[]).includes(props.reliability as string)) {
    problems.push(`reliability: ${JSON.stringify(props.reliability)} is not one of A B C D E F`);
  }
  return { id, kind, props };
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
  const tlp = input.tlp ?? 'CLEAR';
  if (!isTlp(tlp)) problems.push(`tlp: ${JSON.stringify(tlp)} is not one of CLEAR GREEN AMBER RED`);
  const assertion = (input.assertion ?? 'AFFIRMED') as Assertion;
  if (!(ASSERTIONS as readonly string[]).includes(assertion)) problems.push(`assertion: ${JSON.stringify(assertion)} is not one of ${ASSERTIONS.join(' ')}`);
  const citations = Array.isArray(input.citations) ? input.citations : [];
  if (citations.length === 0) problems.push('citations: at least one citation is required');
  citations.forEach((c, i) => {
    if (!c || typeof c.source !== 'string') problems.push(`citations[${i}].source: required`);
    else if (kindOf(c.source) !== 'SOURCE') problems.push(`citations[${i}].source: no SOURCE entity with id ${JSON.stringify(c.source)}`);
    if (c?.via != null && kindOf(c.via) !== 'SOURCE') problems.push(`citations[${i}].via: no SOURCE entity with id ${JSON.stringify(c.via)}`);
    if (c?.locator != null && (typeof c.locator !== 'string' || c.locator.length > 200)) problems.push(`citations[${i}].locator: must be a string of at most 200 characters`);
    if (c?.quote != null && (typeof c.quote !== 'string' || c.quote.length > 2000)) problems.push(`citations[${i}].quote: must be a string of at most 2,000 characters`);
  });
  const firstSeen = isoOrProblem(input.firstSeen, 'firstSeen', problems);
  const lastSeen = isoOrProblem(input.lastSeen, 'lastSeen', problems);
  if (firstSeen && lastSeen && lastSeen < firstSeen) problems.push('lastSeen: earlier than firstSeen');
  const suffix = assertion === 'AFFIRMED' ? '' : `:${assertion.toLowerCase()}`;
  const id = input.id ?? `${input.from}-${type}-${input.to}${suffix}`;
  if (typeof id !== 'string' || id.length > 500) problems.push('id: must be a string of at most 500 characters');
  return {
    id, type, from: input.from, to: input.to,
    props: {
      id, confidence: input.confidence, firstSeen, lastSeen, description: input.description ?? null, tlp: tlp as Tlp, assertion,
      citeSources: citations.map((c) => c.source),
      citeLocators: citations.map((c) => c.locator ?? ''),
      citeQuotes: citations.map((c) => c.quote ?? ''),
      citeVias: citations.map((c) => c.via ?? ''),
      ...provenance(input, problems),
    },
  };
}

export function badInput(problems: RecordProblem[]): GraphQLError {
  const lines = problems.slice(0, 50).map((p) => `${p.list}[${p.index}]${p.id ? ` (${p.id})` : ''} ${p.field}: ${p.reason}`);
  return new GraphQLError(
    `Rejected: ${problems.length} invalid record(s); nothing was written. ${lines.join('; ')}`,
    { extensions: { code: 'BAD_USER_INPUT', problems } },
  );
}

/** Splits "field: reason" strings into RecordProblems for one record. */
export function toProblems(list: string, index: number, id: string | undefined, messages: string[]): RecordProblem[] {
  return messages.map((m) => {
    const at = m.indexOf(': ');
    return { list, index, id, field: at > 0 ? m.slice(0, at) : '', reason: at > 0 ? m.slice(at + 2) : m };
  });
}
