// Runs the trust property (test/trust-property-model.ts) against the real API in-process: random
// steps by callers of every role and clearance, each answer compared with the model, the stored
// graph compared with the model after every write, every answer searched for anything above the
// caller's clearance. On a violation: the seed, the step, and the shortest replay found.
import { KIND_FIELDS, KIND_LABEL, TLPS, type EntityKind, type Tlp } from '../model/model.js';
import type { App } from '../api/http/app.js';
import type { Executor } from '../api/store/executor.js';
import { createKey } from '../api/store/keys.js';
import { markingIdFor } from '../api/stix/mapping.js';
import { gql, resetGraph } from './helpers.js';
import {
  CALLERS, Gen, Model, NOW, SOURCES, above, canonEntity, canonLink, expectWrite, hiddenFor, idsOfStep, isWrite, leaks,
  namedIds, stixIdOfEntity, storedVersion, stixIdOfLink, wordsSent, type Json, type MEntity, type MLink, type Step,
} from './trust-property-model.js';

export interface Violation { category: string; message: string; step: Step }

export interface RunOptions {
  seed: number;
  steps: number;
  /** Keep going after a violation (re-reading the graph into the model), to list every distinct kind. */
  collect?: boolean;
  log?: (line: string) => void;
  progressEvery?: number;
  /** Seconds to spend shrinking a failure (0: none). */
  shrinkSeconds?: number;
  /** Break one rule of the model on purpose, to see the harness catch it ('hide-nothing' | 'degree-plus-one'). */
  sabotage?: string;
}

export interface RunSummary {
  seed: number; steps: number; writes: number; reads: number; checks: number; seconds: number;
  violations: Violation[];
  /** Per category: the first violation and the shortest replay found. */
  reports: Array<{ category: string; count: number; first: Violation; replay: Step[]; replayShows: string | null }>;
}

const TLP_OF_MARKING = new Map(TLPS.map((t) => [markingIdFor(t), t]));

// ------------------------------------------------------------------------------------------------
// GraphQL documents.

const KIND_FRAGMENTS = Object.entries(KIND_FIELDS)
  .map(([kind, fields]) => `... on ${KIND_LABEL[kind as EntityKind]} { ${Object.keys(fields ?? {}).join(' ')} }`).join(' ');
const LINK_FIELDS = 'id type from { id } to { id } confidence firstSeen lastSeen description tlp assertion citations { source { id } locator quote }';

export function documentOf(s: Step, withUnchanged: boolean): string {
  const u = withUnchanged ? ' unchanged' : '';
  switch (s.op) {
    case 'upsertEntities': return `mutation($input: [EntityInput!]!) { upsertEntities(input: $input) { created updated${u} ids } }`;
    case 'upsertLinks': return `mutation($input: [LinkInput!]!) { upsertLinks(input: $input) { created updated${u} ids } }`;
    case 'addCitation': return `mutation($linkId: ID!, $citation: CitationInput!) { addCitation(linkId: $linkId, citation: $citation) { ${LINK_FIELDS} } }`;
    case 'deleteEntity': return 'mutation($id: ID!) { deleteEntity(id: $id) { id deleted linksRemoved } }';
    case 'importStix': return 'mutation($bundle: JSON!) { importStix(bundle: $bundle) { created updated unchanged skipped raw warnings } }';
    case 'entity': return `query($id: ID!) { entity(id: $id) { id kind name aliases description tlp degree ${KIND_FRAGMENTS}
      links(first: 500) { ${LINK_FIELDS} } ... on Source { asserts(first: 500) { id } } } }`;
    case 'search': return 'query($text: String!) { search(text: $text, first: 100) { entity { id name } } }';
    case 'neighborhood': return 'query($ids: [ID!]!, $depth: Int) { neighborhood(ids: $ids, depth: $depth) { nodes { id name } edges { id from { id } to { id } } truncated } }';
    case 'paths': return 'query($from: ID!, $to: ID) { paths(from: $from, to: $to, maxHops: 4) { hops nodes { id } edges { id from { id } to { id } } } }';
    case 'stats': return '{ stats { nodes links byKind { kind count } byType { type count } } }';
    case 'entities': return 'query($kind: EntityKind) { entities(kind: $kind, first: 500) { totalCount edges { node { id name } } } }';
    case 'claims': return `query($filter: ClaimFilter) { claims(filter: $filter, first: 500) { totalCount
      edges { node { link { id } sourceCount sources { id } conflictsWith { id } } } } }`;
    case 'exportStix': return 'query($ids: [ID!]) { exportStix(ids: $ids, includeRaw: true) }';
    case 'auditLog': return '{ auditLog(first: 200) { totalCount edges { node { action actor entityId linkId before after } } } }';
  }
}

/** A step as a reader can replay it by hand. */
export function describeStep(s: Step): string {
  return `#${s.n} as ${CALLERS[s.caller].label}: ${s.op} ${JSON.stringify(s.vars)}`;
}

// ------------------------------------------------------------------------------------------------
// The stored graph, read straight from Neo4j (ground truth for the write checks).

