// The mapping evaluator: rows in, entity and link records out, each link citing its row. Pure (no
// I/O): the reader (read-table.ts) supplies rows, the importer (table-import.ts) writes the result.
// A row either yields all its records or none: any problem makes it a bad row, reported with
// file:row and the reason, and nothing of it is kept.
import { createHash } from 'node:crypto';
import { KIND_FIELDS, type EntityKind, type Tlp } from '../../model/model.js';
import { FIELD_LIMITS, derivedId, entityRow, linkRow, type CitationInput, type EntityInput, type LinkInput } from '../../core/validate.js';
import type { MetricInput } from '../../core/metric-input.js';
import type { EndSpec, Expr, InputSpec, Mapping, Test, Transform, When } from './mapping.js';

/** One row of a table: its cells by (trimmed) column name, where it is, and its text. */
export interface Row {
  /** Where the row starts: the line for CSV/TSV/JSON lines (the header is line 1), the element number (from 1) for a JSON array. */
  n: number;
  cells: Record<string, unknown>;
  /** The row as it stands in the file (CSV: its line(s); JSON: the object). */
  text: string;
}

export interface FileInfo {
  /** Path relative to the folder given (or the file's name), with forward slashes. */
  path: string;
  name: string;
  stem: string;
  dir: string;
  /** The header's column names, trimmed (empty for JSON). */
  columns: string[];
}

export interface RowProblem { file: string; row: number; reason: string }

export type Value = string | string[];

interface Scope { row: Row; file: FileInfo; derived: Record<string, Value>; tables: Mapping['tables'] }

// ---------------------------------------------------------------------------------------------
// Values and transforms

/** Restores defanged indicators: jgtm[.]org, hxxps://, info[at]x[.]com, 1[.]2[.]3[.]4, [:]. */
export function defang(s: string): string {
  return s
    .replace(/\[\s*\.\s*\]|\(\s*\.\s*\)|\{\s*\.\s*\}|\[dot\]/gi, '.')
    .replace(/\[\s*at\s*\]|\(\s*at\s*\)|\[@\]/gi, '@')
    .replace(/\[\s*:\s*\]/g, ':')
    .replace(/\[\s*\/\s*\]/g, '/')
    .replace(/^hxxp(s?)/i, 'http$1')
    .replace(/^fxp/i, 'ftp');
}

/** Lower-case letters, digits and single dashes: a piece of an id. */
export function slug(s: string): string {
  return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^\p{L}\p{N}.]+/gu, '-').replace(/^[-.]+|[-.]+$/g, '').replace(/-{2,}/g, '-');
}

const PERIOD = /^(Q([1-4])(?:\s*-\s*([1-4]))?|H([12]))[\s_-]*(\d{4})$/i;

/**
 * Dates: `YYYY-MM-DD` (ISO, a time allowed), `M/D/YYYY`, `D/M/YYYY`, `D.M.YYYY`, or a reporting
 * period (`Q1 2023`, `Q2-3 2025`, `H1 2026`) as `period-start` / `period-end`.
 */
