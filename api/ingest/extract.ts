// From a report's paragraphs to a draft subgraph, offline: entities the graph already knows
// (gazetteer.ts), observables by pattern (observables.ts), new people, organisations and places
// named in English text (the `compromise` package), and links from sentences that hold two of
// them and a cue (cues.ts), typed within the model's allowed triples, with the sentence as quote.
// Pure: the caller supplies the gazetteer; nothing here reads or writes the graph.
import nlp from 'compromise';
import { stemmer } from 'stemmer';
import { tripleAllowed, type Assertion, type EntityKind, type LinkType } from '../../model/model.js';
import { COUNTRY_PAIR, CUES, DEFINITE_NOUN, GROUP_PRONOUN, NEGATION, REPORTED, TECHNIQUE_PHRASES } from './cues.js';
import { Gazetteer, resolve, type GazetteerEntity } from './gazetteer.js';
import { findObservables } from './observables.js';
import { splitSentences, type Paragraph } from './text.js';
import { foldKey, tokenize, type Token } from './tokens.js';

export interface Evidence { locator: string; quote: string }

export interface DraftEntity {
  /** The item's key in the draft: e1, e2 … */
  key: string;
  /** EXISTING: the graph holds it (entityId); NEW: proposed. */
  match: 'EXISTING' | 'NEW';
  entityId: string | null;
  kind: EntityKind;
  name: string;
  /** Kind-specific fields of a new entity (an observable's value, platform, pattern …). */
  fields: Record<string, unknown>;
  why: string;
  /** Where it is named: paragraph, the sentence, and the words. */
  mentions: (Evidence & { surface: string })[];
}

export interface DraftLink {
  key: string;
  type: LinkType;
  from: string;
  to: string;
  assertion: Assertion;
  confidence: number;
  why: string;
  evidence: Evidence[];
}

export interface Extraction { entities: DraftEntity[]; links: DraftLink[] }

export interface ExtractOptions {
  language?: string | null;
  /** The report's year: breaks ties between dated names ("… in the 2020 election" vs 2016). */
  year?: string | null;
  /** The report's own SOURCE: statements it relays become REPORTS links from it. */
  report?: { id: string; name: string } | null;
}

/** Confidence a proposed link gets: low, since a machine read one sentence. */
export const CONFIDENCE = { cueBetween: 40, cueNear: 30, structural: 25 } as const;
const NEAR = 8;
const NEGATION_REACH = 25;
const MAX_QUOTE = 2_000;

interface Mention { ref: string; from: number; to: number; kind: EntityKind; nestedIn?: string }

const ARABIC = /[\u0600-\u06ff]/;
/** Kinds a definite noun ("the emails") or a pronoun may stand for. */
const ANAPHORIC: readonly EntityKind[] = ['CAMPAIGN', 'DATA_ASSET', 'HOST', 'PERSONA', 'THREAT_GROUP'];

/** The stem of the last word of a name that carries meaning: "Spoofed voter-intimidation emails (2020)" → email. */
function headStem(name: string): string | null {
  const words = tokenize(name.replace(/\s*\([^)]*\)\s*$/, '')).filter((t) => /^[a-z]/.test(t.key));
  return words.length ? stemmer(words.at(-1)!.key) : null;
}

/** Whether a source's author or publisher names the entity (by its name or an alias). */
function speaks(source: GazetteerEntity, who: GazetteerEntity): boolean {
  const names = new Set([who.name, ...(who.aliases ?? [])].map(foldKey));
  return [source.author, source.publisher].flatMap((x) => (x ?? '').split(';')).map(foldKey).some((k) => k && names.has(k));
}

/** Token index of a character offset in a sentence. */
const tokenAt = (tokens: Token[], offset: number) => {
  const i = tokens.findIndex((t) => t.end > offset);
  return i < 0 ? tokens.length : i;
};

/** The tokens an observable's value covers in the (possibly defanged) sentence, when found. */
function spanOf(tokens: Token[], value: string): [number, number] | null {
  const words = value.toLowerCase().replace(/^[a-z]+:\/\/(?:www\.)?/, '').split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (!words.length) return null;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].raw.toLowerCase() !== words[0]) continue;
    let j = 1;
    while (j < words.length && i + j < tokens.length && tokens[i + j].raw.toLowerCase() === words[j]) j++;
    return [i, i + j - 1];
  }
  return null;
}

