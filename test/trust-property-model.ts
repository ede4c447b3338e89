// The in-memory model of the trust property test (test/integration/trust-property.test.ts,
// cli/property-test.ts): who may see and change what, by role and TLP clearance, and what
// each write must leave behind. Pure: no database, no API. The runner (trust-property-runner.ts)
// drives the real API with the steps made here and compares every answer with this model.
import { KIND_FIELDS, LINK_TYPE_NAMES, TLPS, tlpRank, tripleAllowed, type EntityKind, type LinkType, type Tlp } from '../model/model.js';
import { KIND_STIX_TYPE, RELATIONSHIP_TYPE, markingIdFor } from '../api/stix/mapping.js';
import { entityStixId, linkStixId } from '../api/stix/to-stix.js';
import { mulberry32 } from '../seed/synthetic.js';

export type Role = 'READER' | 'ANALYST' | 'ADMIN';
export interface Caller { index: number; label: string; role: Role; clearance: Tlp; anonymous: boolean }

/** Anonymous (index 0), then every role × clearance. */
export const CALLERS: Caller[] = [
  { index: 0, label: 'anonymous', role: 'READER', clearance: 'CLEAR', anonymous: true },
  ...(['READER', 'ANALYST', 'ADMIN'] as const).flatMap((role) => TLPS.map((clearance) => ({ role, clearance }))).map((c, i) => ({
    index: i + 1, label: `${c.role}/${c.clearance}`, role: c.role, clearance: c.clearance, anonymous: false,
  })),
];

/** The entity pool: few ids, so that callers of different clearances collide on them often. */
export const POOL: ReadonlyArray<{ id: string; kind: EntityKind }> = [
  { id: 'sa-01', kind: 'STATE_ACTOR' }, { id: 'sa-02', kind: 'STATE_ACTOR' },
  { id: 'tg-01', kind: 'THREAT_GROUP' }, { id: 'tg-02', kind: 'THREAT_GROUP' },
  { id: 'camp-01', kind: 'CAMPAIGN' }, { id: 'camp-02', kind: 'CAMPAIGN' },
  { id: 'per-01', kind: 'PERSONA' }, { id: 'per-02', kind: 'PERSONA' },
  { id: 'host-01', kind: 'HOST' }, { id: 'host-02', kind: 'HOST' },
  { id: 'narr-01', kind: 'NARRATIVE' }, { id: 'aud-01', kind: 'TARGET_GROUP' },
];
/** Sources: created at setup, one per TLP; never deleted (their TLP may change). */
export const SOURCES: ReadonlyArray<{ id: string; tlp: Tlp }> = TLPS.map((tlp) => ({ id: `src-${tlp.toLowerCase()}`, tlp }));
export const KIND_OF: ReadonlyMap<string, EntityKind> = new Map([...POOL.map((p) => [p.id, p.kind] as const), ...SOURCES.map((s) => [s.id, 'SOURCE'] as const)]);
export const ALL_IDS = [...POOL.map((p) => p.id), ...SOURCES.map((s) => s.id)];
/** STIX objects with no kind of ours, kept raw (:StixRaw). */
// Notes: a STIX type no kind maps, so they stay raw objects (malware became an entity kind).
export const RAW_POOL = ['note--6c1f3a2e-0b7d-4e59-9a41-2f8e5d7c1b01', 'note--6c1f3a2e-0b7d-4e59-9a41-2f8e5d7c1b02'];

export const rank = (t: Tlp): number => tlpRank(t);
export const above = (t: Tlp, clearance: Tlp): boolean => rank(t) > rank(clearance);

export interface MEntity {
  id: string; kind: EntityKind; name: string; aliases: string[]; description: string | null; tlp: Tlp;
  fields: Record<string, unknown>; stixId: string | null; stixModified: string | null;
  /** When the record was last written (bookkeeping, not compared): its version when it has no STIX one. */
  updatedAt?: string | null;
}
export interface MCitation { source: string; locator: string | null; quote: string | null; confidence: number }

/**
 * Evidence accumulates (core/evidence.ts): a citation with the source and locator of a stored one
 * replaces it in place, any other is appended; the link's confidence is the highest of its citations'.
 */
export function addCitations(l: MLink, added: MCitation[]): void {
  for (const c of added) {
    const i = l.citations.findIndex((x) => x.source === c.source && (x.locator ?? '') === (c.locator ?? ''));
    if (i < 0) l.citations.push(c);
    else l.citations[i] = { ...l.citations[i], quote: c.quote, confidence: c.confidence };
  }
  l.confidence = Math.max(...l.citations.map((x) => x.confidence));
}
export interface MLink {
  id: string; type: LinkType; from: string; to: string; confidence: number; firstSeen: string | null; lastSeen: string | null;
  description: string | null; tlp: Tlp; assertion: 'AFFIRMED' | 'NEGATED'; citations: MCitation[]; stixId: string | null; stixModified: string | null;
  updatedAt?: string | null;
}
export interface MRaw { id: string; tlp: Tlp; modified: string | null; name: string }

