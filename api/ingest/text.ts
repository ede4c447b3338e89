// A report's text, cleaned and cut into numbered paragraphs (locators P1…Pn) and sentences.
// HTML goes through Mozilla's Readability (the Firefox reader view) over linkedom's DOM, so the
// page's navigation, ads and footers are left out; Markdown loses its markup but keeps link
// targets (they may be indicators).
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

export interface Paragraph {
  /** P1…Pn: an explicit marker in the text ("**P7**", "[P7]", "P7.") when the text has them, else the position. */
  locator: string;
  text: string;
}

export interface CleanText { title: string | null; text: string }

/** The readable part of an HTML page, one block per paragraph. */
export function cleanHtml(html: string): CleanText {
  const { document } = parseHTML(html);
  const title = document.querySelector('title')?.textContent?.trim() || null;
  const article = new Readability(document).parse();
  const body = article?.content ?? html;
  const { document: doc } = parseHTML(`<!doctype html><html><body>${body}</body></html>`);
  const BLOCKS = 'p, li, h1, h2, h3, h4, h5, h6, blockquote, pre, td, th, figcaption';
  const blocks = [...doc.querySelectorAll(BLOCKS)].filter((el) => !el.querySelector(BLOCKS));
  const parts = blocks.map((el) => {
    // Link targets may be indicators: keep them beside their text.
    for (const a of [...el.querySelectorAll('a[href]')]) {
      const href = a.getAttribute('href') ?? '';
      if (/^https?:/i.test(href) && !a.textContent?.includes(href)) a.textContent = `${a.textContent ?? ''} (${href})`;
    }
    return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
  }).filter(Boolean);
  const text = parts.length ? parts.join('\n\n') : (article?.textContent ?? doc.body?.textContent ?? '').trim();
  return { title: article?.title?.trim() || title, text };
}

/** Markdown markup dropped, link targets kept: "[text](url)" → "text (url)". */
export function stripMarkdown(line: string): string {
  return line
    .replace(/!\[([^\]]*)\]\(([^)]*)\)/g, '$1')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '$1 ($2)')
    .replace(/^\s{0,3}#{1,6}\s+/, '')
    .replace(/^\s{0,3}>\s?/, '')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/`([^`]*)`/g, '$1')
    .trim();
}

const LIST_ITEM = /^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+/;
const MARKER = /^(?:\*\*|\[)?P(\d{1,4})(?:\*\*|\])?[.:)]?\s+/;
const TABLE_RULE = /^\s*\|?\s*:?-{3,}/;

/**
 * Paragraphs of a plain or Markdown text. A text without blank lines has one paragraph per line
 * (the seed article's Arabic original); otherwise blank lines and list items start paragraphs,
 * table rows are one each, and wrapped lines are joined. When paragraphs carry explicit markers
 * (P1 …), those numbers are the locators and unmarked blocks (title, notes) are left out.
 */
export function splitParagraphs(raw: string): { paragraphs: Paragraph[]; leftOut: number } {
  const text = raw.replace(/\r\n?/g, '\n').replace(/\u00a0/g, ' ');
  const lines = text.split('\n');
  const blocks: string[] = [];
  const oneLineEach = !/\n[ \t]*\n/.test(text.trim());
  let current: string[] = [];
  const flush = () => { if (current.length) blocks.push(current.join(' ')); current = []; };
  for (const line of lines) {
    if (!line.trim()) { flush(); continue; }
    if (TABLE_RULE.test(line)) continue;
    if (oneLineEach || LIST_ITEM.test(line) || /^\s*\|/.test(line) || /^\s{0,3}#/.test(line)) flush();
    current.push(line.replace(LIST_ITEM, '').replace(/^\s*\|(.*)\|\s*$/, (_, row: string) => row.split('|').map((c) => c.trim()).join(' | ')));
    if (/^\s{0,3}#/.test(line)) flush();
  }
  flush();
  const cleaned = blocks.map((b) => stripMarkdown(b.replace(/\s+/g, ' '))).filter(Boolean);
  const marked = cleaned.map((b) => MARKER.exec(b));
  if (marked.some(Boolean)) {
    const paragraphs = cleaned.flatMap((b, i) => (marked[i] ? [{ locator: `P${marked[i][1]}`, text: b.slice(marked[i][0].length).trim() }] : []));
    return { paragraphs, leftOut: cleaned.length - paragraphs.length };
  }
  return { paragraphs: cleaned.map((t, i) => ({ locator: `P${i + 1}`, text: t })), leftOut: 0 };
}

export interface Sentence { text: string; start: number }

/**
 * Sentences of a paragraph: split after . ! ? (and Arabic ؟ ۔) before a capital, a quote or a
 * non-Latin letter, but not after an initial ("Christopher A. Wray") or a common abbreviation.
 */
export function splitSentences(p: string): Sentence[] {
  const out: Sentence[] = [];
  const re = /[.!?؟۔]+["”’)]*\s+(?=["“‘(]?[\p{Lu}\p{Lo}\d])/gu;
  let start = 0;
  for (let m = re.exec(p); m; m = re.exec(p)) {
    const before = p.slice(start, m.index);
    if (/(?:^|\s)(?:\p{Lu}|Mr|Mrs|Ms|Dr|St|Sen|Gov|Rep|Gen|Col|Lt|Inc|Ltd|Co|vs|No|U\.S|e\.g|i\.e)$/u.test(before)) continue;
    const end = m.index + m[0].length;
    out.push({ text: p.slice(start, end).trim(), start });
    start = end;
  }
  if (start < p.length && p.slice(start).trim()) out.push({ text: p.slice(start).trim(), start });
  return out;
}
