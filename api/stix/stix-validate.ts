// Two checks. Incoming bundles: a structural check of every object (type, id, references,
// timestamps …) before anything is written, naming the first bad object. Outgoing bundles: the
// OASIS STIX 2.1 JSON schemas, through ajv (tests and `npm run export -- --validate`).
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { AnySchemaObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { isEntityKind } from '../../model/model.js';
import { isStixId, stixTypeOf } from './ids.js';

export type StixObject = Record<string, unknown> & { type: string; id: string };

export class StixFormatError extends Error {
  constructor(message: string, readonly index: number | null = null, readonly objectId: string | null = null) {
    super(message);
  }
}

// The core schema's type pattern, without its nested quantifier (same language, no backtracking blow-up).
const TYPE_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*-?$/;
const NAMED = new Set(['threat-actor', 'intrusion-set', 'campaign', 'identity', 'attack-pattern', 'infrastructure', 'report']);
const VALUED = new Set(['domain-name', 'ipv4-addr', 'ipv6-addr', 'url', 'email-addr']);

const isTimestamp = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v));
const isIdList = (v: unknown) => Array.isArray(v) && v.every(isStixId);

/** What one STIX object may hold (docs/stix.md, "Limits"): checked before anything is written. */
export const OBJECT_LIMITS = {
  /** levels of nested objects and arrays, the object itself being level 1 */
  depth: 32,
  /** characters in any one string */
  string: 100_000,
  /** characters in a name, alias or other indexed short text */
  name: 1_000,
  /** elements in any one array */
  array: 100_000,
} as const;

const NAME_FIELDS = new Set(['name', 'display_name', 'value', 'account_login', 'user_id', 'x_disinfo_id']);

