// The top toolbar: undo/redo, layouts, fit/centre, hidden, table, export, save/open, WebGL, sign-in.
import { byId, h } from '../dom.js';
import { webgl2Available } from '../graph/cy.js';
import { LAYOUTS, type LayoutName } from '../graph/layouts.js';
import type { Viewer } from '../viewer.js';
import { exportJson, exportPng } from './export.js';
import { exportMenu } from './export-menu.js';
import { openDialog, saveDialog, trackOwners } from './investigations.js';
import { mountSignIn } from './sign-in.js';
import type { TableView } from './table.js';

export function mountToolbar(viewer: Viewer, table: TableView, openInvestigation: (id: string) => void): void {
  const root = byId('toolbar');
  const btn = (id: string, label: string, title: string, onclick: () => void) =>
    h('button', { type: 'button', id, title, 'aria-label': title, onclick }, label);

  const undo = btn('undo', '↶', 'Undo (Ctrl+Z)', () => viewer.history.undo());
  const redo = btn('redo', '↷', 'Redo (Ctrl+Shift+Z)', () => viewer.history.redo());
  const layout = h('select', { id: 'layout', 'aria-label': 'layout', title: 'Layout' }, ...LAYOUTS.map((l) => h('option', { value: l }, l)));
  layout.addEventListener('change', () => void viewer.runLayout(layout.value as LayoutName));
  const relayout = btn('relayout', '⟳', 'Run the layout again on every node', () => void viewer.runLayout(layout.value as LayoutName));
  const hiddenBtn = btn('show-hidden', 'Show hidden', 'Show the nodes and links you hid', () => viewer.showHidden());
  const tableBtn = btn('toggle-table', 'Table', 'List the nodes and links as tables (T)', () => table.toggle());
  const webglOk = webgl2Available();
  const webgl = h('input', { type: 'checkbox', id: 'webgl', disabled: !webglOk });
  webgl.addEventListener('change', () => viewer.setWebgl(webgl.checked));
  const counts = byId('counts');
  const invName = h('span', { class: 'inv-name', id: 'inv-name' });

  root.append(
    h('div', { class: 'group' }, undo, redo),
    h('div', { class: 'group' }, layout, relayout,
      btn('fit', 'Fit', 'Fit the graph in view (F)', () => viewer.fit()),
      btn('centre', 'Centre', 'Centre on the selection', () => viewer.centreOnSelection())),
    h('div', { class: 'group' }, hiddenBtn, tableBtn,
      btn('clear', 'Clear', 'Remove every node (undoable) to start a fresh investigation', () => viewer.remove(viewer.cy.elements(), 'clear'))),
    h('div', { class: 'group' },
      btn('export-png', 'PNG', 'Export the whole graph as a PNG image, with its legend and TLP banner', () => exportPng(viewer)),
      btn('export-json', 'JSON', 'Export elements and positions as JSON', () => exportJson(viewer)),
      exportMenu(viewer)),
    h('div', { class: 'group' },
      btn('save', 'Save', 'Save this investigation', () => saveDialog(viewer, account)),
      btn('open', 'Open', 'Open a saved investigation', () => openDialog(viewer, openInvestigation, account)), invName),
    h('label', { class: 'compact', title: webglOk ? 'Draw with WebGL (faster for thousands of elements)' : 'WebGL2 is not available in this browser' }, webgl, ' WebGL'));
  const account = mountSignIn(viewer, root);
  trackOwners(viewer);

  const refresh = () => {
    undo.disabled = !viewer.history.nextUndo;
    redo.disabled = !viewer.history.nextRedo;
    undo.title = viewer.history.nextUndo ? `Undo ${viewer.history.nextUndo} (Ctrl+Z)` : 'Nothing to undo';
    redo.title = viewer.history.nextRedo ? `Redo ${viewer.history.nextRedo} (Ctrl+Shift+Z)` : 'Nothing to redo';
    const hidden = viewer.cy.elements('.hidden').length;
    hiddenBtn.disabled = hidden === 0;
    hiddenBtn.textContent = hidden ? `Show hidden (${hidden})` : 'Show hidden';
    const filtered = viewer.cy.elements('.filtered').length;
    const groups = viewer.cy.nodes('[?group]').length;
    counts.textContent = `${viewer.cy.nodes('[!group]').length} nodes · ${viewer.cy.edges('[!group]').length} links${groups ? ` · ${groups} groups` : ''}${filtered ? ` · ${filtered} filtered out` : ''}${hidden ? ` · ${hidden} hidden` : ''}`;
    layout.value = viewer.layout;
    webgl.checked = viewer.webgl;
    tableBtn.setAttribute('aria-pressed', String(table.visible()));
    invName.textContent = viewer.investigation ? `“${viewer.investigation.name}”` : '';
  };
  viewer.on('graph', refresh);
  viewer.on('investigation', refresh);
  refresh();
}
