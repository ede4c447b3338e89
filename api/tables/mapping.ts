// The mapping format for table imports (docs/tables.md): which entities, links and citations each
// row of a CSV/TSV/JSON/JSON-lines file yields. A mapping is YAML or JSON, checked against the JSON
// Schema below (ajv) and then against the model (kinds, link types, fields). Pure: no I/O.
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { ENTITY_KINDS, KIND_FIELDS, LINK_TYPE_NAMES, TLPS, ASSERTIONS, isEntityKind, type EntityKind, type Tlp } from '../../model/model.js';
import { METRIC_NAME } from '../../model/metrics.js';

export const MAPPING_FORMAT = 'disinfo-tables/1';

/**
 * A value: a template string (`'{Indicator}'`, `'meta-{file.stem}'`; text without braces is a
 * constant), a number or boolean constant, or an object: `from` a column, a `template`, or a
 * constant `value`, then a list of transforms applied in order.
 */
export type Expr = string | number | boolean | { from?: string; template?: string; value?: string | number | boolean; then?: Transform[] };

export type Transform =
  | 'trim' | 'lower' | 'upper' | 'defang' | 'slug' | 'hash' | 'collapse' | 'first'
  | { split: string }
  | { regex: string; group?: number; flags?: string }
  | { replace: [string, string]; flags?: string }
  | { date: string }
  | { lookup: string; default?: string }
  | { default: string }
  | { prefix: string }
  | { suffix: string }
  | { truncate: number };

/** A test on a value: a regular expression (string), or an object. */
export type Test = string | { matches?: string; equals?: string; in?: string[]; empty?: boolean; not?: Test };
/** Every named value (a column or a derived column) must pass its test. */
export type When = Record<string, Test>;

export interface EntitySpec {
  kind: EntityKind;
  /** Defaults to the id the model derives from kind and name. */
  id?: Expr;
  name: Expr;
  aliases?: Expr;
  description?: Expr;
  tlp?: Tlp;
  fields?: Record<string, Expr>;
  when?: When;
  /** A row for which this entity has no id or name is a bad row (default: the entity is left out, and its links with it). */
  required?: boolean;
  /** List fields whose values accumulate over every row naming the same id (aliases always do). */
  collect?: string[];
  /** Numeric facts by metric name: the value's expression (blank: none; commas allowed). */
  metrics?: Record<string, Expr>;
  /** The unit of each metric, by name. */
  metricUnits?: Record<string, string>;
}

/** A link end: an entity of the same input (by its key), or an id that must exist in the database or elsewhere in the run. */
export type EndSpec = string | { id: Expr; kind: EntityKind };

export interface LinkSpec {
  type: string;
  from: EndSpec;
  to: EndSpec;
  confidence?: number | Expr;
  firstSeen?: Expr;
  lastSeen?: Expr;
  description?: Expr;
  assertion?: string;
  tlp?: Tlp;
  when?: When;
  /** ATTRIBUTED_TO: DIRECT, PROXY or LINKED (any case), e.g. through a lookup table; blank: not said. */
  attributionKind?: Expr;
  metrics?: Record<string, Expr>;
  metricUnits?: Record<string, string>;
}

export interface CiteSpec {
  /** The SOURCE every link of the row cites: an entity key of this input or an existing id. */
  source: EndSpec;
  /** Default `{file.path}:row {row}`. */
  locator?: Expr;
  /** Default: the row's text (trimmed to 2,000 characters). */
  quote?: Expr;
}

export interface InputSpec {
  name?: string;
  /** Globs over the path relative to the folder given (`**` any folders, `*` any name part). */
  files: string | string[];
  format?: 'csv' | 'tsv' | 'json' | 'jsonl';
  /** CSV field separator (default `,`; TSV: tab). */
  delimiter?: string;
  /** A file whose header lacks one of these columns is not this input's (it is listed, not an error). */
  requireColumns?: string[];
  /** JSON: the property holding the array of rows (default: the document is the array). */
  path?: string;
  /** Derived values, evaluated in order; later ones may use earlier ones. */
  columns?: Record<string, Expr>;
  /** Rows that fail this are skipped (counted, not errors). */
  when?: When;
  entities: Record<string, EntitySpec>;
  links?: LinkSpec[];
  cite: CiteSpec;
}

export interface Mapping {
  format: typeof MAPPING_FORMAT;
  name: string;
  description?: string;
  defaults?: { confidence?: number; tlp?: Tlp };
  /** Lookup tables for the `lookup` transform: name → { key → value }. */
  tables?: Record<string, Record<string, string>>;
  inputs: InputSpec[];
}