async function storedModel(ex: Executor): Promise<Model> {
  const m = new Model();
  const nodes = await ex.read<{ p: Json }>('MATCH (n:Entity) RETURN properties(n) AS p');
  for (const { p } of nodes) {
    const kind = p.kind as EntityKind;
    const fields: Json = {};
    for (const f of Object.keys(KIND_FIELDS[kind] ?? {})) if (p[f] !== undefined && p[f] !== null) fields[f] = p[f];
    m.entities.set(p.id as string, {
      id: p.id as string, kind, name: p.name as string, aliases: (p.aliases as string[] | undefined) ?? [], description: (p.description as string | undefined) ?? null,
      tlp: (p.tlp as Tlp | undefined) ?? 'CLEAR', fields, stixId: (p.stixId as string | undefined) ?? null, stixModified: (p.stixModified as string | undefined) ?? null,
      updatedAt: (p.updatedAt as string | undefined) ?? null,
    });
  }
  const rels = await ex.read<{ type: string; from: string; to: string; p: Json }>('MATCH (a:Entity)-[r]->(b:Entity) RETURN type(r) AS type, a.id AS from, b.id AS to, properties(r) AS p');
  for (const { type, from, to, p } of rels) {
    const sources = (p.citeSources as string[] | undefined) ?? [];
    const locators = (p.citeLocators as string[] | undefined) ?? [];
    const quotes = (p.citeQuotes as string[] | undefined) ?? [];
    const confidences = (p.citeConfidences as number[] | undefined) ?? [];
    m.links.set(p.id as string, {
      id: p.id as string, type: type as MLink['type'], from, to, confidence: p.confidence as number,
      firstSeen: (p.firstSeen as string | undefined) ?? null, lastSeen: (p.lastSeen as string | undefined) ?? null,
      description: (p.description as string | undefined) ?? null, tlp: (p.tlp as Tlp | undefined) ?? 'CLEAR',
      assertion: (p.assertion as MLink['assertion'] | undefined) ?? 'AFFIRMED',
      citations: sources.map((source, i) => ({ source, locator: locators[i] || null, quote: quotes[i] || null, confidence: confidences[i] ?? (p.confidence as number) })),
      stixId: (p.stixId as string | undefined) ?? null, stixModified: (p.stixModified as string | undefined) ?? null,
      updatedAt: (p.updatedAt as string | undefined) ?? null,
    });
  }
  const raws = await ex.read<{ id: string; tlp: string | null; modified: string | null; json: string }>('MATCH (r:StixRaw) RETURN r.id AS id, r.tlp AS tlp, r.modified AS modified, r.json AS json');
  for (const r of raws) m.raws.set(r.id, { id: r.id, tlp: (r.tlp as Tlp | null) ?? 'CLEAR', modified: r.modified, name: (JSON.parse(r.json) as Json).name as string });
  return m;
}

/** How a field of a record was given in a write (for naming a divergence). */
function inputAction(s: Step, kind: 'entity' | 'link', id: string, field: string, existed: boolean): string {
  const where = existed ? 'existing' : 'new';
  if (s.op === 'upsertEntities' && kind === 'entity') {
    const it = (s.vars.input as Json[]).find((x) => x.id === id);
    if (it) return `${where}, ${field} ${!(field in it) ? 'absent' : it[field] === null ? 'null' : 'given'}`;
  }
  if (s.op === 'upsertLinks' && kind === 'link') {
    const it = (s.vars.input as Json[]).find((x) => `${String(x.from)}-${String(x.type)}-${String(x.to)}${x.assertion === 'NEGATED' ? ':negated' : ''}` === id);
    if (it) return `${where}, ${field} ${!(field in it) ? 'absent' : it[field] === null ? 'null' : 'given'}`;
  }
  return where;
}

/**
 * A local edit moves the STIX version forward: to the time of the write, or just past a stored
 * version that lies in the future (a producer whose clock runs ahead).
 */
function bumped(previous: string | null, stored: string | null, t0: string, t1: string): boolean {
  if (!stored || Number.isNaN(Date.parse(stored))) return false;
  const s = Date.parse(stored);
  if (previous && s <= Date.parse(previous)) return false;
  return (stored >= t0 && stored <= t1) || (!!previous && s - Date.parse(previous) <= 1000);
}

// ------------------------------------------------------------------------------------------------

export class PropertyRunner {
  model = new Model();
  keys: Array<string | null> = [];
  withUnchanged = true;
  /** Per STIX id: the newest `modified` seen in an export, or accepted by an import. */
  private seenVersion = new Map<string, string>();
  checks = 0;
  /** Milliseconds spent per operation (the API call only). */
  readonly timing = new Map<string, { n: number; ms: number; max: number }>();
  writes = 0;
  reads = 0;
  private sabotage?: string;

  constructor(private readonly ex: Executor, private readonly app: App) {}

  async init(sabotage?: string): Promise<void> {
    this.sabotage = sabotage;
    await resetGraph(this.ex);
    this.keys = [null];
    for (const c of CALLERS.slice(1)) this.keys.push((await createKey(this.ex, `prop ${c.label}`, c.role, c.clearance)).key);
    const r = await gql<{ __type: { fields: Array<{ name: string }> } | null }>(this.app, '{ __type(name: "UpsertResult") { fields { name } } }');
    this.withUnchanged = !!r.data?.__type?.fields.some((f) => f.name === 'unchanged');
  }

