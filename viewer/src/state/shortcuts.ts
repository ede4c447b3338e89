// Keyboard shortcuts for the graph (the search box owns "/"; the table owns its own keys).
import type { TableView } from '../panels/table.js';
import type { Viewer } from '../viewer.js';

export function bindShortcuts(viewer: Viewer, table: TableView): void {
  document.addEventListener('keydown', (ev) => {
    const t = ev.target as HTMLElement;
    if (t.closest('input, textarea, select, [contenteditable], dialog')) return;
    const mod = ev.ctrlKey || ev.metaKey;
    const key = ev.key.toLowerCase();
    const selected = viewer.cy.elements(':selected');
    if (mod && key === 'z') {
      if (ev.shiftKey) viewer.history.redo(); else viewer.history.undo();
    } else if (mod && key === 'y') {
      viewer.history.redo();
    } else if (mod || ev.altKey) {
      return;
    } else if (key === 'delete' || key === 'backspace') {
      viewer.remove(selected);
    } else if (key === 'h') {
      viewer.hide(selected);
    } else if (key === 'e') {
      selected.nodes().forEach((n) => void viewer.expand(n.id()));
    } else if (key === 'c') {
      selected.nodes().forEach((n) => viewer.collapse(n.id()));
    } else if (key === 'f') {
      viewer.fit();
    } else if (key === 't') {
      table.toggle();
    } else if (key === 'escape') {
      viewer.clearPaths();
      selected.unselect();
    } else {
      return;
    }
    ev.preventDefault();
  });
}
