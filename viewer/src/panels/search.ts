// Full-text search as you type; each hit shows its kind. The best hit of every matching kind comes
// first (in rank order, with how many of that kind match), then the next best hits, 12 or more in
// all. Enter or click adds it to the graph. "/" anywhere focuses the box.
import * as api from '../data/queries.js';
import { byId, debounce, h } from '../dom.js';
import { kindIcon } from '../graph/legend-icons.js';
import { KIND_STYLE } from '../graph/style.js';
import type { Viewer } from '../viewer.js';

export function mountSearch(viewer: Viewer): void {
  const input = byId<HTMLInputElement>('search');
  const list = byId<HTMLUListElement>('search-results');
  let hits: api.SearchHit[] = [];
  /** How many hits of each kind match, for the kinds whose best hit is listed. */
  let counts = new Map<string, number>();
  let active = -1;
  let inflight: AbortController | null = null;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };

  const render = () => {
    list.replaceChildren(...hits.map((hit, i) => {
      const drawn = viewer.cy.getElementById(hit.entity.id).nonempty();
      const count = counts.get(hit.entity.id);
      return h('li', {
        id: `hit-${i}`, role: 'option', 'aria-selected': i === active ? 'true' : 'false', class: i === active ? 'active' : '',
        'data-id': hit.entity.id,
        onmousedown: (ev: Event) => { ev.preventDefault(); void choose(i); },
      },
      kindIcon(hit.entity.kind),
      h('span', { class: 'hit-name' }, hit.entity.name),
      h('span', { class: 'hit-kind', title: count ? `${count.toLocaleString('en')} matches of this kind` : null },
        count && count > 1 ? `${KIND_STYLE[hit.entity.kind].label} · ${count.toLocaleString('en')}` : KIND_STYLE[hit.entity.kind].label),
      drawn ? h('span', { class: 'hit-drawn', title: 'already in the graph' }, '●') : null);
    }));
    if (!hits.length) list.append(h('li', { class: 'empty' }, 'No match'));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    if (active >= 0) input.setAttribute('aria-activedescendant', `hit-${active}`);
  };

  const search = async (text: string) => {
    inflight?.abort();
    const ctrl = new AbortController();
    inflight = ctrl;
    try {
      const r = await api.search(text, ctrl.signal);
      if (ctrl.signal.aborted) return;
      hits = bestOfEachKind(r);
      counts = new Map(r.byKind.map((f) => [f.best.entity.id, f.count]));
      active = hits.length ? 0 : -1;
      render();
    } catch (e) {
      if ((e as Error).name !== 'AbortError') viewer.status(`Search failed: ${(e as Error).message}`, 'error');
    }
  };
  // Fire-and-forget: search() reports its own failures, and a newer search aborts an older one.
  const run = debounce((text: string) => { void search(text); }, 120);

  const choose = async (i: number) => {
    const hit = hits[i];
    if (!hit) return;
    close();
    input.blur();
    if (viewer.cy.getElementById(hit.entity.id).nonempty()) viewer.select(hit.entity.id, true);
    else await viewer.addEntities([hit.entity]);
  };

  input.addEventListener('input', () => {
    const text = input.value.trim();
    if (text.length < 2) { inflight?.abort(); hits = []; close(); return; }
    run(text);
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (!hits.length) return;
      active = (active + (ev.key === 'ArrowDown' ? 1 : -1) + hits.length) % hits.length;
      render();
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      void choose(active < 0 ? 0 : active);
    } else if (ev.key === 'Escape') {
      close();
      input.blur();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
  viewer.on('caller', () => { inflight?.abort(); hits = []; close(); });
  input.addEventListener('focus', () => { if (hits.length && input.value.trim().length >= 2) render(); });

  document.addEventListener('keydown', (ev) => {
    const t = ev.target as HTMLElement;
    if (ev.key === '/' && !ev.ctrlKey && !ev.metaKey && !t.closest('input, textarea, select, [contenteditable]')) {
      ev.preventDefault();
      input.focus();
      input.select();
    }
  });
}

/** The best hit of each kind (in rank order), then the other best hits, at least 12 when there are. */
export function bestOfEachKind(r: api.SearchResults, size = 12): api.SearchHit[] {
  const out = r.byKind.map((f) => f.best);
  const seen = new Set(out.map((x) => x.entity.id));
  for (const hit of r.hits) {
    if (out.length >= Math.max(size, r.byKind.length)) break;
    if (!seen.has(hit.entity.id)) { seen.add(hit.entity.id); out.push(hit); }
  }
  return out;
}