export function parseDate(s: string, format: string): string {
  const t = s.trim();
  if (!t) return '';
  const iso = (y: number, m: number, d: number) => {
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) throw new Error(`${JSON.stringify(s)} is not a real date`);
    return date.toISOString().slice(0, 10);
  };
  const parts = (re: RegExp) => {
    const m = re.exec(t);
    if (!m) throw new Error(`${JSON.stringify(s)} does not read as ${format}`);
    return m.slice(1).map(Number);
  };
  switch (format) {
    case 'YYYY-MM-DD': { const [y, m, d] = parts(/^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/); return iso(y, m, d); }
    case 'M/D/YYYY': { const [m, d, y] = parts(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/); return iso(y, m, d); }
    case 'D/M/YYYY': { const [d, m, y] = parts(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/); return iso(y, m, d); }
    case 'D.M.YYYY': { const [d, m, y] = parts(/^(\d{1,2})\.(\d{1,2})\.(\d{4})$/); return iso(y, m, d); }
    case 'period-start':
    case 'period-end': {
      const m = PERIOD.exec(t.replace(/_/g, ' '));
      if (!m) throw new Error(`${JSON.stringify(s)} is not a period such as Q1 2023, Q2-3 2025 or H1 2026`);
      const year = Number(m[5]);
      const [first, last] = m[4] ? [Number(m[4]) * 2 - 1, Number(m[4]) * 2] : [Number(m[2]), Number(m[3] ?? m[2])];
      if (last < first) throw new Error(`${JSON.stringify(s)}: the period ends before it starts`);
      if (format === 'period-start') return iso(year, first * 3 - 2, 1);
      return new Date(Date.UTC(year, last * 3, 0)).toISOString().slice(0, 10);
    }
    default: throw new Error(`unknown date format ${JSON.stringify(format)} (YYYY-MM-DD, M/D/YYYY, D/M/YYYY, D.M.YYYY, period-start, period-end)`);
  }
}

const each = (v: Value, f: (s: string) => string): Value => (Array.isArray(v) ? v.map(f).filter((x) => x !== '') : f(v));

function applyTransform(v: Value, t: Transform, scope: Scope): Value {
  if (typeof t === 'string') {
    switch (t) {
      case 'trim': return each(v, (s) => s.trim());
      case 'lower': return each(v, (s) => s.toLowerCase());
      case 'upper': return each(v, (s) => s.toUpperCase());
      case 'defang': return each(v, defang);
      case 'slug': return each(v, slug);
      case 'hash': return each(v, (s) => (s ? createHash('sha1').update(s).digest('hex').slice(0, 16) : ''));
      case 'collapse': return each(v, (s) => s.replace(/\s+/g, ' ').trim());
      case 'first': return Array.isArray(v) ? v[0] ?? '' : v;
    }
  }
  if ('split' in t) return (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(t.split)).map((s) => s.trim()).filter(Boolean);
  if ('regex' in t) {
    const re = new RegExp(t.regex, t.flags ?? '');
    return each(v, (s) => re.exec(s)?.[t.group ?? 1] ?? re.exec(s)?.[0] ?? '');
  }
  if ('replace' in t) {
    const re = new RegExp(t.replace[0], `g${(t.flags ?? '').replace('g', '')}`);
    return each(v, (s) => s.replace(re, t.replace[1]));
  }
  if ('date' in t) return each(v, (s) => parseDate(s, t.date));
  if ('lookup' in t) {
    const table = scope.tables?.[t.lookup] ?? {};
    return each(v, (s) => table[s] ?? table[s.toLowerCase()] ?? (t.default === undefined ? '' : template(t.default, scope, false) as string));
  }
  if ('default' in t) return (Array.isArray(v) ? v.length === 0 : v === '') ? template(t.default, scope, false) : v;
  if ('prefix' in t) return each(v, (s) => (s ? t.prefix + s : s));
  if ('suffix' in t) return each(v, (s) => (s ? s + t.suffix : s));
  if ('truncate' in t) return each(v, (s) => (s.length > t.truncate ? `${s.slice(0, t.truncate - 1)}…` : s));
  throw new Error(`unknown transform ${JSON.stringify(t)}`);
}

/** A cell as text: strings as they are, numbers and booleans written out, lists one item per line. */
function cellText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(cellText).join('\n');
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v) ?? '';
}

/** A named value: a derived column, a cell (by name, or a dotted path into JSON), `row`, or `file.*`. */
function lookupName(name: string, scope: Scope): Value {
  if (name in scope.derived) return scope.derived[name];
  if (name === 'row') return String(scope.row.n);
  if (name.startsWith('file.')) {
    const key = name.slice(5) as keyof FileInfo;
    if (key === 'path' || key === 'name' || key === 'stem' || key === 'dir') return scope.file[key];
  }
  const cells = scope.row.cells;
  if (name in cells) return cellText(cells[name]);
  let at: unknown = cells;
  for (const part of name.split('.')) {
    if (at === null || typeof at !== 'object') return '';
    at = (at as Record<string, unknown>)[part];
  }
  return cellText(at);
}

