// A deterministic synthetic disinformation graph for load tests and benchmarks: few state actors,
// tens of groups, hundreds of campaigns, many personas and hosts with heavy-tailed degrees,
// sources cited on every link, mixed TLP and dates over years. Same seed, same records.
import { LINK_TYPE_NAMES, TLPS, tlpRank, tripleAllowed, type EntityKind, type LinkType, type Tlp } from '../model/model.js';
import type { GraphRecord } from '../api/store/bulk-load.js';
import { mulberry32 } from '../model/random.js';

export const SIZES = {
  XS: { nodes: 500, links: 2_500 },
  S: { nodes: 10_000, links: 50_000 },
  M: { nodes: 100_000, links: 500_000 },
  L: { nodes: 1_000_000, links: 5_000_000 },
} as const;
export type SizeName = keyof typeof SIZES;
export const isSizeName = (v: unknown): v is SizeName => typeof v === 'string' && v in SIZES;

export { mulberry32 };

/**
 * The kinds a synthetic graph holds: a fixed benchmark shape, so a kind added to the model does
 * not change the benchmark (nor need an edit here) until someone decides it should.
 */
export const SYNTHETIC_KINDS = [
  'STATE_ACTOR', 'THREAT_GROUP', 'CAMPAIGN', 'PERSONA', 'HOST', 'TARGET_GROUP',
  'ORGANIZATION', 'PERSON', 'NARRATIVE', 'TECHNIQUE', 'DATA_ASSET', 'SOURCE',
] as const satisfies readonly EntityKind[];
export type SyntheticKind = (typeof SYNTHETIC_KINDS)[number];

/** Entity counts per kind: the few (actors, groups, campaigns, techniques) are fixed-ish, the many are shares. */
export function kindCounts(size: SizeName): Record<SyntheticKind, number> {
  const n = SIZES[size].nodes;
  const fixed = {
    STATE_ACTOR: Math.min(12, Math.max(3, Math.round(Math.log10(n) * 2))),
    THREAT_GROUP: Math.min(80, Math.max(5, Math.round(Math.sqrt(n) / 4))),
    CAMPAIGN: Math.min(900, Math.max(20, Math.round(n / 100))),
    TECHNIQUE: Math.min(300, Math.max(10, Math.round(n / 200))),
  };
  const share = (f: number) => Math.round(n * f);
  const counts: Record<SyntheticKind, number> = {
    ...fixed,
    HOST: share(0.26), TARGET_GROUP: share(0.01), ORGANIZATION: share(0.05), PERSON: share(0.08),
    NARRATIVE: share(0.03), DATA_ASSET: share(0.02), SOURCE: share(0.05), PERSONA: 0,
  };
  counts.PERSONA = n - Object.values(counts).reduce((a, b) => a + b, 0);
  return counts;
}

const WORDS = ('amber anchor arrow ash atlas aurora basalt beacon birch bishop blue bolt bronze canyon cedar cinder '
  + 'cobalt comet coral crimson crow delta dune eagle echo ember falcon fern flint fox frost garnet ghost granite '
  + 'harbor hawk hazel heron indigo iron ivory jade juniper kestrel lantern lark linden lotus lynx maple marble '
  + 'meadow mercury mist monsoon nebula nickel nova oak obsidian onyx orbit osprey owl pearl pepper phoenix pine '
  + 'quartz quill raven reed ridge river ruby sable saffron sage scarlet shadow sierra silver slate sparrow spruce '
  + 'storm summit talon thistle thunder tiger timber topaz tundra umber valley velvet violet viper willow wolf zephyr').split(' ');
const COUNTRIES = ['RU', 'CN', 'IR', 'KP', 'BY', 'VE', 'SY', 'TR', 'SA', 'AE', 'EG', 'PK'];
const PLATFORMS = ['x', 'facebook', 'telegram', 'tiktok', 'youtube', 'vk', 'instagram', 'reddit', 'email'];
const HOST_TYPES = ['domain', 'ip', 'website', 'mail-server', 'network'];
const SECTORS = ['government', 'media', 'elections', 'energy', 'health', 'defense', 'education', 'finance'];
const DAY = 86_400_000;
const EPOCH = Date.UTC(2014, 0, 1);
const SPAN_DAYS = 12 * 365;