  /** An empty graph (keys kept) with the four sources, written through the API as ADMIN/RED. */
  async reset(seed: number): Promise<Violation[]> {
    await resetGraph(this.ex, ['Entity', 'StixRaw', 'AuditRecord']);
    this.model = new Model();
    this.seenVersion.clear();
    return this.exec(setupStep(seed));
  }

  private headers(caller: number): Record<string, string> {
    const key = this.keys[caller];
    return key ? { authorization: `Bearer ${key}` } : {};
  }

  /** Runs one step and returns what broke. */
  async exec(s: Step): Promise<Violation[]> {
    const out: Violation[] = [];
    const v = (category: string, message: string) => out.push({ category, message, step: s });
    const c = CALLERS[s.caller];
    const hidden = hiddenFor(this.model, c.clearance);
    const t0 = new Date(Date.now() - 1000).toISOString();
    const started = Date.now();
    const res = await gql<Json>(this.app, documentOf(s, this.withUnchanged), s.vars, this.headers(s.caller));
    const took = Date.now() - started;
    const tm = this.timing.get(s.op) ?? { n: 0, ms: 0, max: 0 };
    this.timing.set(s.op, { n: tm.n + 1, ms: tm.ms + took, max: Math.max(tm.max, took) });
    const t1 = new Date(Date.now() + 1000).toISOString();
    const code = res.errors?.length ? String(res.errors[0].extensions?.code as string | undefined ?? 'NO_CODE') : null;
    this.checks++;

    if (isWrite(s)) {
      this.writes++;
      const { expected, next } = expectWrite(this.model, s);
      const allowed = code === 'FORBIDDEN' ? namedIds(s) : new Set<string>();
      for (const l of leaks(res, hidden, allowed, wordsSent(s.vars))) v(`leak in ${s.op} answer${code ? ` (${code})` : ''}`, `${l} is above ${c.label}'s clearance: ${JSON.stringify(res.errors ?? res.data).slice(0, 600)}`);
      if (code === 'FORBIDDEN') {
        const msg = JSON.stringify(res.errors);
        const sent = JSON.stringify(s.vars);
        for (const id of allowed) {
          const kind = hidden.kinds.get(id);
          if (kind && msg.includes(kind) && !sent.includes(kind)) v(`FORBIDDEN answer of ${s.op} names the hidden entity's kind`, `${id} is a ${kind}: ${msg.slice(0, 400)}`);
        }
      }
      let target: Model | null = null;
      if (expected.ok) {
        if (code) v(`${s.op} [${expected.reason}]: expected success, got ${code}`, `${res.errors![0].message.slice(0, 500)}`);
        else { target = next; this.checkWriteResult(s, expected.result, res.data!, next, v); }
      } else if (!code) {
        v(`${s.op} [${expected.reason}]: expected ${expected.codes.join('|')}, got success`, JSON.stringify(res.data).slice(0, 400));
      } else if (!expected.codes.includes(code)) {
        v(`${s.op} [${expected.reason}]: expected ${expected.codes.join('|')}, got ${code}`, res.errors![0].message.slice(0, 500));
      }
      if (code) target = this.model;
      const stored = await storedModel(this.ex);
      this.checks++;
      if (target) {
        const before = out.length;
        this.diff(s, target, stored, t0, t1, v);
        if (out.length === before) {
          // Accepted versions (and API writes' bumped versions, now known) are the floor of later exports.
          for (const e of stored.entities.values()) if (e.stixModified && e.stixId) this.raise(e.stixId, e.stixModified);
          for (const l of stored.links.values()) if (l.stixModified && l.stixId) this.raise(l.stixId, l.stixModified);
        }
      }
      if (s.op === 'deleteEntity' && !code) {
        this.seenVersion.delete(stixIdOfEntity(s.vars.id as string));
        for (const l of this.model.links.values()) if (l.from === s.vars.id || l.to === s.vars.id) this.seenVersion.delete(l.stixId ?? stixIdOfLink(l.id));
      }
      this.model = stored;
      return out;
    }

    this.reads++;
    for (const l of leaks(res, hidden, new Set(), wordsSent(s.vars))) v(`leak in ${s.op}`, `${l} is above ${c.label}'s clearance: ${JSON.stringify(res.errors ?? res.data).slice(0, 600)}`);
    if (s.op === 'auditLog' && (c.anonymous || c.role !== 'ADMIN')) {
      const want = c.anonymous ? 'UNAUTHENTICATED' : 'FORBIDDEN';
      if (code !== want) v(`auditLog by ${c.anonymous ? 'anonymous' : 'non-admin'}: expected ${want}, got ${code ?? 'success'}`, '');
      return out;
    }
    if (code) { v(`${s.op}: unexpected error ${code}`, res.errors![0].message.slice(0, 500)); return out; }
    this.checkRead(s, c.clearance, res.data!, v);
    return out;
  }

  private raise(stixId: string, version: string): void {
    const seen = this.seenVersion.get(stixId);
    if (!seen || Date.parse(version) > Date.parse(seen)) this.seenVersion.set(stixId, version);
  }