/** `{name}` replaced by each named value ({{ and }} are literal braces). A template of one name keeps a list a list. */
function template(t: string, scope: Scope, keepList = true): Value {
  const whole = /^\{([^{}]+)\}$/.exec(t);
  if (whole && keepList) return lookupName(whole[1].trim(), scope);
  return t.replace(/\{\{|\}\}|\{([^{}]+)\}/g, (m, name: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const v = lookupName(name!.trim(), scope);
    return Array.isArray(v) ? v.join(', ') : v;
  });
}

export function evalExpr(e: Expr | undefined, scope: Scope): Value {
  if (e === undefined) return '';
  if (typeof e === 'string') return template(e, scope);
  if (typeof e === 'number' || typeof e === 'boolean') return String(e);
  let v: Value = e.from !== undefined ? lookupName(e.from, scope) : e.template !== undefined ? template(e.template, scope) : e.value !== undefined ? String(e.value) : '';
  for (const t of e.then ?? []) v = applyTransform(v, t, scope);
  return v;
}

function passes(v: Value, test: Test): boolean {
  if (typeof test === 'string') return (Array.isArray(v) ? v : [v]).some((s) => new RegExp(test).test(s));
  const list = Array.isArray(v) ? v : [v];
  const empty = list.every((s) => s.trim() === '');
  if (test.empty !== undefined && test.empty !== empty) return false;
  if (test.matches !== undefined && !list.some((s) => new RegExp(test.matches!).test(s))) return false;
  if (test.equals !== undefined && !list.includes(test.equals)) return false;
  if (test.in !== undefined && !list.some((s) => test.in!.includes(s))) return false;
  if (test.not !== undefined && passes(v, test.not)) return false;
  return true;
}

function holds(when: When | undefined, scope: Scope): boolean {
  if (!when) return true;
  return Object.entries(when).every(([name, test]) => passes(lookupName(name, scope), test));
}

const text = (v: Value) => (Array.isArray(v) ? v.join(', ') : v).trim();

/** A spec's metrics for this row: each expression's number (commas allowed), blank ones left out. */
function metricsOf(exprs: Record<string, Expr> | undefined, units: Record<string, string> | undefined, scope: Scope, at: string, problems: string[]): MetricInput[] {
  const out: MetricInput[] = [];
  for (const [name, expr] of Object.entries(exprs ?? {})) {
    const s = text(evalExpr(expr, scope));
    if (!s) continue;
    const value = Number(s.replace(/,/g, ''));
    if (!Number.isFinite(value)) problems.push(`${at}.${name}: ${JSON.stringify(s)} is not a number`);
    else out.push({ name, value, unit: units?.[name] ?? null });
  }
  return out;
}
const list = (v: Value) => (Array.isArray(v) ? v : v.trim() ? [v.trim()] : []);

// ---------------------------------------------------------------------------------------------
// Rows

export interface RowOutput {
  entities: EntityInput[];
  links: LinkInput[];
  /** Link ends and sources the mapping names by id (with their declared kind), not yielded by the row. */
  declared: Map<string, EntityKind>;
}

export interface RowResult { ok: true; out: RowOutput; empty: boolean }
export interface RowFailure { ok: false; reason: string }

/**
 * What one row yields, or why it is bad. `knownKind` answers for ids yielded by earlier rows of
 * the run and for link ends the mapping declares, so links are checked against the model here.
 */
