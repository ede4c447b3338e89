// Networks: runs `clusters` (projection preset, method, minimum size) and colours the drawn
// members by cluster; lists the clusters (size, density, confidence, top shared items) with Show
// (select and fit the members, drawing those not on screen), Collapse / Expand, and for analysts
// Save; saved clusters can be renamed, annotated and promoted to a campaign (docs/clusters.md).
import * as api from '../data/cluster-queries.js';
import { me } from '../data/queries.js';
import { append, byId, h } from '../dom.js';
import { applyClusterColours, clusterColor, clusterNodeId, type Membership } from '../graph/clusters.js';
import type { Caller, Entity } from '../types.js';
import type { Viewer } from '../viewer.js';

export interface ClustersPanel {
  /** The projection preset picked in the panel (the ties view uses the same). */
  preset(): api.ProjectionPreset;
  run(): Promise<void>;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function mountClusters(viewer: Viewer): ClustersPanel {
  const root = byId('clusters-panel');
  const preset = h('select', { id: 'cluster-preset', 'aria-label': 'co-action projection', title: 'Which entities are tied, and by what (docs/clusters.md)' },
    ...api.PROJECTION_PRESETS.map((p) => h('option', { value: p }, p.toLowerCase())));
  const method = h('select', { id: 'cluster-method', 'aria-label': 'grouping method' },
    ...api.CLUSTER_METHODS.map((m) => h('option', { value: m }, m === 'WCC' ? 'components' : m.charAt(0) + m.slice(1).toLowerCase())));
  const minSize = h('input', { id: 'cluster-min-size', type: 'number', min: 2, max: 10000, value: 3, 'aria-label': 'smallest cluster size', title: 'Leave out clusters smaller than this' });
  const runBtn = h('button', { type: 'button', id: 'cluster-run', class: 'primary', onclick: () => void run() }, 'Colour by cluster');
  const clearBtn = h('button', { type: 'button', id: 'cluster-clear', disabled: true, onclick: () => clear() }, 'Clear');
  const summary = h('p', { class: 'hint', id: 'cluster-summary', 'aria-live': 'polite' });
  const list = h('ol', { class: 'cluster-list', id: 'cluster-list', 'aria-label': 'clusters' });
  const savedHead = h('h4', { class: 'sub-head', hidden: true }, 'Saved clusters');
  const savedList = h('ul', { class: 'cluster-list saved', id: 'saved-clusters', 'aria-label': 'saved clusters' });

  let found: api.ClusterFound[] = [];
  let ranWith: api.ProjectionPreset = 'DEFAULT';
  let membership: Membership = new Map();
  let caller: Caller | null = null;
  const canWrite = () => caller !== null && caller.keyId !== null && caller.role !== 'READER';

  const recolour = () => applyClusterColours(viewer.cy, membership);

  /** `quiet`: on a restore, whose own message (e.g. ids not found) must stay on the status line. */
  async function run(quiet = false): Promise<void> {
    const size = Math.max(2, Math.min(10000, Math.round(Number(minSize.value)) || 3));
    // As picked when the run starts: the selects may change while it waits.
    const by = preset.value as api.ProjectionPreset;
    const how = method.value as api.ClusterMethod;
    await viewer.task('Finding clusters', async () => {
      const r = await api.clusters(by, how, size, viewer.filters);
      found = r.clusters;
      ranWith = by;
      membership = new Map(found.flatMap((c, i) => c.members.map((m) => [m.id, { number: i + 1, color: clusterColor(i) }] as const)));
      recolour();
      const drawn = viewer.cy.nodes('[clusterColor]').length;
      summary.textContent = `${plural(r.total, 'cluster')} of ≥ ${size} among ${plural(r.nodes, 'tied member')} (${plural(r.ties, 'tie')})`
        + `${r.total > found.length ? `; the ${found.length} largest listed` : ''}${r.cached ? ' · cached' : ''}`;
      render();
      clearBtn.disabled = false;
      // In the view state (share URL, saved investigation): a restore runs it again.
      viewer.clustering = { preset: by, method: how, minSize: size };
      viewer.emit('clustering');
      if (!quiet) viewer.status(`${plural(r.total, 'cluster')} found; ${drawn} drawn node${drawn === 1 ? ' is' : 's are'} coloured by cluster`);
    }, { quiet });
  }

  function clear(): void {
    found = [];
    membership = new Map();
    recolour();
    list.replaceChildren();
    summary.textContent = '';
    clearBtn.disabled = true;
    if (viewer.clustering) {
      viewer.clustering = null;
      viewer.emit('clustering');
    }
  }

  /** Selects and fits the members, drawing first those not on screen (placed like any addition). */
  async function show(members: Entity[], label: string): Promise<void> {
    const ids = new Set(members.map((m) => m.id));
    const missing = members.filter((m) => viewer.cy.getElementById(m.id).empty());
    if (missing.length) {
      await viewer.addEntities(missing, false);
      recolour();
    }
    const cy = viewer.cy;
    const nodes = cy.nodes().filter((n) => (ids.has(n.id()) && !n.hasClass('in-collapsed')) || (n.data('group') === 'cluster' && (n.data('members') as Entity[]).some((m) => ids.has(m.id))));
    cy.elements(':selected').unselect();
    nodes.select();
    if (nodes.nonempty()) cy.animate({ fit: { eles: nodes, padding: 60 } }, { duration: 250 });
    viewer.status(`${label}: ${nodes.length} of ${members.length} members selected${missing.length ? ` (${missing.length} newly drawn)` : ''}`);
  }

  /**
   * The cluster's node when it is collapsed: by key, or else the node folding one of its members
   * (a restored cluster takes a drawn member's id as key when its own key member was not drawn).
   */
  const collapsedNode = (c: api.ClusterFound): string | null => {
    if (viewer.cy.getElementById(clusterNodeId(c.key)).nonempty()) return clusterNodeId(c.key);
    const ids = new Set(c.members.map((m) => m.id));
    const node = viewer.cy.nodes('[group = "cluster"]').filter((n) => (n.data('members') as Array<{ id: string }>).some((m) => ids.has(m.id)));
    return node.nonempty() ? node.first().id() : null;
  };
  const collapsed = (c: api.ClusterFound) => collapsedNode(c) !== null;

  function toggleCollapse(c: api.ClusterFound, i: number): void {
    const node = collapsedNode(c);
    if (node) viewer.expandCluster(node);
    else viewer.collapseCluster({ key: c.key, number: i + 1, size: c.size, color: clusterColor(i), members: c.members });
  }

  /** An inline form (keyboard: Tab through, Enter submits, Escape closes). */
  function form(fields: Array<[string, HTMLInputElement | HTMLTextAreaElement]>, submit: string, onSubmit: (done: () => void, fail: (m: string) => void) => Promise<void>): HTMLFormElement {
    const message = h('p', { class: 'error', role: 'alert' });
    const f = h('form', { class: 'inline-form' },
      ...fields.map(([label, input]) => h('label', {}, h('span', {}, label), input)),
      message,
      h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, submit), h('button', { type: 'button', onclick: () => f.remove() }, 'Cancel')));
    f.addEventListener('submit', (ev) => {
      ev.preventDefault();
      message.textContent = '';
      void onSubmit(() => f.remove(), (m) => { message.textContent = m; });
    });
    f.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.stopPropagation(); f.remove(); } });
    setTimeout(() => fields[0]?.[1].focus());
    return f;
  }

  /** Runs a write; a refusal is said in the form and on the status line. */
  const write = async (label: string, fail: (m: string) => void, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      fail((e as Error).message);
      viewer.status(`${label} failed: ${(e as Error).message}`, 'error');
    }
  };

  function saveForm(item: HTMLElement, c: api.ClusterFound, i: number): void {
    item.querySelector('form')?.remove();
    const name = h('input', { type: 'text', class: 'cluster-name', value: `Cluster ${i + 1}`, maxlength: 200, required: true });
    const note = h('textarea', { class: 'cluster-note', rows: 2, maxlength: 10000 });
    item.append(form([['Name', name], ['Note', note]], 'Save', (done, fail) => write('Saving the cluster', fail, async () => {
      const saved = await api.saveCluster(name.value, note.value || null, c.members.map((m) => m.id), ranWith);
      done();
      viewer.status(`Saved “${saved.name}” (${plural(saved.members.length, 'member')}, TLP:${saved.tlp})`);
      await loadSaved();
    })));
  }

  function render(): void {
    list.replaceChildren(...found.map((c, i) => {
      const item = h('li', { class: 'cluster-item', 'data-key': c.key, 'data-number': i + 1 });
      const drawn = c.members.filter((m) => viewer.cy.getElementById(m.id).nonempty()).length;
      append(item, [
        h('button', { type: 'button', class: 'cluster-show', title: 'Select and fit its members (draws those not on screen)', onclick: () => void show(c.members, `Cluster ${i + 1}`) },
          h('span', { class: 'swatch', style: `background:${clusterColor(i)}` }),
          h('span', { class: 'cluster-title' }, `Cluster ${i + 1} · ${plural(c.size, 'member')}`)),
        h('div', { class: 'cluster-stats' }, `density ${c.density.toFixed(2)} · confidence ${c.confidence} · ${plural(c.ties, 'tie')} · ${drawn} drawn`),
        c.topShared.length ? h('div', { class: 'cluster-shared' }, 'shared: ', c.topShared.map((s) => `${s.entity.name} (${s.count})`).join(', ')) : null,
        h('div', { class: 'row' },
          h('button', { type: 'button', class: 'cluster-collapse', onclick: () => toggleCollapse(c, i) }, collapsed(c) ? 'Expand' : 'Collapse'),
          canWrite() ? h('button', { type: 'button', class: 'cluster-save', onclick: () => saveForm(item, c, i) }, 'Save…') : null)]);
      return item;
    }));
  }

  /** Collapse / Expand labels and drawn counts follow the graph (undo, double-click on the cluster node). */
  function refreshItems(): void {
    list.querySelectorAll<HTMLElement>('.cluster-item').forEach((item) => {
      const i = Number(item.dataset.number) - 1;
      const c = found[i];
      if (!c) return;
      const btn = item.querySelector('.cluster-collapse');
      if (btn) btn.textContent = collapsed(c) ? 'Expand' : 'Collapse';
      const stats = item.querySelector('.cluster-stats');
      const drawn = c.members.filter((m) => viewer.cy.getElementById(m.id).nonempty()).length;
      if (stats) stats.textContent = `density ${c.density.toFixed(2)} · confidence ${c.confidence} · ${plural(c.ties, 'tie')} · ${drawn} drawn`;
    });
  }

  function renderSaved(saved: api.SavedCluster[]): void {
    savedHead.hidden = saved.length === 0;
    savedList.replaceChildren(...saved.map((s) => {
      const item = h('li', { class: 'saved-item', 'data-id': s.id });
      const annotate = () => {
        item.querySelector('form')?.remove();
        const name = h('input', { type: 'text', class: 'cluster-name', value: s.name, maxlength: 200, required: true });
        const note = h('textarea', { class: 'cluster-note', rows: 2, maxlength: 10000 });
        note.value = s.note ?? '';
        item.append(form([['Name', name], ['Note', note]], 'Save', (done, fail) => write('Annotating the cluster', fail, async () => {
          await api.annotateCluster(s.id, name.value, note.value || null);
          done();
          viewer.status(`Saved cluster “${name.value}” updated`);
          await loadSaved();
        })));
      };
      const promote = () => {
        item.querySelector('form')?.remove();
        const slug = s.name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'cluster';
        const campaignId = h('input', { type: 'text', class: 'campaign-id', value: `campaign-${slug}`, required: true });
        const campaignName = h('input', { type: 'text', class: 'campaign-name', value: s.name, required: true });
        item.append(form([['Campaign id', campaignId], ['Campaign name', campaignName]], 'Promote', (done, fail) => write('Promoting the cluster', fail, async () => {
          const r = await api.promoteCluster(s.id, campaignId.value, campaignName.value);
          done();
          viewer.status(`“${s.name}” promoted to campaign ${campaignName.value}: ${plural(r.links, 'link')} citing the tie evidence`);
          await loadSaved();
        })));
      };
      append(item, [
        h('button', { type: 'button', class: 'cluster-show', title: 'Select and fit its members (draws those not on screen)', onclick: () => void show(s.members, s.name) },
          h('span', { class: 'cluster-title' }, s.name)),
        h('div', { class: 'cluster-stats' }, `${plural(s.members.length, 'member')} · TLP:${s.tlp} · ${s.owner}`),
        s.note ? h('div', { class: 'cluster-note-text' }, s.note) : null,
        s.campaign ? h('div', { class: 'cluster-campaign' }, `promoted to ${s.campaign.name}`) : null,
        canWrite() ? h('div', { class: 'row' },
          h('button', { type: 'button', class: 'cluster-annotate', onclick: annotate }, 'Rename / note…'),
          s.campaign ? null : h('button', { type: 'button', class: 'cluster-promote', title: 'After review: a campaign linked to every member, citing the tie evidence', onclick: promote }, 'Promote…')) : null]);
      return item;
    }));
  }

  async function loadSaved(): Promise<void> {
    try {
      renderSaved(caller?.keyId ? await api.savedClusters() : []);
    } catch (e) {
      viewer.status(`Could not list saved clusters: ${(e as Error).message}`, 'error');
    }
  }

  async function whoAmI(): Promise<void> {
    try {
      caller = await me();
    } catch {
      caller = null;
    }
    render();
    await loadSaved();
  }

  root.append(
    h('div', { class: 'row' }, preset, method, h('label', { class: 'compact', title: 'Leave out clusters smaller than this' }, '≥ ', minSize)),
    h('div', { class: 'row' }, runBtn, clearBtn),
    h('p', { class: 'hint' }, 'Groups of personas, hosts and campaigns acting together (shared hosts, narratives, techniques).'),
    summary, list, savedHead, savedList);

  let pending = false;
  viewer.on('graph', () => {
    if (pending || !found.length) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; recolour(); refreshItems(); });
  });
  // What was found as the old caller may name entities the new one may not see.
  viewer.on('caller', () => { clear(); void whoAmI(); });
  // A restored view's colouring: the same settings, run again as the one who opens it.
  viewer.on('clustering', (detail) => {
    if (!(detail as { restored?: boolean } | undefined)?.restored) return;
    const again = viewer.clustering;
    if (!again) {
      clear();
      return;
    }
    preset.value = again.preset;
    method.value = again.method;
    minSize.value = String(again.minSize);
    void run(true);
  });
  void whoAmI();
  return { preset: () => preset.value as api.ProjectionPreset, run };
}
