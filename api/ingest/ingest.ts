// ingestReport: a report's text → a SOURCE (with its paragraphs kept beside it) and a draft of
// what it says, proposed against the entities the caller may see. Nothing but the SOURCE is
// written to the graph: the draft waits for review (review.ts).
import { createHash } from 'node:crypto';
import { BadInput } from '../../core/errors.js';
import { FIELD_LIMITS, type EntityInput } from '../../core/validate.js';
import { isTlp, tlpRank, type Tlp } from '../../model/model.js';
import { createDraftInTx, knownEntities, saveSourceText, type DraftRecord, type DraftViewer } from '../store/drafts.js';
import type { Executor } from '../store/executor.js';
import { writeBatchInTx } from '../store/write-graph.js';
import { extract, type DraftEntity, type DraftLink } from './extract.js';
import { cleanHtml, splitParagraphs, type Paragraph } from './text.js';

export interface ReportInput {
  title: string;
  url?: string | null;
  publisher?: string | null;
  author?: string | null;
  published?: string | null;
  language?: string | null;
  text?: string | null;
  html?: string | null;
  tlp?: string | null;
}

export type ReviewStatus = 'PENDING' | 'ACCEPTED' | 'REJECTED' | 'MERGED';

/** What a draft holds: the report's paragraphs and the proposed items, each with its review state. */
export interface DraftContent {
  language: string | null;
  paragraphs: Paragraph[];
  /** Blocks of the text left out (title, notes) when the paragraphs carry their own P markers. */
  leftOut: number;
  entities: (DraftEntity & { status: ReviewStatus; writtenId: string | null })[];
  links: (DraftLink & { status: ReviewStatus; writtenId: string | null })[];
}

/** The longest report text taken, in characters. */
export const MAX_REPORT = 2_000_000;

const bad = (field: string, message: string) => BadInput.field(field, message);

function checkInput(input: ReportInput, clearance: Tlp): Tlp {
  if (typeof input.title !== 'string' || !input.title.trim()) throw bad('input.title', 'required, a non-empty string');
  if (input.title.length > FIELD_LIMITS.short) throw bad('input.title', `at most ${FIELD_LIMITS.short} characters`);
  const given = [input.text, input.html].filter((x) => x != null);
  if (given.length !== 1) throw bad('input.text', 'give exactly one of text and html');
  if ((given[0]).length > MAX_REPORT) throw bad(input.text != null ? 'input.text' : 'input.html', `at most ${MAX_REPORT.toLocaleString('en')} characters`);
  const tlp = input.tlp ?? 'CLEAR';
  if (!isTlp(tlp)) throw bad('input.tlp', 'one of CLEAR GREEN AMBER RED');
  if (tlpRank(tlp) > tlpRank(clearance)) throw bad('input.tlp', `above your clearance (${clearance})`);
  if (input.language != null && !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(input.language)) throw bad('input.language', 'a language code such as en or ar');
  return tlp;
}

/** The report's paragraphs: HTML through Readability, text or Markdown as it is. */
export function reportParagraphs(input: Pick<ReportInput, 'text' | 'html'>): { paragraphs: Paragraph[]; leftOut: number; htmlTitle: string | null } {
  if (input.html != null) {
    const clean = cleanHtml(input.html);
    return { ...splitParagraphs(clean.text), htmlTitle: clean.title };
  }
  return { ...splitParagraphs(input.text ?? ''), htmlTitle: null };
}

/** The language when not given: Arabic script over half the letters → ar, else en. */
export function guessLanguage(paragraphs: Paragraph[]): string {
  const text = paragraphs.map((p) => p.text).join(' ');
  const arabic = (text.match(/[\u0600-\u06ff]/g) ?? []).length;
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  return arabic > letters / 2 ? 'ar' : 'en';
}

export async function ingestReport(ex: Executor, input: ReportInput, v: DraftViewer): Promise<DraftRecord> {
  const tlp = checkInput(input, v.clearance);
  const { paragraphs, leftOut } = reportParagraphs(input);
  if (paragraphs.length === 0) throw bad(input.text != null ? 'input.text' : 'input.html', 'no paragraph of text found');
  const language = input.language ?? guessLanguage(paragraphs);
  const digest = createHash('sha1').update(paragraphs.map((p) => p.text).join('\n')).digest('hex').slice(0, 16);
  const sourceId = `src-report-${digest}`;
  const year = input.published && /^\d{4}/.test(input.published) ? input.published.slice(0, 4) : null;
  const known = (await knownEntities(ex, v.clearance)).filter((e) => e.id !== sourceId);
  const found = extract(paragraphs, known, { language, year, report: { id: sourceId, name: input.title.trim() } });
  const content: DraftContent = {
    language, paragraphs, leftOut,
    entities: found.entities.map((e) => ({ ...e, status: 'PENDING', writtenId: null })),
    links: found.links.map((l) => ({ ...l, status: 'PENDING', writtenId: null })),
  };
  const source: EntityInput = {
    id: sourceId, kind: 'SOURCE', name: input.title.trim(), title: input.title.trim(), tlp, sourceType: 'report',
    description: `Ingested report, ${paragraphs.length} paragraphs (${paragraphs[0].locator}–${paragraphs.at(-1)!.locator}).`,
    ...(input.url != null ? { url: input.url } : {}),
    ...(input.publisher != null ? { publisher: input.publisher } : {}),
    ...(input.author != null ? { author: input.author } : {}),
    ...(input.published != null ? { published: input.published } : {}),
    language,
  };
  return ex.write(async (tx) => {
    await writeBatchInTx(ex, tx, [source], [], { actor: v.actor, audit: 'items', clearance: v.clearance });
    await saveSourceText(ex, tx, sourceId, paragraphs, tlp);
    return createDraftInTx(ex, tx, { sourceId, title: input.title.trim(), tlp, content }, v);
  });
}
