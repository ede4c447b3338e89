// Extraction measured against the hand-built seed graph (issue 19): the seed article (English
// translation, Arabic original) run through api/ingest/extract.ts with the seed's own entities as
// the gazetteer, compared with the seed's entities and links (by entity, and by link type and
// ends). Shared by test/unit/ingest-extract.test.ts and the one-off figure (`npx tsx test/ingest-measure.ts`).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extract, type Extraction } from '../api/ingest/extract.js';
import { splitParagraphs } from '../api/ingest/text.js';
import type { GazetteerEntity } from '../api/ingest/gazetteer.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SHARED = path.resolve(here, '../../shared');
export const SEED_ARTICLE = path.join(SHARED, 'seed-article');
export const META_INDICATORS = path.join(SHARED, 'datasets/meta-threat-research/indicators');

interface SeedLink { type: string; from: string; to: string; assertion?: string; citations: { locator?: string }[] }
interface SeedGraph { entities: (GazetteerEntity & Record<string, unknown>)[]; links: SeedLink[] }

export function seedGraph(): SeedGraph {
  return JSON.parse(fs.readFileSync(path.resolve(here, '../seed/article-graph.json'), 'utf8')) as SeedGraph;
}

export interface Score {
  extraction: Extraction;
  /** Seed entities (sources left out: they are cited, not named as actors) found / all. */
  entityRecall: number; entitiesFound: number; entitiesTotal: number;
  /** Proposed entities that are seed entities / all proposed (new names and observables count against). */
  entityPrecision: number;
  linkRecall: number; linksFound: number; linksTotal: number;
  linkPrecision: number; linksProposed: number;
  /** Found links whose assertion (AFFIRMED / NEGATED) agrees with the seed's. */
  assertionAgreement: number;
  missedEntities: string[];
  /** Per paragraph, the seed links citing it that were not proposed. */
  missedLinksByParagraph: Record<string, string[]>;
}

export function measure(file: string, language: string): Score {
  const seed = seedGraph();
  const { paragraphs } = splitParagraphs(fs.readFileSync(file, 'utf8'));
  const extraction = extract(paragraphs, seed.entities, { language, year: '2020', report: { id: 'src-article', name: 'the seed article' } });
  const idOf = new Map(extraction.entities.map((e) => [e.key, e.entityId ?? `new:${e.name}`]));
  const found = new Set(extraction.entities.flatMap((e) => (e.entityId ? [e.entityId] : [])));
  const seedEntities = seed.entities.filter((e) => e.kind !== 'SOURCE');
  const seedIds = new Set(seed.entities.map((e) => e.id));
  const proposedEntities = extraction.entities.filter((e) => e.kind !== 'SOURCE');
  const linkKey = (from: string, type: string, to: string) => `${from} ${type} ${to}`;
  const proposed = new Map(extraction.links.map((l) => [linkKey(idOf.get(l.from)!, l.type, idOf.get(l.to)!), l]));
  const seedKeys = new Set(seed.links.map((l) => linkKey(l.from, l.type, l.to)));
  const hits = seed.links.filter((l) => proposed.has(linkKey(l.from, l.type, l.to)));
  const missedLinksByParagraph: Record<string, string[]> = {};
  for (const l of seed.links) {
    if (proposed.has(linkKey(l.from, l.type, l.to))) continue;
    for (const loc of new Set(l.citations.map((c) => c.locator ?? '?'))) (missedLinksByParagraph[loc] ??= []).push(linkKey(l.from, l.type, l.to));
  }
  const entitiesFound = seedEntities.filter((e) => found.has(e.id)).length;
  return {
    extraction,
    entitiesFound, entitiesTotal: seedEntities.length, entityRecall: entitiesFound / seedEntities.length,
    entityPrecision: proposedEntities.filter((e) => e.entityId && seedIds.has(e.entityId)).length / Math.max(1, proposedEntities.length),
    linksFound: hits.length, linksTotal: seed.links.length, linkRecall: hits.length / seed.links.length,
    linksProposed: extraction.links.length,
    linkPrecision: extraction.links.filter((l) => seedKeys.has(linkKey(idOf.get(l.from)!, l.type, idOf.get(l.to)!))).length / Math.max(1, extraction.links.length),
    assertionAgreement: hits.filter((l) => (l.assertion ?? 'AFFIRMED') === proposed.get(linkKey(l.from, l.type, l.to))!.assertion).length / Math.max(1, hits.length),
    missedEntities: seedEntities.filter((e) => !found.has(e.id)).map((e) => e.id),
    missedLinksByParagraph,
  };
}

/** Seed entities with an alias in Arabic script. */
export function arabicAliased(): string[] {
  return seedGraph().entities.filter((e) => e.kind !== 'SOURCE' && (e.aliases ?? []).some((a) => /[\u0600-\u06ff]/.test(a))).map((e) => e.id);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
  for (const [file, lang] of [['article.en.md', 'en'], ['article.ar.txt', 'ar']] as const) {
    const s = measure(path.join(SEED_ARTICLE, file), lang);
    console.log(`${file}: entities recall ${s.entitiesFound}/${s.entitiesTotal} (${pct(s.entityRecall)}), precision ${pct(s.entityPrecision)}; ` +
      `links recall ${s.linksFound}/${s.linksTotal} (${pct(s.linkRecall)}), precision ${pct(s.linkPrecision)} of ${s.linksProposed}, assertion agreement ${pct(s.assertionAgreement)}`);
    console.log(`  entities missed: ${s.missedEntities.join(', ') || 'none'}`);
    for (const [p, missed] of Object.entries(s.missedLinksByParagraph).sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1)))) console.log(`  ${p} missed: ${missed.join('; ')}`);
  }
  const found = new Set(measure(path.join(SEED_ARTICLE, 'article.ar.txt'), 'ar').extraction.entities.map((e) => e.entityId));
  const ar = arabicAliased();
  console.log(`Arabic: ${ar.filter((id) => found.has(id)).length}/${ar.length} entities with Arabic aliases found (${ar.filter((id) => !found.has(id)).join(', ') || 'all'})`);
}
