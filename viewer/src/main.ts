// Entry point: builds the viewer, mounts the panels, exposes `window.cy` and `window.viewer`,
// and opens the view the URL names (nodes, or a saved investigation) or the start page.
import type { Core, ElementDefinition } from 'cytoscape';
import './styles.css';
import * as api from './data/queries.js';
import { byId } from './dom.js';
import { bindGraphKeyboard } from './graph/keyboard.js';
import { bindGestures, mountMenu } from './graph/menu.js';
import { layoutWorker } from './graph/layout-worker.js';
import { mountCandidates } from './panels/candidates.js';
import { mountClusters } from './panels/clusters.js';
import { mountDetails } from './panels/details.js';
import { mountFilters } from './panels/filters.js';
import { mountPaths } from './panels/paths.js';
import { mountSearch } from './panels/search.js';
import { mountTable } from './panels/table.js';
import { mountTies } from './panels/ties.js';
import { mountTimeline } from './panels/timeline.js';
import { mountToolbar } from './panels/toolbar.js';
import { viewJson } from './panels/export.js';
import { bindShortcuts } from './state/shortcuts.js';
import { decodeState, encodeState, type ViewState } from './state/url.js';
import { syncUrl } from './state/url-sync.js';
import { Viewer } from './viewer.js';

declare global {
  interface Window {
    cy: Core;
    viewer: ViewerHandle;
  }
}

/** What tests and power users get as `window.viewer`. */
export interface ViewerHandle {
  viewer: Viewer;
  ready: Promise<void>;
  whenIdle(): Promise<void>;
  loadElements(defs: ElementDefinition[], opts?: { layout?: 'fcose' | 'grid' | 'concentric' | 'breadthfirst' | 'none'; replace?: boolean }): Promise<{ ms: number; elements: number }>;
  /** Loads the next page of a node's neighbours; resolves to the ids it added. */
  expand(id: string): Promise<string[]>;
  state(): ViewState;
  shareUrl(): string;
  toJSON(): object;
  /** Where fcose runs: 'auto' (the worker for big graphs), 'always' or 'never'; and how many worker answers came back. */
  layoutWorker: typeof layoutWorker;
}

const viewer = new Viewer(byId('cy'));
const paths = mountPaths(viewer);
const table = mountTable(viewer);
const clusters = mountClusters(viewer);
const ties = mountTies(viewer, () => clusters.preset());

async function openInvestigation(id: string): Promise<void> {
  const inv = await viewer.task('Opening the investigation', () => api.loadInvestigation(id));
  if (!inv) {
    viewer.status(`No saved investigation “${id}”`, 'error');
    return;
  }
  viewer.investigation = { id: inv.id, name: inv.name };
  const saved = inv.state as Partial<ViewState>;
  await viewer.restore({ ...decodeState(''), ...saved, investigation: inv.id });
  if (saved.webgl) viewer.setWebgl(true);
  viewer.emit('investigation', inv);
}

const onCy = () => {
  window.cy = viewer.cy;
  mountMenu(viewer, paths, ties);
  bindGestures(viewer);
};
viewer.on('cy', onCy);
onCy();
bindGraphKeyboard(viewer, byId('cy'));

mountSearch(viewer);
mountFilters(viewer);
mountTimeline(viewer);
mountDetails(viewer, paths);
mountToolbar(viewer, table, (id) => void openInvestigation(id));
bindShortcuts(viewer, table);
mountCandidates(viewer);

const statusBar = byId('statusbar');
viewer.on('status', (detail) => {
  const { message, kind } = detail as { message: string; kind: string };
  statusBar.textContent = message;
  statusBar.dataset.kind = kind;
});

async function start(): Promise<void> {
  const state = decodeState(location.search);
  if (state.nodes.length) {
    if (state.investigation) viewer.investigation = { id: state.investigation, name: state.investigation };
    await viewer.restore(state);
    if (state.webgl) viewer.setWebgl(true);
  } else if (state.investigation) {
    await openInvestigation(state.investigation);
  } else {
    viewer.setFilters(state.filters);
    await viewer.startPage();
  }
  syncUrl(viewer)();
  document.body.dataset.ready = 'true';
}

window.viewer = {
  viewer,
  ready: start(),
  whenIdle: () => viewer.whenIdle(),
  loadElements: (defs, opts) => viewer.loadElements(defs, opts),
  // Plain ids, not a Cytoscape collection: callers across a process boundary must serialise it.
  expand: async (id) => (await viewer.expand(id))?.map((e) => e.id()) ?? [],
  state: () => viewer.viewState(),
  shareUrl: () => `${location.origin}${location.pathname}${encodeState(viewer.viewState())}`,
  toJSON: () => viewJson(viewer),
  layoutWorker,
};

byId('skip-to-table').addEventListener('click', (ev) => {
  ev.preventDefault();
  table.toggle(true);
});
