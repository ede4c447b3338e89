// Export (PNG, JSON with positions) and saved investigations (stored in Neo4j through the API).
import { GraphQLRequestError, storedKey } from '../data/client.js';
import * as api from '../data/queries.js';
import { h } from '../dom.js';
import type { Caller, Investigation } from '../types.js';
import type { Viewer } from '../viewer.js';
import type { Account } from './sign-in.js';

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

// PNG, SVG, CSV, GraphML and the brief: ../export/download.ts.
export { exportPng } from '../export/download.js';

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

/** Who owns each investigation seen (opened or saved): to say up front when overwriting is not allowed. */
const owners = new Map<string, Pick<Investigation, 'owner' | 'ownerKeyId'>>();

/** Remembers the owner of every investigation the viewer opens or saves. */
export function trackOwners(viewer: Viewer): void {
  viewer.on('investigation', (detail) => {
    const inv = detail as Partial<Investigation> | undefined;
    if (inv?.id && inv.owner !== undefined) owners.set(inv.id, { owner: inv.owner, ownerKeyId: inv.ownerKeyId ?? null });
  });
}

const NEEDS_ANALYST = 'Sign in with an analyst key to save.';
const OWNER_ONLY = 'Only the owner or an admin can overwrite this investigation.';

/** Why the API refused a save, in the investigator's words. */
function saveError(e: Error, me: Caller | null): string {
  const codes = e instanceof GraphQLRequestError ? e.codes : [];
  if (codes.includes('UNAUTHENTICATED')) return NEEDS_ANALYST;
  if (codes.includes('FORBIDDEN')) {
    return me?.role === 'READER' ? `${NEEDS_ANALYST} Your key is a reader key.` : `${OWNER_ONLY} Tick “Save as a new investigation” to keep your own copy.`;
  }
  return `Saving failed: ${e.message}`;
}

/**
 * Asks for a name in a <dialog>, saves, and puts ?inv=<id> in the URL so it reopens by link.
 * Saving needs an analyst key; overwriting needs the owner's key or an admin's.
 */
export function saveDialog(viewer: Viewer, account: Account): void {
  const me = account.caller();
  const keyed = storedKey() !== null;
  const canWrite = keyed && me?.role !== 'READER';
  const current = viewer.investigation;
  const known = current ? owners.get(current.id) : undefined;
  const mayOverwrite = !known || !me || me.role === 'ADMIN' || (known.ownerKeyId !== null && known.ownerKeyId === me.keyId);
  const name = h('input', { type: 'text', id: 'investigation-name', required: true, maxlength: 200, value: current?.name ?? '' });
  const asNew = h('input', { type: 'checkbox', id: 'save-as-new', checked: !!current && !mayOverwrite });
  const message = h('p', { class: canWrite ? 'hint' : 'error', id: 'save-message', role: 'alert' },
    canWrite ? '' : me?.role === 'READER' ? `${NEEDS_ANALYST} Your key is a reader key.` : NEEDS_ANALYST);
  const confirm = h('button', { type: 'submit', class: 'primary', id: 'save-confirm', disabled: !canWrite }, 'Save');
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'save-h', 'aria-describedby': 'save-message' },
    h('form', { method: 'dialog' },
      h('h2', { id: 'save-h' }, 'Save investigation'),
      h('label', { class: 'field' }, h('span', {}, 'Name'), name),
      current ? h('label', { class: 'field inline' }, asNew, h('span', {}, `Save as a new investigation (instead of updating “${current.name}”)`)) : null,
      current && !mayOverwrite && known
        ? h('p', { class: 'hint', id: 'save-owner' }, `${OWNER_ONLY} “${current.name}” belongs to ${known.owner}; it will be saved as a new one.`) : null,
      h('p', { class: 'hint' }, `Stores the ${viewer.cy.nodes().length} nodes, their positions, the filters and the layout.`),
      message,
      h('div', { class: 'row end' },
        canWrite ? null : h('button', { type: 'button', id: 'save-sign-in', onclick: () => { dialog.close(); account.open(); } }, 'Sign in'),
        h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel'),
        confirm)));
  dialog.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const title = name.value.trim();
    if (!title) return;
    confirm.disabled = true;
    message.className = 'hint';
    message.textContent = 'Saving …';
    const state = { ...viewer.viewState(), investigation: undefined };
    void viewer.task('Saving', () => api.saveInvestigation(title, state, asNew.checked ? undefined : current?.id).then((saved) => {
      dialog.close();
      viewer.investigation = { id: saved.id, name: saved.name };
      viewer.emit('investigation', saved);
      viewer.status(`Saved “${saved.name}”. Its link: ${location.origin}${location.pathname}?inv=${encodeURIComponent(saved.id)}`);
    }, (e: Error) => {
      message.className = 'error';
      message.textContent = saveError(e, account.caller());
      confirm.disabled = false;
      viewer.status(message.textContent, 'error');
    }));
  });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  name.focus();
}

const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');

export function openDialog(viewer: Viewer, open: (id: string) => void): void {
  const list = h('ul', { class: 'investigations' }, h('li', { class: 'loading' }, 'Loading …'));
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'open-h' },
    h('h2', { id: 'open-h' }, 'Saved investigations'), list,
    h('div', { class: 'row end' }, h('button', { type: 'button', onclick: () => dialog.close() }, 'Close')));
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  api.listInvestigations().then((items) => {
    list.replaceChildren(...items.map((inv) => h('li', { 'data-id': inv.id },
      h('button', { type: 'button', class: 'entity-link', onclick: () => { dialog.close(); open(inv.id); } }, inv.name),
      h('span', { class: 'muted inv-meta' },
        ` · ${inv.owner} · changed ${when(inv.updatedAt)}${inv.updatedBy && inv.updatedBy !== inv.owner ? ` by ${inv.updatedBy}` : ''}`))));
    if (!items.length) list.replaceChildren(h('li', { class: 'empty' }, 'Nothing saved yet.'));
  }, (e: Error) => list.replaceChildren(h('li', { class: 'error' }, `Could not list: ${e.message}`)));
}
