// Merge candidates (docs/resolution.md, "In the viewer"): the pairs mergeCandidates proposes,
// filtered by kind and minimum score and paged, each with its score and reasons; picking one
// compares the two side by side (candidate-compare.ts). Analysts merge, judge and undo merges;
// other callers see the list read-only and are told why. After a merge or an undo the graph on
// screen is read again, so merged nodes vanish and restored ones come back.
import { storedKey } from '../data/client.js';
import * as api from '../data/queries.js';
import { byId, day, h } from '../dom.js';
import { KIND_STYLE } from '../graph/style.js';
import { KINDS, type Caller, type EntityKind } from '../types.js';
import type { Viewer } from '../viewer.js';
import { renderComparison } from './candidate-compare.js';

/** Candidates per page. */
const PAGE = 20;

export interface CandidatesView { toggle(show?: boolean): void; visible(): boolean }

export function mountCandidates(viewer: Viewer): CandidatesView {
  const root = byId('candidates-view');
  let me: Caller | null = null;
  let page: api.CandidatePage | null = null;
  /** Cursors of the pages before this one (the first page has none). */
  const cursors: Array<string | null> = [null];
  let current: api.MergeCandidate | null = null;
  let token = 0;

  const canWrite = () => storedKey() !== null && !!me?.keyId && (me.role === 'ANALYST' || me.role === 'ADMIN');

  const kind = h('select', { id: 'candidates-kind', 'aria-label': 'kind' },
    h('option', { value: '' }, 'All kinds'), ...KINDS.map((k) => h('option', { value: k }, KIND_STYLE[k].label)));
  const minScore = h('input', { type: 'number', id: 'candidates-min', min: 0, max: 1, step: 0.05, value: '0.5', 'aria-label': 'minimum score' });
  const roleNote = h('p', { class: 'hint', id: 'candidates-role', role: 'status' });
  const list = h('ol', { class: 'candidate-list', id: 'candidate-list', 'aria-label': 'merge candidates' });
  const pager = h('span', { class: 'muted', id: 'candidates-count' });
  const prev = h('button', { type: 'button', id: 'candidates-prev', onclick: () => void load(cursors.length - 2) }, '‹ Previous');
  const next = h('button', { type: 'button', id: 'candidates-next', onclick: () => void load(cursors.length) }, 'Next ›');
  const compare = h('div', { class: 'candidate-compare', id: 'candidate-compare', 'aria-live': 'polite' });
  const merges = h('ul', { class: 'merge-list', id: 'merge-list', 'aria-label': 'recent merges' });
  const close = h('button', { type: 'button', class: 'mini', id: 'candidates-close', title: 'close (Esc)', 'aria-label': 'close the candidates panel', onclick: () => toggle(false) }, '×');

  const showRole = () => {
    roleNote.className = canWrite() ? 'hint' : 'notice';
    roleNote.textContent = canWrite()
      ? `Signed in as ${me?.name ?? ''} (${me?.role ?? ''}): you may merge, judge and undo.`
      : me?.keyId
        ? `Your key is a ${me.role.toLowerCase()} key: the list is read-only. Merging and judging need an analyst key.`
        : 'Read-only: sign in with an analyst key to merge, judge or undo merges.';
  };

  const reasonText = (c: api.MergeCandidate) => c.reasons.map((r) => `${r.kind.replace(/_/g, ' ').toLowerCase()}: ${r.detail}`).join(' · ');

  const renderList = () => {
    if (!page) return;
    const from = (cursors.length - 1) * PAGE;
    pager.textContent = page.totalCount ? `${from + 1}–${from + page.items.length} of ${page.totalCount}` : 'No candidates';
    prev.disabled = cursors.length <= 1;
    next.disabled = !page.hasNextPage;
    if (!page.items.length) {
      list.replaceChildren(h('li', { class: 'empty' }, 'No pairs at this score: lower the minimum score or pick another kind.'));
      return;
    }
    list.replaceChildren(...page.items.map((c) => {
      const active = current?.a.id === c.a.id && current?.b.id === c.b.id;
      return h('li', { 'data-a': c.a.id, 'data-b': c.b.id, class: active ? 'active' : '' },
        h('button', { type: 'button', class: 'candidate', 'aria-pressed': active ? 'true' : 'false', onclick: () => void pick(c) },
          h('span', { class: 'candidate-score', title: 'how likely the two are one, 0–1' }, c.score.toFixed(2)),
          h('span', { class: 'candidate-names' }, `${c.a.name} ⇄ ${c.b.name}`),
          h('span', { class: 'candidate-kind muted' }, KIND_STYLE[c.a.kind].label),
          c.judgement ? h('span', { class: 'judgement' }, c.judgement) : null,
          h('span', { class: 'candidate-reasons' }, reasonText(c))));
    }));
  };

  /** Loads page `i` (0 = first); cursors[i] is the cursor to continue after. `announce`: say the count in the status line. */
  const load = async (i: number, announce = true) => {
    const t = ++token;
    const after = i <= 0 ? null : cursors[i] ?? page?.endCursor ?? null;
    const min = Math.max(0, Math.min(1, Number(minScore.value) || 0));
    const got = await viewer.task('Reading merge candidates', () => api.mergeCandidates((kind.value || null) as EntityKind | null, min, PAGE, after));
    if (!got || t !== token) return;
    if (i <= 0) cursors.splice(0, cursors.length, null);
    else if (i >= cursors.length) cursors.push(after);
    else cursors.splice(i + 1);
    page = got;
    renderList();
    if (announce) viewer.status(`${got.totalCount} merge candidate${got.totalCount === 1 ? '' : 's'} at score ≥ ${min}`);
  };

  const renderMerges = async () => {
    const rows = await api.recentMerges(10).catch(() => []);
    merges.replaceChildren(...(rows.length ? rows.map((m) => h('li', { 'data-merge': m.id, class: m.undoneAt ? 'undone' : '' },
      h('span', {}, `${m.from.join(', ')} → ${m.into}`),
      h('span', { class: 'muted' }, ` · ${m.actor} · ${day(m.at)}${m.undoneAt ? ' · undone' : ''}`),
      !m.undoneAt && canWrite() ? h('button', { type: 'button', class: 'undo-merge', title: 'give back the merged entities with their links and citations', onclick: () => void undo(m) }, 'Undo') : null))
      : [h('li', { class: 'empty' }, 'No merges yet.')]));
  };

  /**
   * Reads the drawn view again after the graph's facts changed: `drop` ids leave, `add` ids
   * join (placed by the layout). The view's undo history goes with it: it held the old ids.
   */
  const redraw = async (drop: string[], add: string[]) => {
    const state = viewer.viewState();
    const drawn = new Set(state.nodes.map((n) => n.id));
    const adding = add.filter((id) => !drawn.has(id));
    if (!drop.some((id) => drawn.has(id)) && !adding.length) return;
    const gone = new Set(drop);
    await viewer.restore({
      ...state,
      nodes: [...state.nodes.filter((n) => !gone.has(n.id)), ...adding.map((id) => ({ id }))],
      hidden: state.hidden.filter((id) => !gone.has(id)),
      selected: state.selected && gone.has(state.selected) ? null : state.selected,
    });
  };

  const merge = async (into: string, from: string, reason: string) => {
    const r = await api.mergeEntities(into, [from], reason || `merged in the viewer (score ${current?.score.toFixed(2) ?? '?'})`);
    const drawn = viewer.cy.getElementById(from).nonempty();
    await redraw([from], drawn ? [into] : []);
    current = null;
    compare.replaceChildren(h('p', { class: 'hint', id: 'candidate-message' }, `Merged into ${r.entity.name}.`));
    await Promise.all([load(cursors.length - 1, false), renderMerges()]);
    // Said last, so that the redraw's and the list's own messages do not cover it.
    viewer.status(`Merged ${from} into ${r.entity.name}: ${r.linksMoved} links moved, ${r.linksCombined} combined. Undo it under “Recent merges”.`);
  };

  const undo = async (m: api.MergeRecordRow) => {
    await viewer.task('Undoing the merge', async () => {
      const r = await api.unmergeEntities(m.id);
      const survivorDrawn = viewer.cy.getElementById(m.into).nonempty();
      await redraw([], survivorDrawn ? r.restored.map((e) => e.id) : []);
      await Promise.all([load(cursors.length - 1, false), renderMerges()]);
      viewer.status(`Merge undone: ${r.restored.map((e) => e.name).join(', ')} back with ${r.linksRestored} links`);
    });
  };

  const judge = async (verdict: api.Verdict, note: string) => {
    if (!current) return;
    const c = current;
    await api.judgeCandidate(c.a.id, c.b.id, verdict, note || null);
    if (verdict === 'DIFFERENT') {
      current = null;
      compare.replaceChildren(h('p', { class: 'hint', id: 'candidate-message' }, 'Judged different: the pair leaves the list.'));
    }
    await load(cursors.length - 1, false);
    if (verdict !== 'DIFFERENT') {
      const again = page?.items.find((x) => x.a.id === c.a.id && x.b.id === c.b.id);
      if (again) await pick(again);
    }
    viewer.status(verdict === 'DIFFERENT' ? `${c.a.name} and ${c.b.name} judged different: not proposed again` : `${c.a.name} / ${c.b.name} marked ${verdict}`);
  };

  const pick = async (c: api.MergeCandidate) => {
    current = c;
    renderList();
    await viewer.task('Comparing', () => renderComparison(viewer, compare, c, { canWrite, merge, judge }));
  };

  const refreshCaller = async () => {
    me = await api.me().catch(() => null);
    showRole();
  };

  for (const el of [kind, minScore]) el.addEventListener('change', () => { current = null; compare.replaceChildren(); void load(0); });
  root.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && !(ev.target as HTMLElement).closest('input, select')) { ev.stopPropagation(); toggle(false); }
    // ↑/↓ move between candidates, as in the table view.
    const item = (ev.target as HTMLElement).closest('.candidate');
    if (!item || (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp')) return;
    const all = [...list.querySelectorAll<HTMLElement>('.candidate')];
    all[all.indexOf(item as HTMLElement) + (ev.key === 'ArrowDown' ? 1 : -1)]?.focus();
    ev.preventDefault();
  });

  root.append(
    h('div', { class: 'candidates-head' },
      h('h2', { id: 'candidates-h' }, 'Merge candidates'),
      h('label', { class: 'compact' }, 'Kind ', kind),
      h('label', { class: 'compact' }, 'Score ≥ ', minScore),
      h('button', { type: 'button', id: 'candidates-refresh', onclick: () => void load(0) }, 'Refresh'),
      close),
    roleNote,
    h('div', { class: 'candidates-body' },
      h('div', { class: 'candidates-list-col' },
        list,
        h('div', { class: 'row' }, prev, next, pager),
        h('details', { class: 'merges' }, h('summary', {}, 'Recent merges'), merges)),
      compare));

  viewer.on('caller', () => {
    if (root.hidden) return;
    void refreshCaller().then(() => { current = null; compare.replaceChildren(); return Promise.all([load(0), renderMerges()]); });
  });

  const toggle = (show?: boolean) => {
    root.hidden = !(show ?? root.hidden);
    document.body.classList.toggle('with-candidates', !root.hidden);
    viewer.cy.resize();
    toggleBtn.setAttribute('aria-pressed', String(!root.hidden));
    if (root.hidden) { toggleBtn.focus({ preventScroll: true }); return; }
    void refreshCaller().then(() => Promise.all([load(0), renderMerges()])).then(() => {
      (list.querySelector<HTMLElement>('.candidate') ?? kind).focus({ preventScroll: true });
    });
  };
  const toggleBtn = h('button', { type: 'button', id: 'toggle-candidates', 'aria-pressed': 'false', 'aria-controls': 'candidates-view',
    title: 'Entities that are probably the same: compare, merge, judge, undo', onclick: () => toggle() }, 'Duplicates');
  const account = document.getElementById('account');
  const group = h('div', { class: 'group' }, toggleBtn);
  if (account) account.before(group); else byId('toolbar').append(group);
  return { toggle, visible: () => !root.hidden };
}
