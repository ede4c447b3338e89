// Side-by-side comparison of one merge candidate (docs/resolution.md, "In the viewer"): both
// entities with their aliases, properties, links and citations, the neighbours they share
// marked; a choice of survivor; Merge / Different / Unsure for analysts, read-only otherwise.
import * as api from '../data/queries.js';
import { h } from '../dom.js';
import { kindIcon } from '../graph/legend-icons.js';
import { KIND_STYLE } from '../graph/style.js';
import type { Viewer } from '../viewer.js';
import { linkView } from './link-view.js';

export interface CompareActions {
  /** Whether the caller's role may merge and judge (ANALYST or ADMIN with a key). */
  canWrite(): boolean;
  merge(into: string, from: string, reason: string): Promise<void>;
  judge(verdict: api.Verdict, note: string): Promise<void>;
}

/** Kind-specific fields worth comparing, when the kind has them. */
const COMPARE_FIELDS = ['externalId', 'url', 'value', 'handle', 'platform', 'country', 'firstSeen', 'lastSeen', 'publisher', 'title'];

const otherEnd = (l: api.EntityDetails['links'][number], id: string) => (l.from.id === id ? l.to.id : l.from.id);

function side(viewer: Viewer, e: api.EntityDetails, shared: Set<string>, survivor: HTMLInputElement): HTMLElement {
  const props = COMPARE_FIELDS.filter((f) => e[f] !== undefined && e[f] !== null && e[f] !== '')
    .map((f) => h('tr', {}, h('th', { scope: 'row' }, f), h('td', {}, Array.isArray(e[f]) ? (e[f] as unknown[]).join(', ') : String(e[f]))));
  const links = e.links.map((l) => {
    const li = linkView(viewer, l, {}, e.id);
    if (shared.has(otherEnd(l, e.id))) {
      li.classList.add('shared');
      li.title = 'both entities link here';
    }
    return li;
  });
  return h('section', { class: 'compare-side', 'data-id': e.id, 'aria-label': e.name },
    h('label', { class: 'survivor', title: 'the entity that stays; the other is merged into it (its name becomes an alias)' }, survivor, ' keep this one'),
    h('div', { class: 'kind-line' }, kindIcon(e.kind), KIND_STYLE[e.kind].label,
      e.tlp ? h('span', { class: `tlp tlp-${e.tlp.toLowerCase()}` }, `TLP:${e.tlp}`) : null),
    h('h4', { class: 'compare-name' }, e.name),
    h('div', { class: 'entity-id' }, e.id),
    e.aliases?.length ? h('p', { class: 'aliases' }, h('span', { class: 'label' }, 'Aliases: '), e.aliases.join(' · ')) : null,
    e.description ? h('p', { class: 'description' }, e.description.length > 300 ? `${e.description.slice(0, 300)} …` : e.description) : null,
    props.length ? h('table', { class: 'props' }, h('tbody', {}, ...props)) : null,
    h('h5', {}, `Links (${e.links.length})`),
    links.length ? h('ul', { class: 'links' }, ...links) : h('p', { class: 'hint' }, 'No links you can see.'));
}

/** Renders the comparison of `c` into `root`; resolves once both entities are read. */
export async function renderComparison(viewer: Viewer, root: HTMLElement, c: api.MergeCandidate, actions: CompareActions): Promise<void> {
  root.replaceChildren(h('p', { class: 'hint' }, `Reading ${c.a.name} and ${c.b.name} …`));
  const [a, b] = await Promise.all([api.entityDetails(c.a.id), api.entityDetails(c.b.id)]);
  if (!a || !b) {
    root.replaceChildren(h('p', { class: 'error' }, 'One of the two is gone (merged, deleted, or above your clearance). Refresh the list.'));
    return;
  }
  const ends = (e: api.EntityDetails) => new Set(e.links.map((l) => otherEnd(l, e.id)));
  const aEnds = ends(a);
  const shared = new Set([...ends(b)].filter((id) => aEnds.has(id)));
  // The survivor defaults to the better-connected entity: fewer links move.
  const keepA = (a.degree ?? 0) >= (b.degree ?? 0);
  const radio = (id: string, checked: boolean) => h('input', { type: 'radio', name: 'survivor', value: id, checked });
  const ra = radio(a.id, keepA);
  const rb = radio(b.id, !keepA);
  const write = actions.canWrite();
  const note = h('input', { type: 'text', id: 'candidate-note', maxlength: 2000, placeholder: 'why (kept in the record)', 'aria-label': 'note or reason', disabled: !write });
  const message = h('p', { class: 'hint', id: 'candidate-message', role: 'status' });
  const busy = async (fn: () => Promise<void>) => {
    buttons.forEach((x) => { x.disabled = true; });
    try {
      await fn();
    } catch (e) {
      message.className = 'error';
      message.textContent = (e as Error).message;
      buttons.forEach((x) => { x.disabled = false; });
    }
  };
  const mergeBtn = h('button', { type: 'button', class: 'primary', id: 'candidate-merge', disabled: !write, title: 'merge the other entity into the one marked “keep”',
    onclick: () => void busy(() => {
      const into = ra.checked ? a.id : b.id;
      return actions.merge(into, into === a.id ? b.id : a.id, note.value.trim());
    }) }, 'Merge');
  const diffBtn = h('button', { type: 'button', id: 'candidate-different', disabled: !write, title: 'they are different: never propose this pair again',
    onclick: () => void busy(() => actions.judge('DIFFERENT', note.value.trim())) }, 'Different');
  const unsureBtn = h('button', { type: 'button', id: 'candidate-unsure', disabled: !write, title: 'not sure yet: the pair stays in the list, marked',
    onclick: () => void busy(() => actions.judge('UNSURE', note.value.trim())) }, 'Unsure');
  const showBtn = h('button', { type: 'button', id: 'candidate-show', title: 'draw both entities and their links to what is drawn',
    onclick: () => void viewer.addEntities([c.a, c.b], false) }, 'Show both in graph');
  const buttons = [mergeBtn, diffBtn, unsureBtn];
  root.replaceChildren(
    h('h3', { id: 'compare-h' }, 'Compare'),
    h('p', { class: 'compare-summary' }, `Score ${c.score.toFixed(2)}`, c.judgement ? ` · judged ${c.judgement}` : '',
      shared.size ? ` · ${shared.size} shared neighbour${shared.size === 1 ? '' : 's'} (marked)` : ''),
    h('div', { class: 'row actions' }, showBtn, mergeBtn, diffBtn, unsureBtn),
    h('div', { class: 'row' }, note),
    message,
    h('div', { class: 'compare-grid' }, side(viewer, a, shared, ra), side(viewer, b, shared, rb)));
}