type Rng = () => number;
interface Ctx { rng: Rng; ids: Record<SyntheticKind, string[]>; windows: number[][]; sourceTlp: Tlp[] }

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
/** Index in [0, n) with a heavy tail towards 0: `skew` 1 is uniform, larger makes bigger hubs. */
const skewed = (rng: Rng, n: number, skew: number): number => Math.min(n - 1, Math.floor(n * rng() ** skew));
const words = (rng: Rng, k: number) => Array.from({ length: k }, () => pick(rng, WORDS));
const cap = (w: string) => w[0].toUpperCase() + w.slice(1);
const isoDay = (day: number) => new Date(EPOCH + day * DAY).toISOString().slice(0, 10);
const tlpOf = (rng: Rng): Tlp => { const u = rng(); return u < 0.6 ? 'CLEAR' : u < 0.85 ? 'GREEN' : u < 0.95 ? 'AMBER' : 'RED'; };

/** How hub-heavy each kind is when picked as a link end. */
const SKEW: Record<SyntheticKind, number> = {
  STATE_ACTOR: 1.5, THREAT_GROUP: 1.5, CAMPAIGN: 1.6, PERSONA: 1.8, HOST: 2.6, TARGET_GROUP: 1.5, ORGANIZATION: 2,
  PERSON: 2, NARRATIVE: 2, TECHNIQUE: 1.8, DATA_ASSET: 1.5, SOURCE: 2.2,
};

function entityFields(kind: SyntheticKind, i: number, c: Ctx): Record<string, unknown> {
  const { rng } = c;
  const w = words(rng, 3);
  switch (kind) {
    case 'STATE_ACTOR': return { name: `State ${COUNTRIES[i % COUNTRIES.length]}-${i}`, country: COUNTRIES[i % COUNTRIES.length] };
    case 'THREAT_GROUP': return { name: `${cap(w[0])} ${cap(w[1])} Group ${i}`, country: pick(rng, COUNTRIES) };
    case 'CAMPAIGN': {
      const start = Math.floor(rng() * (SPAN_DAYS - 60));
      const end = Math.min(SPAN_DAYS, start + 30 + Math.floor(rng() * 900));
      c.windows[i] = [start, end];
      return { name: `Operation ${cap(w[0])} ${cap(w[1])} ${i}`, firstSeen: isoDay(start), lastSeen: isoDay(end), objective: `Sway ${pick(rng, SECTORS)} audiences` };
    }
    case 'PERSONA': return { name: `${w[0]}_${w[1]}_${i}`, platform: pick(rng, PLATFORMS), handle: `@${w[0]}${w[1]}${i}`, personaType: rng() < 0.8 ? 'account' : 'front-outlet' };
    case 'HOST': {
      const hostType = pick(rng, HOST_TYPES);
      const value = hostType === 'ip' ? `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` : `${w[0]}-${w[1]}-${i}.example`;
      return { name: value, hostType, value, compromised: rng() < 0.15, country: pick(rng, COUNTRIES) };
    }
    case 'TARGET_GROUP': return { name: `${cap(pick(rng, SECTORS))} audience ${w[0]} ${i}`, sector: pick(rng, SECTORS), country: pick(rng, COUNTRIES) };
    case 'ORGANIZATION': return { name: `${cap(w[0])} ${cap(w[1])} ${pick(rng, ['Institute', 'Media', 'Ministry', 'Foundation', 'News'])} ${i}`, sector: pick(rng, SECTORS) };
    case 'PERSON': return { name: `${cap(w[0])} ${cap(w[2])}son ${i}`, role: pick(rng, ['journalist', 'official', 'researcher', 'executive']) };
    case 'NARRATIVE': return { name: `Narrative: the ${w[0]} ${w[1]} ${w[2]} ${i}`, summary: `Claims that the ${w[0]} ${w[1]} is ${w[2]}` };
    case 'TECHNIQUE': return { name: `T${String(1000 + i)} ${cap(w[0])} ${w[1]}`, framework: i % 2 ? 'DISARM' : 'ATT&CK', externalId: `T${1000 + i}` };
    case 'DATA_ASSET': return { name: `${cap(w[0])} ${w[1]} records ${i}`, dataType: pick(rng, ['voter-rolls', 'emails', 'documents', 'credentials']), isPublic: rng() < 0.3 };
    case 'SOURCE': return {
      name: `Report ${cap(w[0])} ${cap(w[1])} ${i}`, publisher: `${cap(w[2])} Research`, url: `https://reports.example/${i}`,
      published: isoDay(Math.floor(rng() * SPAN_DAYS)), reliability: pick(rng, ['A', 'B', 'B', 'C', 'C', 'D']), sourceType: 'report',
    };
  }
}

