// "What ties these two": with two nodes selected (or from the context menu), asks `tie(a, b)` in
// the clusters panel's projection and lists each shared neighbour with the links from both ends
// and their citations (the evidence to review before calling it coordination), and draws them:
// the shared neighbours and links are added (undoable) and highlighted like paths.
import type { NodeSingular } from 'cytoscape';
import * as api from '../data/cluster-queries.js';
import { byId, h } from '../dom.js';
import type { Citation, Link, Path } from '../types.js';
import type { Viewer } from '../viewer.js';

export interface TiesPanel {
  /** From the context menu: the clicked node and the other selected one (or it becomes the first end). */
  fromMenu(id: string): void;
  show(): Promise<api.TieFound | undefined>;
}

function citationLine(c: Citation): HTMLElement {
  const source = c.source.title ?? c.source.name;
  return h('li', { class: 'citation' },
    h('span', { class: 'source' }, source), c.source.publisher ? ` · ${c.source.publisher}` : '',
    c.locator ? h('span', { class: 'locator' }, c.locator) : null,
    c.quote ? h('q', {}, c.quote) : null);
}

export function mountTies(viewer: Viewer, preset: () => api.ProjectionPreset): TiesPanel {
  const root = byId('ties-panel');
  const ends: { a: string | null; b: string | null } = { a: null, b: null };
  const aOut = h('output', { class: 'path-end', id: 'tie-a' }, '—');
  const bOut = h('output', { class: 'path-end', id: 'tie-b' }, '—');
  const summary = h('p', { class: 'hint', id: 'tie-summary', 'aria-live': 'polite' });
  const results = h('ol', { class: 'tie-list', id: 'tie-results' });
  const nameOf = (id: string | null) => (id ? (viewer.cy.getElementById(id).data('name') as string | undefined) ?? id : '—');
  const showEnds = () => {
    aOut.textContent = nameOf(ends.a);
    bOut.textContent = nameOf(ends.b);
    findBtn.disabled = !ends.a || !ends.b || ends.a === ends.b;
  };

  const linkLine = (l: Link, names: Map<string, string>) => h('li', { class: 'tie-link' },
    h('span', { class: 'tie-link-head' }, `${names.get(l.from.id) ?? l.from.id} ${l.type} ${names.get(l.to.id) ?? l.to.id} · ${l.confidence}%`),
    l.citations.length ? h('ul', { class: 'citations' }, ...l.citations.map(citationLine)) : h('span', { class: 'muted' }, ' no citation'));

  async function show(): Promise<api.TieFound | undefined> {
    const { a, b } = ends;
    if (!a || !b || a === b) return undefined;
    return viewer.task('Finding what ties them', async () => {
      const t = await api.tie(a, b, preset(), viewer.filters);
      if (t.weight === 0) {
        summary.textContent = `${t.a.name} and ${t.b.name} share nothing in the ${preset().toLowerCase()} projection under the current filters.`;
        results.replaceChildren();
        viewer.status('Not tied');
        return t;
      }
      summary.textContent = `${t.a.name} and ${t.b.name}: ${t.weight} shared neighbour${t.weight === 1 ? '' : 's'}, tie confidence ${t.confidence}`;
      const names = new Map([t.a, t.b, ...t.shared.map((s) => s.entity)].map((e) => [e.id, e.name]));
      results.replaceChildren(...t.shared.map((s) => h('li', { class: 'tie-item', 'data-id': s.entity.id },
        h('div', { class: 'tie-shared' }, h('strong', {}, s.entity.name), h('span', { class: 'muted' }, ` ${s.entity.kind.toLowerCase().replace(/_/g, ' ')}`)),
        h('ul', { class: 'tie-links' }, ...s.links.map((l) => linkLine(l, names))))));
      // Each shared neighbour is a two-hop chain a → neighbour → b: drawn and highlighted as paths are.
      const paths: Path[] = t.shared.map((s) => ({
        nodes: [t.a, s.entity, t.b], edges: s.links, hops: 2,
        confidence: Math.min(...s.links.map((l) => l.confidence)),
      }));
      await viewer.showPaths(paths);
      viewer.status(`${t.weight} shared neighbour${t.weight === 1 ? '' : 's'} drawn and highlighted (Esc clears)`);
      return t;
    });
  }

  const findBtn = h('button', { type: 'button', id: 'find-ties', class: 'primary', disabled: true, onclick: () => void show() }, 'What ties these two');
  const clearBtn = h('button', { type: 'button', onclick: () => { results.replaceChildren(); summary.textContent = ''; viewer.clearPaths(); } }, 'Clear');
  root.append(
    h('div', { class: 'path-ends' }, h('label', {}, 'A'), aOut, h('label', {}, 'B'), bOut),
    h('div', { class: 'row' }, findBtn, clearBtn),
    h('p', { class: 'hint' }, 'Select two nodes (Shift-click), or right-click → "What ties these two".'),
    summary, results);

  // The two most recently selected nodes are the ends.
  const bind = () => {
    viewer.cy.on('select', 'node', (ev) => {
      const n = ev.target as NodeSingular;
      if (n.data('group')) return;
      const id = n.id();
      if (ends.b && ends.b !== id && viewer.cy.getElementById(ends.b).selected()) { ends.a = ends.b; ends.b = id; }
      else if (ends.a && ends.a !== id && viewer.cy.getElementById(ends.a).selected()) ends.b = id;
      else { ends.a = id; ends.b = null; }
      showEnds();
    });
  };
  bind();
  viewer.on('cy', bind);
  viewer.on('graph', showEnds);
  viewer.on('caller', () => { ends.a = null; ends.b = null; results.replaceChildren(); summary.textContent = ''; showEnds(); });
  showEnds();

  return {
    show,
    fromMenu(id: string) {
      const other = viewer.cy.nodes(':selected').filter((n) => n.id() !== id && !n.data('group')).first();
      if (other.nonempty()) {
        ends.a = other.id();
        ends.b = id;
        showEnds();
        void show();
      } else {
        ends.a = id;
        ends.b = null;
        showEnds();
        viewer.status(`${nameOf(id)}: now select the other node, then "What ties these two"`);
      }
    },
  };
}
