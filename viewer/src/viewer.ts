// The viewer's controller: owns the Cytoscape core, the filters and the undo history, and
// carries out every graph change (add, expand, hide, remove, collapse, layout) so that panels
// and keyboard shortcuts share one code path.
import type { Collection, CollectionArgument, Core, ElementDefinition, NodeSingular } from 'cytoscape';
import * as api from './data/queries.js';
import { refreshBadges, mergeSubgraph, hiddenLinkCount } from './graph/elements.js';
import { createCy } from './graph/cy.js';
import { applyPositions, layoutAll, layoutIncremental, savePositions, type LayoutName } from './graph/layouts.js';
import { applyFilters } from './state/filters.js';
import { History } from './state/history.js';
import type { ViewState } from './state/url.js';
import { DEFAULT_FILTERS, type Entity, type Filters, type Link, type Path, type Subgraph } from './types.js';

/** Neighbours loaded per expansion by default; a hub is paged through in steps of this size. */
export const PAGE_SIZE = 25;

/** 'caller': who the requests run as changed (sign-in, sign-out): drop what was read as the old caller. */
type EventName = 'cy' | 'graph' | 'filters' | 'status' | 'paths' | 'investigation' | 'caller';

export class Viewer {
  cy: Core;
  readonly history = new History();
  filters: Filters = { ...DEFAULT_FILTERS };
  layout: LayoutName = 'fcose';
  webgl = false;
  pageSize = PAGE_SIZE;
  investigation: { id: string; name: string } | null = null;
  private busy = 0;
  private idleWaiters: Array<() => void> = [];
  private listeners = new Map<EventName, Array<(detail?: unknown) => void>>();

  constructor(private readonly container: HTMLElement) {
    this.cy = createCy(container, { webgl: false });
    this.history.onChange(() => this.emit('graph'));
  }

  on(name: EventName, fn: (detail?: unknown) => void): void {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
  }

  emit(name: EventName, detail?: unknown): void {
    for (const fn of this.listeners.get(name) ?? []) fn(detail);
  }

  status(message: string, kind: 'info' | 'error' | 'busy' = 'info'): void {
    this.emit('status', { message, kind });
  }

  /** Runs an async graph task with the busy indicator; errors go to the status bar, not the console. */
  async task<T>(label: string, fn: () => Promise<T>): Promise<T | undefined> {
    this.busy++;
    this.status(`${label} …`, 'busy');
    try {
      return await fn();
    } catch (e) {
      this.status(`${label} failed: ${(e as Error).message}`, 'error');
      return undefined;
    } finally {
      this.busy--;
      if (this.busy === 0) this.idleWaiters.splice(0).forEach((fn) => fn());
    }
  }