/** (from kinds, type, to kinds, weight): the link mix; each entry must be allowed by the model. */
const LINK_MIX: Array<[SyntheticKind[], LinkType, SyntheticKind[], number]> = [
  [['CAMPAIGN'], 'USES', ['PERSONA'], 16], [['CAMPAIGN'], 'USES', ['HOST'], 12], [['PERSONA'], 'USES', ['HOST'], 8],
  [['CAMPAIGN'], 'USES', ['TECHNIQUE'], 3], [['PERSONA'], 'AMPLIFIES', ['NARRATIVE', 'PERSONA'], 12],
  [['HOST'], 'AMPLIFIES', ['NARRATIVE'], 4], [['CAMPAIGN', 'PERSONA'], 'PROMOTES', ['NARRATIVE'], 6],
  [['CAMPAIGN', 'PERSONA'], 'TARGETS', ['TARGET_GROUP', 'ORGANIZATION', 'PERSON'], 6],
  [['PERSONA', 'CAMPAIGN'], 'IMPERSONATES', ['ORGANIZATION', 'PERSON'], 2],
  [['PERSONA'], 'ATTRIBUTED_TO', ['THREAT_GROUP', 'STATE_ACTOR'], 4], [['CAMPAIGN'], 'ATTRIBUTED_TO', ['THREAT_GROUP', 'STATE_ACTOR'], 0.3],
  [['THREAT_GROUP', 'STATE_ACTOR'], 'OPERATES', ['HOST', 'PERSONA'], 4], [['CAMPAIGN', 'THREAT_GROUP'], 'COMPROMISED', ['HOST'], 2],
  [['CAMPAIGN'], 'TAMPERED_WITH', ['DATA_ASSET', 'HOST'], 0.5], [['CAMPAIGN', 'THREAT_GROUP'], 'OBTAINED', ['DATA_ASSET'], 1],
  [['PERSON'], 'AFFILIATED_WITH', ['ORGANIZATION'], 4], [['SOURCE'], 'AUTHORED_BY', ['ORGANIZATION', 'PERSON'], 2],
  [['SOURCE'], 'REPORTS', ['SOURCE'], 2], [['CAMPAIGN'], 'RELATED_TO', ['CAMPAIGN'], 0.3],
  [['HOST', 'ORGANIZATION', 'PERSON', 'THREAT_GROUP'], 'LOCATED_IN', ['STATE_ACTOR'], 4],
];
const MIX_TOTAL = LINK_MIX.reduce((s, m) => s + m[3], 0);

function linkFields(c: Ctx, fromKind: SyntheticKind, fromIndex: number, toKind: SyntheticKind, toIndex: number) {
  const { rng } = c;
  const win = fromKind === 'CAMPAIGN' ? c.windows[fromIndex] : toKind === 'CAMPAIGN' ? c.windows[toIndex] : undefined;
  let dates: { firstSeen?: string; lastSeen?: string } = {};
  if (rng() < 0.9) {
    const [lo, hi] = win ?? [0, SPAN_DAYS - 1];
    const start = lo + Math.floor(rng() * Math.max(1, hi - lo));
    dates = { firstSeen: isoDay(start), lastSeen: rng() < 0.7 ? isoDay(Math.min(hi, start + Math.floor(rng() * 400))) : undefined };
  }
  const u = rng();
  const sources = c.ids.SOURCE;
  const citations = Array.from({ length: 1 + (rng() < 0.3 ? 1 : 0) + (rng() < 0.1 ? 1 : 0) }, (_, k) => ({
    source: sources[skewed(rng, sources.length, SKEW.SOURCE)], locator: `p. ${1 + Math.floor(rng() * 80)}`, quote: k === 0 && rng() < 0.2 ? 'quoted passage' : undefined,
  }));
  // A claim is never less restricted than the evidence it rests on.
  const tlp = TLPS[Math.max(tlpRank(tlpOf(rng)), ...citations.map((x) => tlpRank(c.sourceTlp[Number(x.source.slice(x.source.lastIndexOf('-') + 1))])))];
  return {
    confidence: Math.min(100, 20 + Math.floor(rng() ** 0.7 * 81)), tlp,
    assertion: u < 0.9 ? 'AFFIRMED' : u < 0.96 ? 'NEGATED' : 'DISPUTED', ...dates, citations,
  };
}

