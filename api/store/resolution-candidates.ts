// Merge candidates: pairs of visible entities of one kind that are probably the same, each with a
// score and its reasons. Blocking keeps it sub-quadratic: entities are compared only within a
// block (same external id, same normalised name or alias, same observable, or a shared name word
// or prefix for fuzzy matching), and oversized fuzzy blocks are dropped (docs/resolution.md).
import { ENTITY_KINDS, type EntityKind, type Tlp } from '../../model/model.js';
import type { Executor } from './executor.js';
import { visibleTlps } from './filter.js';
import { digitsOf, fuzzyBlocks, observableKey, resolveKey, similarity } from './resolution-keys.js';
import { judgedPairs, pairKey, type Verdict } from './resolution-judgements.js';

export type ReasonKind = 'EXTERNAL_ID' | 'NAME' | 'ALIAS' | 'OBSERVABLE' | 'FUZZY_NAME' | 'SHARED_NEIGHBOURS';
export interface Reason { kind: ReasonKind; detail: string; score: number }
export interface Candidate { a: string; b: string; kind: EntityKind; score: number; reasons: Reason[]; judgement: Verdict | null }

/** How much each reason alone says two entities are one (combined as independent evidence). */
export const REASON_WEIGHT = { EXTERNAL_ID: 0.95, OBSERVABLE: 0.9, NAME: 0.85, ALIAS: 0.75, FUZZY_NAME: 0.7, SHARED_NEIGHBOURS: 0.3 } as const;
/** Jaro-Winkler similarity below which two names are not a fuzzy match. */
export const FUZZY_MIN = 0.9;
/** A fuzzy block holding more entities than this is too common a word to compare within. */
export const FUZZY_BLOCK_CAP = 40;
/** An exact block (name, alias, observable) larger than this is a generic name, not an identity. */
export const EXACT_BLOCK_CAP = 200;
/** Kinds whose names are identifiers (domains, handles): compared exactly, never fuzzily. */
const IDENTIFIER_KINDS = new Set<EntityKind>(['HOST', 'PERSONA', 'INDICATOR']);
/** Fields that hold observables. */
const OBSERVABLE_FIELDS = ['value', 'handle', 'url', 'email'] as const;

export interface Row {
  id: string; kind: EntityKind; name: string; aliases: string[] | null; externalIds: string[] | null;
  value: string | null; handle: string | null; url: string | null; email: string | null;
}

interface Keys { nameKey: string; aliasKeys: string[]; ext: string[]; obs: string[] }

export function keysOf(r: Row): Keys {
  const nameKey = resolveKey(r.name ?? '');
  const aliasKeys = [...new Set((r.aliases ?? []).map(resolveKey).filter((k) => k && k !== nameKey))];
  const ext = [...new Set((r.externalIds ?? []).map((x) => x.trim().toLowerCase()).filter(Boolean))];
  const obsSources: Array<string | null> = OBSERVABLE_FIELDS.map((f) => r[f]);
  if (IDENTIFIER_KINDS.has(r.kind)) obsSources.push(r.name, ...(r.aliases ?? []));
  // A source's url is where it was read, not what it is: two reports on one site are not one.
  const obs = r.kind === 'SOURCE' ? [] : [...new Set(obsSources.map(observableKey).filter((k): k is string => !!k))];
  return { nameKey, aliasKeys, ext, obs };
}

/** Independent evidence: 1 − Π(1 − wᵢ). */
const combine = (reasons: Reason[]) => 1 - reasons.reduce((p, r) => p * (1 - r.score), 1);
/** External ids of one catalogue (G0059, T1566 …) that differ say the two are different things. */
const prefixOf = (x: string) => /^[a-z]+/.exec(x)?.[0] ?? '';

export interface CandidateOptions { kind?: EntityKind | null; minScore: number; clearance: Tlp }