export function evaluateRow(mapping: Mapping, input: InputSpec, file: FileInfo, row: Row, knownKind: (id: string) => EntityKind | undefined): RowResult | RowFailure | null {
  const scope: Scope = { row, file, derived: {}, tables: mapping.tables };
  try {
    for (const [name, e] of Object.entries(input.columns ?? {})) scope.derived[name] = evalExpr(e, scope);
    if (!holds(input.when, scope)) return null;
    const problems: string[] = [];
    const entities = new Map<string, EntityInput>();
    for (const [key, spec] of Object.entries(input.entities)) {
      if (!holds(spec.when, scope)) continue;
      const name = text(evalExpr(spec.name, scope));
      const givenId = spec.id === undefined ? undefined : text(evalExpr(spec.id, scope));
      if (!name || givenId === '') {
        if (spec.required) problems.push(`${key}: no ${!name ? 'name' : 'id'} (${!name ? JSON.stringify(spec.name) : JSON.stringify(spec.id)} is empty in this row)`);
        continue;
      }
      const id = givenId ?? derivedId(spec.kind.toLowerCase().replace('_', '-'), spec.kind, name.toLowerCase());
      const record: EntityInput = { id, kind: spec.kind, name };
      if (spec.aliases !== undefined) record.aliases = [...new Set(list(evalExpr(spec.aliases, scope)))];
      if (spec.description !== undefined) {
        const d = text(evalExpr(spec.description, scope));
        if (d) record.description = d;
      }
      const tlp = spec.tlp ?? mapping.defaults?.tlp;
      if (tlp) record.tlp = tlp;
      const types = KIND_FIELDS[spec.kind];
      for (const [field, expr] of Object.entries(spec.fields ?? {})) {
        const v = evalExpr(expr, scope);
        const type = types[field];
        if (type === 'strings') { const l = list(v); if (l.length) record[field] = [...new Set(l)]; continue; }
        const s = text(v);
        if (!s) continue;
        if (type === 'boolean') {
          if (!/^(true|false|yes|no|1|0)$/i.test(s)) { problems.push(`${key}.${field}: ${JSON.stringify(s)} is not true or false`); continue; }
          record[field] = /^(true|yes|1)$/i.test(s);
        } else if (type === 'int') {
          const n = Number(s.replace(/,/g, ''));
          if (!Number.isInteger(n)) { problems.push(`${key}.${field}: ${JSON.stringify(s)} is not an integer`); continue; }
          record[field] = n;
        } else record[field] = s;
      }
      const metrics = metricsOf(spec.metrics, spec.metricUnits, scope, `${key}.metrics`, problems);
      if (metrics.length) record.metrics = metrics;
      const p: string[] = [];
      entityRow(record, p);
      problems.push(...p.map((m) => `${key} (${id}) ${m}`));
      const prior = knownKind(id);
      if (prior && prior !== spec.kind) problems.push(`${key}: id ${id} is a ${prior} elsewhere in this import, not a ${spec.kind}`);
      entities.set(key, record);
    }
    const here = new Map([...entities.values()].map((e) => [e.id!, e.kind as EntityKind]));
    const kindOf = (id: string) => here.get(id) ?? knownKind(id);
    const endId = (end: EndSpec): string | undefined => (typeof end === 'string' ? entities.get(end)?.id ?? undefined : text(evalExpr(end.id, scope)) || undefined);
    const declared = new Map<string, EntityKind>();
    const kindWith = (id: string) => kindOf(id) ?? declared.get(id);
    const links: LinkInput[] = [];
    const sourceId = endId(input.cite.source);
    const sourceKind = typeof input.cite.source === 'string' ? undefined : input.cite.source.kind;
    const citation: CitationInput | undefined = sourceId ? {
      source: sourceId,
      locator: clip(text(input.cite.locator === undefined ? `${file.path}:row ${row.n}` : evalExpr(input.cite.locator, scope)), FIELD_LIMITS.locator),
      quote: clip(text(input.cite.quote === undefined ? row.text : evalExpr(input.cite.quote, scope)), FIELD_LIMITS.quote),
    } : undefined;
    (input.links ?? []).forEach((spec, i) => {
      if (!holds(spec.when, scope)) return;
      const from = endId(spec.from);
      const to = endId(spec.to);
      // A link whose end this row does not yield is left out, like the entity.
      if (!from || !to) return;
      for (const [end, id] of [[spec.from, from], [spec.to, to]] as const) if (typeof end !== 'string') declared.set(id, end.kind);
      if (citation && sourceKind) declared.set(citation.source, sourceKind);
      if (!citation) { problems.push(`links[${i}] ${spec.type}: the row names no source to cite (cite.source is empty)`); return; }
      const confidence = spec.confidence === undefined ? mapping.defaults?.confidence ?? 50
        : typeof spec.confidence === 'number' ? spec.confidence : Number(text(evalExpr(spec.confidence, scope)));
      const link: LinkInput = { type: spec.type, from, to, confidence, citations: [citation] };
      for (const f of ['firstSeen', 'lastSeen', 'description'] as const) {
        const v = spec[f] === undefined ? '' : text(evalExpr(spec[f], scope));
        if (v) link[f] = v;
      }
      if (spec.assertion) link.assertion = spec.assertion;
      const attributionKind = spec.attributionKind === undefined ? '' : text(evalExpr(spec.attributionKind, scope)).toUpperCase();
      if (attributionKind) link.attributionKind = attributionKind;
      const metrics = metricsOf(spec.metrics, spec.metricUnits, scope, `links[${i}].metrics`, problems);
      if (metrics.length) link.metrics = metrics;
      const tlp = spec.tlp ?? mapping.defaults?.tlp;
      if (tlp) link.tlp = tlp;
      const p: string[] = [];
      linkRow(link, kindWith, p);
      problems.push(...p.map((m) => `links[${i}] ${spec.type} ${from} → ${to}: ${m}`));
      links.push(link);
    });
    if (problems.length) return { ok: false, reason: problems.join('; ') };
    return { ok: true, out: { entities: [...entities.values()], links, declared }, empty: entities.size === 0 && links.length === 0 };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}

const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

// ---------------------------------------------------------------------------------------------
// The run: rows of many files merged into one set of records

export interface Evaluation {
  entities: EntityInput[];
  links: LinkInput[];
  /** Bad rows, in file order. */
  problems: RowProblem[];
  rows: number;
  /** Rows that yielded records. */
  used: number;
  /** Rows skipped by a `when` or yielding nothing. */
  skipped: number;
  /** Values another row gave differently for the same id (the first kept), with an example. */
  conflicts: { count: number; example?: string };
  /** Citations left out past the model's limit per link. */
  citationsDropped: number;
  /** Link ends the mapping names by id that no row yields: they must already be in the database. */
  external: Map<string, EntityKind>;
  /** The first row (`file:row n`) that yielded each entity and link record, so that a write's complaint names it. */
  origins?: Map<object, string>;
}

/** The key a link merges under: the id the model derives from its ends, type and assertion. */
const linkKey = (l: LinkInput) => `${l.from}-${l.type}-${l.to}${!l.assertion || l.assertion === 'AFFIRMED' ? '' : `:${l.assertion.toLowerCase()}`}`;

/**
 * Merges the rows of a run. Same id, same record: an entity named by many rows is one record (the
 * first row's value kept for each field; `collect` fields and aliases accumulate), and a link named
 * by many rows is one link citing every one of them (at most 500 citations; descriptions joined).
 */
export class Evaluator {
  private readonly entities = new Map<string, EntityInput>();
  private readonly links = new Map<string, LinkInput>();
  private readonly result: Omit<Evaluation, 'entities' | 'links'> & { origins: Map<object, string> } = {
    problems: [], rows: 0, used: 0, skipped: 0, conflicts: { count: 0 }, citationsDropped: 0, external: new Map(), origins: new Map(),
  };

  constructor(private readonly mapping: Mapping) {}

  add(input: InputSpec, file: FileInfo, rows: Iterable<Row>): void {
    const collect = new Map(Object.values(input.entities).map((e) => [e.kind, new Set(['aliases', ...(e.collect ?? [])])]));
    const known = (id: string) => (this.entities.get(id)?.kind as EntityKind | undefined) ?? this.result.external.get(id);
    for (const row of rows) {
      this.result.rows++;
      const r = evaluateRow(this.mapping, input, file, row, known);
      if (r === null || (r.ok && r.empty)) { this.result.skipped++; continue; }
      if (!r.ok) { this.result.problems.push({ file: file.path, row: row.n, reason: r.reason }); continue; }
      this.result.used++;
      const at = `${file.path}:row ${row.n}`;
      for (const e of r.out.entities) this.mergeEntity(e, collect.get(e.kind as EntityKind) ?? new Set(['aliases']), at);
      for (const [id, kind] of r.out.declared) if (!this.entities.has(id)) this.result.external.set(id, kind);
      for (const l of r.out.links) this.mergeLink(l, at);
    }
  }

  /** A problem with a whole file (it could not be read as its format). */
  problemsOf(file: string, row: number, reason: string): void {
    this.result.problems.push({ file, row, reason });
  }

  private mergeEntity(e: EntityInput, collect: Set<string>, at: string): void {
    const id = e.id!;
    // An id first seen as a link end elsewhere is yielded after all.
    this.result.external.delete(id);
    const prior = this.entities.get(id);
    if (!prior) {
      const record = { ...e };
      this.entities.set(id, record);
      this.result.origins.set(record, at);
      return;
    }
    for (const [k, v] of Object.entries(e)) {
      if (collect.has(k) && Array.isArray(v)) {
        const merged = [...new Set([...((prior[k] as string[] | undefined) ?? []), ...(v as string[])])];
        prior[k] = merged.slice(0, FIELD_LIMITS.aliases);
      } else if (prior[k] === undefined) prior[k] = v;
      else if (JSON.stringify(prior[k]) !== JSON.stringify(v)) {
        this.result.conflicts.count++;
        this.result.conflicts.example ??= `${id} ${k}: kept ${JSON.stringify(prior[k])}, not ${JSON.stringify(v)}`;
      }
    }
  }

  private mergeLink(l: LinkInput, at: string): void {
    const key = linkKey(l);
    const prior = this.links.get(key);
    if (!prior) {
      const record = { ...l, citations: [...l.citations] };
      this.links.set(key, record);
      this.result.origins.set(record, at);
      return;
    }
    for (const c of l.citations) {
      if (prior.citations.some((p) => p.source === c.source && p.locator === c.locator)) continue;
      if (prior.citations.length >= FIELD_LIMITS.citations) { this.result.citationsDropped++; continue; }
      prior.citations.push(c);
    }
    if (l.description && prior.description !== l.description) {
      const parts = new Set((prior.description ?? '').split('; ').filter(Boolean));
      if (!parts.has(l.description)) {
        const joined = [...parts, l.description].join('; ');
        if (joined.length <= 2_000) prior.description = joined;
      }
    }
    for (const f of ['firstSeen', 'lastSeen', 'confidence', 'tlp', 'attributionKind', 'metrics'] as const) if (prior[f] === undefined && l[f] !== undefined) (prior as unknown as Record<string, unknown>)[f] = l[f];
  }

  finish(): Evaluation {
    for (const id of this.entities.keys()) this.result.external.delete(id);
    return { entities: [...this.entities.values()], links: [...this.links.values()], ...this.result };
  }
}

/** A one-line description of a problem: `file.csv:row 17: reason`. */
export const problemLine = (p: RowProblem) => `${p.file}:row ${p.row}: ${p.reason}`;

/** The highest TLP any record of an evaluation carries (for the clearance check before writing). */
export function highestTlp(ev: Pick<Evaluation, 'entities' | 'links'>): Tlp | undefined {
  const order = ['CLEAR', 'GREEN', 'AMBER', 'RED'];
  let top = -1;
  for (const r of [...ev.entities, ...ev.links]) if (r.tlp) top = Math.max(top, order.indexOf(r.tlp));
  return top < 0 ? undefined : order[top] as Tlp;
}