export class Model {
  entities = new Map<string, MEntity>();
  links = new Map<string, MLink>();
  raws = new Map<string, MRaw>();
  clone(): Model {
    const m = new Model();
    for (const [k, v] of this.entities) m.entities.set(k, structuredClone(v));
    for (const [k, v] of this.links) m.links.set(k, structuredClone(v));
    for (const [k, v] of this.raws) m.raws.set(k, structuredClone(v));
    return m;
  }
  entityVisible(id: string, c: Tlp): boolean {
    const e = this.entities.get(id);
    return !!e && !above(e.tlp, c);
  }
  linkVisible(l: MLink, c: Tlp): boolean {
    return !above(l.tlp, c) && this.entityVisible(l.from, c) && this.entityVisible(l.to, c);
  }
  /** Exists but the caller may not see it. */
  entityHidden(id: string, c: Tlp): boolean {
    const e = this.entities.get(id);
    return !!e && above(e.tlp, c);
  }
  linkHidden(id: string, c: Tlp): boolean {
    const l = this.links.get(id);
    return !!l && !this.linkVisible(l, c);
  }
  visibleCitations(l: MLink, c: Tlp): MCitation[] {
    return l.citations.filter((x) => this.entityVisible(x.source, c));
  }
}

// ---------------------------------------------------------------------------------------------
// Steps: concrete operations (who, what, with which variables), so that any subset can be replayed.

export type WriteOp = 'upsertEntities' | 'upsertLinks' | 'addCitation' | 'deleteEntity' | 'importStix';
export type ReadOp = 'entity' | 'search' | 'neighborhood' | 'paths' | 'stats' | 'entities' | 'claims' | 'exportStix' | 'auditLog';
export type Json = Record<string, unknown>;

export interface Step {
  n: number;
  caller: number;
  op: WriteOp | ReadOp;
  vars: Json;
}
export const isWrite = (s: Step): boolean => ['upsertEntities', 'upsertLinks', 'addCitation', 'deleteEntity', 'importStix'].includes(s.op);

/**
 * The version an import is compared with: the stored STIX version, or for a record written only
 * through the API, the time of that write (an older STIX version must not overwrite a newer edit).
 */
export const storedVersion = (r: { stixModified: string | null; updatedAt?: string | null } | undefined): string | null =>
  r ? r.stixModified ?? r.updatedAt ?? null : null;

/** Every entity/link/raw id a step names (for the related-steps cut of a failure report). */
export function idsOfStep(s: Step): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === 'string') {
      if (KIND_OF.has(v) || RAW_POOL.includes(v)) out.add(v);
      const m = /^(.+?)-([A-Z_]+)-(.+?)(:negated)?$/.exec(v);
      if (m && KIND_OF.has(m[1]) && KIND_OF.has(m[3])) { out.add(m[1]); out.add(m[3]); }
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (k !== 'bundleId') walk(x);
  };
  walk(s.vars);
  // STIX refs name pool ids through x_disinfo_id; source_ref/target_ref through the stix id map.
  for (const id of [...out]) if (STIX_TO_ID.has(id)) out.add(STIX_TO_ID.get(id)!);
  return out;
}

export const stixIdOfEntity = (id: string): string => entityStixId({ id, kind: KIND_OF.get(id)! });
export const stixIdOfLink = (id: string): string => linkStixId({ id });
const STIX_TO_ID = new Map(ALL_IDS.map((id) => [stixIdOfEntity(id), id]));

export function linkIdOf(from: string, type: string, to: string, negated: boolean): string {
  return `${from}-${type}-${to}${negated ? ':negated' : ''}`;
}

const ALLOWED: Array<[string, LinkType, string]> = [];
const DISALLOWED: Array<[string, LinkType, string]> = [];
for (const a of ALL_IDS) {
  for (const b of ALL_IDS) {
    if (a === b) continue;
    for (const t of LINK_TYPE_NAMES) (tripleAllowed(KIND_OF.get(a)!, t, KIND_OF.get(b)!) ? ALLOWED : DISALLOWED).push([a, t, b]);
  }
}
const ALLOWED_NO_SOURCES = ALLOWED.filter(([a, , b]) => KIND_OF.get(a) !== 'SOURCE' && KIND_OF.get(b) !== 'SOURCE');

// ---------------------------------------------------------------------------------------------
// The generator.

export class Gen {
  private readonly rng: () => number;
  private readonly tokens = new Set<string>();
  private clock = Date.parse('2025-01-01T00:00:00.000Z');
  private n = 0;
  constructor(readonly seed: number) { this.rng = mulberry32(seed); }
  float(): number { return this.rng(); }
  int(n: number): number { return Math.floor(this.rng() * n); }
  chance(p: number): boolean { return this.rng() < p; }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
  /** A word no other record holds and that is no prefix of another: 'zq' + 6 letters outside hex. */
  tok(): string {
    for (;;) {
      const t = `zq${Array.from({ length: 6 }, () => 'ghijklmnopqrstuvwxyz'[this.int(20)]).join('')}`;
      if (!this.tokens.has(t)) { this.tokens.add(t); return t; }
    }
  }
  /** Newer than any version handed out before; now and then one in the future (a producer whose clock runs ahead). */
  nextVersion(): string {
    this.clock += 60_000 * (1 + this.int(90));
    if (this.chance(0.03)) return new Date(Date.parse('2030-01-01T00:00:00.000Z') + this.int(1000) * 60_000).toISOString();
    return new Date(this.clock).toISOString();
  }

  tlpFor(c: Caller): Tlp {
    return this.chance(0.7) ? TLPS[this.int(rank(c.clearance) + 1)] : this.pick(TLPS);
  }

  writeCaller(): Caller {
    const u = this.float();
    const role: Role | 'anon' = u < 0.04 ? 'anon' : u < 0.12 ? 'READER' : u < 0.6 ? 'ANALYST' : 'ADMIN';
    if (role === 'anon') return CALLERS[0];
    const clearance = this.pick(TLPS);
    return CALLERS.find((c) => !c.anonymous && c.role === role && c.clearance === clearance)!;
  }