  private checkWriteResult(s: Step, want: Json, got: Json, next: Model, v: (c: string, m: string) => void): void {
    const r = got[s.op] as Json;
    const cmp = (field: string) => {
      if (field === 'unchanged' && !this.withUnchanged && (s.op === 'upsertEntities' || s.op === 'upsertLinks')) return;
      if (JSON.stringify(r[field]) !== JSON.stringify(want[field])) v(`${s.op}: result.${field} differs from the model`, `expected ${JSON.stringify(want[field])}, got ${JSON.stringify(r[field])}`);
    };
    if (s.op === 'upsertEntities' || s.op === 'upsertLinks') {
      if (!this.withUnchanged) {
        // Without an `unchanged` count an unchanged record cannot be told apart: updated must still exclude it.
        if (r.updated !== want.updated) v(`${s.op}: result.updated counts records left unchanged (UpsertResult has no unchanged)`, `expected ${String(want.updated)}, got ${String(r.updated)}`);
        cmp('created'); cmp('ids');
      } else ['created', 'updated', 'unchanged', 'ids'].forEach(cmp);
    } else if (s.op === 'deleteEntity') ['id', 'deleted', 'linksRemoved'].forEach(cmp);
    else if (s.op === 'importStix') ['created', 'updated', 'unchanged', 'skipped', 'raw'].forEach(cmp);
    else if (s.op === 'addCitation') {
      const l = next.links.get(want.linkId as string)!;
      const problems = this.linkProblems(r, l, next, CALLERS[s.caller].clearance);
      if (problems.length) v('addCitation: returned link differs from the model', problems.join('; '));
    }
  }

  private diff(s: Step, want: Model, got: Model, t0: string, t1: string, v: (c: string, m: string) => void): void {
    for (const id of new Set([...want.entities.keys(), ...got.entities.keys()])) {
      const a = want.entities.get(id), b = got.entities.get(id);
      if (!a || !b) { v(`${s.op}: entity ${a ? 'missing from' : 'unexpectedly in'} the graph`, `${id}`); continue; }
      if (a.stixModified === NOW && bumped(storedVersion(this.model.entities.get(id)), b.stixModified, t0, t1)) a.stixModified = b.stixModified;
      const ca = canonEntity(a), cb = canonEntity(b);
      for (const k of Object.keys(ca)) {
        if (JSON.stringify(ca[k]) !== JSON.stringify(cb[k])) {
          v(`${s.op}: stored entity.${k} differs from the model (${inputAction(s, 'entity', id, k, this.model.entities.has(id))})`, `${id}.${k}: expected ${JSON.stringify(ca[k])}, stored ${JSON.stringify(cb[k])}`);
        }
      }
    }
    for (const id of new Set([...want.links.keys(), ...got.links.keys()])) {
      const a = want.links.get(id), b = got.links.get(id);
      if (!a || !b) { v(`${s.op}: link ${a ? 'missing from' : 'unexpectedly in'} the graph`, `${id}`); continue; }
      if (a.stixModified === NOW && bumped(storedVersion(this.model.links.get(id)), b.stixModified, t0, t1)) a.stixModified = b.stixModified;
      const ca = canonLink(a), cb = canonLink(b);
      for (const k of Object.keys(ca)) {
        if (JSON.stringify(ca[k]) !== JSON.stringify(cb[k])) {
          v(`${s.op}: stored link.${k} differs from the model (${inputAction(s, 'link', id, k, this.model.links.has(id))})`, `${id}.${k}: expected ${JSON.stringify(ca[k])}, stored ${JSON.stringify(cb[k])}`);
        }
      }
    }
    for (const id of new Set([...want.raws.keys(), ...got.raws.keys()])) {
      const a = want.raws.get(id), b = got.raws.get(id);
      if (JSON.stringify(a) !== JSON.stringify(b)) v(`${s.op}: stored raw STIX object differs from the model`, `${id}: expected ${JSON.stringify(a)}, stored ${JSON.stringify(b)}`);
    }
  }

  // ----------------------------------------------------------------------------------------------
  // Reads.

  private visibleLinks(m: Model, cl: Tlp): MLink[] {
    return [...m.links.values()].filter((l) => m.linkVisible(l, cl));
  }

  private entityProblems(got: Json, e: MEntity): string[] {
    const want = canonEntity(e);
    const out: string[] = [];
    for (const k of ['id', 'kind', 'name', 'aliases', 'description', 'tlp', ...Object.keys(KIND_FIELDS[e.kind] ?? {})]) {
      if (JSON.stringify(got[k] ?? null) !== JSON.stringify(want[k] ?? null)) out.push(`${e.id}.${k}: expected ${JSON.stringify(want[k])}, got ${JSON.stringify(got[k])}`);
    }
    return out;
  }

  private linkProblems(got: Json, l: MLink, m: Model, cl: Tlp): string[] {
    const want: Json = {
      id: l.id, type: l.type, from: { id: l.from }, to: { id: l.to }, confidence: l.confidence, firstSeen: l.firstSeen, lastSeen: l.lastSeen,
      description: l.description, tlp: l.tlp, assertion: l.assertion,
      citations: m.visibleCitations(l, cl).map((x) => ({ source: { id: x.source }, locator: x.locator, quote: x.quote })),
    };
    return Object.keys(want).filter((k) => JSON.stringify(got[k]) !== JSON.stringify(want[k]))
      .map((k) => `${l.id}.${k}: expected ${JSON.stringify(want[k])}, got ${JSON.stringify(got[k])}`);
  }

