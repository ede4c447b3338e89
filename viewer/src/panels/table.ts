// The accessible view: the drawn nodes and links as tables, kept in sync with the graph.
// Rows take focus; ↑/↓ move, Enter selects (and shows details), E expands, H hides, Delete removes.
import type { EdgeSingular, NodeSingular } from 'cytoscape';
import { byId, h, timeWindow } from '../dom.js';
import { hiddenLinkCount } from '../graph/elements.js';
import { kindIcon } from '../graph/legend-icons.js';
import { KIND_STYLE } from '../graph/style.js';
import type { EntityKind } from '../types.js';
import type { Viewer } from '../viewer.js';

/** Rows beyond this are summarised, so a 5,000-element graph does not build a huge DOM. */
const MAX_ROWS = 1000;

export interface TableView { toggle(show?: boolean): void; visible(): boolean }

export function mountTable(viewer: Viewer): TableView {
  const root = byId('table-view');
  let scheduled = false;

  const state = (el: NodeSingular | EdgeSingular) => (el.hasClass('hidden') ? 'hidden' : el.hasClass('filtered') ? 'filtered out' : '');

  const nodeRow = (n: NodeSingular) => h('tr', { tabindex: 0, 'data-id': n.id(), class: n.selected() ? 'selected' : '', 'aria-selected': n.selected() ? 'true' : 'false' },
    h('td', {}, kindIcon(n.data('kind') as EntityKind), ' ', n.data('name') as string),
    h('td', {}, KIND_STYLE[n.data('kind') as keyof typeof KIND_STYLE].label),
    h('td', {}, n.data('tlp') as string),
    h('td', { class: 'num' }, String(n.data('degree'))),
    h('td', { class: 'num' }, String(hiddenLinkCount(n))),
    h('td', {}, state(n)));

  const edgeRow = (e: EdgeSingular) => h('tr', { tabindex: 0, 'data-id': e.id(), class: e.selected() ? 'selected' : '', 'aria-selected': e.selected() ? 'true' : 'false' },
    h('td', {}, e.source().data('name') as string),
    h('td', {}, (e.data('assertion') === 'NEGATED' ? 'NOT ' : '') + (e.data('type') as string)),
    h('td', {}, e.target().data('name') as string),
    h('td', { class: 'num' }, String(e.data('confidence'))),
    h('td', {}, timeWindow(e.data('firstSeen') as string | null, e.data('lastSeen') as string | null)),
    h('td', {}, e.data('tlp') as string),
    h('td', {}, state(e)));

  const table = (caption: string, heads: string[], rows: HTMLTableRowElement[], total: number) => h('table', { class: 'data-table' },
    h('caption', {}, `${caption} (${total}${total > rows.length ? `, first ${rows.length} listed` : ''})`),
    h('thead', {}, h('tr', {}, ...heads.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, ...rows));

  const render = () => {
    scheduled = false;
    if (root.hidden) return;
    const focused = (document.activeElement as HTMLElement | null)?.closest?.('tr')?.getAttribute('data-id');
    // Hub groups are not entities: their members appear here once opened.
    const nodes = viewer.cy.nodes('[!group]').sort((p, q) => String(p.data('name')).localeCompare(String(q.data('name'))));
    const edges = viewer.cy.edges('[!group]');
    root.replaceChildren(
      table('Nodes', ['Name', 'Kind', 'TLP', 'Links', 'Not drawn', 'State'], nodes.slice(0, MAX_ROWS).map((n) => nodeRow(n as NodeSingular)), nodes.length),
      table('Links', ['From', 'Type', 'To', 'Confidence', 'When', 'TLP', 'State'], edges.slice(0, MAX_ROWS).map((e) => edgeRow(e)), edges.length));
    if (focused) root.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(focused)}"]`)?.focus();
  };

  const schedule = () => {
    if (scheduled || root.hidden) return;
    scheduled = true;
    requestAnimationFrame(render);
  };

  root.addEventListener('keydown', (ev) => {
    const row = (ev.target as HTMLElement).closest<HTMLTableRowElement>('tr[data-id]');
    if (!row) return;
    const id = row.dataset.id as string;
    const el = viewer.cy.getElementById(id);
    const rows = [...root.querySelectorAll<HTMLElement>('tr[data-id]')];
    const i = rows.indexOf(row);
    switch (ev.key) {
      case 'ArrowDown': rows[i + 1]?.focus(); break;
      case 'ArrowUp': rows[i - 1]?.focus(); break;
      case 'Home': rows[0]?.focus(); break;
      case 'End': rows.at(-1)?.focus(); break;
      case 'Enter': case ' ': viewer.select(id, true); break;
      case 'e': case 'E': if (el.isNode()) void viewer.expand(id); break;
      case 'h': case 'H': viewer.hide(el); break;
      case 'Delete': case 'Backspace': rows[i + 1]?.focus(); viewer.remove(el); break;
      default: return;
    }
    ev.preventDefault();
    ev.stopPropagation();
  });
  root.addEventListener('click', (ev) => {
    const row = (ev.target as HTMLElement).closest<HTMLTableRowElement>('tr[data-id]');
    if (row?.dataset.id) viewer.select(row.dataset.id, true);
  });

  const bind = () => viewer.cy.on('select unselect data', schedule);
  bind();
  viewer.on('cy', bind);
  viewer.on('graph', schedule);

  return {
    toggle(show?: boolean) {
      root.hidden = !(show ?? root.hidden);
      document.body.classList.toggle('with-table', !root.hidden);
      viewer.cy.resize();
      schedule();
      // preventScroll: focusing a row must not scroll the page (and the toolbar) out of view.
      if (!root.hidden) requestAnimationFrame(() => root.querySelector<HTMLElement>('tr[data-id]')?.focus({ preventScroll: true }));
    },
    visible: () => !root.hidden,
  };
}