/** The first part of an object over a limit (depth, string length, array length), found without recursion. */
export function shapeProblem(o: unknown): string | null {
  const stack: Array<{ v: unknown; path: string; depth: number; key: string }> = [{ v: o, path: '', depth: 1, key: '' }];
  while (stack.length) {
    const { v, path, depth, key } = stack.pop()!;
    if (typeof v === 'string') {
      const max = NAME_FIELDS.has(key) || key === 'aliases' ? OBJECT_LIMITS.name : OBJECT_LIMITS.string;
      if (v.length > max) return `${path}: ${v.length} characters, more than the ${max.toLocaleString('en')} allowed`;
      continue;
    }
    if (!v || typeof v !== 'object') continue;
    if (depth > OBJECT_LIMITS.depth) return `${path}: nested deeper than ${OBJECT_LIMITS.depth} levels`;
    if (Array.isArray(v)) {
      if (v.length > OBJECT_LIMITS.array) return `${path}: ${v.length} elements, more than the ${OBJECT_LIMITS.array.toLocaleString('en')} allowed`;
      // Elements of a list inherit its key, so aliases[3] is held to the name limit.
      v.forEach((x, i) => stack.push({ v: x, path: `${path}[${i}]`, depth: depth + 1, key }));
    } else {
      for (const [k, x] of Object.entries(v)) stack.push({ v: x, path: path ? `${path}.${k}` : k, depth: depth + 1, key: k });
    }
  }
  return null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object';

/** Reasons an object is malformed (empty when it is fine). Only what the importer relies on is checked. */
function problemsOf(o: Record<string, unknown>): string[] {
  const shape = shapeProblem(o);
  if (shape) return [shape];
  const out: string[] = [];
  const { type, id } = o;
  if (typeof type !== 'string' || type.length < 3 || type.length > 250 || !TYPE_PATTERN.test(type)) {
    return [`type: ${JSON.stringify(type)} is not a STIX type`];
  }
  if (!isStixId(id) || stixTypeOf(id) !== type) out.push(`id: ${JSON.stringify(id)} is not of the form ${type}--<uuid>`);
  for (const key of ['created', 'modified', 'start_time', 'stop_time', 'first_seen', 'last_seen', 'published']) {
    if (o[key] !== undefined && !isTimestamp(o[key])) out.push(`${key}: ${JSON.stringify(o[key])} is not a timestamp`);
  }
  if (o.created_by_ref !== undefined && !isStixId(o.created_by_ref)) out.push('created_by_ref: not a STIX id');
  if (o.object_marking_refs !== undefined && !isIdList(o.object_marking_refs)) out.push('object_marking_refs: must be a list of STIX ids');
  if (o.confidence !== undefined && !(Number.isInteger(o.confidence) && (o.confidence as number) >= 0 && (o.confidence as number) <= 100)) {
    out.push('confidence: must be an integer from 0 to 100');
  }
  const later = (a: string, b: string) => isTimestamp(o[a]) && isTimestamp(o[b]) && Date.parse(o[b] as string) < Date.parse(o[a] as string);
  if (type === 'relationship') {
    if (typeof o.relationship_type !== 'string' || !o.relationship_type) out.push('relationship_type: required');
    if (!isStixId(o.source_ref)) out.push('source_ref: required, a STIX id');
    if (!isStixId(o.target_ref)) out.push('target_ref: required, a STIX id');
    if (later('start_time', 'stop_time')) out.push('stop_time: earlier than start_time');
  } else if (type === 'sighting') {
    if (!isStixId(o.sighting_of_ref)) out.push('sighting_of_ref: required, a STIX id');
    for (const key of ['where_sighted_refs', 'observed_data_refs']) {
      if (o[key] !== undefined && !isIdList(o[key])) out.push(`${key}: must be a list of STIX ids`);
    }
    if (o.count !== undefined && !(Number.isInteger(o.count) && (o.count as number) >= 0 && (o.count as number) <= 999_999_999)) {
      out.push('count: must be an integer from 0 to 999,999,999');
    }
    if (later('first_seen', 'last_seen')) out.push('last_seen: earlier than first_seen');
  } else if (type === 'report' && !isIdList(o.object_refs)) {
    out.push('object_refs: required, a list of STIX ids');
  } else if (type === 'indicator' && typeof o.pattern !== 'string') {
    out.push('pattern: required, a string');
  }
  if (NAMED.has(type) && (typeof o.name !== 'string' || !o.name.trim())) out.push('name: required, a non-empty string');
  if (VALUED.has(type) && (typeof o.value !== 'string' || !o.value)) out.push('value: required, a non-empty string');
  if (o.x_disinfo_kind !== undefined && !isEntityKind(o.x_disinfo_kind)) out.push(`x_disinfo_kind: ${JSON.stringify(o.x_disinfo_kind)} is not an entity kind`);
  if (o.x_disinfo_id !== undefined && (typeof o.x_disinfo_id !== 'string' || !o.x_disinfo_id)) out.push('x_disinfo_id: must be a non-empty string');
  if (o.x_disinfo_citations !== undefined) {
    const ok = Array.isArray(o.x_disinfo_citations) && (o.x_disinfo_citations as unknown[]).every((c) => isRecord(c)
      && typeof c.source === 'string' && ['locator', 'quote', 'via'].every((k) => c[k] == null || typeof c[k] === 'string'));
    if (!ok) out.push('x_disinfo_citations: must be a list of {source, locator?, quote?, via?} with string values');
  }
  return out;
}

/** Throws a StixFormatError naming the object (its index and id) when it is malformed. */
export function checkObject(obj: unknown, index: number): asserts obj is StixObject {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new StixFormatError(`objects[${index}]: not a JSON object`, index);
  const o = obj as Record<string, unknown>;
  const problems = problemsOf(o);
  if (problems.length) {
    const id = typeof o.id === 'string' ? o.id : null;
    throw new StixFormatError(`objects[${index}]${id ? ` (${id})` : ''}: ${problems.join('; ')}`, index, id);
  }
}

/** The bundle's id, after checking the members around `objects`. A lone STIX object counts as a bundle of one. */
export function checkBundleHeader(header: Record<string, unknown>, hasObjects: boolean): string {
  if (!hasObjects && header.type !== 'bundle') {
    if (!isStixId(header.id)) throw new StixFormatError('not a STIX bundle: "type" must be "bundle" (or the document a single STIX object)');
    return `bundle--${header.id.slice(header.id.indexOf('--') + 2)}`;
  }
  if (header.type !== 'bundle') throw new StixFormatError(`bundle: "type" must be "bundle", not ${JSON.stringify(header.type)}`);
  if (!isStixId(header.id) || stixTypeOf(header.id) !== 'bundle') throw new StixFormatError(`bundle: "id" must be bundle--<uuid>, not ${JSON.stringify(header.id)}`);
  if (header.objects !== undefined && !Array.isArray(header.objects)) throw new StixFormatError('bundle: "objects" must be an array');
  return header.id;
}

// ajv-formats is CommonJS with a default export; under NodeNext its callable sits on .default.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

const BUNDLE_SCHEMA = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/common/bundle.json';

/**
 * A validator for whole bundles against the OASIS schemas in `dir` (the folder holding
 * `schemas/`). Returns the problems, naming the failing objects; empty when the bundle is valid.
 */
export function schemaValidator(dir: string): (bundle: unknown) => string[] {
  const ajv = new Ajv2020({ strict: false, unicodeRegExp: false, allErrors: false, logger: false });
  addFormats(ajv);
  const root = path.join(dir, 'schemas');
  for (const sub of fs.readdirSync(root)) {
    for (const f of fs.readdirSync(path.join(root, sub)).filter((n) => n.endsWith('.json'))) {
      ajv.addSchema(JSON.parse(fs.readFileSync(path.join(root, sub, f), 'utf8')) as AnySchemaObject);
    }
  }
  const validate = ajv.getSchema(BUNDLE_SCHEMA);
  if (!validate) throw new Error(`no bundle schema under ${root}`);
  return (bundle) => {
    if (validate(bundle)) return [];
    const b = bundle as { id?: string; objects?: unknown[] };
    // The bundle schema's oneOf hides which object failed: check them one by one.
    const bad: string[] = [];
    for (const [i, o] of (b.objects ?? []).entries()) {
      if (bad.length >= 5) break;
      if (!validate({ type: 'bundle', id: b.id, objects: [o] })) {
        bad.push(`objects[${i}] (${(o as { id?: string }).id}): ${ajv.errorsText(validate.errors?.slice(0, 3))}`);
      }
    }
    return bad.length ? bad : [ajv.errorsText(validate.errors)];
  };
}
