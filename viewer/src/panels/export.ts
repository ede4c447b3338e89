// Export (PNG, JSON with positions) and saved investigations (stored in Neo4j through the API).
import * as api from '../data/queries.js';
import { h } from '../dom.js';
import type { Viewer } from '../viewer.js';

function stamp(): string {
  return new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
}

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function exportPng(viewer: Viewer): void {
  const blob = viewer.cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff', maxWidth: 8000, maxHeight: 8000 });
  download(blob, `disinfo-graph-${stamp()}.png`);
}

/** Elements with data and positions, plus the filters: enough to rebuild the view elsewhere. */
export function viewJson(viewer: Viewer): object {
  return {
    format: 'disinfo-graph-view/1',
    exportedAt: new Date().toISOString(),
    filters: viewer.filters,
    layout: viewer.layout,
    elements: viewer.cy.elements().jsons(),
  };
}

export function exportJson(viewer: Viewer): void {
  download(new Blob([JSON.stringify(viewJson(viewer), null, 1)], { type: 'application/json' }), `disinfo-graph-${stamp()}.json`);
}

/** Asks for a name in a <dialog>, saves, and puts ?inv=<id> in the URL so it reopens by link. */
export function saveDialog(viewer: Viewer): void {
  const name = h('input', { type: 'text', id: 'investigation-name', required: true, maxlength: 200, value: viewer.investigation?.name ?? '' });
  const asNew = h('input', { type: 'checkbox', id: 'save-as-new' });
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'save-h' },
    h('form', { method: 'dialog' },
      h('h2', { id: 'save-h' }, 'Save investigation'),
      h('label', { class: 'field' }, h('span', {}, 'Name'), name),
      viewer.investigation ? h('label', { class: 'field inline' }, asNew, h('span', {}, `Save as a new investigation (instead of updating “${viewer.investigation.name}”)`)) : null,
      h('p', { class: 'hint' }, `Stores the ${viewer.cy.nodes().length} nodes, their positions, the filters and the layout.`),
      h('div', { class: 'row end' },
        h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel'),
        h('button', { type: 'submit', class: 'primary', id: 'save-confirm' }, 'Save'))));
  dialog.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const title = name.value.trim();
    if (!title) return;
    dialog.close();
    void viewer.task('Saving', async () => {
      const state = { ...viewer.viewState(), investigation: undefined };
      const saved = await api.saveInvestigation(title, state, asNew.checked ? undefined : viewer.investigation?.id);
      viewer.investigation = { id: saved.id, name: saved.name };
      viewer.emit('investigation', saved);
      viewer.status(`Saved “${saved.name}”. Its link: ${location.origin}${location.pathname}?inv=${encodeURIComponent(saved.id)}`);
    });
  });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  name.focus();
}

export function openDialog(viewer: Viewer, open: (id: string) => void): void {
  const list = h('ul', { class: 'investigations' }, h('li', { class: 'loading' }, 'Loading …'));
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'open-h' },
    h('h2', { id: 'open-h' }, 'Saved investigations'), list,
    h('div', { class: 'row end' }, h('button', { type: 'button', onclick: () => dialog.close() }, 'Close')));
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  api.listInvestigations().then((items) => {
    list.replaceChildren(...items.map((inv) => h('li', {},
      h('button', { type: 'button', class: 'entity-link', onclick: () => { dialog.close(); open(inv.id); } }, inv.name),
      h('span', { class: 'muted' }, ` saved ${inv.updatedAt.slice(0, 16).replace('T', ' ')}`))));
    if (!items.length) list.replaceChildren(h('li', { class: 'empty' }, 'Nothing saved yet.'));
  }, (e: Error) => list.replaceChildren(h('li', { class: 'error' }, `Could not list: ${e.message}`)));
}
