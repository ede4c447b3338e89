// Legend and filters: kinds (the legend doubles as the kind filter), relationship types,
// minimum confidence, TLP and negated findings. Every change goes to the graph and the URL.
import { byId, debounce, h } from '../dom.js';
import { edgeIcon, kindIcon } from '../graph/legend-icons.js';
import { KIND_STYLE } from '../graph/style.js';
import { filtersActive } from '../state/filters.js';
import { KINDS, LINK_TYPES, TLPS, type EntityKind, type Filters, type LinkType, type Tlp } from '../types.js';
import type { Viewer } from '../viewer.js';

export function mountFilters(viewer: Viewer): void {
  const root = byId('filters-panel');
  const kindBoxes = new Map<EntityKind, HTMLInputElement>();
  const kindCounts = new Map<EntityKind, HTMLSpanElement>();
  const typeBoxes = new Map<LinkType, HTMLInputElement>();
  const typeCounts = new Map<LinkType, HTMLSpanElement>();

  const update = (patch: Partial<Filters>) => viewer.setFilters({ ...viewer.filters, ...patch });
  // An empty list means "all" to the API, so the last box cannot be unchecked.
  const onlyIfAny = (box: HTMLInputElement, apply: () => void) => {
    const group = box.closest('.legend, .type-grid');
    if (group && !group.querySelector('input:checked')) {
      box.checked = true;
      viewer.status('At least one must stay selected; use "only" to show a single one');
      return;
    }
    apply();
  };
  const checked = <T extends string>(boxes: Map<T, HTMLInputElement>): T[] => {
    const on = [...boxes].filter(([, b]) => b.checked).map(([k]) => k);
    return on.length === boxes.size ? [] : on;
  };

  const kindRows = KINDS.map((kind) => {
    const box = h('input', { type: 'checkbox', checked: true, 'data-kind': kind, onchange: () => onlyIfAny(box, () => update({ kinds: checked(kindBoxes) })) });
    const count = h('span', { class: 'count' }, '0');
    kindBoxes.set(kind, box);
    kindCounts.set(kind, count);
    const only = h('button', { type: 'button', class: 'only', title: `show only ${KIND_STYLE[kind].label}`, onclick: () => update({ kinds: [kind] }) }, 'only');
    return h('div', { class: 'legend-row' }, h('label', {}, box, kindIcon(kind), h('span', { class: 'name' }, KIND_STYLE[kind].label)), only, count);
  });

  const typeRows = LINK_TYPES.map((type) => {
    const box = h('input', { type: 'checkbox', checked: true, 'data-type': type, onchange: () => onlyIfAny(box, () => update({ types: checked(typeBoxes) })) });
    const count = h('span', { class: 'count' }, '0');
    typeBoxes.set(type, box);
    typeCounts.set(type, count);
    return h('label', { class: 'type-row' }, box, h('span', { class: 'name' }, type.replace(/_/g, ' ').toLowerCase()), count);
  });

  const confValue = h('output', { id: 'min-confidence-value' }, '0');
  const conf = h('input', { type: 'range', id: 'min-confidence', min: 0, max: 100, step: 5, value: 0, 'aria-label': 'minimum confidence' });
  const applyConf = debounce(() => update({ minConfidence: Number(conf.value) }), 60);
  conf.addEventListener('input', () => { confValue.textContent = conf.value; applyConf(); });

  const tlp = h('select', { id: 'tlp-max', 'aria-label': 'highest TLP', onchange: () => update({ tlpMax: (tlp.value || null) as Tlp | null }) },
    h('option', { value: '' }, 'any (up to my clearance)'), ...TLPS.map((t) => h('option', { value: t }, `up to TLP:${t}`)));
  const negated = h('input', { type: 'checkbox', id: 'include-negated', checked: true, onchange: () => update({ includeNegated: negated.checked }) });
  // Expansions then include what its producer revoked or deprecated (ATT&CK's superseded techniques).
  const revoked = h('input', { type: 'checkbox', id: 'include-revoked', onchange: () => update({ includeRevoked: revoked.checked }) });
  const reset = h('button', { type: 'button', class: 'link-button', id: 'reset-filters', onclick: () => viewer.setFilters({ ...viewer.filters, kinds: [], types: [], minConfidence: 0, tlpMax: null, includeNegated: true, includeRevoked: false, timeMode: 'all', asOf: null, from: null, to: null }) }, 'reset');

  root.append(
    h('section', { class: 'panel-section', 'aria-labelledby': 'legend-h' },
      h('h3', { id: 'legend-h' }, 'Kinds', h('span', { class: 'section-tools' },
        h('button', { type: 'button', class: 'link-button', onclick: () => update({ kinds: [] }) }, 'all'))),
      h('div', { class: 'legend' }, ...kindRows),
      h('div', { class: 'edge-legend' },
        h('span', {}, edgeIcon('affirmed'), 'strong'),
        h('span', {}, edgeIcon('weak'), 'weak'),
        h('span', {}, edgeIcon('negated'), 'negated'),
        h('span', {}, edgeIcon('disputed'), 'disputed'))),
    h('section', { class: 'panel-section', 'aria-labelledby': 'links-h' },
      h('h3', { id: 'links-h' }, 'Links', h('span', { class: 'section-tools' }, reset)),
      h('label', { class: 'field' }, h('span', {}, 'Min. confidence'), conf, confValue),
      h('label', { class: 'field' }, h('span', {}, 'TLP'), tlp),
      h('label', { class: 'field inline' }, negated, h('span', {}, 'Show negated findings (“no sign that …”)')),
      h('label', { class: 'field inline' }, revoked, h('span', {}, 'Show revoked / deprecated records')),
      h('details', { class: 'types' }, h('summary', {}, 'Relationship types'), h('div', { class: 'type-grid' }, ...typeRows))),
  );

  /** Puts the controls in line with the filters (after a URL restore or a reset). */
  const sync = () => {
    const f = viewer.filters;
    kindBoxes.forEach((b, k) => { b.checked = !f.kinds.length || f.kinds.includes(k); });
    typeBoxes.forEach((b, t) => { b.checked = !f.types.length || f.types.includes(t); });
    conf.value = String(f.minConfidence);
    confValue.textContent = String(f.minConfidence);
    tlp.value = f.tlpMax ?? '';
    negated.checked = f.includeNegated;
    revoked.checked = f.includeRevoked;
    reset.hidden = !filtersActive(f);
  };

  const counts = () => {
    const byKind = new Map<string, number>();
    const byType = new Map<string, number>();
    viewer.cy.nodes('[!group]').forEach((n) => { const k = n.data('kind') as string; byKind.set(k, (byKind.get(k) ?? 0) + 1); });
    viewer.cy.edges('[!group]').forEach((e) => { const t = e.data('type') as string; byType.set(t, (byType.get(t) ?? 0) + 1); });
    kindCounts.forEach((el, k) => { el.textContent = String(byKind.get(k) ?? 0); });
    typeCounts.forEach((el, t) => { el.textContent = String(byType.get(t) ?? 0); });
  };

  viewer.on('filters', sync);
  viewer.on('graph', debounce(counts, 100));
  sync();
}
