// Paths: pick two nodes (select them, or "path from/to" on a node) → "Find paths" → the
// shortest chains are added, highlighted and listed with their path confidence.
import type { NodeSingular } from 'cytoscape';
import * as api from '../data/queries.js';
import { byId, h } from '../dom.js';
import type { Path } from '../types.js';
import type { Viewer } from '../viewer.js';

export interface PathsPanel {
  setEnd(which: 'from' | 'to', id: string): void;
  find(): Promise<Path[]>;
}

export function mountPaths(viewer: Viewer): PathsPanel {
  const root = byId('paths-panel');
  const ends: { from: string | null; to: string | null } = { from: null, to: null };
  const fromOut = h('output', { class: 'path-end', id: 'path-from' }, '—');
  const toOut = h('output', { class: 'path-end', id: 'path-to' }, '—');
  const hops = h('select', { id: 'path-hops', 'aria-label': 'maximum hops' },
    ...[2, 3, 4, 5, 6].map((n) => h('option', { value: n, selected: n === 4 }, `≤ ${n} hops`)));
  const results = h('ol', { class: 'path-list', id: 'path-results', 'aria-live': 'polite' });
  // Says when the list is not everything: more chains than shown, or the search stopped at its time budget.
  const notice = h('p', { class: 'hint truncated-notice', id: 'path-truncated', hidden: true });
  let found: Path[] = [];
  const showNotice = (r: api.PathsFound) => {
    notice.hidden = r.truncatedBy === null;
    notice.textContent = r.truncatedBy === 'TIME_BUDGET'
      ? `Search stopped at the time budget: chains up to ${r.searchedHops} hop${r.searchedHops === 1 ? '' : 's'} searched fully.`
      : r.truncatedBy === 'EXPANSION_BUDGET' && r.hubsSkipped.length === 0
        ? 'The shortest chains are all here; the search stopped at its read budget, so longer ones may be missing.'
      : r.truncatedBy === 'EXPANSION_BUDGET'
        ? `${r.hubsSkipped.length} hub${r.hubsSkipped.length === 1 ? ' was' : 's were'} crossed but not expanded: chains through ${r.hubsSkipped.length === 1 ? 'it' : 'them'} may be missing.`
        : `Showing the ${r.paths.length} shortest chains; more exist.`;
  };

  const nameOf = (id: string | null) => (id ? (viewer.cy.getElementById(id).data('name') as string | undefined) ?? id : '—');
  const showEnds = () => {
    fromOut.textContent = nameOf(ends.from);
    toOut.textContent = nameOf(ends.to);
    findBtn.disabled = !ends.from || !ends.to || ends.from === ends.to;
  };

  const setEnd = (which: 'from' | 'to', id: string) => {
    ends[which] = id;
    showEnds();
  };

  const renderResults = (active: number | null) => {
    results.replaceChildren(...found.map((p, i) => h('li', { class: active === i ? 'active' : '' },
      h('button', {
        type: 'button', class: 'path-item', 'aria-pressed': active === i ? 'true' : 'false',
        onclick: () => { viewer.highlightPaths([p]); renderResults(i); },
      },
      h('span', { class: 'path-score' }, `${p.hops} hop${p.hops === 1 ? '' : 's'} · ${p.confidence.toFixed(1)}%`),
      h('span', { class: 'path-chain' }, p.nodes.map((n) => n.name).join(' → '))))));
  };

  const find = async (): Promise<Path[]> => {
    const { from, to } = ends;
    if (!from || !to) return [];
    const r = await viewer.task('Finding paths', async () => {
      const r = await api.findPaths(from, to, viewer.filters, Number(hops.value));
      const paths = r.paths;
      found = paths;
      showNotice(r);
      if (!paths.length) {
        results.replaceChildren(h('li', { class: 'empty' }, `No path within ${hops.value} hops under the current filters.`));
        viewer.status('No path found');
        return paths;
      }
      await viewer.showPaths(paths);
      renderResults(null);
      viewer.status(`${paths.length} path${paths.length === 1 ? '' : 's'} found; best confidence ${Math.max(...paths.map((p) => p.confidence)).toFixed(1)}%`);
      return paths;
    });
    return r ?? [];
  };

  const findBtn = h('button', { type: 'button', id: 'find-paths', class: 'primary', disabled: true, onclick: () => void find() }, 'Find paths');
  const clearBtn = h('button', { type: 'button', onclick: () => { found = []; notice.hidden = true; results.replaceChildren(); viewer.clearPaths(); } }, 'Clear');
  const swapBtn = h('button', { type: 'button', title: 'swap ends', 'aria-label': 'swap ends', onclick: () => { [ends.from, ends.to] = [ends.to, ends.from]; showEnds(); } }, '⇅');

  root.append(
    h('div', { class: 'path-ends' },
      h('label', {}, 'From'), fromOut,
      h('label', {}, 'To'), toOut),
    h('div', { class: 'row' }, hops, swapBtn, findBtn, clearBtn),
    h('p', { class: 'hint' }, 'Select two nodes (Shift-click), or use "Path from / to" on a node.'),
    notice,
    results);

  // Two selected nodes fill the ends in the order they were picked.
  const order: string[] = [];
  const bind = () => {
    viewer.cy.on('select', 'node', (ev) => {
      const id = (ev.target as NodeSingular).id();
      order.splice(0, order.length, ...order.filter((x) => x !== id && viewer.cy.getElementById(x).selected()), id);
      const selected = order.filter((x) => viewer.cy.getElementById(x).selected());
      if (selected.length === 2) { ends.from = selected[0]; ends.to = selected[1]; showEnds(); }
    });
  };
  bind();
  viewer.on('cy', bind);
  viewer.on('graph', showEnds);
  viewer.on('caller', () => { found = []; results.replaceChildren(); ends.from = null; ends.to = null; showEnds(); });
  showEnds();
  return { setEnd, find };
}