  step(m: Model): Step {
    const n = ++this.n;
    if (this.chance(0.55)) {
      const c = this.writeCaller();
      const u = this.float();
      if (u < 0.3) return { n, caller: c.index, op: 'upsertEntities', vars: { input: this.entityItems(m, c) } };
      if (u < 0.6) return { n, caller: c.index, op: 'upsertLinks', vars: { input: this.linkItems(c) } };
      if (u < 0.7) return { n, caller: c.index, op: 'addCitation', vars: this.addCitationVars(m) };
      if (u < 0.78) return { n, caller: c.index, op: 'deleteEntity', vars: { id: this.chance(0.8) ? this.pick([...m.entities.keys()].filter((id) => KIND_OF.get(id) !== 'SOURCE').concat(['sa-01'])) : this.pick(POOL).id } };
      return { n, caller: c.index, op: 'importStix', vars: { bundle: this.bundle(m, c) } };
    }
    const c = this.pick(CALLERS);
    const u = this.float();
    const someIds = () => Array.from({ length: 1 + this.int(2) }, () => this.pick(ALL_IDS));
    if (u < 0.22) return { n, caller: c.index, op: 'entity', vars: { id: this.pick(ALL_IDS) } };
    if (u < 0.32) return { n, caller: c.index, op: 'search', vars: { text: this.searchWord(m) } };
    if (u < 0.45) return { n, caller: c.index, op: 'neighborhood', vars: { ids: someIds(), depth: 1 + this.int(2) } };
    if (u < 0.55) {
      const from = this.pick(ALL_IDS);
      return { n, caller: c.index, op: 'paths', vars: { from, to: this.pick(ALL_IDS.filter((x) => x !== from)) } };
    }
    if (u < 0.63) return { n, caller: c.index, op: 'stats', vars: {} };
    if (u < 0.7) return { n, caller: c.index, op: 'entities', vars: { kind: this.pick([...new Set(KIND_OF.values())]) } };
    if (u < 0.8) {
      const f = this.int(5);
      const filter = f === 0 ? null : f === 1 ? { singleSource: true } : f === 2 ? { conflicting: true } : { sourceId: this.pick(SOURCES).id };
      return { n, caller: c.index, op: 'claims', vars: { filter } };
    }
    if (u < 0.9) return { n, caller: c.index, op: 'exportStix', vars: { ids: this.chance(0.4) ? null : this.chance(0.3) ? [...someIds(), this.pick(RAW_POOL)] : someIds() } };
    const adminClearance = this.pick(TLPS);
    return { n, caller: this.chance(0.7) ? CALLERS.find((x) => !x.anonymous && x.role === 'ADMIN' && x.clearance === adminClearance)!.index : c.index, op: 'auditLog', vars: {} };
  }

  private searchWord(m: Model): string {
    const words = [...m.entities.values()].flatMap((e) => [e.name, e.description ?? '', ...e.aliases].flatMap((s) => s.split(' ').filter((w) => w.startsWith('zq'))));
    return words.length && this.chance(0.9) ? this.pick(words) : this.tok();
  }

  private kindFieldValue(type: string, field = ''): unknown {
    if (field === 'reliability') return this.pick(['A', 'B', 'C', 'D', 'E', 'F']);
    switch (type) {
      case 'boolean': return this.chance(0.5);
      case 'datetime': return `20${18 + this.int(6)}-0${1 + this.int(9)}-1${this.int(10)}T00:00:00.000Z`;
      case 'strings': return [this.tok()];
      default: return `v ${this.tok()}`;
    }
  }

  private entityItems(m: Model, c: Caller): Json[] {
    const ids = new Set<string>();
    const k = 1 + this.int(3);
    while (ids.size < k) ids.add(this.chance(0.15) ? this.pick(SOURCES).id : this.pick(POOL).id);
    return [...ids].map((id) => {
      const existing = m.entities.get(id);
      // A wrong kind only for an id that exists (BAD_USER_INPUT): the pool keeps one kind per id.
      const kind = existing && this.chance(0.04) ? this.pick([...new Set(KIND_OF.values())].filter((k) => k !== existing.kind)) : KIND_OF.get(id)!;
      if (existing && this.chance(0.15)) {
        // The same values again: must count as unchanged.
        const item: Json = { id, kind, name: existing.name };
        if (this.chance(0.5)) item.tlp = existing.tlp;
        if (this.chance(0.5)) item.description = existing.description;
        return item;
      }
      const item: Json = { id, kind, name: this.chance(0.03) ? '  ' : existing && this.chance(0.2) ? existing.name : `Name ${this.tok()}` };
      const u = this.float();
      if (u < 0.15) item.description = null; else if (u < 0.6) item.description = `Desc ${this.tok()}`;
      const a = this.float();
      if (a < 0.1) item.aliases = null; else if (a < 0.45) item.aliases = [`Alias ${this.tok()}`];
      if (this.chance(0.6)) item.tlp = this.tlpFor(c);
      for (const [field, type] of Object.entries(KIND_FIELDS[kind] ?? {})) {
        const f = this.float();
        if (f < 0.12) item[field] = null; else if (f < 0.35) item[field] = this.kindFieldValue(type, field);
      }
      return item;
    });
  }

  private citations(): Json[] {
    const k = 1 + this.int(2);
    const out: Json[] = [];
    const used = new Set<string>();
    while (out.length < k) {
      const source = this.chance(0.03) ? this.pick(POOL).id : this.pick(SOURCES).id;
      if (used.has(source)) continue;
      used.add(source);
      const c: Json = { source, locator: `L ${this.tok()}` };
      if (this.chance(0.5)) c.quote = `Q ${this.tok()}`;
      out.push(c);
    }
    return out;
  }