const exprSchema = {
  anyOf: [
    { type: 'string' }, { type: 'number' }, { type: 'boolean' },
    {
      type: 'object', additionalProperties: false,
      properties: {
        from: { type: 'string' }, template: { type: 'string' }, value: { type: ['string', 'number', 'boolean'] },
        then: { type: 'array', items: { $ref: '#/$defs/transform' } },
      },
    },
  ],
};
const testSchema = {
  anyOf: [
    { type: 'string' },
    {
      type: 'object', additionalProperties: false, minProperties: 1,
      properties: {
        matches: { type: 'string' }, equals: { type: 'string' }, in: { type: 'array', items: { type: 'string' } },
        empty: { type: 'boolean' }, not: { $ref: '#/$defs/test' },
      },
    },
  ],
};
const endSchema = {
  anyOf: [
    { type: 'string' },
    { type: 'object', additionalProperties: false, required: ['id', 'kind'], properties: { id: { $ref: '#/$defs/expr' }, kind: { enum: ENTITY_KINDS } } },
  ],
};
const one = (key: string, schema: object) => ({ type: 'object', additionalProperties: false, required: [key], properties: { [key]: schema } });

/** The mapping's JSON Schema (draft 2020-12 as ajv reads it). */
export const MAPPING_SCHEMA = {
  $id: 'https://disinfo-graph.local/schemas/table-mapping.json',
  type: 'object',
  additionalProperties: false,
  required: ['format', 'name', 'inputs'],
  properties: {
    format: { const: MAPPING_FORMAT },
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    defaults: {
      type: 'object', additionalProperties: false,
      properties: { confidence: { type: 'integer', minimum: 0, maximum: 100 }, tlp: { enum: TLPS } },
    },
    tables: { type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'string' } } },
    inputs: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', additionalProperties: false, required: ['files', 'entities', 'cite'],
        properties: {
          name: { type: 'string' },
          files: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }] },
          format: { enum: ['csv', 'tsv', 'json', 'jsonl'] },
          delimiter: { type: 'string', minLength: 1, maxLength: 4 },
          requireColumns: { type: 'array', items: { type: 'string' } },
          path: { type: 'string' },
          columns: { type: 'object', additionalProperties: { $ref: '#/$defs/expr' } },
          when: { $ref: '#/$defs/when' },
          entities: {
            type: 'object', minProperties: 1,
            additionalProperties: {
              type: 'object', additionalProperties: false, required: ['kind', 'name'],
              properties: {
                kind: { enum: ENTITY_KINDS }, id: { $ref: '#/$defs/expr' }, name: { $ref: '#/$defs/expr' },
                aliases: { $ref: '#/$defs/expr' }, description: { $ref: '#/$defs/expr' }, tlp: { enum: TLPS },
                fields: { type: 'object', additionalProperties: { $ref: '#/$defs/expr' } },
                when: { $ref: '#/$defs/when' }, required: { type: 'boolean' },
                collect: { type: 'array', items: { type: 'string' } },
                metrics: { type: 'object', additionalProperties: { $ref: '#/$defs/expr' } },
                metricUnits: { type: 'object', additionalProperties: { type: 'string', maxLength: 100 } },
              },
            },
          },
          links: {
            type: 'array',
            items: {
              type: 'object', additionalProperties: false, required: ['type', 'from', 'to'],
              properties: {
                type: { enum: LINK_TYPE_NAMES }, from: { $ref: '#/$defs/end' }, to: { $ref: '#/$defs/end' },
                confidence: { anyOf: [{ type: 'integer', minimum: 0, maximum: 100 }, { $ref: '#/$defs/expr' }] },
                firstSeen: { $ref: '#/$defs/expr' }, lastSeen: { $ref: '#/$defs/expr' }, description: { $ref: '#/$defs/expr' },
                assertion: { enum: ASSERTIONS }, tlp: { enum: TLPS }, when: { $ref: '#/$defs/when' },
                attributionKind: { $ref: '#/$defs/expr' },
                metrics: { type: 'object', additionalProperties: { $ref: '#/$defs/expr' } },
                metricUnits: { type: 'object', additionalProperties: { type: 'string', maxLength: 100 } },
              },
            },
          },
          cite: {
            type: 'object', additionalProperties: false, required: ['source'],
            properties: { source: { $ref: '#/$defs/end' }, locator: { $ref: '#/$defs/expr' }, quote: { $ref: '#/$defs/expr' } },
          },
        },
      },
    },
  },
  $defs: {
    expr: exprSchema,
    test: testSchema,
    when: { type: 'object', additionalProperties: { $ref: '#/$defs/test' } },
    end: endSchema,
    transform: {
      anyOf: [
        { enum: ['trim', 'lower', 'upper', 'defang', 'slug', 'hash', 'collapse', 'first'] },
        one('split', { type: 'string' }),
        { type: 'object', additionalProperties: false, required: ['regex'], properties: { regex: { type: 'string' }, group: { type: 'integer', minimum: 0 }, flags: { type: 'string' } } },
        { type: 'object', additionalProperties: false, required: ['replace'], properties: { replace: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 }, flags: { type: 'string' } } },
        one('date', { type: 'string' }),
        { type: 'object', additionalProperties: false, required: ['lookup'], properties: { lookup: { type: 'string' }, default: { type: 'string' } } },
        one('default', { type: 'string' }),
        one('prefix', { type: 'string' }),
        one('suffix', { type: 'string' }),
        one('truncate', { type: 'integer', minimum: 1 }),
      ],
    },
  },
} as const;

