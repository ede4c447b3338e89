// Renders one link with its evidence: confidence, time window, TLP, assertion and citations
// (source title, publisher, locator such as P10, quote), each linking to the source.
import { subgraphOf } from '../data/queries.js';
import { day, h, timeWindow } from '../dom.js';
import type { Citation, Link, Metric } from '../types.js';
import type { Viewer } from '../viewer.js';

/** Adds an entity by id (used for "the other end" and for sources) and selects it. */
async function showEntity(viewer: Viewer, id: string): Promise<void> {
  if (viewer.cy.getElementById(id).nonempty()) {
    viewer.select(id, true);
    return;
  }
  const sub = await subgraphOf([id], null);
  if (sub.nodes.length) await viewer.addEntities(sub.nodes);
}

export function entityButton(viewer: Viewer, id: string, name: string): HTMLButtonElement {
  return h('button', { class: 'entity-link', type: 'button', title: `Show ${name} in the graph`, onclick: () => void showEntity(viewer, id) }, name);
}

function citationView(viewer: Viewer, c: Citation): HTMLLIElement {
  const title = c.source.title || c.source.name;
  const url = c.source.url && /^https?:\/\//i.test(c.source.url) ? c.source.url : null;
  return h('li', { class: 'citation' },
    url
      ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: 'source-title' }, title)
      : entityButton(viewer, c.source.id, title),
    c.source.publisher ? h('span', { class: 'publisher' }, ` — ${c.source.publisher}`) : null,
    c.locator ? h('span', { class: 'locator', title: 'where in the source' }, c.locator) : null,
    c.via ? h('span', { class: 'via' }, ' via ', entityButton(viewer, c.via.id, c.via.title || c.via.name)) : null,
    // Only a web address is shown: a file path (the seed article's) means nothing to a reader.
    c.quote ? h('blockquote', { class: 'quote' }, `“${c.quote}”`) : null);
}

/** Typed numeric facts as a small table: name, value with its unit, and when it was measured. */
export function metricsTable(metrics: Metric[] | undefined): HTMLTableElement | null {
  if (!metrics?.length) return null;
  return h('table', { class: 'props metrics', 'aria-label': 'figures' }, h('tbody', {}, ...metrics.map((m) => h('tr', {},
    h('th', { scope: 'row' }, m.name),
    h('td', {}, `${m.value.toLocaleString('en')}${m.unit ? ` ${m.unit}` : ''}${m.asOf ? ` (as of ${day(m.asOf)})` : ''}`)))));
}

export function confidenceMeter(value: number): HTMLSpanElement {
  return h('span', { class: 'confidence', title: `confidence ${value} / 100` },
    h('span', { class: 'bar' }, h('span', { class: 'fill', style: `width:${value}%` })),
    h('span', { class: 'value' }, String(value)));
}

/**
 * `from` is the entity the panel is about: the link is shown from its side ("→ other" or
 * "← other"); without it both ends are shown.
 */
export function linkView(viewer: Viewer, link: Link, names: Record<string, string>, from?: string): HTMLLIElement {
  const fromName = link.from.name ?? names[link.from.id] ?? link.from.id;
  const toName = link.to.name ?? names[link.to.id] ?? link.to.id;
  const ends = from === link.from.id
    ? [h('span', { class: 'dir', title: 'outgoing' }, '→'), entityButton(viewer, link.to.id, toName)]
    : from === link.to.id
      ? [h('span', { class: 'dir', title: 'incoming' }, '←'), entityButton(viewer, link.from.id, fromName)]
      : [entityButton(viewer, link.from.id, fromName), h('span', { class: 'dir' }, ` ${link.type} → `), entityButton(viewer, link.to.id, toName)];
  const drawn = viewer.cy.getElementById(link.id).nonempty();
  return h('li', { class: `link assertion-${link.assertion.toLowerCase()}`, 'data-link': link.id },
    h('div', { class: 'link-head' }, ...ends,
      drawn ? h('button', { class: 'mini', type: 'button', title: 'select this link in the graph', onclick: () => viewer.select(link.id, true) }, '◎') : null),
    h('div', { class: 'link-meta' },
      confidenceMeter(link.confidence),
      h('span', { class: 'window', title: `first seen ${day(link.firstSeen) || '?'}, last seen ${day(link.lastSeen) || '?'}` }, timeWindow(link.firstSeen, link.lastSeen)),
      h('span', { class: `tlp tlp-${link.tlp.toLowerCase()}` }, `TLP:${link.tlp}`),
      link.assertion !== 'AFFIRMED' ? h('span', { class: `assertion ${link.assertion.toLowerCase()}` }, link.assertion === 'NEGATED' ? 'NEGATED — no sign of it' : link.assertion) : null,
      link.attributionKind ? h('span', { class: 'attribution-kind', title: 'kind of attribution' }, link.attributionKind.toLowerCase()) : null),
    link.description ? h('p', { class: 'link-desc' }, link.description) : null,
    metricsTable(link.metrics),
    h('ol', { class: 'citations', 'aria-label': 'citations' }, ...link.citations.map((c) => citationView(viewer, c))));
}
