// Observables by pattern, defanged or not: URLs, e-mail addresses, IPv4 addresses, domains,
// social handles and file hashes. Each becomes the entity the model holds it as: a HOST (domain,
// URL, IP), a PERSONA (e-mail sender, handle, social-media profile URL) or an INDICATOR (hash).
import type { EntityKind } from '../../model/model.js';

export type ObservableType = 'url' | 'email' | 'ipv4' | 'domain' | 'handle' | 'md5' | 'sha1' | 'sha256';

export interface Observable {
  type: ObservableType;
  /** Refanged value ("jgtm[.]org" → "jgtm.org"). */
  value: string;
  kind: EntityKind;
  fields: Record<string, unknown>;
}

/** Defanged notation undone: [.] (.) {.} [dot] → ., hxxp → http, [@] [at] → @, [:] → :. */
export function refang(s: string): string {
  return s
    .replace(/\s?[[({]\s?(?:\.|dot)\s?[\])}]\s?/gi, '.')
    .replace(/\bhxxp(s?)/gi, 'http$1')
    .replace(/\bfxp\b/gi, 'ftp')
    .replace(/\s?[[({]\s?(?:@|at)\s?[\])}]\s?/gi, '@')
    .replace(/\[:\]/g, ':')
    .replace(/\[\/\]/g, '/');
}

/** Endings that are file types, not top-level domains, in the texts we read. */
const FILE_ENDINGS = new Set(['txt', 'pdf', 'html', 'htm', 'json', 'csv', 'png', 'jpg', 'jpeg', 'gif', 'svg', 'doc', 'docx', 'xls', 'xlsx', 'js', 'ts', 'php', 'asp', 'aspx', 'exe', 'dll', 'zip']);
const SOCIAL = /^(?:www\.|m\.|mobile\.)?(twitter\.com|x\.com|facebook\.com|fb\.com|instagram\.com|t\.me|tiktok\.com|youtube\.com|threads\.net|vk\.com|ok\.ru|telegram\.me|linkedin\.com)$/i;

const URL_RE = /\bhttps?:\/\/[^\s<>"'`|)\]]+/gi;
const EMAIL_RE = /(?<![\w.+-])[\w.+-]+@(?:[a-z0-9-]+\.)+[a-z]{2,24}\b/gi;
const IPV4_RE = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])/g;
const DOMAIN_RE = /(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}(?![\w-])/gi;
const HANDLE_RE = /(?<![\w@.])@([A-Za-z0-9_]{2,30})\b(?!\.[a-z])/g;
const HASH_RE = /\b(?:[a-f0-9]{64}|[a-f0-9]{40}|[a-f0-9]{32})\b/gi;

const trimUrl = (u: string) => u.replace(/[.,;:!?]+$/, '');

function hostOf(url: string): string | null {
  try { return new URL(url).hostname.toLowerCase(); } catch { return null; }
}

/** The observables in a text, each once, in order of first appearance. */
export function findObservables(text: string): Observable[] {
  const t = refang(text);
  const out = new Map<string, Observable>();
  const add = (o: Observable) => { const k = `${o.type}:${o.value.toLowerCase()}`; if (!out.has(k)) out.set(k, o); };
  const hosts = new Set<string>();
  for (const m of t.matchAll(URL_RE)) {
    const url = trimUrl(m[0]);
    const host = hostOf(url);
    if (!host) continue;
    hosts.add(host);
    const path = new URL(url).pathname.split('/').filter(Boolean);
    if (SOCIAL.test(host) && path.length >= 1 && !['share', 'sharer', 'watch', 'search', 'hashtag', 'events', 'groups', 'pages', 'profile.php'].includes(path[0])) {
      add({ type: 'url', value: url, kind: 'PERSONA', fields: { platform: host.replace(/^(www|m|mobile)\./, ''), handle: path[0], personaType: 'account' } });
    } else {
      add({ type: 'url', value: url, kind: 'HOST', fields: { hostType: 'url', value: url } });
    }
  }
  const emailDomains = new Set<string>();
  for (const m of t.matchAll(EMAIL_RE)) {
    emailDomains.add(m[0].split('@')[1].toLowerCase());
    add({ type: 'email', value: m[0], kind: 'PERSONA', fields: { platform: 'email', handle: m[0], personaType: 'sender address' } });
  }
  for (const m of t.matchAll(IPV4_RE)) add({ type: 'ipv4', value: m[0], kind: 'HOST', fields: { hostType: 'ip', value: m[0] } });
  // Domains outside URLs and e-mail addresses (those are kept whole above).
  const withoutUrls = t.replace(URL_RE, ' ').replace(EMAIL_RE, ' ');
  for (const m of withoutUrls.matchAll(DOMAIN_RE)) {
    const d = m[0].toLowerCase();
    const tld = d.slice(d.lastIndexOf('.') + 1);
    if (FILE_ENDINGS.has(tld) || /^\d/.test(tld) || !/[a-z]/.test(d.split('.')[0])) continue;
    // "U.S" and initials are no domains: a real label has two letters or more somewhere.
    if (d.split('.').every((l) => l.length < 2)) continue;
    if (emailDomains.has(d)) continue;
    add({ type: 'domain', value: d, kind: 'HOST', fields: { hostType: 'domain', value: d } });
  }
  for (const m of withoutUrls.matchAll(HANDLE_RE)) add({ type: 'handle', value: `@${m[1]}`, kind: 'PERSONA', fields: { handle: `@${m[1]}`, personaType: 'account' } });
  for (const m of t.matchAll(HASH_RE)) {
    const h = m[0].toLowerCase();
    const type = h.length === 64 ? 'sha256' : h.length === 40 ? 'sha1' : 'md5';
    const algo = { sha256: 'SHA-256', sha1: 'SHA-1', md5: 'MD5' }[type];
    add({ type, value: h, kind: 'INDICATOR', fields: { pattern: `[file:hashes.'${algo}' = '${h}']`, patternType: 'stix', indicatorTypes: ['malicious-activity'] } });
  }
  return [...out.values()];
}
