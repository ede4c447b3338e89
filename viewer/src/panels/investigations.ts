// Saved investigations (stored in Neo4j through the API): the Save dialog (name, description and
// an optional note on the investigation) and the Open dialog, which lists them with owner,
// description, notes and last change, and lets the owner or an admin rename or delete one
// (deleting asks first; nothing is deleted otherwise).
import { GraphQLRequestError, storedKey } from '../data/client.js';
import * as notesApi from '../data/notes.js';
import * as api from '../data/queries.js';
import { h } from '../dom.js';
import { TLPS, type Caller, type Investigation, type Tlp } from '../types.js';
import type { Viewer } from '../viewer.js';
import type { Account } from './sign-in.js';

/** Who owns each investigation seen (opened or saved), and its description. */
const known = new Map<string, Pick<Investigation, 'owner' | 'ownerKeyId' | 'description'>>();

/** Remembers the owner of every investigation the viewer opens or saves. */
export function trackOwners(viewer: Viewer): void {
  viewer.on('investigation', (detail) => {
    const inv = detail as Partial<Investigation> | undefined;
    if (inv?.id && inv.owner !== undefined) known.set(inv.id, { owner: inv.owner, ownerKeyId: inv.ownerKeyId ?? null, description: inv.description ?? null });
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

const mayChange = (me: Caller | null, inv: { ownerKeyId: string | null }) =>
  !!me && me.role !== 'READER' && (me.role === 'ADMIN' || (inv.ownerKeyId !== null && inv.ownerKeyId === me.keyId));

/** TLP choices for a note on an investigation: CLEAR up to the caller's clearance. */
const tlpPicker = (id: string, me: Caller | null) => h('select', { id, 'aria-label': 'the note’s TLP' },
  ...TLPS.filter((t) => TLPS.indexOf(t) <= TLPS.indexOf(me?.clearance ?? 'CLEAR')).map((t) => h('option', { value: t }, `TLP:${t}`)));

/**
 * Asks for a name (and a description, and optionally a note) in a <dialog>, saves, and puts
 * ?inv=<id> in the URL so it reopens by link. Saving needs an analyst key; overwriting needs the
 * owner's key or an admin's.
 */
export function saveDialog(viewer: Viewer, account: Account): void {
  const me = account.caller();
  const keyed = storedKey() !== null;
  const canWrite = keyed && me?.role !== 'READER';
  const current = viewer.investigation;
  const seen = current ? known.get(current.id) : undefined;
  const mayOverwrite = !seen || !me || mayChange(me, seen);
  const name = h('input', { type: 'text', id: 'investigation-name', required: true, maxlength: 200, value: current?.name ?? '' });
  const description = h('textarea', { id: 'investigation-description', rows: 2, maxlength: 2000 });
  description.value = seen?.description ?? '';
  const note = h('textarea', { id: 'investigation-note', rows: 2, maxlength: 10_000, placeholder: 'optional: a note on this investigation' });
  const noteTlp = tlpPicker('investigation-note-tlp', me);
  const asNew = h('input', { type: 'checkbox', id: 'save-as-new', checked: !!current && !mayOverwrite });
  const message = h('p', { class: canWrite ? 'hint' : 'error', id: 'save-message', role: 'alert' },
    canWrite ? '' : me?.role === 'READER' ? `${NEEDS_ANALYST} Your key is a reader key.` : NEEDS_ANALYST);
  const confirm = h('button', { type: 'submit', class: 'primary', id: 'save-confirm', disabled: !canWrite }, 'Save');
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'save-h', 'aria-describedby': 'save-message' },
    h('form', { method: 'dialog' },
      h('h2', { id: 'save-h' }, 'Save investigation'),
      h('label', { class: 'field' }, h('span', {}, 'Name'), name),
      h('label', { class: 'field' }, h('span', {}, 'About'), description),
      h('label', { class: 'field' }, h('span', {}, 'Note'), note),
      h('label', { class: 'field' }, h('span', {}, 'Note TLP'), noteTlp),
      current ? h('label', { class: 'field inline' }, asNew, h('span', {}, `Save as a new investigation (instead of updating “${current.name}”)`)) : null,
      current && !mayOverwrite && seen
        ? h('p', { class: 'hint', id: 'save-owner' }, `${OWNER_ONLY} “${current.name}” belongs to ${seen.owner}; it will be saved as a new one.`) : null,
      h('p', { class: 'hint' }, `Stores the ${viewer.cy.nodes('[!group]').length} nodes, their positions, the filters, the layout, collapsed clusters and the cluster colouring.`),
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
    const noteText = note.value.trim();
    void viewer.task('Saving', async () => {
      try {
        const saved = await api.saveInvestigation(title, state, asNew.checked ? undefined : current?.id, description.value);
        // The note goes on once the investigation exists; a refused note leaves the save as it is.
        const noted = noteText ? await notesApi.addNote(saved.id, noteText, noteTlp.value as Tlp).then(() => '', (e: Error) => ` The note was not added: ${e.message}`) : '';
        dialog.close();
        viewer.investigation = { id: saved.id, name: saved.name };
        viewer.emit('investigation', saved);
        viewer.status(`Saved “${saved.name}”. Its link: ${location.origin}${location.pathname}?inv=${encodeURIComponent(saved.id)}${noted}`, noted ? 'error' : 'info');
      } catch (e) {
        message.className = 'error';
        message.textContent = saveError(e as Error, account.caller());
        confirm.disabled = false;
        viewer.status(message.textContent, 'error');
      }
    });
  });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  name.focus();
}

const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Lists saved investigations; the owner or an admin may rename or delete (after a confirmation) each. */
export function openDialog(viewer: Viewer, open: (id: string) => void, account: Account): void {
  const list = h('ul', { class: 'investigations' }, h('li', { class: 'loading' }, 'Loading …'));
  const dialog = h('dialog', { class: 'dialog', id: 'open-dialog', 'aria-labelledby': 'open-h' },
    h('h2', { id: 'open-h' }, 'Saved investigations'), list,
    h('div', { class: 'row end' }, h('button', { type: 'button', onclick: () => dialog.close() }, 'Close')));
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();

  const row = (inv: notesApi.ListedInvestigation): HTMLLIElement => {
    const me = account.caller();
    const actions = h('span', { class: 'inv-actions' });
    const li = h('li', { 'data-id': inv.id },
      h('button', { type: 'button', class: 'entity-link inv-open', onclick: () => { dialog.close(); open(inv.id); } }, inv.name),
      h('span', { class: 'muted inv-meta' },
        ` · ${inv.owner} · changed ${when(inv.updatedAt)}${inv.updatedBy && inv.updatedBy !== inv.owner ? ` by ${inv.updatedBy}` : ''}`
        + `${inv.notes.length ? ` · ${plural(inv.notes.length, 'note')}` : ''}`),
      inv.description ? h('div', { class: 'inv-description' }, inv.description) : null,
      actions);
    const failed = (what: string) => (e: Error) => actions.replaceChildren(h('span', { class: 'error' }, `${what} failed: ${e.message}`));

    const showButtons = () => actions.replaceChildren(...(mayChange(me, inv) ? [
      h('button', { type: 'button', class: 'mini inv-rename', onclick: rename }, 'Rename'),
      h('button', { type: 'button', class: 'mini inv-delete', onclick: askDelete }, 'Delete'),
    ] : []));

    function rename(): void {
      const name = h('input', { type: 'text', class: 'inv-rename-name', 'aria-label': 'new name', required: true, maxlength: 200, value: inv.name });
      const about = h('input', { type: 'text', class: 'inv-rename-description', 'aria-label': 'description', maxlength: 2000, value: inv.description ?? '' });
      const form = h('form', { class: 'inv-rename-form' }, name, about,
        h('button', { type: 'submit', class: 'mini primary inv-rename-save' }, 'Save'),
        h('button', { type: 'button', class: 'mini', onclick: showButtons }, 'Cancel'));
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        if (!name.value.trim()) return;
        void notesApi.renameInvestigation(inv.id, name.value, about.value).then((renamed) => {
          if (viewer.investigation?.id === inv.id) viewer.investigation = { id: renamed.id, name: renamed.name };
          viewer.emit('investigation', renamed);
          li.replaceWith(row({ ...inv, ...renamed }));
        }, failed('Renaming'));
      });
      actions.replaceChildren(form);
      name.focus();
    }

    function askDelete(): void {
      const keep = h('button', { type: 'button', class: 'mini inv-delete-cancel', onclick: showButtons }, 'Cancel');
      actions.replaceChildren(
        h('span', { class: 'error' }, `Delete “${inv.name}”${inv.notes.length ? ` and its ${plural(inv.notes.length, 'note')}` : ''}? This cannot be undone. `),
        h('button', { type: 'button', class: 'mini danger inv-delete-confirm', onclick: () => void notesApi.deleteInvestigation(inv.id).then(() => {
          li.remove();
          if (viewer.investigation?.id === inv.id) {
            viewer.investigation = null;
            viewer.emit('investigation', null);
          }
          viewer.status(`Deleted the investigation “${inv.name}”.`);
        }, failed('Deleting')) }, 'Delete'),
        keep);
      keep.focus(); // the safe choice has the focus: Enter alone deletes nothing
    }

    showButtons();
    return li;
  };

  notesApi.investigationList().then((items) => {
    list.replaceChildren(...items.map(row));
    if (!items.length) list.replaceChildren(h('li', { class: 'empty' }, 'Nothing saved yet.'));
  }, (e: Error) => list.replaceChildren(h('li', { class: 'error' }, `Could not list: ${e.message}`)));
}
