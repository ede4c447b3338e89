// Entity resolution, the pure part: how names and observables are normalised before they are
// compared, and the blocking keys that keep candidate search sub-quadratic (docs/resolution.md).
import jaroWinkler from 'jaro-winkler';
import { searchKey } from '../../core/validate.js';

/**
 * Arabic letter variants folded to one letter: alef with hamza or madda → alef, teh marbuta → heh,
 * alef maksura → yeh, hamza on waw/yeh → waw/yeh; tatweel dropped (harakat are marks, which
 * searchKey already drops). Persian kaf/yeh → Arabic ones.
 */
const ARABIC_FOLD: Array<[RegExp, string]> = [
  [/[\u0622\u0623\u0625\u0671]/g, '\u0627'], [/\u0629/g, '\u0647'], [/\u0649/g, '\u064A'],
  [/\u0624/g, '\u0648'], [/\u0626/g, '\u064A'], [/\u0640/g, ''], [/\u06A9/g, '\u0643'], [/\u06CC/g, '\u064A'],
];

/**
 * A name as resolution compares it: search's key (accents, case, punctuation folded: the same
 * `nameKey` the `entity_search` index holds) with Arabic letter variants folded too.
 */
export function resolveKey(s: string): string {
  let k = searchKey(s);
  for (const [re, to] of ARABIC_FOLD) k = k.replace(re, to);
  return k;
}

/** Refangs an indicator: jgtm[.]org, hxxps://, info[at]x[.]com, 1[.]2[.]3[.]4, [:]. */
export function refang(s: string): string {
  return s.trim()
    .replace(/\[\s*\.\s*\]|\(\s*\.\s*\)|\{\s*\.\s*\}|\[dot\]|\(dot\)/gi, '.')
    .replace(/\[\s*at\s*\]|\(\s*at\s*\)|\[@\]/gi, '@')
    .replace(/\[\s*:\s*\]/g, ':')
    .replace(/\[\s*\/\s*\]/g, '/')
    .replace(/^hxxp(s?)/i, 'http$1')
    .replace(/^fxp/i, 'ftp');
}

const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}$/;
const DOMAIN = /^(?=.{4,253}$)([\p{L}\p{N}_-]{1,63}\.)+[\p{L}]{2,63}$/u;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HANDLE = /^@[\p{L}\p{N}_.]{2,}$/u;

/**
 * An observable as resolution compares it, or null when the text is not one: a domain (lower case,
 * no `www.`, no trailing dot), an IP address, a URL (scheme and `www.` dropped, no trailing slash),
 * an email address (lower case) or a handle (`@name`, lower case). Defanged forms count
 * (`jgtm[.]org` = `jgtm.org`). Kinds prefix the key so that a domain never equals a handle.
 */
export function observableKey(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const s = refang(raw).toLowerCase();
  if (!s || /\s/.test(s)) return null;
  if (EMAIL.test(s) && !s.includes('/')) return `email:${s}`;
  if (HANDLE.test(s)) return `handle:${s.slice(1)}`;
  const url = /^[a-z][a-z0-9+.-]*:\/\/(.+)$/.exec(s);
  if (url) {
    const rest = url[1].replace(/^www\./, '').replace(/\/+$/, '').replace(/#.*$/, '');
    if (!rest.includes('/')) return hostKey(rest.replace(/:\d+$/, ''));
    return `url:${rest}`;
  }
  return hostKey(s.replace(/\/+$/, ''));
}

function hostKey(h: string): string | null {
  const host = h.replace(/\.$/, '').replace(/^www\./, '');
  if (IPV4.test(host)) return `ip:${host}`;
  if (/^[0-9a-f:]+$/.test(host) && host.includes(':') && host.split(':').length > 2) return `ip:${host}`;
  if (DOMAIN.test(host)) return `domain:${host}`;
  return null;
}

/** The digits of a key in order: "apt33" and "apt35" differ, so they are never a fuzzy match. */
export const digitsOf = (key: string): string => key.replace(/\D+/g, ' ').trim();

/** Jaro-Winkler similarity (npm `jaro-winkler`) of two keys, 0–1. */
export const similarity = (a: string, b: string): number => (a && b ? jaroWinkler(a, b) : 0);

/** Words too common to block on: they join thousands of unrelated names. */
const STOP = new Set(['the', 'and', 'of', 'for', 'in', 'on', 'to', 'de', 'la', 'group', 'team', 'news', 'campaign', 'network', 'operation']);

/**
 * The blocking keys of a normalised name for fuzzy matching: each word of three or more letters
 * (stop words aside) and the first four characters of the whole key. Two names are compared only
 * when they share one of these, and a block larger than the cap is dropped (docs/resolution.md).
 */
export function fuzzyBlocks(key: string): string[] {
  const out = new Set<string>();
  for (const w of key.split(' ')) if (w.length >= 3 && !STOP.has(w)) out.add(`w:${w}`);
  const compact = key.replace(/ /g, '');
  if (compact.length >= 4) out.add(`p:${compact.slice(0, 4)}`);
  return [...out];
}
