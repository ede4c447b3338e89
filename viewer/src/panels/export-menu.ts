// The toolbar's "Export ▾" menu: the exports beyond PNG and JSON (which keep their own buttons).
// A menu button as WAI-ARIA describes it: Enter/Space/↓ open it on the first item, ↑/↓ move,
// Esc or Tab closes it, and a click elsewhere closes it.
import { h } from '../dom.js';
import type { Viewer } from '../viewer.js';
import { exportBrief, exportGraphml, exportLinksCsv, exportNodesCsv, exportSvg } from '../export/download.js';

export function exportMenu(viewer: Viewer): HTMLElement {
  const items: Array<[id: string, label: string, title: string, run: (v: Viewer) => void]> = [
    ['export-svg', 'SVG image', 'The whole graph as SVG, with its legend and TLP banner', exportSvg],
    ['export-nodes-csv', 'Nodes (CSV)', 'The drawn entities as a CSV table', exportNodesCsv],
    ['export-links-csv', 'Links (CSV)', 'The drawn links as a CSV table, with confidence, citation count and TLP', exportLinksCsv],
    ['export-graphml', 'GraphML (Gephi, NetworkX)', 'The drawn graph as GraphML, for Gephi, NetworkX, yEd …', exportGraphml],
    ['export-brief', 'Brief of the selection (HTML, print to PDF)', 'The selected entities and their links with every citation, as a page to print', exportBrief],
  ];
  const button = h('button', { type: 'button', id: 'export-menu', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': 'export-menu-list', title: 'More exports' }, 'Export ▾');
  const list = h('div', { class: 'menu-list', id: 'export-menu-list', role: 'menu', 'aria-label': 'Exports', hidden: true },
    ...items.map(([id, label, title, run]) => h('button', {
      type: 'button', role: 'menuitem', id, title, tabindex: -1,
      onclick: () => { close(false); run(viewer); },
    }, label)));
  const entries = () => [...list.querySelectorAll<HTMLButtonElement>('[role=menuitem]')];
  const open = (focusLast = false) => {
    list.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    const all = entries();
    all[focusLast ? all.length - 1 : 0].focus();
  };
  function close(refocus: boolean): void {
    list.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    if (refocus) button.focus();
  }
  button.addEventListener('click', () => (list.hidden ? open() : close(false)));
  button.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      open(ev.key === 'ArrowUp');
    }
  });
  list.addEventListener('keydown', (ev) => {
    const all = entries();
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      all[(at + (ev.key === 'ArrowDown' ? 1 : all.length - 1)) % all.length].focus();
    } else if (ev.key === 'Home' || ev.key === 'End') {
      ev.preventDefault();
      all[ev.key === 'Home' ? 0 : all.length - 1].focus();
    } else if (ev.key === 'Escape') {
      ev.preventDefault();
      ev.stopPropagation();
      close(true);
    } else if (ev.key === 'Tab') {
      close(false);
    }
  });
  document.addEventListener('pointerdown', (ev) => {
    if (!list.hidden && !wrap.contains(ev.target as Node)) close(false);
  });
  const wrap = h('div', { class: 'menu-wrap' }, button, list);
  return wrap;
}