  private linkItems(c: Caller): Json[] {
    const k = 1 + this.int(2);
    const out: Json[] = [];
    const ids = new Set<string>();
    while (out.length < k) {
      const [from, type, to] = this.chance(0.05) ? this.pick(DISALLOWED) : this.pick(ALLOWED);
      const negated = this.chance(0.15);
      const id = linkIdOf(from, type, to, negated);
      if (ids.has(id)) continue;
      ids.add(id);
      const item: Json = { type, from, to, confidence: this.int(101), citations: this.citations() };
      if (negated) item.assertion = 'NEGATED';
      const u = this.float();
      if (u < 0.15) item.description = null; else if (u < 0.6) item.description = `Desc ${this.tok()}`;
      const f = this.float();
      if (f < 0.1) item.firstSeen = null; else if (f < 0.4) item.firstSeen = `2019-0${1 + this.int(9)}-01T00:00:00.000Z`;
      const l = this.float();
      if (l < 0.1) item.lastSeen = null; else if (l < 0.4) item.lastSeen = `2021-0${1 + this.int(9)}-01T00:00:00.000Z`;
      if (this.chance(0.6)) item.tlp = this.tlpFor(c);
      out.push(item);
    }
    return out;
  }

  private addCitationVars(m: Model): Json {
    const links = [...m.links.keys()];
    const linkId = links.length && this.chance(0.75) ? this.pick(links) : (([a, t, b]) => linkIdOf(a, t, b, false))(this.pick(ALLOWED));
    const citation: Json = { source: this.chance(0.04) ? this.pick(POOL).id : this.pick(SOURCES).id, locator: `L ${this.tok()}` };
    if (this.chance(0.5)) citation.quote = `Q ${this.tok()}`;
    return { linkId, citation };
  }

  /** A version for an object whose stored version is `stored`: mostly newer, sometimes the same or older. */
  private versionAfter(stored: string | null): string {
    if (!stored) return this.nextVersion();
    const u = this.float();
    if (u < 0.55) {
      const v = this.nextVersion();
      return Date.parse(v) > Date.parse(stored) ? v : new Date(Date.parse(stored) + 60_000).toISOString();
    }
    if (u < 0.78) return stored;
    return new Date(Date.parse(stored) - 86_400_000).toISOString();
  }

  private markings(c: Caller): Json {
    return this.chance(0.35) ? {} : { object_marking_refs: [markingIdFor(this.tlpFor(c))] };
  }

