// The gazetteer: every name and alias of the entities a caller may see, in every script they are
// written in, found in a sentence by their folded word forms (tokens.ts). A name matches exactly
// (all its words, in order) or, when it has two words or more that carry meaning, loosely: most
// of those words within a short window ("the network of a compromised Saudi insurance company"
// for "Network of a Saudi insurance company"). A year a name holds is not required, but a
// different year in the sentence rules it out.
import { stemmer } from 'stemmer';
import type { EntityKind } from '../../model/model.js';
import { STOPWORDS, tokenize, type Token } from './tokens.js';

export interface GazetteerEntity {
  id: string; kind: EntityKind; name: string; aliases?: readonly string[] | null;
  /** A host's address: an observable with this value is this entity. */
  value?: string | null;
  /** A source's author(s) (';'-separated) and publisher: who a reported statement comes from. */
  author?: string | null;
  publisher?: string | null;
}

interface Entry {
  entity: GazetteerEntity;
  surface: string;
  tokens: Token[];
  /** Indexes of the words that carry meaning (not stopwords, not years). */
  content: number[];
  years: string[];
}

export interface Match {
  entity: GazetteerEntity;
  /** The name or alias that matched. */
  surface: string;
  /** First and last token index in the sentence. */
  from: number;
  to: number;
  /** 1 for an exact match; the share of the name's words found for a loose one. */
  score: number;
  exact: boolean;
}

const YEAR = /^(1[89]|20)\d\d$/;
const MIN_LOOSE = 0.6;
/** Most words a loose match may skip between two of the name's. */
const MAX_GAP = 4;

const intersects = (a: readonly string[], b: readonly string[]) => a.some((x) => b.includes(x));
/** Loose matches also take a Latin word whose stem begins with the other's (threat / threaten), five letters or more. */
const samePrefix = (a: Token, b: Token) => {
  const [x, y] = [stemmer(a.key), stemmer(b.key)];
  if (!/^[a-z]/.test(x) || !/^[a-z]/.test(y)) return false;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  return short.length >= 5 && long.startsWith(short);
};

export class Gazetteer {
  private readonly entries: Entry[] = [];
  /** Entries by each form of each of their words. */
  private readonly byForm = new Map<string, Entry[]>();