/**
 * Every candidate pair at or above `minScore`, best first (then by ids), within the caller's
 * clearance: only visible entities are read, and shared neighbours count only visible ones.
 * Pairs judged DIFFERENT are left out; merged entities are no longer entities.
 */
export async function mergeCandidates(ex: Executor, opts: CandidateOptions): Promise<Candidate[]> {
  const tlps = visibleTlps(opts.clearance);
  const kinds = opts.kind ? [opts.kind] : [...ENTITY_KINDS];
  const pairs: PairMap = new Map();
  for (const kind of kinds) {
    const rows = await ex.read<Row>(
      `MATCH (n:Entity) WHERE n.kind = $kind AND n.tlp IN $tlps RETURN ${ROW_FIELDS}`, { kind, tlps });
    pairWithinBlocks(rows, kind, pairs);
  }
  return finishCandidates(ex, [...pairs.values()], tlps, opts.minScore);
}

/** What mergeCandidates reads of an entity. */
export const ROW_FIELDS = `n.id AS id, n.kind AS kind, n.name AS name, n.aliases AS aliases, n.externalIds AS externalIds,
  n.value AS value, n.handle AS handle, n.url AS url, n.email AS email`;

type Pair = { a: string; b: string; kind: EntityKind; reasons: Map<ReasonKind, Reason> };
export type PairMap = Map<string, Pair>;

/**
 * Pairs the rows of one kind within their blocks into `pairs`. With `touching`, only pairs with
 * at least one entity in it are kept (import --resolve: the imported records against the graph).
 */
export function pairWithinBlocks(rows: Row[], kind: EntityKind, pairs: PairMap, touching?: Set<string>): void {
  if (rows.length < 2) return;
  const add = (x: string, y: string, reason: Reason) => {
    if (touching && !touching.has(x) && !touching.has(y)) return;
    const [a, b] = x < y ? [x, y] : [y, x];
    const key = pairKey(a, b);
    let p = pairs.get(key);
    if (!p) pairs.set(key, p = { a, b, kind, reasons: new Map() });
    const had = p.reasons.get(reason.kind);
    if (!had || had.score < reason.score) p.reasons.set(reason.kind, reason);
  };
  const keys = new Map(rows.map((r) => [r.id, keysOf(r)]));
  const blocks = new Map<string, string[]>();
  const put = (block: string, id: string) => {
    const list = blocks.get(block);
    if (!list) blocks.set(block, [id]);
    else if (list.at(-1) !== id) list.push(id);
  };
  for (const r of rows) {
    const k = keys.get(r.id)!;
    for (const x of k.ext) put(`x\u0000${x}`, r.id);
    for (const o of k.obs) put(`o\u0000${o}`, r.id);
    if (k.nameKey) put(`n\u0000${k.nameKey}`, r.id);
    for (const a of k.aliasKeys) put(`n\u0000${a}`, r.id);
    if (!IDENTIFIER_KINDS.has(kind) && k.nameKey) for (const f of fuzzyBlocks(k.nameKey)) put(`f\u0000${f}`, r.id);
  }
  for (const [block, ids] of blocks) {
    if (ids.length < 2) continue;
    const [type, value] = block.split('\u0000');
    if (ids.length > (type === 'f' ? FUZZY_BLOCK_CAP : EXACT_BLOCK_CAP) && type !== 'x') continue;
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const ka = keys.get(ids[i])!, kb = keys.get(ids[j])!;
        if (type === 'x') add(ids[i], ids[j], { kind: 'EXTERNAL_ID', detail: value.toUpperCase(), score: REASON_WEIGHT.EXTERNAL_ID });
        else if (type === 'o') add(ids[i], ids[j], { kind: 'OBSERVABLE', detail: value, score: REASON_WEIGHT.OBSERVABLE });
        else if (type === 'n') {
          const both = ka.nameKey === value && kb.nameKey === value;
          add(ids[i], ids[j], both
            ? { kind: 'NAME', detail: value, score: REASON_WEIGHT.NAME }
            : { kind: 'ALIAS', detail: value, score: REASON_WEIGHT.ALIAS });
        } else {
          // Same number of words and the same digits: "Fancy Bear" is not "Fancy Bears Hack Team", APT33 not APT34.
          if (ka.nameKey === kb.nameKey || digitsOf(ka.nameKey) !== digitsOf(kb.nameKey)
            || ka.nameKey.split(' ').length !== kb.nameKey.split(' ').length) continue;
          const sim = similarity(ka.nameKey, kb.nameKey);
          if (sim >= FUZZY_MIN) add(ids[i], ids[j], { kind: 'FUZZY_NAME', detail: `${sim.toFixed(3)} (Jaro-Winkler)`, score: REASON_WEIGHT.FUZZY_NAME * sim });
        }
      }
    }
  }
  // Conflicting catalogue ids (G0064 vs G0059) veto a pair that only names suggest.
  for (const p of pairs.values()) {
    if (p.kind !== kind || p.reasons.has('EXTERNAL_ID') || p.reasons.has('OBSERVABLE')) continue;
    const ka = keys.get(p.a), kb = keys.get(p.b);
    if (!ka || !kb) continue;
    const ea = ka.ext, eb = kb.ext;
    if (ea.some((x) => eb.some((y) => prefixOf(x) === prefixOf(y) && x !== y)) && !ea.some((x) => eb.includes(x))) {
      pairs.delete(pairKey(p.a, p.b));
    }
  }
}