  private entityObject(m: Model, id: string, c: Caller): Json {
    const kind = KIND_OF.get(id)!;
    const version = this.versionAfter(storedVersion(m.entities.get(id)));
    const o: Json = {
      type: KIND_STIX_TYPE[kind], spec_version: '2.1', id: stixIdOfEntity(id), created: '2024-12-01T00:00:00.000Z', modified: version,
      name: `Name ${this.tok()}`, description: `Desc ${this.tok()}`, ...this.markings(c),
      x_disinfo_id: id, x_disinfo_kind: kind, x_disinfo_aliases: this.chance(0.5) ? [`Alias ${this.tok()}`] : [],
    };
    for (const [field, type] of Object.entries(KIND_FIELDS[kind] ?? {})) {
      o[`x_disinfo_${field.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`)}`] = this.kindFieldValue(type, field);
    }
    return o;
  }

  private bundle(m: Model, c: Caller): Json {
    const objects: Json[] = [];
    const inBundle = new Set<string>();
    const addEntity = (id: string) => {
      if (inBundle.has(id)) return;
      inBundle.add(id);
      objects.push(this.entityObject(m, id, c));
    };
    for (let i = this.int(3); i > 0; i--) addEntity(this.pick(POOL).id);
    const rels = this.int(3);
    const linkIds = new Set<string>();
    for (let i = 0; i < rels; i++) {
      const [from, type, to] = this.pick(ALLOWED_NO_SOURCES);
      const negated = this.chance(0.15);
      const id = linkIdOf(from, type, to, negated);
      if (linkIds.has(id)) continue;
      linkIds.add(id);
      if (this.chance(0.7)) addEntity(from);
      if (this.chance(0.7)) addEntity(to);
      const start = `2019-0${1 + this.int(9)}-01T00:00:00.000Z`;
      objects.push({
        type: 'relationship', spec_version: '2.1', id: stixIdOfLink(id), created: '2024-12-01T00:00:00.000Z',
        modified: this.versionAfter(storedVersion(m.links.get(id))),
        relationship_type: RELATIONSHIP_TYPE[type], source_ref: stixIdOfEntity(from), target_ref: stixIdOfEntity(to),
        confidence: this.int(101), description: `Desc ${this.tok()}`, start_time: start, stop_time: `2021-0${1 + this.int(9)}-01T00:00:00.000Z`,
        ...this.markings(c), x_disinfo_id: id, x_disinfo_type: type, x_disinfo_assertion: negated ? 'NEGATED' : 'AFFIRMED',
        x_disinfo_citations: this.citations().filter((x) => KIND_OF.get(x.source as string) === 'SOURCE').map((x) => ({ ...x })),
      });
      const last = objects[objects.length - 1];
      if ((last.x_disinfo_citations as unknown[]).length === 0) last.x_disinfo_citations = [{ source: this.pick(SOURCES).id, locator: `L ${this.tok()}` }];
    }
    if (this.chance(0.15)) {
      const id = this.pick(RAW_POOL);
      objects.push({
        type: 'note', spec_version: '2.1', id, created: '2024-12-01T00:00:00.000Z', modified: this.versionAfter(m.raws.get(id)?.modified ?? null),
        name: `Raw ${this.tok()}`, content: 'a raw note', object_refs: [id], ...this.markings(c),
      });
    }
    if (!objects.length) addEntity(this.pick(POOL).id);
    // The bundle's own id is fixed by the step number (a bundle source is made up only for relationships citing nothing).
    return { type: 'bundle', id: `bundle--00000000-0000-4000-8000-${String(this.n).padStart(12, '0')}`, objects };
  }
}

// ---------------------------------------------------------------------------------------------
// What a write must do.

/**
 * The stored STIX version of an imported record that an API write changes becomes the time of
 * that write (so that an older STIX version can no longer overwrite the newer edit): the runner
 * replaces this marker with the stored value once it has checked it lies within the call.
 */
export const NOW = '<time of the write>';

export type Expected =
  | { ok: false; codes: string[]; reason: string }
  | { ok: true; result: Json; reason: string };

const fail = (codes: string[], reason: string): Expected => ({ ok: false, codes, reason });

function roleCheck(c: Caller, need: Role): Expected | null {
  if (c.anonymous) return fail(['UNAUTHENTICATED'], 'anonymous write');
  const order: Role[] = ['READER', 'ANALYST', 'ADMIN'];
  if (order.indexOf(c.role) < order.indexOf(need)) return fail(['FORBIDDEN'], `role ${c.role} < ${need}`);
  return null;
}

const has = (o: Json, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const normDate = (v: unknown) => (typeof v === 'string' ? new Date(Date.parse(v)).toISOString() : v);
const normField = (kind: EntityKind, field: string, v: unknown) => ((KIND_FIELDS[kind] ?? {})[field] === 'datetime' ? normDate(v) : v);

export function sameEntity(a: MEntity, b: MEntity): boolean {
  return JSON.stringify(canonEntity(a)) === JSON.stringify(canonEntity(b));
}
export function canonEntity(e: MEntity): Json {
  const fields = Object.fromEntries(Object.keys(KIND_FIELDS[e.kind] ?? {}).map((f) => [f, e.fields[f] ?? null]));
  return { id: e.id, kind: e.kind, name: e.name, aliases: e.aliases, description: e.description, tlp: e.tlp, ...fields, stixId: e.stixId, stixModified: e.stixModified };
}
export function canonLink(l: MLink): Json {
  return {
    id: l.id, type: l.type, from: l.from, to: l.to, confidence: l.confidence, firstSeen: l.firstSeen, lastSeen: l.lastSeen,
    description: l.description, tlp: l.tlp, assertion: l.assertion, citations: l.citations, stixId: l.stixId, stixModified: l.stixModified,
  };
}

/** Applies a write to `m` (a copy) and says what the API must answer. */
export function expectWrite(m: Model, s: Step): { expected: Expected; next: Model } {
  const c = CALLERS[s.caller];
  const next = m.clone();
  const cl = c.clearance;
  switch (s.op) {
    case 'upsertEntities': {
      const bad = roleCheck(c, 'ANALYST');
      if (bad) return { expected: bad, next: m };
      const items = s.vars.input as Json[];
      for (const it of items) {
        if (m.entityHidden(it.id as string, cl)) return { expected: fail(['FORBIDDEN'], 'upsert of an existing hidden entity'), next: m };
        if (has(it, 'tlp') && it.tlp !== null && above(it.tlp as Tlp, cl)) return { expected: fail(['FORBIDDEN'], 'entity tlp above clearance'), next: m };
      }
      for (const it of items) {
        const e = m.entities.get(it.id as string);
        if (!String(it.name).trim()) return { expected: fail(['BAD_USER_INPUT'], 'blank name'), next: m };
        if (e && e.kind !== it.kind) return { expected: fail(['BAD_USER_INPUT'], 'kind differs from the stored one'), next: m };
        if (!e && it.kind !== KIND_OF.get(it.id as string)) {
          // A new id with another kind than the pool's: fine for the API; the pool keeps one kind per id, so the generator avoids
          // creating it (see entityItems) — it would only arise for ids that do not exist, which the model allows.
        }
      }
      let created = 0, updated = 0, unchanged = 0;
      for (const it of items) {
        const id = it.id as string;
        const before = next.entities.get(id);
        const kind = it.kind as EntityKind;
        const e: MEntity = before ? structuredClone(before) : {
          id, kind, name: '', aliases: [], description: null, tlp: 'CLEAR', fields: {}, stixId: null, stixModified: null,
        };
        e.name = String(it.name).trim();
        if (has(it, 'aliases')) e.aliases = (it.aliases as string[] | null) ?? [];
        if (has(it, 'description')) e.description = (it.description as string | null) ?? null;
        if (has(it, 'tlp') && it.tlp !== null) e.tlp = it.tlp as Tlp;
        for (const f of Object.keys(KIND_FIELDS[kind] ?? {})) {
          if (!has(it, f)) continue;
          if (it[f] === null) delete e.fields[f]; else e.fields[f] = normField(kind, f, it[f]);
        }
        if (!before) created++;
        else if (sameEntity(before, e)) unchanged++;
        else { updated++; if (e.stixModified) e.stixModified = NOW; }
        next.entities.set(id, e);
      }
      return { expected: { ok: true, reason: 'visible upsert', result: { created, updated, unchanged, ids: items.map((i) => i.id) } }, next };
    }
    case 'upsertLinks': {
      const bad = roleCheck(c, 'ANALYST');
      if (bad) return { expected: bad, next: m };
      const items = s.vars.input as Json[];
      const idOf = (it: Json) => linkIdOf(it.from as string, it.type as string, it.to as string, it.assertion === 'NEGATED');
      for (const it of items) {
        if (m.entityHidden(it.from as string, cl) || m.entityHidden(it.to as string, cl)) return { expected: fail(['FORBIDDEN'], 'link end hidden'), next: m };
        if ((it.citations as Json[]).some((x) => m.entityHidden(x.source as string, cl))) return { expected: fail(['FORBIDDEN'], 'citation of a hidden source'), next: m };
        if (has(it, 'tlp') && it.tlp !== null && above(it.tlp as Tlp, cl)) return { expected: fail(['FORBIDDEN'], 'link tlp above clearance'), next: m };
        const l = m.links.get(idOf(it));
        if (l && m.linkHidden(l.id, cl)) return { expected: fail(['FORBIDDEN'], 'existing hidden link'), next: m };
        if (l && l.citations.some((x) => m.entityHidden(x.source, cl))) {
          return { expected: fail(['FORBIDDEN'], 'replacing citations that include a hidden source'), next: m };
        }
      }
      for (const it of items) {
        const from = m.entities.get(it.from as string);
        const to = m.entities.get(it.to as string);
        if (!from || !to) return { expected: fail(['BAD_USER_INPUT'], 'missing link end'), next: m };
        if (!tripleAllowed(from.kind, it.type as LinkType, to.kind)) return { expected: fail(['BAD_USER_INPUT'], 'triple not allowed'), next: m };
        if ((it.citations as Json[]).some((x) => m.entities.get(x.source as string)?.kind !== 'SOURCE')) return { expected: fail(['BAD_USER_INPUT'], 'citation source not a SOURCE'), next: m };
      }
      let created = 0, updated = 0, unchanged = 0;
      for (const it of items) {
        const id = idOf(it);
        const before = next.links.get(id);
        const l: MLink = before ? structuredClone(before) : {
          id, type: it.type as LinkType, from: it.from as string, to: it.to as string, confidence: 0, firstSeen: null, lastSeen: null,
          description: null, tlp: 'CLEAR', assertion: it.assertion === 'NEGATED' ? 'NEGATED' : 'AFFIRMED', citations: [], stixId: null, stixModified: null,
        };
        addCitations(l, (it.citations as Json[]).map((x) => ({
          source: x.source as string, locator: (x.locator as string | undefined) ?? null, quote: (x.quote as string | undefined) ?? null,
          confidence: (x.confidence as number | undefined) ?? (it.confidence as number),
        })));
        for (const f of ['firstSeen', 'lastSeen'] as const) if (has(it, f)) l[f] = (normDate(it[f]) as string | null) ?? null;
        if (has(it, 'description')) l.description = (it.description as string | null) ?? null;
        if (has(it, 'tlp') && it.tlp !== null) l.tlp = it.tlp as Tlp;
        if (!before) created++;
        else if (JSON.stringify(canonLink(before)) === JSON.stringify(canonLink(l))) unchanged++;
        else { updated++; if (l.stixModified) l.stixModified = NOW; }
        next.links.set(id, l);
      }
      return { expected: { ok: true, reason: 'visible upsert', result: { created, updated, unchanged, ids: items.map(idOf) } }, next };
    }
    case 'addCitation': {
      const bad = roleCheck(c, 'ANALYST');
      if (bad) return { expected: bad, next: m };
      const linkId = s.vars.linkId as string;
      const cit = s.vars.citation as Json;
      if (m.linkHidden(linkId, cl)) return { expected: fail(['FORBIDDEN'], 'citation added to a hidden link'), next: m };
      if (m.entityHidden(cit.source as string, cl)) return { expected: fail(['FORBIDDEN'], 'citing a hidden source'), next: m };
      const l = next.links.get(linkId);
      const sourceOk = m.entities.get(cit.source as string)?.kind === 'SOURCE';
      if (!l && !sourceOk) return { expected: fail(['NOT_FOUND', 'BAD_USER_INPUT'], 'missing link and bad source'), next: m };
      if (!l) return { expected: fail(['NOT_FOUND', 'BAD_USER_INPUT'], 'missing link'), next: m };
      if (!sourceOk) return { expected: fail(['BAD_USER_INPUT'], 'citation source not a SOURCE'), next: m };
      addCitations(l, [{ source: cit.source as string, locator: (cit.locator as string | undefined) ?? null, quote: (cit.quote as string | undefined) ?? null, confidence: (cit.confidence as number | undefined) ?? l.confidence }]);
      if (l.stixModified) l.stixModified = NOW;
      return { expected: { ok: true, reason: 'visible citation', result: { linkId } }, next };
    }
    case 'deleteEntity': {
      const bad = roleCheck(c, 'ADMIN');
      if (bad) return { expected: bad, next: m };
      const id = s.vars.id as string;
      if (m.entityHidden(id, cl)) return { expected: fail(['FORBIDDEN'], 'delete of a hidden entity'), next: m };
      const attached = [...m.links.values()].filter((l) => l.from === id || l.to === id);
      if (attached.some((l) => m.linkHidden(l.id, cl))) return { expected: fail(['FORBIDDEN'], 'delete would remove hidden links'), next: m };
      if (!m.entities.has(id)) return { expected: fail(['NOT_FOUND', 'BAD_USER_INPUT'], 'missing entity'), next: m };
      next.entities.delete(id);
      for (const l of attached) next.links.delete(l.id);
      return { expected: { ok: true, reason: 'visible delete', result: { id, deleted: true, linksRemoved: attached.length } }, next };
    }
    case 'importStix':
      return expectImport(m, next, c, s.vars.bundle as { objects: Json[] });
    default:
      throw new Error(`not a write: ${s.op}`);
  }
}

const MARKING_TLP = new Map(TLPS.map((t) => [markingIdFor(t), t]));
const tlpOfObject = (o: Json): Tlp => {
  let t: Tlp = 'CLEAR';
  for (const ref of (o.object_marking_refs as string[] | undefined) ?? []) { const x = MARKING_TLP.get(ref); if (x && rank(x) > rank(t)) t = x; }
  return t;
};
const maxTlp = (a: Tlp | undefined, b: Tlp): Tlp => (a && rank(a) > rank(b) ? a : b);
const newer = (incoming: string | null, stored: string | null) => !stored || (!!incoming && Date.parse(incoming) > Date.parse(stored));

function expectImport(m: Model, next: Model, c: Caller, bundle: { objects: Json[] }): { expected: Expected; next: Model } {
  const bad = roleCheck(c, 'ANALYST');
  if (bad) return { expected: bad, next: m };
  const cl = c.clearance;
  const entityObjs = bundle.objects.filter((o) => typeof o.x_disinfo_kind === 'string');
  const relObjs = bundle.objects.filter((o) => o.type === 'relationship');
  const rawObjs = bundle.objects.filter((o) => o.type === 'note');
  const inBundle = new Map(entityObjs.map((o) => [o.id as string, o.x_disinfo_id as string]));
  // Resolution of a relationship's end: in the bundle, or stored with that STIX id.
  const resolve = (ref: string): string | null => {
    if (inBundle.has(ref)) return inBundle.get(ref)!;
    const id = STIX_TO_ID.get(ref);
    return id && m.entities.get(id)?.stixId === ref ? id : null;
  };
  const resolved = relObjs.filter((o) => resolve(o.source_ref as string) && resolve(o.target_ref as string));
  for (const o of entityObjs) {
    if (m.entityHidden(o.x_disinfo_id as string, cl)) return { expected: fail(['FORBIDDEN'], 'import of an existing hidden entity'), next: m };
    if (above(tlpOfObject(o), cl)) return { expected: fail(['FORBIDDEN'], 'imported entity marked above clearance'), next: m };
  }
  for (const o of resolved) {
    const from = resolve(o.source_ref as string)!, to = resolve(o.target_ref as string)!;
    if (m.entityHidden(from, cl) || m.entityHidden(to, cl)) return { expected: fail(['FORBIDDEN'], 'imported relationship with a hidden end'), next: m };
    if (above(tlpOfObject(o), cl)) return { expected: fail(['FORBIDDEN'], 'imported relationship marked above clearance'), next: m };
    if (m.linkHidden(o.x_disinfo_id as string, cl)) return { expected: fail(['FORBIDDEN'], 'import of an existing hidden link'), next: m };
    if ((o.x_disinfo_citations as Json[]).some((x) => m.entityHidden(x.source as string, cl))) return { expected: fail(['FORBIDDEN'], 'imported citation of a hidden source'), next: m };
    const l = m.links.get(o.x_disinfo_id as string);
    if (l && l.citations.some((x) => m.entityHidden(x.source, cl))) return { expected: fail(['FORBIDDEN'], 'import replacing citations that include a hidden source'), next: m };
  }
  for (const o of rawObjs) {
    const r = m.raws.get(o.id as string);
    if (r && above(r.tlp, cl)) return { expected: fail(['FORBIDDEN'], 'import over a hidden raw object'), next: m };
    if (above(tlpOfObject(o), cl)) return { expected: fail(['FORBIDDEN'], 'raw object marked above clearance'), next: m };
  }
  let created = 0, updated = 0, unchanged = 0;
  for (const o of entityObjs) {
    const id = o.x_disinfo_id as string;
    const kind = o.x_disinfo_kind as EntityKind;
    const before = next.entities.get(id);
    const version = o.modified as string;
    if (before && !newer(version, storedVersion(before))) { unchanged++; continue; }
    const fields: Record<string, unknown> = { ...(before?.fields ?? {}) };
    for (const f of Object.keys(KIND_FIELDS[kind] ?? {})) {
      const v = o[`x_disinfo_${f.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`)}`];
      if (v !== undefined && v !== null) fields[f] = normField(kind, f, v);
    }
    // A re-imported object never lowers a stored marking (docs/stix.md): lowering is an explicit upsert.
    next.entities.set(id, {
      id, kind, name: o.name as string, aliases: o.x_disinfo_aliases as string[], description: o.description as string, tlp: maxTlp(before?.tlp, tlpOfObject(o)),
      fields, stixId: o.id as string, stixModified: new Date(Date.parse(version)).toISOString(),
    });
    if (before) updated++; else created++;
  }
  for (const o of resolved) {
    const id = o.x_disinfo_id as string;
    const before = next.links.get(id);
    const version = o.modified as string;
    if (before && !newer(version, storedVersion(before))) { unchanged++; continue; }
    const l: MLink = {
      id, type: o.x_disinfo_type as LinkType, from: resolve(o.source_ref as string)!, to: resolve(o.target_ref as string)!,
      confidence: o.confidence as number, firstSeen: normDate(o.start_time) as string, lastSeen: normDate(o.stop_time) as string,
      description: o.description as string, tlp: maxTlp(before?.tlp, tlpOfObject(o)), assertion: o.x_disinfo_assertion as 'AFFIRMED' | 'NEGATED',
      citations: before ? structuredClone(before.citations) : [],
      stixId: o.id as string, stixModified: new Date(Date.parse(version)).toISOString(),
    };
    addCitations(l, (o.x_disinfo_citations as Json[]).map((x) => ({
      source: x.source as string, locator: (x.locator as string | undefined) ?? null, quote: (x.quote as string | undefined) ?? null, confidence: o.confidence as number,
    })));
    next.links.set(id, l);
    if (before) updated++; else created++;
  }
  for (const o of rawObjs) {
    const before = next.raws.get(o.id as string);
    const version = new Date(Date.parse(o.modified as string)).toISOString();
    if (before && !(before.modified === null || before.modified < version)) { unchanged++; continue; }
    next.raws.set(o.id as string, { id: o.id as string, tlp: maxTlp(before?.tlp, tlpOfObject(o)), modified: version, name: o.name as string });
    if (before) updated++; else created++;
  }
  return {
    expected: { ok: true, reason: 'visible import', result: { created, updated, unchanged, skipped: relObjs.length - resolved.length, raw: rawObjs.length } },
    next,
  };
}

