// Signing in with an API key: a dialog takes the key, the `me` query checks it, and only a key
// the API accepts is kept (sessionStorage, this tab only). The toolbar shows who is signed in;
// signing in or out, or the API refusing the key later, reloads what is on screen under the new
// clearance so nothing read as the old caller stays.
import { forgetKey, GraphQLRequestError, onKeyRefused, rememberKey, storedKey } from '../data/client.js';
import * as api from '../data/queries.js';
import { h } from '../dom.js';
import type { Caller } from '../types.js';
import type { Viewer } from '../viewer.js';

export interface Account {
  /** Who the requests run as (null until known, and when anonymous). */
  caller(): Caller | null;
  /** Opens the sign-in dialog. */
  open(): void;
}

export const describeCaller = (c: Caller): string => `${c.name} · ${c.role} · TLP:${c.clearance}`;

export function mountSignIn(viewer: Viewer, root: HTMLElement): Account {
  let caller: Caller | null = null;
  const who = h('span', { class: 'who', id: 'who', role: 'status', 'aria-live': 'polite' });
  const signInBtn = h('button', { type: 'button', id: 'sign-in', title: 'Sign in with an API key to see what your clearance allows', onclick: () => openDialog() }, 'Sign in');
  const signOutBtn = h('button', { type: 'button', id: 'sign-out', title: 'Forget the key and continue anonymously (TLP:CLEAR)', hidden: true, onclick: () => void signOut() }, 'Sign out');
  root.append(h('div', { class: 'group account', id: 'account' }, who, signInBtn, signOutBtn));

  const show = (note?: string) => {
    const keyed = caller !== null || storedKey() !== null;
    signInBtn.hidden = keyed;
    signOutBtn.hidden = !keyed;
    who.classList.toggle('warn', !keyed && !!note);
    who.textContent = caller ? describeCaller(caller) : keyed ? 'signed in (checking the key …)' : note ?? 'anonymous · TLP:CLEAR';
    who.title = caller ? `Signed in as ${caller.name} (key ${caller.keyId ?? ''}): role ${caller.role}, sees up to TLP:${caller.clearance}` : 'Not signed in: you see TLP:CLEAR data only';
  };

  /** Re-reads what is on screen as the new caller: hidden nodes vanish, newly visible links appear. */
  const reload = async () => {
    await viewer.whenIdle();
    viewer.emit('caller');
    if (viewer.cy.nodes().length) await viewer.restore(viewer.viewState());
  };

  const signOut = async (note?: string) => {
    forgetKey();
    caller = null;
    show(note);
    await reload();
    viewer.status(note ? `${note[0].toUpperCase()}${note.slice(1)}: you now see TLP:CLEAR data only` : 'Signed out: you now see TLP:CLEAR data only', note ? 'error' : 'info');
  };

  onKeyRefused(() => void signOut('signed out: key refused'));

  const openDialog = () => {
    const input = h('input', {
      type: 'password', id: 'api-key', autocomplete: 'off', spellcheck: 'false', required: true, placeholder: 'dgk_…',
      'aria-describedby': 'sign-in-hint sign-in-error',
    });
    const error = h('p', { class: 'hint', id: 'sign-in-error', role: 'alert' });
    const confirm = h('button', { type: 'submit', class: 'primary', id: 'sign-in-confirm' }, 'Sign in');
    const dialog = h('dialog', { class: 'dialog', id: 'sign-in-dialog', 'aria-labelledby': 'sign-in-h' },
      h('form', { method: 'dialog' },
        h('h2', { id: 'sign-in-h' }, 'Sign in'),
        h('label', { class: 'field' }, h('span', {}, 'API key'), input),
        h('p', { class: 'hint', id: 'sign-in-hint' },
          'Paste your API key (dgk_…). It stays in this browser tab only and is sent with every request; closing the tab or Sign out forgets it.'),
        error,
        h('div', { class: 'row end' },
          h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel'),
          confirm)));
    dialog.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const key = input.value.trim();
      if (!key) return;
      confirm.disabled = true;
      error.className = 'hint';
      error.textContent = 'Checking the key …';
      api.me(key).then(async (me) => {
        if (!me.keyId) throw new GraphQLRequestError('the API did not recognise a key', ['UNAUTHENTICATED']);
        rememberKey(key);
        caller = me;
        dialog.close();
        show();
        await reload();
        viewer.status(`Signed in as ${describeCaller(me)}`);
      }, (e: Error) => {
        const refused = e instanceof GraphQLRequestError && e.codes.includes('UNAUTHENTICATED');
        error.className = 'error';
        error.textContent = refused
          ? 'This key was refused (unknown, mistyped or revoked). It was not kept.'
          : `Could not check the key: ${e.message}`;
        input.value = '';
        input.focus();
      }).finally(() => { confirm.disabled = false; });
    });
    dialog.addEventListener('close', () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  };

  // A key kept from earlier in this tab: show who it is (a refused one signs out through onKeyRefused).
  show();
  if (storedKey()) {
    void api.me().then((me) => {
      if (!me.keyId) return; // refused: onKeyRefused has signed out
      caller = me;
      show();
    }, () => undefined);
  }

  return { caller: () => caller, open: openDialog };
}
