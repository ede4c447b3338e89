// A short HTML brief of the selection, to hand on or print to PDF from the browser: the TLP
// marking at the top and bottom of every printed page, the entities, then each link with its
// confidence, time window, marking and citations (source title, publisher, locator, quote, URL).
import { KIND_STYLE } from '../graph/style.js';
import { TLP_COLOURS, sourceTitle, webAddress, type ExportGraph, type ExportLink } from './formats.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const day = (iso: string | null): string => (iso ? iso.slice(0, 10) : '');

function when(l: ExportLink): string {
  if (!l.firstSeen && !l.lastSeen) return 'undated';
  if (l.firstSeen && l.lastSeen && day(l.firstSeen) !== day(l.lastSeen)) return `${day(l.firstSeen)} → ${day(l.lastSeen)}`;
  return day(l.firstSeen ?? l.lastSeen);
}

function linkSection(l: ExportLink, names: Map<string, string>): string {
  const verb = l.assertion === 'NEGATED' ? `NOT ${l.type}` : l.assertion === 'DISPUTED' ? `${l.type} (disputed)` : l.type;
  const citations = l.citations.map((c) => {
    const url = webAddress(c.source.url);
    return '<li class="citation">'
      + `<cite>${esc(sourceTitle(c))}</cite>`
      + (c.source.publisher ? `, ${esc(c.source.publisher)}` : '')
      + (c.locator ? ` <span class="locator">${esc(c.locator)}</span>` : '')
      + (c.via ? ` <span class="via">via ${esc(c.via.title || c.via.name)}</span>` : '')
      + (c.quote ? `<blockquote>“${esc(c.quote)}”</blockquote>` : '')
      + (url ? `<div class="url"><a href="${esc(url)}">${esc(url)}</a></div>` : '')
      + '</li>';
  });
  return `<section class="link" id="${esc(l.id)}">`
    + `<h3>${esc(names.get(l.source) ?? l.source)} <span class="verb">${esc(verb)}</span> ${esc(names.get(l.target) ?? l.target)}</h3>`
    + `<p class="meta">confidence ${l.confidence}/100 · ${esc(l.assertion)} · <span class="tlp tlp-${l.tlp.toLowerCase()}">TLP:${l.tlp}</span> · ${esc(when(l))}</p>`
    + (l.description ? `<p class="desc">${esc(l.description)}</p>` : '')
    + (citations.length ? `<ol class="citations">${citations.join('')}</ol>` : '<p class="meta">no citation</p>')
    + '</section>';
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1c2833; max-width: 52rem; margin: 0 auto; padding: 1rem 1.5rem; }
.banner { background: #000; font-weight: 700; padding: .25rem .75rem; letter-spacing: .03em; }
h1 { font-size: 1.4rem; margin: 1rem 0 .25rem; } h2 { font-size: 1.1rem; border-bottom: 1px solid #ccd1d1; margin-top: 1.5rem; }
h3 { font-size: 1rem; margin: 0 0 .2rem; } .verb { font-weight: 600; color: #7d3c98; font-size: .85rem; }
.meta { color: #566573; font-size: .85rem; margin: .1rem 0; } table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid #eaeded; font-size: .9rem; vertical-align: top; }
.link { margin: .9rem 0; break-inside: avoid; } .citations { margin: .3rem 0; padding-left: 1.3rem; }
blockquote { margin: .2rem 0 .2rem .5rem; color: #424949; font-style: italic; } .url { font-size: .8rem; word-break: break-all; }
.locator { font-weight: 700; font-size: .8rem; background: #eaf2f8; padding: 0 .25rem; border-radius: 2px; }
.tlp { background: #000; padding: 0 .3rem; font-weight: 700; font-size: .75rem; }
.tlp-clear { color: ${TLP_COLOURS.CLEAR}; } .tlp-green { color: ${TLP_COLOURS.GREEN}; } .tlp-amber { color: ${TLP_COLOURS.AMBER}; } .tlp-red { color: ${TLP_COLOURS.RED}; }
@media print {
  body { max-width: none; padding: 0; }
  .banner { position: fixed; left: 0; right: 0; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .banner.top { top: 0; } .banner.bottom { bottom: 0; }
  main { margin: 2.2rem 0; }
  .tlp { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; }
}`;

/** `scope` says what the brief covers, e.g. "2 selected entities and their 3 drawn links". */
export function briefHtml(g: ExportGraph, scope: string): string {
  const names = new Map(g.nodes.map((n) => [n.id, n.name]));
  const marking = `<div class="banner tlp-${g.tlp.toLowerCase()}">TLP:${g.tlp}</div>`;
  const entities = g.nodes.map((n) => `<tr><td>${esc(n.name)}</td><td>${esc(KIND_STYLE[n.kind]?.label ?? n.kind)}</td>`
    + `<td><span class="tlp tlp-${n.tlp.toLowerCase()}">TLP:${n.tlp}</span></td><td class="meta">${esc(n.id)}</td></tr>`);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>TLP:${g.tlp} Brief: ${esc(g.nodes.slice(0, 3).map((n) => n.name).join(', '))}${g.nodes.length > 3 ? ' …' : ''}</title>`,
    `<style>${STYLE}</style></head><body>`,
    marking.replace('class="banner', 'class="banner top'),
    '<main>',
    '<h1>Brief</h1>',
    `<p class="meta">${esc(scope)} · exported ${esc(g.exportedAt.slice(0, 16).replace('T', ' '))} UTC from the disinformation graph viewer · highest marking TLP:${g.tlp}. Only what the exporting analyst could see and had drawn is included.</p>`,
    `<h2>Entities (${g.nodes.length})</h2>`,
    `<table><thead><tr><th>name</th><th>kind</th><th>marking</th><th>id</th></tr></thead><tbody>${entities.join('')}</tbody></table>`,
    `<h2>Links and their evidence (${g.links.length})</h2>`,
    g.links.length ? g.links.map((l) => linkSection(l, names)).join('\n') : '<p class="meta">No link among the selected entities is drawn.</p>',
    '</main>',
    marking.replace('class="banner', 'class="banner bottom'),
    '</body></html>',
    '',
  ].join('\n');
}