/** A coordinated group planted in the synthetic graph: its members, the ground truth of the cluster tests. */
export interface PlantedGroup { group: number; members: string[] }
interface Planted { groups: PlantedGroup[]; links: Array<{ type: LinkType; from: string; to: string; fk: SyntheticKind; fi: number; tk: SyntheticKind; ti: number; day: number; confidence: number }> }

/** How many coordinated groups a size plants: 4 at XS, 13 at S, 40 at M, 125 at L. */
export const plantedGroupCount = (size: SizeName): number => Math.max(4, Math.round(Math.sqrt(SIZES[size].nodes) / 8));

/**
 * Coordinated groups beyond chance, from their own random stream: per group one campaign, 8–15
 * personas, 3–5 hosts, 3 narratives and 2 techniques, all from the low-degree tail of their kinds
 * (no entity in two groups). The campaign uses the hosts and techniques and promotes the narratives;
 * each persona uses 2 of the hosts and 1 technique and amplifies 2 of the narratives; each host
 * amplifies all 3; every planted link is first seen within the same two weeks. Members are the
 * campaign, the personas and the hosts.
 */
function plant(size: SizeName, seed: number, prefix: string, counts: Record<SyntheticKind, number>): Planted {
  const rng = mulberry32(seed * 7919 + 17);
  const taken = new Map<SyntheticKind, Set<number>>();
  const tail = (kind: SyntheticKind): number => {
    const used = taken.get(kind) ?? new Set<number>();
    taken.set(kind, used);
    const n = counts[kind];
    // The upper half while it lasts (few kinds have few entities: XS has 10 techniques), then any.
    const lo = used.size < n - Math.floor(n / 2) ? Math.floor(n / 2) : used.size < n ? 0 : -1;
    for (;;) {
      const i = Math.floor(Math.max(0, lo) + rng() * (n - Math.max(0, lo)));
      if (lo < 0 || !used.has(i)) { used.add(i); return i; }
    }
  };
  const id = (kind: SyntheticKind, i: number) => `${prefix}-${kind.toLowerCase().replace('_', '-')}-${i}`;
  const groups: PlantedGroup[] = [];
  const links: Planted['links'] = [];
  for (let g = 0; g < plantedGroupCount(size); g++) {
    const day = Math.floor(rng() * (SPAN_DAYS - 30));
    const campaign = tail('CAMPAIGN');
    const personas = Array.from({ length: 8 + Math.floor(rng() * 8) }, () => tail('PERSONA'));
    const hosts = Array.from({ length: 3 + Math.floor(rng() * 3) }, () => tail('HOST'));
    const narratives = [tail('NARRATIVE'), tail('NARRATIVE'), tail('NARRATIVE')];
    const techniques = [tail('TECHNIQUE'), tail('TECHNIQUE')];
    const link = (type: LinkType, fk: SyntheticKind, fi: number, tk: SyntheticKind, ti: number) =>
      links.push({ type, from: id(fk, fi), to: id(tk, ti), fk, fi, tk, ti, day: day + Math.floor(rng() * 14), confidence: 60 + Math.floor(rng() * 31) });
    const two = <T>(xs: T[]): T[] => { const a = Math.floor(rng() * xs.length); const b = (a + 1 + Math.floor(rng() * (xs.length - 1))) % xs.length; return [xs[a], xs[b]]; };
    for (const h of hosts) link('USES', 'CAMPAIGN', campaign, 'HOST', h);
    for (const t of techniques) link('USES', 'CAMPAIGN', campaign, 'TECHNIQUE', t);
    for (const n of narratives) link('PROMOTES', 'CAMPAIGN', campaign, 'NARRATIVE', n);
    for (const p of personas) {
      link('USES', 'CAMPAIGN', campaign, 'PERSONA', p);
      for (const h of two(hosts)) link('USES', 'PERSONA', p, 'HOST', h);
      link('USES', 'PERSONA', p, 'TECHNIQUE', pick(rng, techniques));
      for (const n of two(narratives)) link('AMPLIFIES', 'PERSONA', p, 'NARRATIVE', n);
    }
    for (const h of hosts) for (const n of narratives) link('AMPLIFIES', 'HOST', h, 'NARRATIVE', n);
    groups.push({ group: g, members: [id('CAMPAIGN', campaign), ...personas.map((p) => id('PERSONA', p)), ...hosts.map((h) => id('HOST', h))] });
  }
  return { groups, links };
}