function cueHits(text: string, tokens: Token[], arabic: boolean): { type: LinkType; at: number; word: string }[] {
  const out: { type: LinkType; at: number; word: string }[] = [];
  for (const c of CUES) {
    const re = arabic && c.ar ? c.ar : c.en;
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) out.push({ type: c.type, at: tokenAt(tokens, m.index), word: m[0] });
  }
  return out;
}

function negations(text: string, tokens: Token[], arabic: boolean): number[] {
  const re = arabic ? NEGATION.ar : NEGATION.en;
  return [...text.matchAll(re)].map((m) => tokenAt(tokens, m.index + (m[0].startsWith(' ') ? 1 : 0)));
}

/** English people, organisations and places compromise finds (its own lexicon and rules). */
function namedByNlp(sentence: string): { text: string; kind: EntityKind }[] {
  const doc = nlp(sentence);
  const pick = (v: { out: (f: 'array') => unknown }, kind: EntityKind) => (v.out('array') as string[]).map((text) => ({ text, kind }));
  return [...pick(doc.people(), 'PERSON'), ...pick(doc.organizations(), 'ORGANIZATION'), ...pick(doc.places(), 'LOCATION')];
}

/** Cleans what compromise hands back: trailing punctuation and possessives, leading articles. */
const tidy = (s: string) => s.replace(/\s*\([^)]*\)/g, '').replace(/\s*\([^)]*$/, '').replace(/^[^(]*\)\s*/, '').replace(/[*_`]+/g, '').replace(/['’]s\b/g, '').replace(/^(?:the|a|an)\s+/i, '').replace(/[\s.,;:!?"“”'’()]+$/g, '').replace(/^["“'‘(]+/, '').trim();

export function extract(paragraphs: readonly Paragraph[], known: Iterable<GazetteerEntity>, opts: ExtractOptions = {}): Extraction {
  const knownList = [...known];
  const gazetteer = new Gazetteer(knownList);
  const byValue = new Map<string, GazetteerEntity>();
  for (const e of knownList) for (const n of [e.name, ...(e.aliases ?? [])]) byValue.set(n.trim().toLowerCase(), e);
  for (const e of knownList) if (e.value) byValue.set(e.value.toLowerCase(), e);

  const entities = new Map<string, DraftEntity>();
  const links = new Map<string, DraftLink>();
  const statesSeen: string[] = [];
  const year = opts.year ?? null;
  const heads = new Map(knownList.filter((e) => ANAPHORIC.includes(e.kind)).map((e) => [e.id, headStem(e.name)]));
  const sources = knownList.filter((e) => e.kind === 'SOURCE' && (e.author || e.publisher));
  /** Entity id → when it was last named: paragraph index and a running count. */
  const recent = new Map<string, { paragraph: number; order: number }>();
  let order = 0;
  let paragraphIndex = -1;
  const addLink = (l: Omit<DraftLink, 'key' | 'evidence'>, ev: Evidence) => {
    const id = `${l.from}|${l.type}|${l.to}|${l.assertion}`;
    const have = links.get(id);
    if (have) { if (!have.evidence.some((x) => x.locator === ev.locator && x.quote === ev.quote)) have.evidence.push(ev); return; }
    links.set(id, { key: `l${links.size + 1}`, ...l, evidence: [ev] });
  };

  const entityFor = (ref: string, make: () => Omit<DraftEntity, 'key' | 'mentions'>): DraftEntity => {
    let e = entities.get(ref);
    if (!e) { e = { key: `e${entities.size + 1}`, mentions: [], ...make() }; entities.set(ref, e); }
    return e;
  };
  const existing = (g: GazetteerEntity, why: string) => entityFor(`id:${g.id}`, () => ({ match: 'EXISTING', entityId: g.id, kind: g.kind, name: g.name, fields: {}, why }));
  const mention = (e: DraftEntity, ev: Evidence, surface: string) => {
    if (!e.mentions.some((m) => m.locator === ev.locator && m.surface === surface)) e.mentions.push({ ...ev, surface });
  };

  const report = opts.report ? entityFor(`id:${opts.report.id}`, () => ({ match: 'EXISTING', entityId: opts.report!.id, kind: 'SOURCE', name: opts.report!.name, fields: {}, why: 'the report itself' })) : null;

  for (const p of paragraphs) {
    paragraphIndex++;
    for (const s of splitSentences(p.text)) {
      const arabic = ARABIC.test(s.text) && (opts.language ?? 'ar') !== 'en';
      const tokens = tokenize(s.text);
      const ev: Evidence = { locator: p.locator, quote: s.text.slice(0, MAX_QUOTE) };
      const mentions: Mention[] = [];

      // 0. Observables first: where they stand, no name is read inside them ("news-iran.com" names no Iran).
      const observables = findObservables(s.text).map((o) => ({ o, span: spanOf(tokens, o.value) }));
      const inObservable = (from: number, to: number) => observables.some(({ span }) => span && span[0] <= from && to <= span[1]);
      // 1. Names the graph knows.
      const matches = resolve(gazetteer.find(tokens, year)).filter((m) => !inObservable(m.from, m.to));
      for (const m of matches) {
        const surface = s.text.slice(tokens[m.from].start, tokens[m.to].end);
        const e = existing(m.entity, m.exact ? `named: "${m.surface}"` : `named loosely: ${Math.round(m.score * 100)} % of the words of "${m.surface}"`);
        mention(e, ev, surface);
        if (m.entity.kind === 'STATE_ACTOR' && statesSeen.at(-1) !== m.entity.id) statesSeen.push(m.entity.id);
      }
      for (const m of matches) {
        const outer = ['STATE_ACTOR', 'LOCATION'].includes(m.entity.kind) ? matches.find((o) => o !== m && o.entity.id !== m.entity.id && o.from <= m.from && m.to <= o.to) : undefined;
        mentions.push({ ref: entities.get(`id:${m.entity.id}`)!.key, from: m.from, to: m.to, kind: m.entity.kind, nestedIn: outer ? entities.get(`id:${outer.entity.id}`)!.key : undefined });
      }
      // 2. "Both countries", "either country": the last two states named before.
      const pairRe = arabic ? COUNTRY_PAIR.ar : COUNTRY_PAIR.en;
      for (const m of s.text.matchAll(pairRe)) {
        const distinct = [...new Set([...statesSeen].reverse())].slice(0, 2);
        if (distinct.length < 2) continue;
        const at = tokenAt(tokens, m.index);
        for (const id of distinct) {
          const g = knownList.find((k) => k.id === id)!;
          const e = existing(g, `named: "${g.name}"`);
          mention(e, ev, m[0]);
          mentions.push({ ref: e.key, from: at, to: at, kind: g.kind });
        }
      }
      // 2b. "The emails", "they": an entity named just before (this paragraph or the last) by a name ending in that noun.
      const here = () => new Set(mentions.map((x) => [...entities.values()].find((e) => e.key === x.ref)?.entityId));
      const lastNamed = (ok: (id: string) => boolean) => [...recent.entries()]
        .filter(([id, r]) => r.paragraph >= paragraphIndex - 1 && ok(id) && !here().has(id))
        .sort((a, b) => b[1].order - a[1].order)[0]?.[0];
      if (!arabic) {
        for (const m of s.text.matchAll(DEFINITE_NOUN)) {
          const stem = stemmer(m[1].toLowerCase());
          const id = lastNamed((x) => heads.get(x) === stem);
          const at = tokenAt(tokens, m.index);
          if (!id || mentions.some((x) => x.from <= at + 1 && at + 1 <= x.to)) continue;
          const g = knownList.find((k) => k.id === id)!;
          const e = existing(g, `named: "${g.name}"`);
          mention(e, ev, m[0]);
          mentions.push({ ref: e.key, from: at + 1, to: at + 1, kind: g.kind });
        }
        for (const m of s.text.matchAll(GROUP_PRONOUN)) {
          const id = lastNamed((x) => knownList.find((k) => k.id === x)?.kind === 'THREAT_GROUP');
          if (!id) continue;
          const g = knownList.find((k) => k.id === id)!;
          const e = existing(g, `named: "${g.name}"`);
          mention(e, ev, m[0]);
          const at = tokenAt(tokens, m.index);
          mentions.push({ ref: e.key, from: at, to: at, kind: g.kind });
        }
        // 2c. Everyday phrasing of a technique the graph holds ("routed … through" → Proxy).
        for (const t of TECHNIQUE_PHRASES) {
          const g = knownList.find((k) => k.kind === 'TECHNIQUE' && foldKey(k.name) === foldKey(t.name));
          const m = g ? [...s.text.matchAll(t.en)][0] : undefined;
          if (!g || !m) continue;
          const e = existing(g, `described: "${m[0]}"`);
          mention(e, ev, m[0]);
          if (!mentions.some((x) => x.ref === e.key)) { const at = tokenAt(tokens, m.index); mentions.push({ ref: e.key, from: at, to: at, kind: g.kind }); }
        }
      }
      // 2d. "X said", "according to an analysis by X": X's statement is a source the report relays.
      if ((arabic ? REPORTED.ar : REPORTED.en).test(s.text)) {
        (arabic ? REPORTED.ar : REPORTED.en).lastIndex = 0;
        const speakers = mentions.map((x) => [...entities.values()].find((e) => e.key === x.ref)!).filter((e) => e.kind === 'PERSON' || e.kind === 'ORGANIZATION');
        for (const src of sources) {
          const said = speakers.filter((sp) => speaks(src, knownList.find((k) => k.id === sp.entityId)!));
          if (!said.length) continue;
          const se = existing(src, `its author or publisher speaks here (${said.map((x) => x.name).join(', ')})`);
          mention(se, ev, said[0].name);
          for (const sp of said) addLink({ type: 'AUTHORED_BY', from: se.key, to: sp.key, assertion: 'AFFIRMED', confidence: CONFIDENCE.cueNear, why: `${sp.name} speaks in the sentence and is named by "${src.name}" as its author or publisher` }, ev);
          if (report) addLink({ type: 'REPORTS', from: report.key, to: se.key, assertion: 'AFFIRMED', confidence: CONFIDENCE.cueNear, why: `the report relays what ${said.map((x) => x.name).join(', ')} said` }, ev);
        }
      }
      // 3. Observables.
      for (const { o, span } of observables) {
        const g = byValue.get(o.value.toLowerCase());
        const e = g ? existing(g, `${o.type} ${o.value} is in the graph`)
          : entityFor(`obs:${o.type}:${o.value.toLowerCase()}`, () => ({ match: 'NEW', entityId: null, kind: o.kind, name: o.value, fields: o.fields, why: `${o.type} found by pattern` }));
        mention(e, ev, o.value);
        if (!mentions.some((x) => x.ref === e.key)) mentions.push({ ref: e.key, from: span?.[0] ?? -1, to: span?.[1] ?? -1, kind: e.kind });
      }
      // 4. New names (English only: compromise reads English).
      if (!arabic && (opts.language ?? 'en').startsWith('en')) {
        const covered = new Set(matches.flatMap((m) => tokens.slice(m.from, m.to + 1).map((t) => t.key)));
        for (const n of namedByNlp(s.text)) {
          const name = tidy(n.text);
          const words = tokenize(name);
          if (words.length === 0 || name.length < 3 || words.every((w) => covered.has(w.key))) continue;
          const g = byValue.get(name.toLowerCase());
          const e = g ? existing(g, `named: "${name}"`)
            : entityFor(`new:${n.kind}:${foldKey(name)}`, () => ({ match: 'NEW', entityId: null, kind: n.kind, name, fields: {}, why: `a ${n.kind.toLowerCase()} name the graph does not hold (compromise)` }));
          mention(e, ev, name);
          const at = tokenAt(tokens, Math.max(0, s.text.indexOf(words[0].raw)));
          if (!mentions.some((x) => x.ref === e.key)) mentions.push({ ref: e.key, from: at, to: at + words.length - 1, kind: e.kind });
        }
      }

      // 5. Links between two of them.
      const cues = cueHits(s.text, tokens, arabic);
      const negs = negations(s.text, tokens, arabic);
      const keyOfRef = new Map([...entities.values()].map((e) => [e.key, e]));
      for (const x of mentions) { const id = keyOfRef.get(x.ref)?.entityId; if (id) recent.set(id, { paragraph: paragraphIndex, order: order++ }); }
      for (let i = 0; i < mentions.length; i++) {
        for (let j = i + 1; j < mentions.length; j++) {
          const a = mentions[i];
          const b = mentions[j];
          if (a.ref === b.ref) continue;
          for (const proposal of propose(a, b, cues, negs, keyOfRef)) addLink(proposal, ev);
        }
      }
    }
  }
  return { entities: [...entities.values()], links: [...links.values()] };
}

type Proposal = Omit<DraftLink, 'key' | 'evidence'>;

/** Kinds a cue of that type does not start from in prose (a technique "targets" no one in a news report). */
const UNLIKELY_FROM: Partial<Record<LinkType, readonly EntityKind[]>> = { TARGETS: ['TECHNIQUE', 'MALWARE', 'TOOL', 'INDICATOR'] };

/** The links two mentions may stand in: the best-placed cue of each type that fits their kinds. */
function propose(a: Mention, b: Mention, cues: ReturnType<typeof cueHits>, negs: number[], byKey: Map<string, DraftEntity>): Proposal[] {
  const [first, second] = a.from <= b.from ? [a, b] : [b, a];
  const oriented = (type: LinkType): [Mention, Mention] | null => {
    if (tripleAllowed(first.kind, type, second.kind)) return [first, second];
    if (tripleAllowed(second.kind, type, first.kind)) return [second, first];
    return null;
  };
  const nameOf = (m: Mention) => byKey.get(m.ref)?.name ?? m.ref;
  // A state named inside another name ("Iranian hackers"): who it is attributed to or based in.
  const nested = a.nestedIn === b.ref ? [b, a] : b.nestedIn === a.ref ? [a, b] : null;
  const negatedAt = (at: number) => negs.some((n) => n <= at && at - n <= NEGATION_REACH);
  const best = new Map<LinkType, Proposal & { rank: number }>();
  const overlap = first.from >= 0 && second.from >= 0 && first.to >= second.from;
  if (first.from >= 0 && second.from >= 0 && !overlap) {
    for (const c of cues) {
      const ends = oriented(c.type);
      if (!ends || UNLIKELY_FROM[c.type]?.includes(ends[0].kind)) continue;
      const between = c.at > first.to && c.at < second.from;
      const distance = between ? 0 : Math.min(Math.abs(c.at - first.from), Math.abs(c.at - second.to), Math.abs(c.at - first.to), Math.abs(c.at - second.from));
      if (!between && distance > NEAR) continue;
      // Affiliation reads the nearest organisation after a person ("Ratcliffe, the Director of National Intelligence").
      if (c.type === 'AFFILIATED_WITH' && (second.from - first.to > NEAR || first.kind !== 'PERSON')) continue;
      const rank = between ? 1_000 - (second.from - first.to) : 500 - distance;
      if ((best.get(c.type)?.rank ?? -Infinity) >= rank) continue;
      const negated = negatedAt(c.at);
      best.set(c.type, {
        rank, type: c.type, from: ends[0].ref, to: ends[1].ref, assertion: negated ? 'NEGATED' : 'AFFIRMED',
        confidence: between ? CONFIDENCE.cueBetween : CONFIDENCE.cueNear,
        why: `cue "${c.word}" ${between ? 'between' : 'near'} ${nameOf(ends[0])} and ${nameOf(ends[1])}${negated ? ', denied ("no sign", "did not" …)' : ''}; ${ends[0].kind} -[${c.type}]-> ${ends[1].kind} is allowed`,
      });
    }
  }
  const out: Proposal[] = [...best.values()].map(({ rank: _rank, ...p }) => p);
  if (nested) {
    const [outer, inner] = nested;
    const type = (['ATTRIBUTED_TO', 'LOCATED_IN'] as const).find((t) => tripleAllowed(outer.kind, t, inner.kind));
    if (type && !best.has(type)) out.push({ type, from: outer.ref, to: inner.ref, assertion: 'AFFIRMED', confidence: CONFIDENCE.structural, why: `the name "${nameOf(outer)}" holds ${nameOf(inner)}` });
  } else if (!overlap && cues.length && !best.has('ATTRIBUTED_TO')) {
    // An actor and an operation or persona in one sentence that says something of them: who is behind it.
    const ends = oriented('ATTRIBUTED_TO');
    if (ends && (ends[1].kind === 'STATE_ACTOR' ? ends[0].kind !== 'THREAT_GROUP' : ends[0].kind === 'CAMPAIGN') && first.from >= 0) {
      out.push({ type: 'ATTRIBUTED_TO', from: ends[0].ref, to: ends[1].ref, assertion: 'AFFIRMED', confidence: CONFIDENCE.structural, why: `${nameOf(ends[1])} and ${nameOf(ends[0])} in one sentence with a cue; ${ends[0].kind} -[ATTRIBUTED_TO]-> ${ends[1].kind} is allowed` });
    }
  }
  return out;
}