  /** Resolves once no request or layout is in flight (tests and scripts wait on it). */
  whenIdle(): Promise<void> {
    return this.busy === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  // ---- adding to the graph ----------------------------------------------------------------

  /**
   * Merges a subgraph, lays out only its new nodes, records an undoable step, and returns what
   * was added. Links between the new nodes and nodes already drawn are fetched as well.
   */
  private async addSubgraph(label: string, sub: Pick<Subgraph, 'nodes' | 'edges'>, connect: boolean, extra?: { undo(): void; redo(): void }): Promise<Collection> {
    const before = new Set(this.cy.nodes().map((n) => n.id()));
    let edges = sub.edges;
    const newIds = sub.nodes.map((n) => n.id).filter((id) => !before.has(id));
    if (connect && newIds.length && before.size) edges = [...edges, ...(await api.linksBetween(newIds, [...before]))];
    const added = mergeSubgraph(this.cy, { nodes: sub.nodes, edges });
    const fresh = added.nodes();
    await layoutIncremental(this.cy, fresh);
    this.afterChange(added);
    if (added.nonempty() || extra) {
      this.history.push({
        label,
        undo: () => { this.cy.remove(added); extra?.undo(); this.afterChange(this.cy.nodes()); },
        redo: () => { added.restore(); extra?.redo(); this.afterChange(added); },
      });
    }
    this.flash(fresh);
    return added;
  }

  /** Badges, filters and listeners after any change to the drawn elements. */
  private afterChange(changed: CollectionArgument): void {
    const c = this.cy.collection().union(changed);
    refreshBadges(this.cy, c.nodes().union(c.edges().connectedNodes()).union(c.nodes().neighborhood('node')));
    // Filters depend only on each element's own data, so the rest of the graph is already right.
    applyFilters(this.cy, this.filters, c);
    this.emit('graph');
  }

  private flash(nodes: CollectionArgument): void {
    if (nodes.empty()) return;
    nodes.addClass('fresh');
    setTimeout(() => nodes.removeClass('fresh'), 1500);
  }

  /** Adds entities (from search or a details panel) and their links to what is drawn. */
  addEntities(entities: Entity[], select = true): Promise<Collection | undefined> {
    return this.task('Adding', async () => {
      const added = await this.addSubgraph(`add ${entities.map((e) => e.name).join(', ')}`, { nodes: entities, edges: [] }, true);
      if (select && entities.length === 1) this.select(entities[0].id, true);
      this.status(added.nodes().length ? `Added ${entities.map((e) => e.name).join(', ')}` : 'Already in the graph');
      return added;
    });
  }

  /** Loads the next page of a node's neighbours (double-click or the context menu). */
  expand(id: string): Promise<Collection | undefined> {
    const node = this.cy.getElementById(id) as NodeSingular;
    if (node.empty()) return Promise.resolve(undefined);
    const name = node.data('name') as string;
    return this.task(`Expanding ${name}`, async () => {
      const offset = node.data('paged') as number;
      const sub = await api.neighbours([id], this.filters, this.pageSize, offset);
      const got = sub.nodes.filter((n) => n.id !== id).length;
      const paged = offset + got;
      const added = await this.addSubgraph(`expand ${name}`, sub, true, {
        undo: () => node.data('paged', offset),
        redo: () => node.data('paged', paged),
      });
      node.data('paged', paged);
      const more = hiddenLinkCount(node);
      const newNodes = added.nodes().length;
      this.status(got === 0
        ? `No more neighbours of ${name} match the filters`
        : `${name}: ${newNodes} new node${newNodes === 1 ? '' : 's'}${more ? `, ${more} more links — expand again for the next page` : ''}`);
      return added;
    });
  }

  /** Hides elements (kept in the graph, shown again by "show hidden" or undo). */
  hide(eles: CollectionArgument): void {
    const target = eles.filter((e) => !e.hasClass('hidden'));
    if (target.empty()) return;
    target.addClass('hidden').unselect();
    this.history.push({ label: `hide ${target.length}`, undo: () => target.removeClass('hidden'), redo: () => target.addClass('hidden') });
    this.emit('graph');
  }

  showHidden(): void {
    const hidden = this.cy.elements('.hidden');
    if (hidden.empty()) return;
    hidden.removeClass('hidden');
    this.history.push({ label: `show ${hidden.length}`, undo: () => hidden.addClass('hidden'), redo: () => hidden.removeClass('hidden') });
    this.emit('graph');
  }

  remove(eles: CollectionArgument, label = `remove ${eles.length}`, extra?: { undo(): void; redo(): void }): void {
    if (eles.empty()) return;
    const neighbours = eles.nodes().neighborhood('node').difference(eles);
    const removed = this.cy.remove(eles.union(eles.nodes().connectedEdges()));
    extra?.redo();
    this.history.push({
      label,
      undo: () => { removed.restore(); extra?.undo(); this.afterChange(removed); },
      redo: () => { this.cy.remove(removed); extra?.redo(); this.afterChange(neighbours); },
    });
    this.afterChange(neighbours);
  }

  /** Removes the neighbours that hang only on this node (what expanding it brought in). */
  collapse(id: string): void {
    const node = this.cy.getElementById(id) as NodeSingular;
    if (node.empty()) return;
    const leaves = node.neighborhood('node').filter((n) => n.neighborhood('node').every((m) => m.same(node)));
    if (leaves.empty()) {
      this.status(`Nothing hangs only on ${node.data('name') as string}`);
      return;
    }
    const paged = node.data('paged') as number;
    this.remove(leaves, `collapse ${node.data('name') as string}`, {
      undo: () => node.data('paged', paged),
      redo: () => node.data('paged', 0),
    });
  }

  /** Power-user and test hook: draws raw elements (e.g. 5,000 synthetic ones) in one batch. */
  async loadElements(defs: ElementDefinition[], opts: { layout?: LayoutName | 'none'; replace?: boolean } = {}): Promise<{ ms: number; elements: number }> {
    const t0 = performance.now();
    if (opts.replace) this.clear();
    let added: Collection = this.cy.collection();
    this.cy.batch(() => { added = this.cy.add(defs); });
    refreshBadges(this.cy, added.nodes());
    applyFilters(this.cy, this.filters, added);
    if (opts.layout !== 'none') {
      if (opts.replace || added.nodes().length === this.cy.nodes().length) await layoutAll(this.cy, opts.layout ?? 'fcose');
      else await layoutIncremental(this.cy, added.nodes());
    }
    this.cy.fit(undefined, 30);
    await new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
    this.emit('graph');
    return { ms: performance.now() - t0, elements: this.cy.elements().length };
  }

  clear(): void {
    this.cy.elements().remove();
    this.history.clear();
    this.clearPaths();
    this.emit('graph');
  }

  // ---- views --------------------------------------------------------------------------------

  /** The empty start page: the best-connected entities and the links among them. */
  startPage(): Promise<void> {
    return this.task('Loading the best-connected entities', async () => {
      const top = await api.topEntities(15);
      const sub = await api.subgraphOf(top.map((e) => e.id), null);
      mergeSubgraph(this.cy, sub);
      await layoutAll(this.cy, 'fcose');
      this.afterChange(this.cy.elements());
      this.status(`Showing the ${top.length} best-connected entities. Search, or double-click a node to expand it.`);
    }).then(() => undefined);
  }

  /** Rebuilds a view from the URL or a saved investigation. */
  restore(state: ViewState): Promise<void> {
    return this.task('Restoring the view', async () => {
      this.clear();
      this.filters = { ...state.filters };
      this.layout = state.layout;
      const ids = state.nodes.map((n) => n.id);
      const sub = await api.subgraphOf(ids, null);
      const positions = new Map(state.nodes.filter((n) => n.x !== undefined).map((n) => [n.id, { x: n.x as number, y: n.y as number }]));
      const added = mergeSubgraph(this.cy, sub, positions);
      const unplaced = added.nodes().filter((n) => !positions.has(n.id()));
      if (unplaced.length === added.nodes().length) await layoutAll(this.cy, this.layout);
      else await layoutIncremental(this.cy, unplaced);
      this.cy.batch(() => { for (const id of state.hidden) this.cy.getElementById(id).addClass('hidden'); });
      this.afterChange(this.cy.elements());
      this.emit('filters');
      this.cy.fit(undefined, 40);
      if (state.selected) this.select(state.selected, false);
      const missing = ids.length - sub.nodes.length;
      this.status(`Restored ${sub.nodes.length} nodes${missing > 0 ? ` (${missing} no longer visible to you)` : ''}`);
    }).then(() => undefined);
  }

  viewState(): ViewState {
    return {
      nodes: this.cy.nodes().map((n) => ({ id: n.id(), x: Math.round(n.position().x), y: Math.round(n.position().y) })),
      hidden: this.cy.nodes('.hidden').map((n) => n.id()),
      selected: this.cy.nodes(':selected').first().id() ?? null,
      filters: this.filters,
      layout: this.layout,
      webgl: this.webgl,
      investigation: this.investigation?.id,
    };
  }

  setFilters(f: Filters): void {
    this.filters = f;
    applyFilters(this.cy, f);
    this.emit('filters');
    this.emit('graph');
  }

  /** Runs a full layout; undoable because it moves every node. */
  runLayout(name: LayoutName): Promise<void> {
    this.layout = name;
    return this.task(`Laying out (${name})`, async () => {
      const before = savePositions(this.cy);
      await layoutAll(this.cy, name);
      const after = savePositions(this.cy);
      this.history.push({ label: `layout ${name}`, undo: () => applyPositions(this.cy, before), redo: () => applyPositions(this.cy, after) });
      this.status(`Layout: ${name}`);
    }).then(() => undefined);
  }

  select(id: string, centre: boolean): void {
    const el = this.cy.getElementById(id);
    if (el.empty()) return;
    this.cy.elements(':selected').unselect();
    el.select();
    if (centre) this.cy.animate({ center: { eles: el } }, { duration: 200 });
  }

  centreOnSelection(): void {
    const sel = this.cy.elements(':selected');
    if (sel.nonempty()) this.cy.animate({ fit: { eles: sel.closedNeighborhood(), padding: 80 } }, { duration: 250 });
  }

  fit(): void {
    this.cy.animate({ fit: { eles: this.cy.elements(':visible'), padding: 30 } }, { duration: 200 });
  }

  // ---- paths --------------------------------------------------------------------------------

  /** Adds the paths' nodes and links (undoable) and highlights them. */
  async showPaths(paths: Path[]): Promise<void> {
    const nodes = new Map<string, Entity>();
    const edges = new Map<string, Link>();
    for (const p of paths) {
      p.nodes.forEach((n) => nodes.set(n.id, n));
      p.edges.forEach((e) => edges.set(e.id, e));
    }
    await this.addSubgraph('add paths', { nodes: [...nodes.values()], edges: [...edges.values()] }, false);
    this.highlightPaths(paths);
  }

  highlightPaths(paths: Path[]): void {
    this.cy.batch(() => {
      this.cy.elements().removeClass('path').addClass('faded');
      for (const p of paths) {
        for (const n of p.nodes) this.cy.getElementById(n.id).removeClass('faded').addClass('path');
        for (const e of p.edges) this.cy.getElementById(e.id).removeClass('faded').addClass('path');
      }
    });
    this.emit('paths', paths);
  }

  clearPaths(): void {
    // Only what carries the classes: removeClass restyles every element it is called on.
    this.cy.elements('.path, .faded').removeClass('path faded');
    this.emit('paths', []);
  }

  // ---- renderer -----------------------------------------------------------------------------

  /** Switching renderer means a new core: elements, positions, classes and viewport carry over. */
  setWebgl(on: boolean): void {
    if (on === this.webgl) return;
    const elements = this.cy.elements().jsons() as unknown as ElementDefinition[];
    const zoom = this.cy.zoom();
    const pan = this.cy.pan();
    this.cy.destroy();
    this.cy = createCy(this.container, { webgl: on, elements, zoom, pan });
    this.webgl = on;
    this.history.clear();
    this.emit('cy');
    this.emit('graph');
  }
}