  private checkRead(s: Step, cl: Tlp, data: Json, v: (c: string, m: string) => void): void {
    const m = this.model;
    const sabotage = this.sabotage;
    const visible = (id: string) => (sabotage === 'hide-nothing' ? m.entities.has(id) : m.entityVisible(id, cl));
    const links = this.visibleLinks(m, cl);
    const setEq = (what: string, got: string[], want: string[]) => {
      const g = [...new Set(got)].sort(), w = [...new Set(want)].sort();
      if (JSON.stringify(g) !== JSON.stringify(w)) {
        v(`${s.op}: ${what}`, `expected [${w.join(', ')}], got [${g.join(', ')}]${got.length !== g.length ? ' (with duplicates)' : ''}`);
        return false;
      }
      return true;
    };
    switch (s.op) {
      case 'entity': {
        const id = s.vars.id as string;
        const got = data.entity as Json | null;
        if (!visible(id)) { if (got) v('entity: returns an entity above the clearance', id); return; }
        if (!got) { v('entity: a visible entity is null', id); return; }
        const e = m.entities.get(id)!;
        const p = this.entityProblems(got, e);
        if (p.length) v('entity: fields differ from the model', p.join('; '));
        const mine = links.filter((l) => l.from === id || l.to === id);
        const degree = mine.length + (sabotage === 'degree-plus-one' ? 1 : 0);
        if (got.degree !== degree) v('entity: degree differs from the visible links', `${id}: expected ${degree}, got ${String(got.degree)}`);
        if (setEq('links differ from the visible links', (got.links as Json[]).map((l) => l.id as string), mine.map((l) => l.id))) {
          const lp = (got.links as Json[]).flatMap((l) => this.linkProblems(l, m.links.get(l.id as string)!, m, cl));
          if (lp.length) v('entity: link fields differ from the model', lp.join('; '));
        }
        if (e.kind === 'SOURCE') {
          setEq('Source.asserts differs from the visible links citing it', (got.asserts as Json[]).map((l) => l.id as string),
            links.filter((l) => l.citations.some((x) => x.source === id)).map((l) => l.id));
        }
        return;
      }
      case 'search': {
        const word = s.vars.text as string;
        const want = [...m.entities.values()].filter((e) => visible(e.id) && [e.name, e.description ?? '', ...e.aliases].some((t) => t.split(' ').includes(word)));
        setEq(`hits differ from the visible entities holding the word`, (data.search as Json[]).map((h) => (h.entity as Json).id as string), want.map((e) => e.id));
        return;
      }
      case 'neighborhood': {
        const seeds = (s.vars.ids as string[]).filter(visible);
        const found = new Set(seeds);
        let frontier = [...found];
        for (let d = 0; d < (s.vars.depth as number); d++) {
          const nextF: string[] = [];
          for (const l of links) {
            for (const [a, b] of [[l.from, l.to], [l.to, l.from]]) if (frontier.includes(a) && !found.has(b)) { found.add(b); nextF.push(b); }
          }
          frontier = nextF;
        }
        const sub = data.neighborhood as { nodes: Json[]; edges: Json[] };
        setEq('nodes differ from the visible neighbourhood', sub.nodes.map((n) => n.id as string), [...found]);
        setEq('edges differ from the visible links among the nodes', sub.edges.map((e) => e.id as string), links.filter((l) => found.has(l.from) && found.has(l.to)).map((l) => l.id));
        const names = sub.nodes.filter((n) => m.entities.get(n.id as string) && m.entities.get(n.id as string)!.name !== n.name);
        if (names.length) v('neighborhood: node names differ from the model', names.map((n) => `${String(n.id)}: ${String(n.name)}`).join('; '));
        return;
      }
      case 'paths': {
        const from = s.vars.from as string, to = s.vars.to as string;
        const usable = links.filter((l) => l.assertion !== 'NEGATED');
        const dist = new Map<string, number>();
        if (visible(from)) dist.set(from, 0);
        let frontier = visible(from) ? [from] : [];
        for (let d = 1; d <= 4 && frontier.length; d++) {
          const nextF: string[] = [];
          for (const l of usable) for (const [a, b] of [[l.from, l.to], [l.to, l.from]]) if (frontier.includes(a) && !dist.has(b)) { dist.set(b, d); nextF.push(b); }
          frontier = nextF;
        }
        const got = data.paths as Array<{ hops: number; nodes: Json[]; edges: Json[] }>;
        const want = visible(to) ? dist.get(to) : undefined;
        if (want === undefined) { if (got.length) v('paths: returns a path the visible graph does not have', JSON.stringify(got[0])); return; }
        if (!got.length) { v('paths: no path although the visible graph has one', `${from} → ${to}: ${want} hops`); return; }
        if (Math.min(...got.map((p) => p.hops)) !== want) v('paths: shortest path length differs from the visible graph', `expected ${want}, got ${got.map((p) => p.hops).join(',')}`);
        for (const p of got) {
          const ok = p.nodes[0]?.id === from && p.nodes[p.nodes.length - 1]?.id === to && p.edges.length === p.hops
            && p.edges.every((e, i) => {
              const l = usable.find((x) => x.id === e.id);
              const a = p.nodes[i].id, b = p.nodes[i + 1].id;
              return !!l && ((l.from === a && l.to === b) || (l.from === b && l.to === a));
            });
          if (!ok) v('paths: a returned path is not a path of the visible graph', JSON.stringify(p));
        }
        return;
      }
      case 'stats': {
        const st = data.stats as { nodes: number; links: number; byKind: Array<{ kind: string; count: number }>; byType: Array<{ type: string; count: number }> };
        const ents = [...m.entities.values()].filter((e) => visible(e.id));
        const byKind: Record<string, number> = {};
        for (const e of ents) byKind[e.kind] = (byKind[e.kind] ?? 0) + 1;
        const byType: Record<string, number> = {};
        for (const l of links) byType[l.type] = (byType[l.type] ?? 0) + 1;
        const gotKind = Object.fromEntries(st.byKind.map((k) => [k.kind, k.count]));
        const gotType = Object.fromEntries(st.byType.map((k) => [k.type, k.count]));
        const sort = (o: Record<string, number>) => JSON.stringify(Object.entries(o).sort());
        if (st.nodes !== ents.length) v('stats: nodes differs from the visible count', `expected ${ents.length}, got ${st.nodes}`);
        if (st.links !== links.length) v('stats: links differs from the visible count', `expected ${links.length}, got ${st.links}`);
        if (sort(gotKind) !== sort(byKind)) v('stats: byKind differs from the visible counts', `expected ${sort(byKind)}, got ${sort(gotKind)}`);
        if (sort(gotType) !== sort(byType)) v('stats: byType differs from the visible counts', `expected ${sort(byType)}, got ${sort(gotType)}`);
        return;
      }
      case 'entities': {
        const page = data.entities as { totalCount: number; edges: Array<{ node: Json }> };
        const want = [...m.entities.values()].filter((e) => e.kind === s.vars.kind && visible(e.id));
        if (page.totalCount !== want.length) v('entities: totalCount differs from the visible count', `${String(s.vars.kind)}: expected ${want.length}, got ${String(page.totalCount)}`);
        setEq('nodes differ from the visible entities of the kind', page.edges.map((e) => e.node.id as string), want.map((e) => e.id));
        return;
      }
      case 'claims': {
        const f = (s.vars.filter ?? {}) as Json;
        const srcs = (l: MLink) => [...new Set(m.visibleCitations(l, cl).map((x) => x.source))];
        // Layered attribution (api/store/browse.ts LAYERED): one actor above the other through at
        // most 4 visible affirmed links (x ATTRIBUTED_TO or AFFILIATED_WITH y, y OPERATES or OWNS x:
        // y is above x) is not a conflict.
        const upward = new Map<string, string[]>();
        for (const o of links) {
          if (o.assertion !== 'AFFIRMED' || !['ATTRIBUTED_TO', 'AFFILIATED_WITH', 'OPERATES', 'OWNS'].includes(o.type)) continue;
          const [low, high] = o.type === 'OPERATES' || o.type === 'OWNS' ? [o.to, o.from] : [o.from, o.to];
          upward.set(low, [...(upward.get(low) ?? []), high]);
        }
        const reachesUp = (from: string, to: string) => {
          let frontier = [from];
          for (let depth = 0; depth < 4 && frontier.length; depth++) {
            frontier = frontier.flatMap((x) => upward.get(x) ?? []);
            if (frontier.includes(to)) return true;
          }
          return false;
        };
        const layered = (b: string, c: string) => reachesUp(b, c) || reachesUp(c, b);
        const conflicts = (l: MLink) => links.filter((o) => o.id !== l.id && o.from === l.from && o.type === l.type
          && ((o.to === l.to && o.assertion !== l.assertion) || (l.type === 'ATTRIBUTED_TO' && o.to !== l.to && o.assertion === 'AFFIRMED' && l.assertion === 'AFFIRMED'
            // Joint attribution: a visible source citing both is not a conflict.
            && !srcs(l).some((x) => o.citations.some((c) => c.source === x)) && !layered(l.to, o.to))));
        const want = links.filter((l) => (!f.singleSource || srcs(l).length === 1) && (!f.sourceId || srcs(l).includes(f.sourceId as string))
          && (!f.conflicting || conflicts(l).length > 0));
        const page = data.claims as { totalCount: number; edges: Array<{ node: { link: Json; sourceCount: number; sources: Json[]; conflictsWith: Json[] } }> };
        const filterName = f.singleSource ? 'singleSource' : f.conflicting ? 'conflicting' : f.sourceId ? `sourceId ${CALLERS[s.caller].clearance === 'RED' ? 'any' : visible(f.sourceId as string) ? 'visible' : 'hidden'}` : 'none';
        if (page.totalCount !== want.length) v(`claims (filter ${filterName.startsWith('sourceId') ? filterName : filterName}): totalCount differs from the visible count`, `expected ${want.length}, got ${page.totalCount}`);
        if (!setEq(`claims (filter ${filterName}) differ from the visible links`, page.edges.map((e) => e.node.link.id as string), want.map((l) => l.id))) return;
        for (const { node } of page.edges) {
          const l = m.links.get(node.link.id as string)!;
          const ws = srcs(l);
          if (node.sourceCount !== ws.length) v('claims: sourceCount differs from the visible sources', `${l.id}: expected ${ws.length}, got ${node.sourceCount} (stored citations: ${l.citations.map((x) => x.source).join(', ')})`);
          setEq('claims: sources differ from the visible sources', node.sources.map((x) => x.id as string), ws);
          setEq('claims: conflictsWith differs from the visible conflicts', node.conflictsWith.map((x) => x.id as string), conflicts(l).map((x) => x.id));
        }
        return;
      }
      case 'exportStix': {
        const bundle = data.exportStix as { objects?: Json[] };
        const objects = bundle.objects ?? [];
        const ids = s.vars.ids as string[] | null;
        const sel = [...m.entities.values()].filter((e) => visible(e.id) && (!ids || ids.includes(e.id)));
        const selIds = new Set(sel.map((e) => e.id));
        const exportedLinks = links.filter((l) => selIds.has(l.from) && selIds.has(l.to));
        const cited = new Set(exportedLinks.flatMap((l) => m.visibleCitations(l, cl).map((x) => x.source)));
        const wantEntities = new Set([...sel.map((e) => e.id), ...[...cited].filter((id) => visible(id))]);
        const ents = objects.filter((o) => typeof o.x_disinfo_kind === 'string');
        const rels = objects.filter((o) => o.type === 'relationship');
        const raws = objects.filter((o) => o.type === 'note');
        setEq('entity objects differ from the visible selection', ents.map((o) => o.x_disinfo_id as string), [...wantEntities]);
        setEq('relationships differ from the visible links of the selection', rels.map((o) => o.x_disinfo_id as string), exportedLinks.map((l) => l.id));
        setEq('raw objects differ from the visible raw objects (listed ones when ids are given)', raws.map((o) => o.id as string),
          [...m.raws.values()].filter((r) => !above(r.tlp, cl) && (!ids || ids.includes(r.id))).map((r) => r.id));
        for (const o of objects.filter((x) => x.type === 'marking-definition')) {
          const t = TLP_OF_MARKING.get(o.id as string);
          if (t && above(t, cl)) v('exportStix: a marking definition above the clearance (tells that such objects exist)', `TLP:${t} for ${CALLERS[s.caller].label}`);
        }
        for (const o of ents) {
          const e = m.entities.get(o.x_disinfo_id as string);
          if (e && (o.name ?? o.display_name) !== e.name) v('exportStix: entity name differs from the model', `${e.id}: ${String(o.name ?? o.display_name)} vs ${e.name}`);
        }
        for (const o of rels) {
          const l = m.links.get(o.x_disinfo_id as string);
          if (!l) continue;
          const got = ((o.x_disinfo_citations as Json[] | undefined) ?? []).map((x) => x.source as string);
          const want = m.visibleCitations(l, cl).map((x) => x.source);
          if (JSON.stringify(got) !== JSON.stringify(want)) v('exportStix: relationship citations differ from the visible ones', `${l.id}: expected ${want.join(',')}, got ${got.join(',')}`);
        }
        for (const o of [...ents, ...rels, ...raws]) {
          const version = (o.modified ?? o.x_disinfo_modified) as string | undefined;
          if (!version) continue;
          const id = o.id as string;
          const floor = this.seenVersion.get(id);
          if (floor && Date.parse(version) < Date.parse(floor)) {
            v('exportStix: a STIX version went back', `${id} (${String(o.x_disinfo_id ?? o.name)}): exported modified ${version} < ${floor} seen before (imported or exported)`);
          }
          this.raise(id, version);
        }
        for (const o of raws) {
          const r = m.raws.get(o.id as string);
          if (r && (o.name !== r.name || o.modified !== r.modified)) v('exportStix: raw object differs from the stored version', `${r.id}`);
        }
        return;
      }
      case 'auditLog':
        return; // the leak check above is the whole test
    }
  }
}

