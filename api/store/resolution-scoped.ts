// Candidates for a set of entities only (import --resolve, docs/resolution.md "On import"): the
// imported records are compared against the graph through their blocking keys with indexed
// lookups — external ids (full-text `entity_ids`), names and aliases (`entity_name_key`, and
// `entity_search` for aliases), observables (full-text `entity_observables` over names, aliases
// and the observable fields) — never by reading every entity of a kind. What a lookup finds is a
// superset; the same block pairing as mergeCandidates then decides, keeping only pairs that
// touch an imported entity. Fuzzy-only matches are left to mergeCandidates.
import type { EntityKind, Tlp } from '../../model/model.js';
import { searchKey } from '../../core/validate.js';
import type { Executor } from './executor.js';
import { visibleTlps } from './filter.js';
import { finishCandidates, keysOf, pairWithinBlocks, ROW_FIELDS, type Candidate, type PairMap, type Row } from './resolution-candidates.js';

/** Ids per lookup query. */
const CHUNK = 500;
/** Phrases per full-text query: each counts once per field of the index, and Lucene allows 1,024 clauses. */
const PHRASES = 100;
/** Rows a single key may bring back: a key matching more is generic (the exact block cap). */
const PER_KEY = 200;

/** A Lucene phrase: quotes and backslashes escaped. */
const phrase = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/**
 * The texts that find an observable however it was written: the value itself (one token for the
 * standard analyzer: jgtm.org, 1.2.3.4), with www., and split at punctuation (jgtm[.]org and
 * hxxp://www[.]jgtm[.]org tokenise to jgtm, org).
 */
export function observableQueries(key: string): string[] {
  const [type, value] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
  const host = type === 'url' ? value.split('/')[0] : value;
  const out = new Set<string>([host, host.replace(/[^\p{L}\p{N}]+/gu, ' ').trim()]);
  if (type === 'domain' || type === 'url') out.add(`www.${host}`);
  if (type === 'email') out.add(host.replace('@', ' at ').replace(/[^\p{L}\p{N}]+/gu, ' ').trim());
  return [...out].filter(Boolean);
}

async function rowsById(ex: Executor, ids: string[], tlps: Tlp[]): Promise<Row[]> {
  const out: Row[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    out.push(...await ex.read<Row>(
      `UNWIND $ids AS id MATCH (n:Entity {id: id}) WHERE n.tlp IN $tlps RETURN ${ROW_FIELDS}`, { ids: ids.slice(i, i + CHUNK), tlps }));
  }
  return out;
}

/** Graph entities sharing a blocking key with one of `rows`, by index lookups only. */
async function lookups(ex: Executor, rows: Row[], tlps: Tlp[]): Promise<Row[]> {
  const nameKeys = new Set<string>();
  const fulltext: Array<{ index: string; q: string }> = [];
  for (const r of rows) {
    const k = keysOf(r);
    for (const n of [r.name, ...(r.aliases ?? [])]) {
      const key = n ? searchKey(n) : '';
      if (!key) continue;
      nameKeys.add(key);
      fulltext.push({ index: 'entity_search', q: `aliasKeyText:${phrase(key)}` });
    }
    for (const x of k.ext) fulltext.push({ index: 'entity_ids', q: phrase(x) });
    for (const o of k.obs) for (const q of observableQueries(o)) fulltext.push({ index: 'entity_observables', q: phrase(q) });
  }
  const found = new Map<string, Row>();
  const keys = [...nameKeys];
  for (let i = 0; i < keys.length; i += CHUNK) {
    for (const r of await ex.read<Row>(
      `UNWIND $keys AS key MATCH (n:Entity) WHERE n.nameKey = key AND n.tlp IN $tlps RETURN ${ROW_FIELDS}`,
      { keys: keys.slice(i, i + CHUNK), tlps })) found.set(r.id, r);
  }
  // One Lucene query per index and chunk (phrases joined by OR): one index search, not one per key.
  const byIndex = new Map<string, string[]>();
  for (const f of fulltext) byIndex.set(f.index, [...new Set([...byIndex.get(f.index) ?? [], f.q])]);
  const searches: Array<{ index: string; q: string; limit: number }> = [];
  for (const [index, qs] of byIndex) {
    for (let i = 0; i < qs.length; i += PHRASES) {
      const chunk = qs.slice(i, i + PHRASES);
      searches.push({ index, q: chunk.join(' OR '), limit: PER_KEY * chunk.length });
    }
  }
  for (const f of searches) {
    for (const r of await ex.read<Row>(
      `CALL db.index.fulltext.queryNodes($index, $q, {limit: $limit}) YIELD node AS n
       WHERE n:Entity AND n.tlp IN $tlps
       RETURN ${ROW_FIELDS}`,
      { index: f.index, q: f.q, limit: f.limit, tlps })) found.set(r.id, r);
  }
  return [...found.values()];
}

/**
 * Candidate pairs with at least one entity of `ids`, within the caller's clearance, best first.
 * Work grows with the imported records and what their keys find, not with the graph.
 */
export async function candidatesFor(ex: Executor, ids: string[], opts: { minScore: number; clearance: Tlp }): Promise<Candidate[]> {
  const tlps = visibleTlps(opts.clearance);
  const own = await rowsById(ex, [...new Set(ids)], tlps);
  if (!own.length) return [];
  const all = new Map<string, Row>(own.map((r) => [r.id, r]));
  for (const r of await lookups(ex, own, tlps)) all.set(r.id, r);
  const byKind = new Map<EntityKind, Row[]>();
  for (const r of all.values()) byKind.set(r.kind, [...byKind.get(r.kind) ?? [], r]);
  const touching = new Set(own.map((r) => r.id));
  const pairs: PairMap = new Map();
  for (const [kind, rows] of byKind) pairWithinBlocks(rows, kind, pairs, touching);
  return finishCandidates(ex, [...pairs.values()], tlps, opts.minScore);
}