// ---------------------------------------------------------------------------------------------
// What a caller must not see: ids (ours and STIX), names, descriptions, aliases, field values,
// citation locators and quotes of everything above its clearance.

export interface Hidden { ids: Set<string>; words: Set<string>; kinds: Map<string, EntityKind> }

const wordsOf = (...values: unknown[]): string[] => values.flatMap((v) => (Array.isArray(v) ? v : [v]))
  .flatMap((v) => (typeof v === 'string' ? v.split(/\s+/).filter((w) => w.startsWith('zq')) : []));

export function hiddenFor(m: Model, c: Tlp): Hidden {
  const h: Hidden = { ids: new Set(), words: new Set(), kinds: new Map() };
  for (const e of m.entities.values()) {
    if (!above(e.tlp, c)) continue;
    h.ids.add(e.id);
    h.ids.add(stixIdOfEntity(e.id));
    h.kinds.set(e.id, e.kind);
    for (const w of wordsOf(e.name, e.description, e.aliases, ...Object.values(e.fields))) h.words.add(w);
  }
  for (const l of m.links.values()) {
    if (m.linkVisible(l, c)) {
      for (const x of l.citations) if (!m.entityVisible(x.source, c)) for (const w of wordsOf(x.locator, x.quote)) h.words.add(w);
      continue;
    }
    h.ids.add(l.id);
    h.ids.add(stixIdOfLink(l.id));
    for (const w of wordsOf(l.description, ...l.citations.flatMap((x) => [x.locator, x.quote]))) h.words.add(w);
  }
  for (const r of m.raws.values()) {
    if (!above(r.tlp, c)) continue;
    h.ids.add(r.id);
    for (const w of wordsOf(r.name)) h.words.add(w);
  }
  return h;
}