  constructor(entities: Iterable<GazetteerEntity>) {
    for (const e of entities) {
      if (e.kind === 'SOURCE') continue; // sources are cited, not named in the text as actors
      const surfaces = new Set([e.name, ...(e.aliases ?? [])]);
      for (const s of surfaces) this.add(e, s.replace(/\s*\([^)]*\)\s*$/, '').trim() || s);
    }
  }

  get size(): number { return this.entries.length; }

  private add(entity: GazetteerEntity, surface: string): void {
    const tokens = tokenize(surface);
    if (tokens.length === 0) return;
    const content = tokens.flatMap((t, i) => (STOPWORDS.has(t.key) || YEAR.test(t.key) ? [] : [i]));
    const entry: Entry = { entity, surface, tokens, content, years: tokens.filter((t) => YEAR.test(t.key)).map((t) => t.key) };
    this.entries.push(entry);
    for (const t of tokens) {
      for (const f of t.forms) {
        const list = this.byForm.get(f) ?? [];
        if (!list.includes(entry)) list.push(entry);
        this.byForm.set(f, list);
      }
    }
  }

  /** Every match in a sentence, overlapping ones included (see `resolve`). */
  find(sentence: Token[], contextYear: string | null): Match[] {
    const candidates = new Set<Entry>();
    for (const t of sentence) for (const f of t.forms) for (const e of this.byForm.get(f) ?? []) candidates.add(e);
    const yearsHere = sentence.map((t) => t.key).filter((k) => YEAR.test(k));
    const out: Match[] = [];
    for (const e of candidates) {
      // A different year in the sentence rules a dated name out.
      if (e.years.length && yearsHere.length && !e.years.some((y) => yearsHere.includes(y))) continue;
      const exact = this.exactMatches(e, sentence);
      out.push(...exact);
      if (exact.length === 0 && e.content.length >= 2) {
        const loose = this.looseMatch(e, sentence, yearsHere);
        // Without a year in the sentence, the report's own year breaks ties between dated names.
        if (loose && !yearsHere.length && contextYear && e.years.includes(contextYear)) loose.score += 0.001;
        if (loose) out.push(loose);
      }
    }
    return out;
  }

  private exactMatches(e: Entry, s: Token[]): Match[] {
    const out: Match[] = [];
    const n = e.tokens.length;
    // A one-word name of a single letter or two (e.g. "A") is too weak to stand alone.
    if (n === 1 && e.tokens[0].key.length < 2) return out;
    for (let i = 0; i + n <= s.length; i++) {
      let ok = true;
      for (let j = 0; j < n && ok; j++) ok = intersects(e.tokens[j].forms, s[i + j].forms);
      // A one-word Latin name matches by its key or stem only, not by a demonym's place form,
      // unless the entity is a place or a state ("Iranian" names Iran; "Russian" is no person).
      if (ok && n === 1 && !['STATE_ACTOR', 'LOCATION'].includes(e.entity.kind)) {
        ok = e.tokens[0].forms.filter((f) => !f.startsWith('place:')).some((f) => s[i].forms.includes(f));
      }
      if (ok) out.push({ entity: e.entity, surface: e.surface, from: i, to: i + n - 1, score: 1, exact: true });
    }
    return out;
  }

  private looseMatch(e: Entry, s: Token[], yearsHere: string[]): Match | null {
    const words = e.content.map((i) => e.tokens[i]);
    const denominator = words.length + e.years.filter((y) => yearsHere.includes(y)).length;
    let best: Match | null = null;
    for (let i = 0; i < s.length; i++) {
      if (!words.some((w) => intersects(w.forms, s[i].forms))) continue;
      const used = new Set<number>();
      let last = i;
      let k = i;
      for (; k < s.length && k - last <= MAX_GAP + 1; k++) {
        const w = words.findIndex((x, wi) => !used.has(wi) && (intersects(x.forms, s[k].forms) || samePrefix(x, s[k])));
        if (w >= 0) { used.add(w); last = k; } else if (e.years.includes(s[k].key)) last = k;
      }
      const yearHits = e.years.filter((y) => s.slice(i, last + 1).some((t) => t.key === y)).length;
      const score = (used.size + yearHits) / denominator;
      if (used.size >= 2 && score >= MIN_LOOSE && (!best || score > best.score)) {
        best = { entity: e.entity, surface: e.surface, from: i, to: last, score: Math.round(score * 100) / 100, exact: false };
      }
    }
    return best;
  }
}

const PLACES: readonly EntityKind[] = ['STATE_ACTOR', 'LOCATION'];

/**
 * The matches kept: per entity its best; an exact match inside a longer exact match of another
 * entity goes (unless it names a place or state: "Iranian hackers" names Iran too); a loose
 * match whose words another entity's exact match covers goes. Among matches of the same span,
 * the highest score wins, then the one whose years fit the report.
 */
export function resolve(matches: Match[]): Match[] {
  const sorted = [...matches].sort((a, b) => Number(b.exact) - Number(a.exact) || b.score - a.score || (b.to - b.from) - (a.to - a.from));
  const kept: Match[] = [];
  for (const m of sorted) {
    if (kept.some((k) => k.entity.id === m.entity.id && k.from <= m.to && m.from <= k.to)) continue;
    if (m.exact && !PLACES.includes(m.entity.kind) &&
      kept.some((k) => k.exact && k.entity.id !== m.entity.id && k.from <= m.from && m.to <= k.to && (k.to - k.from) > (m.to - m.from))) continue;
    if (!m.exact && kept.some((k) => k.exact && k.from <= m.from && m.to <= k.to)) continue;
    // Two loose matches of different entities on the same words: the better one only.
    if (!m.exact && kept.some((k) => !k.exact && k.from === m.from && k.to === m.to && k.score > m.score)) continue;
    kept.push(m);
  }
  return kept.sort((a, b) => a.from - b.from);
}