export class MappingError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid mapping: ${problems.join('; ')}`);
    this.name = 'MappingError';
  }
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validateSchema = ajv.compile(MAPPING_SCHEMA);

/** Parses YAML or JSON text (JSON is YAML) and checks it; throws MappingError listing every problem. */
export function parseMapping(text: string): Mapping {
  let doc: unknown;
  try {
    doc = parseYaml(text, { merge: true });
  } catch (e) {
    throw new MappingError([`not YAML or JSON: ${(e as Error).message.split('\n')[0]}`]);
  }
  return checkMapping(doc);
}

/** Checks a parsed mapping against the schema, then against the model. */
export function checkMapping(doc: unknown): Mapping {
  if (!validateSchema(doc)) {
    const problems = (validateSchema.errors ?? [])
      // anyOf reports every branch; the branch messages under it say more than the anyOf line itself.
      .filter((e) => e.keyword !== 'anyOf')
      .map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})` : ''}${e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(' ')})` : ''}`);
    throw new MappingError([...new Set(problems)].slice(0, 20));
  }
  const m = doc as Mapping;
  const problems: string[] = [];
  const metricNames = (metrics: Record<string, unknown> | undefined, where: string) => {
    for (const name of Object.keys(metrics ?? {})) if (!METRIC_NAME.test(name)) problems.push(`${where}: ${JSON.stringify(name)} is not a metric name (a letter, then letters, digits or _; at most 64)`);
  };
  m.inputs.forEach((input, i) => {
    const at = `/inputs/${i}${input.name ? ` (${input.name})` : ''}`;
    for (const [key, e] of Object.entries(input.entities)) {
      const fields = KIND_FIELDS[e.kind];
      for (const f of Object.keys(e.fields ?? {})) if (!fields[f]) problems.push(`${at}/entities/${key}/fields: ${f} is not a field of ${e.kind} (its fields: ${Object.keys(fields).join(', ') || 'none'})`);
      for (const f of e.collect ?? []) if (f !== 'aliases' && fields[f] !== 'strings') problems.push(`${at}/entities/${key}/collect: ${f} is not a list field of ${e.kind}`);
      metricNames(e.metrics, `${at}/entities/${key}/metrics`);
    }
    (input.links ?? []).forEach((l, j) => {
      metricNames(l.metrics, `${at}/links/${j}/metrics`);
      if (l.attributionKind !== undefined && l.type !== 'ATTRIBUTED_TO') problems.push(`${at}/links/${j}/attributionKind: only ATTRIBUTED_TO links have one, not ${l.type}`);
    });
    const end = (s: EndSpec, where: string) => {
      if (typeof s === 'string' && !input.entities[s]) problems.push(`${at}/${where}: no entity "${s}" in this input (entities: ${Object.keys(input.entities).join(', ')})`);
    };
    (input.links ?? []).forEach((l, j) => { end(l.from, `links/${j}/from`); end(l.to, `links/${j}/to`); });
    end(input.cite.source, 'cite/source');
    const src = input.cite.source;
    const srcKind = typeof src === 'string' ? input.entities[src]?.kind : src.kind;
    if (srcKind && srcKind !== 'SOURCE') problems.push(`${at}/cite/source: must be a SOURCE, not ${srcKind}`);
    for (const t of allTransforms(input)) {
      if (typeof t === 'object' && 'lookup' in t && !m.tables?.[t.lookup]) problems.push(`${at}: lookup table "${t.lookup}" is not in tables`);
      for (const re of typeof t === 'object' && 'regex' in t ? [t.regex] : typeof t === 'object' && 'replace' in t ? [t.replace[0]] : []) {
        try { new RegExp(re); } catch (e) { problems.push(`${at}: bad regular expression ${JSON.stringify(re)}: ${(e as Error).message}`); }
      }
    }
  });
  if (problems.length) throw new MappingError(problems);
  return m;
}

function* allTransforms(input: InputSpec): Generator<Transform> {
  const exprs: unknown[] = [...Object.values(input.columns ?? {}), input.cite.locator, input.cite.quote];
  for (const e of Object.values(input.entities)) exprs.push(e.id, e.name, e.aliases, e.description, ...Object.values(e.fields ?? {}), ...Object.values(e.metrics ?? {}));
  for (const l of input.links ?? []) exprs.push(l.confidence, l.firstSeen, l.lastSeen, l.description, l.attributionKind, ...Object.values(l.metrics ?? {}));
  for (const x of exprs) if (x && typeof x === 'object' && Array.isArray((x as { then?: unknown }).then)) yield* (x as { then: Transform[] }).then;
}

export const kindOfEnd = (input: InputSpec, end: EndSpec): EntityKind => {
  const k = typeof end === 'string' ? input.entities[end].kind : end.kind;
  if (!isEntityKind(k)) throw new Error(`unknown kind ${String(k)}`);
  return k;
};
