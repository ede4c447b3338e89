// Varied, reproducible inputs for the query classes: entity ids of the common kinds, campaign ids,
// search words taken from real names, and id pairs for paths. Only entities an anonymous
// (TLP:CLEAR) reader can see are used, so every run asks about something that exists for it.
import type { Executor } from '../api/store/executor.js';
import type { EntityKind } from '../model/model.js';
import { mulberry32 } from '../seed/synthetic.js';
import type { Input, QueryClass } from './queries.js';

const BROWSED: EntityKind[] = ['CAMPAIGN', 'PERSONA', 'HOST', 'THREAT_GROUP', 'NARRATIVE', 'ORGANIZATION', 'SOURCE'];

export type Inputs = Record<QueryClass['input'], Input[]>;

export async function sampleInputs(ex: Executor, n: number, seed = 42): Promise<Inputs> {
  const rng = mulberry32(seed);
  // A deterministic sample: every entity has a stable pseudo-random rank from its id's hash.
  const rows = await ex.read<{ id: string; kind: EntityKind; name: string }>(
    `MATCH (n:Entity) WHERE n.tlp = 'CLEAR' AND n.kind IN $kinds
     WITH n ORDER BY (toInteger(substring(n.id, size(n.id) - 3)) * 7919 + $salt) % 1009, n.id LIMIT $take
     RETURN n.id AS id, n.kind AS kind, n.name AS name`,
    { kinds: BROWSED, take: n * 4, salt: seed },
  ).catch(() => []);
  const all = rows.length ? rows : await ex.read<{ id: string; kind: EntityKind; name: string }>(
    `MATCH (n:Entity) WHERE n.tlp = 'CLEAR' AND n.kind IN $kinds RETURN n.id AS id, n.kind AS kind, n.name AS name ORDER BY n.id LIMIT $take`,
    { kinds: BROWSED, take: n * 4 });
  if (all.length < 2) throw new Error('bench: the database holds too few visible entities to sample');
  const pick = <T>(xs: T[]) => xs[Math.floor(rng() * xs.length)];
  const campaigns = all.filter((r) => r.kind === 'CAMPAIGN');
  const of = (xs: typeof all) => Array.from({ length: n }, () => ({ id: pick(xs).id }));
  const wordsOf = (name: string) => name.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 2 && !/^\d+$/.test(w));
  return {
    entity: of(all),
    campaign: of(campaigns.length ? campaigns : all),
    text: Array.from({ length: n }, () => {
      const words = wordsOf(pick(all).name);
      return { id: '', text: words.slice(0, 1 + Math.floor(rng() * Math.min(2, words.length))).join(' ') || 'report' };
    }),
    pair: Array.from({ length: n }, () => {
      const a = pick(all);
      let b = pick(all);
      while (b.id === a.id) b = pick(all);
      return { id: a.id, to: b.id };
    }),
  };
}