/** Shared neighbours and judgements added; DIFFERENT pairs and those below minScore left out; best first. */
export async function finishCandidates(ex: Executor, list: Pair[], tlps: Tlp[], minScore: number): Promise<Candidate[]> {
  await addSharedNeighbours(ex, list, tlps);
  const judged = await judgedPairs(ex, list.map((p) => pairKey(p.a, p.b)));
  return list
    .map((p) => {
      const reasons = [...p.reasons.values()].sort((x, y) => y.score - x.score);
      return { a: p.a, b: p.b, kind: p.kind, reasons, score: Math.round(combine(reasons) * 1000) / 1000, judgement: judged.get(pairKey(p.a, p.b)) ?? null };
    })
    .filter((c) => c.judgement !== 'DIFFERENT' && c.score >= minScore)
    .sort((x, y) => y.score - x.score || (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
}

/** Neighbours both entities link to (visible ones, through visible links): one query for all pairs. */
async function addSharedNeighbours(
  ex: Executor, list: Array<{ a: string; b: string; reasons: Map<ReasonKind, Reason> }>, tlps: Tlp[],
): Promise<void> {
  for (let i = 0; i < list.length; i += 2000) {
    const chunk = list.slice(i, i + 2000);
    const rows = await ex.read<{ i: number; shared: number }>(
      `UNWIND range(0, size($pairs) - 1) AS i
       MATCH (a:Entity {id: $pairs[i].a}) MATCH (b:Entity {id: $pairs[i].b})
       CALL (a, b) {
         MATCH (a)-[r]-(m:Entity) WHERE r.tlp IN $tlps AND m.tlp IN $tlps AND m <> b
           AND EXISTS { MATCH (m)-[s]-(b) WHERE s.tlp IN $tlps }
         RETURN count(DISTINCT m) AS shared
       }
       RETURN i, shared`,
      { pairs: chunk.map((p) => ({ a: p.a, b: p.b })), tlps });
    for (const r of rows) {
      if (r.shared > 0) {
        chunk[r.i].reasons.set('SHARED_NEIGHBOURS', {
          kind: 'SHARED_NEIGHBOURS', detail: `${r.shared} shared neighbour${r.shared === 1 ? '' : 's'}`,
          score: Math.min(REASON_WEIGHT.SHARED_NEIGHBOURS, 0.1 * r.shared),
        });
      }
    }
  }
}