/** The coordinated groups `syntheticRecords(size, seed, prefix)` plants, without generating the graph. */
export function plantedGroups(size: SizeName, seed = 1, prefix = 'syn'): PlantedGroup[] {
  return plant(size, seed, prefix, kindCounts(size)).groups;
}

/** Every record of the graph, entities first (links need their ends committed), lazily. */
/** `prefix` starts every id, so that a second copy (e.g. an import benchmark) can sit beside the first. */
export function* syntheticRecords(size: SizeName, seed = 1, prefix = 'syn'): Generator<GraphRecord> {
  const rng = mulberry32(seed);
  const counts = kindCounts(size);
  const ids = Object.fromEntries(Object.entries(counts).map(([kind, n]) => [kind,
    Array.from({ length: n }, (_, i) => `${prefix}-${kind.toLowerCase().replace('_', '-')}-${i}`)])) as Record<SyntheticKind, string[]>;
  const c: Ctx = { rng, ids, windows: [], sourceTlp: [] };
  // Object.keys(counts): its order fixes the random sequence, so the same seed gives the same graph.
  for (const kind of Object.keys(counts) as SyntheticKind[]) {
    for (let i = 0; i < counts[kind]; i++) {
      // Most evidence is public; restricted sources make the links they support restricted too.
      const tlp = kind === 'SOURCE' && rng() < 0.6 ? 'CLEAR' : tlpOf(rng);
      if (kind === 'SOURCE') c.sourceTlp[i] = tlp;
      yield { record: 'entity', id: ids[kind][i], kind, tlp, ...entityFields(kind, i, c) } as GraphRecord;
    }
  }
  const kindIndex = new Map(Object.keys(counts).map((k, i) => [k as SyntheticKind, i]));
  const typeIndex = new Map(LINK_TYPE_NAMES.map((t, i) => [t, i]));
  const seen = new Set<number>();
  const linkKey = (fk: SyntheticKind, fi: number, type: LinkType, tk: SyntheticKind, ti: number) =>
    ((kindIndex.get(fk)! * 16 + kindIndex.get(tk)!) * 16 + typeIndex.get(type)!) * 2 ** 40 + fi * 2 ** 20 + ti;
  // The planted groups' links come last, within the size's link count; random links never repeat them.
  const planted = plant(size, seed, prefix, counts);
  for (const l of planted.links) seen.add(linkKey(l.fk, l.fi, l.type, l.tk, l.ti));
  const target = SIZES[size].links - planted.links.length;
  let made = 0;
  for (; made < target;) {
    let u = rng() * MIX_TOTAL;
    const [froms, type, tos] = LINK_MIX.find((m) => (u -= m[3]) < 0) ?? LINK_MIX[0];
    const fk = pick(rng, froms);
    const tk = pick(rng, tos);
    const fi = skewed(rng, counts[fk], SKEW[fk]);
    const ti = skewed(rng, counts[tk], SKEW[tk]);
    if (fk === tk && fi === ti) continue;
    // One link per (from, type, to): a number key keeps the set small at 5M links.
    const key = linkKey(fk, fi, type, tk, ti);
    if (seen.has(key)) continue;
    seen.add(key);
    if (!tripleAllowed(fk, type, tk)) throw new Error(`synthetic mix has a disallowed triple ${fk}-${type}->${tk}`);
    yield { record: 'link', id: `${prefix}-link-${made}`, type, from: ids[fk][fi], to: ids[tk][ti], ...linkFields(c, fk, fi, tk, ti) };
    made++;
  }
  // Planted links are public, cited to a public source, dated within their group's fortnight.
  const publicSource = ids.SOURCE[Math.max(0, c.sourceTlp.indexOf('CLEAR'))];
  for (const l of planted.links) {
    if (!tripleAllowed(l.fk, l.type, l.tk)) throw new Error(`synthetic planted group has a disallowed triple ${l.fk}-${l.type}->${l.tk}`);
    yield {
      record: 'link', id: `${prefix}-link-${made++}`, type: l.type, from: l.from, to: l.to, confidence: l.confidence, tlp: 'CLEAR',
      assertion: 'AFFIRMED', firstSeen: isoDay(l.day), citations: [{ source: publicSource, locator: `planted ${l.from}` }],
    };
  }
}

export const recordCount = (size: SizeName): number => SIZES[size].nodes + SIZES[size].links;
