// Tokens as the gazetteer compares them, in any script: the project's search key (accents and
// harakat dropped, lower case: core/validate.ts searchKey) plus Arabic letter variants folded
// (alef forms, ta marbuta, alef maqsura, hamza seats, tatweel), English words stemmed (Porter,
// the `stemmer` package), and the forms a word takes in running text: Arabic clitics and the
// article (و ب ل ك ف، ال), the plural -ين/-ون, English possessives and demonyms (Iranian → iran).
import { stemmer } from 'stemmer';
import { searchKey } from '../../core/validate.js';

export interface Token {
  /** The word as written. */
  raw: string;
  /** Offset of the word in the text it came from. */
  start: number;
  end: number;
  /** Folded key (search key + Arabic variants). */
  key: string;
  /** Every form it may match: key, stem, clitic-less and article-less Arabic forms, demonym base. */
  forms: string[];
}

const ARABIC = /[\u0600-\u06ff]/;

/** Arabic letter variants folded to one letter each; tatweel dropped. */
export function foldArabic(s: string): string {
  return s
    .replace(/\u0640/g, '')
    .replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627') // آ أ إ ٱ → ا
    .replace(/\u0629/g, '\u0647') // ة → ه
    .replace(/\u0649/g, '\u064a') // ى → ي
    .replace(/\u0624/g, '\u0648') // ؤ → و
    .replace(/\u0626/g, '\u064a'); // ئ → ي
}

/** searchKey (accents, harakat, case, punctuation) then Arabic variants: the gazetteer's key. */
export function foldKey(s: string): string {
  return foldArabic(searchKey(s));
}

function arabicForms(key: string): string[] {
  const out = new Set([key]);
  const add = (w: string) => { if (w.length >= 2) out.add(w); };
  const bases = [key];
  // One proclitic (conjunction or preposition), then the article.
  const m = /^(?:[وفبلك])(.{3,})$/.exec(key);
  if (m) bases.push(m[1]);
  for (const b of [...bases]) {
    if (/^(?:ال|لل)(.{2,})$/.test(b)) bases.push(b.replace(/^(?:ال|لل)/, ''));
  }
  for (const b of bases) {
    add(b);
    // Sound plurals: nominative -ون and oblique -ين are one word; the nisba -ي/-يه likewise.
    if (/(?:ين|ون)$/.test(b) && b.length > 4) { add(b.slice(0, -2) + 'ون'); add(b.slice(0, -2)); }
    if (/يه$/.test(b) && b.length > 4) add(b.slice(0, -1));
  }
  return [...out];
}

const DEMONYM_ENDINGS = ['ian', 'ean', 'an', 'n', 'ese', 'ish', 'i'];

function latinForms(key: string): string[] {
  const out = new Set([key, stemmer(key), `place:${key}`]);
  // Demonyms point back at the place: iranian → iran, russian → russia, estonian → estonia.
  if (key.length > 4 && !/\d/.test(key)) {
    for (const end of DEMONYM_ENDINGS) {
      if (!key.endsWith(end) || key.length - end.length < 3) continue;
      const base = key.slice(0, -end.length);
      for (const b of [base, `${base}a`, `${base}ia`]) out.add(`place:${b}`);
    }
  }
  return [...out];
}

/** The forms of one (already folded) word. */
export function formsOf(key: string): string[] {
  return ARABIC.test(key) ? arabicForms(key) : latinForms(key);
}

/** Words of a text with their offsets; possessive 's dropped; each word folded and given its forms. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /[\p{L}\p{N}\p{M}\u0640]+/gu;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const raw = m[0];
    // "Russia's": the s after an apostrophe is no word.
    if ((raw === 's' || raw === 'S') && /['’]$/.test(text.slice(0, m.index))) continue;
    const key = foldKey(raw);
    if (!key) continue;
    out.push({ raw, start: m.index, end: m.index + raw.length, key, forms: formsOf(key) });
  }
  return out;
}

/** Words that never carry a name's meaning on their own (they may sit between its words). */
export const STOPWORDS = new Set([
  'the', 'a', 'an', 'of', 'in', 'on', 'at', 'to', 'for', 'and', 'or', 'by', 'with', 'from', 'as', 'its', 'their', 'his', 'her',
  'against', 'about', 'into', 'over', 'through', 're', 's', 'this', 'that', 'these', 'those', 'is', 'are', 'was', 'were',
  'في', 'من', 'على', 'عن', 'الى', 'الي', 'و', 'ان', 'او', 'ذلك', 'هذه', 'هذا', 'التي', 'الذي',
]);