/** Step 0 of every run: the four sources, one per TLP, by ADMIN/RED. */
export function setupStep(seed: number): Step {
  const g = new Gen(seed ^ 0x5eed);
  return {
    n: 0, caller: CALLERS.find((c) => c.role === 'ADMIN' && c.clearance === 'RED')!.index, op: 'upsertEntities',
    vars: { input: SOURCES.map((s) => ({ id: s.id, kind: 'SOURCE', name: `Name ${g.tok()}`, tlp: s.tlp, publisher: `v ${g.tok()}` })) },
  };
}

// ------------------------------------------------------------------------------------------------

/** Runs `steps` random steps from `seed`; stops at the first violation unless `collect`. */
export async function runProperty(ex: Executor, app: App, opts: RunOptions): Promise<RunSummary> {
  const log = opts.log ?? (() => {});
  const t0 = Date.now();
  const runner = new PropertyRunner(ex, app);
  await runner.init(opts.sabotage);
  const gen = new Gen(opts.seed);
  const history: Step[] = [];
  const violations: Violation[] = [];
  const firsts = new Map<string, { count: number; first: Violation; at: number }>();
  const note = (vs: Violation[], at: number) => {
    for (const x of vs) {
      violations.push(x);
      const f = firsts.get(x.category);
      if (f) f.count++;
      else { firsts.set(x.category, { count: 1, first: x, at }); log(`VIOLATION at step ${x.step.n}: ${x.category}\n    ${x.message}\n    ${describeStep(x.step)}`); }
    }
  };
  note(await runner.reset(opts.seed), 0);
  let done = 0;
  for (let i = 0; i < opts.steps && (opts.collect || violations.length === 0); i++) {
    const s = gen.step(runner.model);
    history.push(s);
    note(await runner.exec(s), history.length);
    done++;
    if (opts.progressEvery && done % opts.progressEvery === 0) {
      log(`  step ${done}/${opts.steps}: ${runner.writes} writes, ${runner.reads} reads, ${runner.checks} checks, ${firsts.size} distinct violations, `
        + `${runner.model.entities.size} entities, ${runner.model.links.size} links, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
  }
  const counters = { writes: runner.writes, reads: runner.reads, checks: runner.checks };
  log(`  API time per operation: ${[...runner.timing].map(([op, t]) => `${op} ${t.n}× avg ${(t.ms / t.n).toFixed(0)} max ${t.max} ms`).join(', ')}`);
  const reports: RunSummary['reports'] = [];
  const deadline = Date.now() + (opts.shrinkSeconds ?? 60) * 1000;
  for (const [category, f] of firsts) {
    const shrunk = opts.shrinkSeconds === 0 ? { steps: relatedSteps(history.slice(0, f.at), f.first.step), shown: null }
      : await shrink(runner, opts.seed, history.slice(0, f.at), f.first.step, category, deadline, log);
    reports.push({ category, count: f.count, first: f.first, replay: shrunk.steps, replayShows: shrunk.shown?.message ?? null });
  }
  return { seed: opts.seed, steps: done, ...counters, seconds: (Date.now() - t0) / 1000, violations, reports };
}

/** The writes before `failing` that name any id it names (transitively), then `failing`. */
export function relatedSteps(before: Step[], failing: Step): Step[] {
  const ids = idsOfStep(failing);
  const global = ['stats', 'claims', 'auditLog', 'exportStix'].includes(failing.op) || ids.size === 0;
  const kept: Step[] = [];
  for (let i = before.length - 1; i >= 0; i--) {
    const s = before[i];
    if (s === failing || !isWrite(s)) continue;
    const mine = idsOfStep(s);
    if (global || [...mine].some((id) => ids.has(id))) { kept.unshift(s); for (const id of mine) ids.add(id); }
  }
  return [...kept, failing];
}

/** Replays `steps` on a fresh graph; the violation of `category` it shows, if any. */
async function reproduces(runner: PropertyRunner, seed: number, steps: Step[], category: string): Promise<Violation | null> {
  const hit = (vs: Violation[]) => vs.find((x) => x.category === category) ?? null;
  const first = hit(await runner.reset(seed));
  if (first) return first;
  for (const s of steps) {
    const found = hit(await runner.exec(s));
    if (found) return found;
  }
  return null;
}

/** Steps that change what later checks expect: writes, and exports (they set the version floor). */
const stateful = (s: Step) => isWrite(s) || s.op === 'exportStix';

/**
 * The shortest replay found (within the deadline) that still shows the violation: the failing step
 * alone, else the related writes, else every earlier write; then chunks and single steps dropped
 * while the violation stays (delta debugging).
 */
async function shrink(runner: PropertyRunner, seed: number, before: Step[], failing: Step, category: string, deadline: number,
  log: (l: string) => void): Promise<{ steps: Step[]; shown: Violation | null }> {
  const earlier = before.filter((s) => s !== failing && stateful(s));
  const related = relatedSteps(before, failing);
  const candidates = [[failing], related, [...earlier, failing]];
  let best: Step[] | null = null;
  let shown: Violation | null = null;
  for (const c of candidates) {
    if (Date.now() > deadline) break;
    shown = await reproduces(runner, seed, c, category);
    if (shown) { best = c; break; }
  }
  if (!best) return { steps: related, shown: null };
  let cur: Step[] = best;
  for (let chunk = Math.max(1, Math.floor((cur.length - 1) / 2)); chunk >= 1 && Date.now() < deadline; chunk = chunk === 1 ? 0 : Math.max(1, Math.floor(chunk / 2))) {
    for (let i = 0; i < cur.length - 1 && Date.now() < deadline;) {
      const trial: Step[] = [...cur.slice(0, i), ...cur.slice(Math.min(i + chunk, cur.length - 1))];
      const found = await reproduces(runner, seed, trial, category);
      if (found) { cur = trial; shown = found; } else i += chunk;
    }
  }
  log(`  shrunk "${category}" to ${cur.length} step(s)`);
  return { steps: cur, shown };
}

export function formatReport(r: RunSummary): string {
  const lines = [`property: seed=${r.seed} steps=${r.steps} writes=${r.writes} reads=${r.reads} checks=${r.checks} seconds=${r.seconds.toFixed(1)} violations=${r.violations.length} distinct=${r.reports.length}`];
  for (const rep of r.reports) {
    lines.push('', `✗ ${rep.category}  (${rep.count}×; first at step ${rep.first.step.n})`, `  ${rep.first.message}`,
      rep.replayShows ? `  replay (PROPERTY_SEED=${r.seed}; after setup step #0, the four sources by ADMIN/RED) shows: ${rep.replayShows}`
        : `  steps touching the same ids (not confirmed by a replay; PROPERTY_SEED=${r.seed}, after setup step #0):`);
    for (const s of rep.replay) lines.push(`    ${describeStep(s)}`);
  }
  return lines.join('\n');
}
