// Entity resolution tests (issue 16): the planted duplicates and the graph fingerprint.
import { createHash } from 'node:crypto';
import type { Executor } from '../api/store/executor.js';
import type { EntityInput, LinkInput } from '../core/validate.js';

/** Pairs that are one entity (ids sorted), and pairs that look alike but must not merge. */
export const PLANTED_SAME: Array<[string, string]> = [
  ['pl-ck-1', 'pl-ck-2'], ['pl-ck-1', 'pl-ck-3'], ['pl-ck-2', 'pl-ck-3'], // one group: 3 spellings, 2 sources
  ['iran', 'pl-iran-ar'], // Arabic name without hamza meets the seed's alias إيران
  ['pl-host-1', 'pl-host-2'], // zqxv-news[.]org and hxxp://www.zqxv-news.org/
];
export const PLANTED_DIFFERENT: Array<[string, string]> = [
  ['pl-apt33', 'pl-apt34'], // Nimbus 33 and Nimbus 34: close names, different catalogue ids
  ['pl-fancy-1', 'pl-fancy-2'], // Velvet Heron vs Velvet Herons Press Team
];
export const PLANTED_IDS = new Set([...PLANTED_SAME, ...PLANTED_DIFFERENT].flat());

export const plantedEntities: EntityInput[] = [
  { id: 'pl-src-a', kind: 'SOURCE', name: 'Planted report A', title: 'Planted report A' },
  { id: 'pl-src-b', kind: 'SOURCE', name: 'Planted report B', title: 'Planted report B' },
  { id: 'pl-ck-1', kind: 'THREAT_GROUP', name: 'Charming Kitten', aliases: ['Kitten Team 35'] },
  { id: 'pl-ck-2', kind: 'THREAT_GROUP', name: 'charming-kitten' },
  { id: 'pl-ck-3', kind: 'THREAT_GROUP', name: 'Charming Kiten' },
  { id: 'pl-iran-ar', kind: 'STATE_ACTOR', name: 'ايران' },
  { id: 'pl-host-1', kind: 'HOST', name: 'zqxv-news[.]org', value: 'zqxv-news[.]org' },
  { id: 'pl-host-2', kind: 'HOST', name: 'ZQXV News website', value: 'hxxp://www.zqxv-news.org/' },
  { id: 'pl-apt33', kind: 'THREAT_GROUP', name: 'Nimbus 33', externalIds: ['X9033'] },
  { id: 'pl-apt34', kind: 'THREAT_GROUP', name: 'Nimbus 34', externalIds: ['X9034'] },
  { id: 'pl-fancy-1', kind: 'THREAT_GROUP', name: 'Velvet Heron' },
  { id: 'pl-fancy-2', kind: 'THREAT_GROUP', name: 'Velvet Herons Press Team' },
];

const cite = (source: string, locator: string) => [{ source, locator }];
export const plantedLinks: LinkInput[] = [
  { type: 'ATTRIBUTED_TO', from: 'pl-ck-1', to: 'iran', confidence: 70, citations: cite('pl-src-a', 'p1') },
  { type: 'ATTRIBUTED_TO', from: 'pl-ck-2', to: 'iran', confidence: 80, citations: cite('pl-src-b', 'p2') },
  { type: 'USES', from: 'pl-ck-2', to: 'pl-host-1', confidence: 60, citations: cite('pl-src-b', 'p3') },
  { type: 'USES', from: 'pl-ck-3', to: 'pl-host-2', confidence: 50, citations: cite('pl-src-b', 'p4') },
  { type: 'ATTRIBUTED_TO', from: 'pl-ck-3', to: 'iran', confidence: 40, citations: cite('pl-src-b', 'p5'), assertion: 'NEGATED' },
  { type: 'ATTRIBUTED_TO', from: 'pl-apt33', to: 'iran', confidence: 60, citations: cite('pl-src-a', 'p6') },
  { type: 'ATTRIBUTED_TO', from: 'pl-apt34', to: 'pl-iran-ar', confidence: 60, citations: cite('pl-src-b', 'p7') },
];

/** The graph as a canonical hash: every entity (labels, properties) and link (type, ends, properties). */
export async function fingerprint(ex: Executor, ignore: string[] = []): Promise<string> {
  const lines = await graphLines(ex, ignore);
  return `${lines.length} records/${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`;
}

/** The canonical lines the fingerprint hashes (for a readable diff). */
export async function graphLines(ex: Executor, ignore: string[] = []): Promise<string[]> {
  const drop = (p: Record<string, unknown>) => Object.fromEntries(Object.entries(p).filter(([k]) => !ignore.includes(k)).sort(([a], [b]) => (a < b ? -1 : 1)));
  const nodes = await ex.read<{ labels: string[]; p: Record<string, unknown> }>('MATCH (n:Entity) RETURN labels(n) AS labels, properties(n) AS p');
  const links = await ex.read<{ t: string; a: string; b: string; p: Record<string, unknown> }>(
    'MATCH (a:Entity)-[r]->(b:Entity) RETURN type(r) AS t, a.id AS a, b.id AS b, properties(r) AS p');
  return [
    ...nodes.map((n) => JSON.stringify(['N', [...n.labels].sort(), drop(n.p)])),
    ...links.map((l) => JSON.stringify(['L', l.t, l.a, l.b, drop(l.p)])),
  ].sort();
}

/** Precision and recall of candidate pairs on the planted set: only pairs touching a planted entity count. */
export function plantedScore(pairs: Array<[string, string]>) {
  const key = ([a, b]: [string, string]) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  const truth = new Set(PLANTED_SAME.map(key));
  const relevant = pairs.filter(([a, b]) => PLANTED_IDS.has(a) || PLANTED_IDS.has(b)).map(key);
  const tp = relevant.filter((k) => truth.has(k)).length;
  return {
    precision: relevant.length ? tp / relevant.length : 1, recall: tp / truth.size, tp,
    falsePositives: relevant.filter((k) => !truth.has(k)), missed: [...truth].filter((k) => !relevant.includes(k)),
  };
}
