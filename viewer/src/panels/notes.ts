// Notes in the details panel: the notes on the shown entity, link or open investigation (newest
// first, with author, time and TLP), a form to add one, and Delete for the author or an admin.
// A note is never marked below what it annotates, so the TLP picker starts at the target's marking
// and stops at the caller's clearance.
import { storedKey } from '../data/client.js';
import * as notesApi from '../data/notes.js';
import * as api from '../data/queries.js';
import { h } from '../dom.js';
import { TLPS, type Caller, type Tlp } from '../types.js';
import type { Viewer } from '../viewer.js';
import { NOTE_MAX_LENGTH } from '../../../model/notes.js';

let me: Promise<Caller | null> | null = null;

/** Who the requests run as, asked once per signed-in key (null when anonymous or unknown). */
function caller(): Promise<Caller | null> {
  me ??= storedKey() ? api.me().catch(() => null) : Promise.resolve(null);
  return me;
}

/** The description of each investigation seen (opened, saved or renamed). */
const descriptions = new Map<string, string | null>();

/** Forgets who was signed in when the caller changes; remembers investigations' descriptions. */
export function bindNotesCaller(viewer: Viewer): void {
  viewer.on('caller', () => { me = null; });
  viewer.on('investigation', (detail) => {
    const inv = detail as { id?: string; description?: string | null } | undefined;
    if (inv?.id && inv.description !== undefined) descriptions.set(inv.id, inv.description);
  });
}

/** With an investigation open: its name, description and notes (shown when nothing is selected). */
export function investigationNotes(viewer: Viewer): HTMLElement | string {
  const inv = viewer.investigation;
  if (!inv) return '';
  const description = descriptions.get(inv.id);
  return h('section', { class: 'investigation-notes', 'data-investigation': inv.id },
    h('h3', {}, `Investigation “${inv.name}”`),
    description ? h('p', { class: 'description inv-description' }, description) : null,
    // Anyone may open an investigation: its notes have no floor beyond their own marking.
    notesSection(viewer, inv.id, 'CLEAR'));
}

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
const rank = (t: Tlp) => TLPS.indexOf(t);

/**
 * A "Notes" section for `target` (an entity, link or investigation id). `floor` is the target's
 * marking: new notes are marked at least that high.
 */
export function notesSection(viewer: Viewer, target: string, floor: Tlp): HTMLElement {
  const heading = h('h3', {}, 'Notes');
  const list = h('ul', { class: 'note-list' }, h('li', { class: 'loading muted' }, 'Loading notes …'));
  const formSlot = h('div', { class: 'note-form-slot' });
  const section = h('section', { class: 'notes', 'data-target': target, 'aria-label': 'notes' }, heading, list, formSlot);
  let who: Caller | null = null;

  const render = (notes: notesApi.Note[]) => {
    heading.textContent = `Notes (${notes.length})`;
    list.replaceChildren(...notes.map(noteView));
    if (!notes.length) list.replaceChildren(h('li', { class: 'muted empty' }, 'No notes yet.'));
  };
  const reload = () => notesApi.notesOn(target).then(render, (e: Error) => list.replaceChildren(h('li', { class: 'error' }, `Could not load notes: ${e.message}`)));

  const noteView = (n: notesApi.Note) => {
    const mine = !!who && (who.role === 'ADMIN' || (n.authorKeyId !== null && n.authorKeyId === who.keyId));
    const actions = h('span', { class: 'note-actions' });
    const askDelete = () => actions.replaceChildren(
      h('span', { class: 'muted' }, 'Delete this note? '),
      h('button', { type: 'button', class: 'mini danger note-delete-confirm', onclick: () => void notesApi.deleteNote(n.id).then(reload, (e: Error) => viewer.status(`Could not delete the note: ${e.message}`, 'error')) }, 'Delete'),
      h('button', { type: 'button', class: 'mini', onclick: () => showDelete() }, 'Keep'));
    const showDelete = () => actions.replaceChildren(mine ? h('button', { type: 'button', class: 'mini note-delete', title: 'Delete this note (asks first)', onclick: askDelete }, 'Delete') : '');
    showDelete();
    return h('li', { class: 'note', 'data-id': n.id },
      h('div', { class: 'note-meta' },
        h('span', { class: 'note-author' }, n.author), h('span', { class: 'muted' }, ` · ${when(n.createdAt)} `),
        h('span', { class: `tlp tlp-${n.tlp.toLowerCase()}` }, `TLP:${n.tlp}`), actions),
      h('p', { class: 'note-text' }, n.text));
  };

  const form = (c: Caller | null) => {
    if (!c || c.role === 'READER') {
      return h('p', { class: 'hint note-sign-in' }, c ? 'Adding notes needs an analyst key; yours is a reader key.' : 'Sign in with an analyst key to add notes.');
    }
    const text = h('textarea', { class: 'note-text-input', rows: 3, maxlength: NOTE_MAX_LENGTH, 'aria-label': 'new note', placeholder: 'Add a note …' });
    const tlp = h('select', { class: 'note-tlp', 'aria-label': 'the note’s TLP', title: `At least TLP:${floor}, the marking of what it annotates` },
      ...TLPS.filter((t) => rank(t) >= rank(floor) && rank(t) <= rank(c.clearance)).map((t) => h('option', { value: t }, `TLP:${t}`)));
    const message = h('span', { class: 'hint note-message', role: 'status' });
    const add = h('button', { type: 'submit', class: 'note-add' }, 'Add note');
    const f = h('form', { class: 'note-form' }, text, h('div', { class: 'row' }, tlp, add, message));
    f.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (!text.value.trim()) { message.textContent = 'Write something first.'; return; }
      add.disabled = true;
      message.className = 'hint note-message';
      message.textContent = 'Saving …';
      notesApi.addNote(target, text.value, tlp.value as Tlp).then(async () => {
        text.value = '';
        message.textContent = 'Added.';
        await reload();
      }, (e: Error) => {
        message.className = 'error note-message';
        message.textContent = `Not added: ${e.message}`;
      }).finally(() => { add.disabled = false; });
    });
    return f;
  };

  void caller().then((c) => {
    who = c;
    formSlot.replaceChildren(form(c));
    return reload();
  });
  return section;
}