const ID_CHAR = '[\\p{L}\\p{N}._:-]';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every hidden id or word found in any string of `body` (not counting `allowedIds`, nor words the request itself sent). */
export function leaks(body: unknown, h: Hidden, allowedIds: Set<string> = new Set(), sentWords: Set<string> = new Set()): string[] {
  const ids = [...h.ids].filter((id) => !allowedIds.has(id));
  const idRe = ids.length ? new RegExp(`(?:^|(?!${ID_CHAR}).)(${ids.map(escape).join('|')})(?!${ID_CHAR})`, 'u') : null;
  const words = [...h.words].filter((w) => !sentWords.has(w));
  const wordRe = words.length ? new RegExp(words.map(escape).join('|')) : null;
  const found = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === 'string') {
      const a = idRe?.exec(v);
      if (a) found.add(`id ${a[1]}`);
      const b = wordRe?.exec(v);
      if (b) found.add(`text ${b[0]}`);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(body);
  return [...found];
}

/** The ids a write names (itself, and the link ids derived from its input): a FORBIDDEN answer may name these. */
export function namedIds(s: Step): Set<string> {
  const out = new Set<string>();
  if (s.op === 'upsertEntities') for (const it of s.vars.input as Json[]) out.add(it.id as string);
  if (s.op === 'upsertLinks') {
    for (const it of s.vars.input as Json[]) {
      out.add(it.from as string); out.add(it.to as string);
      out.add(linkIdOf(it.from as string, it.type as string, it.to as string, it.assertion === 'NEGATED'));
      for (const x of it.citations as Json[]) out.add(x.source as string);
    }
  }
  if (s.op === 'addCitation') { out.add(s.vars.linkId as string); out.add((s.vars.citation as Json).source as string); }
  if (s.op === 'deleteEntity') out.add(s.vars.id as string);
  if (s.op === 'importStix') {
    for (const o of (s.vars.bundle as { objects: Json[] }).objects) {
      for (const k of ['id', 'x_disinfo_id', 'source_ref', 'target_ref']) if (typeof o[k] === 'string') out.add(o[k]);
      for (const x of (o.x_disinfo_citations as Json[] | undefined) ?? []) out.add(x.source as string);
      for (const k of ['source_ref', 'target_ref']) if (typeof o[k] === 'string' && STIX_TO_ID.has(o[k])) out.add(STIX_TO_ID.get(o[k])!);
    }
  }
  return out;
}

/** The zq-words a request carries (a caller may have them echoed back). */
export function wordsSent(vars: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === 'string') for (const w of v.split(/[^a-z]+/).filter((x) => /^zq[g-z]{6}$/.test(x))) out.add(w);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(vars);
  return out;
}
