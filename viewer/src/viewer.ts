// The viewer's controller: owns the Cytoscape core, the filters and the undo history, and
// carries out every graph change (add, expand, hide, remove, collapse, layout) so that panels
// and keyboard shortcuts share one code path.
import type { Collection, CollectionArgument, Core, ElementDefinition, NodeSingular } from 'cytoscape';
import * as api from './data/queries.js';
import { refreshBadges, mergeSubgraph, hiddenLinkCount } from './graph/elements.js';
import { createCy } from './graph/cy.js';
import { clusterColor, clusterNodeId, collapseDefinitions, collapsedMembers, isClusterNode, refreshDisplay, type CollapseSpec } from './graph/clusters.js';
import { GROUP_ABOVE, GROUP_PAGE, groupData, groupDefinitions, groupsOf, HUB_FETCH, isGroup, splitLeaves, type GroupData } from './graph/groups.js';
import { applyPositions, cancelLayouts, layoutAll, layoutIncremental, savePositions, type LayoutName } from './graph/layouts.js';
import { drawnIndex } from './graph/drawn-index.js';
import { placeAround } from './graph/placement.js';
import { applyFilters, restyle } from './state/filters.js';
import { History } from './state/history.js';
import { validRun, type ClusterRun, type CollapsedCluster, type ViewState } from './state/url.js';
import { DEFAULT_FILTERS, type Entity, type Filters, type Link, type Path, type Subgraph } from './types.js';

/** Neighbours loaded per expansion by default; a hub is paged through in steps of this size. */
export const PAGE_SIZE = 25;

/**
 * 'caller': who the requests run as changed (sign-in, sign-out): drop what was read as the old caller.
 * 'clustering': `clustering` changed; detail `{ restored: true }` when a restore set it (the
 * Networks panel then runs it again), else the panel itself set it.
 */
type EventName = 'cy' | 'graph' | 'filters' | 'status' | 'paths' | 'investigation' | 'caller' | 'clustering';

export class Viewer {
  cy: Core;
  readonly history = new History();
  filters: Filters = { ...DEFAULT_FILTERS };
  layout: LayoutName = 'fcose';
  webgl = false;
  pageSize = PAGE_SIZE;
  investigation: { id: string; name: string } | null = null;
  /** The Networks panel's colour-by-cluster run, kept in the view state; null when none. */
  clustering: ClusterRun | null = null;
  private busy = 0;
  private idleWaiters: Array<() => void> = [];
  private listeners = new Map<EventName, Array<(detail?: unknown) => void>>();

  constructor(private readonly container: HTMLElement) {
    this.cy = createCy(container, { webgl: false });
    this.history.onChange((done) => {
      // The status line says what undo or redo just did, instead of what happened before.
      if (done) this.status(`${done.kind === 'undo' ? 'Undone' : 'Redone'}: ${done.label}`);
      this.emit('graph');
    });
  }

  on(name: EventName, fn: (detail?: unknown) => void): void {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
  }

  emit(name: EventName, detail?: unknown): void {
    for (const fn of this.listeners.get(name) ?? []) fn(detail);
  }

  private statusCount = 0;

  status(message: string, kind: 'info' | 'error' | 'busy' = 'info'): void {
    this.statusCount++;
    this.emit('status', { message, kind });
  }

  /**
   * Runs an async graph task with the busy indicator; errors go to the status bar, not the console.
   * `quiet`: only a failure is said (work done beside another task, e.g. a restore, whose message stays).
   */
  async task<T>(label: string, fn: () => Promise<T>, opts: { quiet?: boolean } = {}): Promise<T | undefined> {
    this.busy++;
    if (!opts.quiet) this.status(`${label} …`, 'busy');
    const before = this.statusCount;
    try {
      const out = await fn();
      // A task that reported nothing must not leave "… " behind.
      if (!opts.quiet && this.statusCount === before) this.status(`${label}: done`);
      return out;
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
  private async addSubgraph(label: string, sub: Pick<Subgraph, 'nodes' | 'edges'>, connect: boolean, extra?: { undo(): void; redo(): void },
    opts: { defs?: ElementDefinition[]; around?: NodeSingular; known?: Link[] } = {}): Promise<Collection> {
    const before = new Set(this.cy.nodes('[!group]').map((n) => n.id()));
    let edges = sub.edges;
    const newIds = sub.nodes.map((n) => n.id).filter((id) => !before.has(id));
    if (opts.known) edges = [...edges, ...opts.known];
    else if (connect && newIds.length && before.size) edges = [...edges, ...(await api.linksBetween(newIds, [...before]))];
    let added = mergeSubgraph(this.cy, { nodes: sub.nodes, edges });
    if (opts.defs?.length) {
      const defs = opts.defs;
      this.cy.batch(() => { added = added.union(this.cy.add(defs)); });
    }
    const fresh = added.nodes();
    if (opts.around && fresh.nonempty()) placeAround(this.cy, fresh, opts.around);
    else await layoutIncremental(this.cy, fresh);
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
    this.indexDrawn();
    this.emit('graph');
  }

  /**
   * Brings the index of what is drawn (graph/drawn-index.ts) up to date now, at the cost of what
   * changed: a big load or a full layout pays for it there, not the next expansion.
   */
  private indexDrawn(): void {
    drawnIndex(this.cy, new Set());
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
    if (isGroup(node)) return this.openGroup(id);
    if (isClusterNode(node)) return Promise.resolve(this.expandCluster(id));
    const name = node.data('name') as string;
    return this.task(`Expanding ${name}`, async () => {
      const offset = node.data('paged') as number;
      // A hub is fetched in one go and its leaves grouped by kind, instead of page after page.
      const hub = hiddenLinkCount(node) > GROUP_ABOVE;
      const sub = await api.neighbours([id], this.filters, hub ? HUB_FETCH : this.pageSize, offset);
      const got = sub.nodes.filter((n) => n.id !== id).length;
      const paged = offset + got;
      const undoPaging = { undo: () => node.data('paged', offset), redo: () => node.data('paged', paged) };
      const drawn = new Set(this.cy.nodes('[!group]').map((n) => n.id()));
      const fresh = sub.nodes.filter((n) => n.id !== id && !drawn.has(n.id));
      let added: Collection;
      let grouped = 0;
      if (hub && fresh.length > GROUP_ABOVE) {
        const toDrawn = drawn.size ? await api.linksBetween(fresh.map((n) => n.id), [...drawn]) : [];
        // The hub's own links come in both lists (the hub is drawn): count each once.
        const known = [...new Map([...sub.edges, ...toDrawn].map((l) => [l.id, l])).values()];
        const { direct, groups } = splitLeaves(id, fresh, known);
        const keep = new Set([id, ...direct.map((e) => e.id), ...drawn]);
        const nodes = sub.nodes.filter((n) => keep.has(n.id));
        const defs = groupDefinitions(id, groups, known);
        grouped = [...groups.values()].reduce((k, m) => k + m.length, 0);
        added = await this.addSubgraph(`expand ${name}`, { nodes, edges: sub.edges }, true, undoPaging, { defs, known: toDrawn });
      } else {
        added = await this.addSubgraph(`expand ${name}`, sub, true, undoPaging);
      }
      node.data('paged', paged);
      this.afterChange(node);
      const more = hiddenLinkCount(node);
      const newNodes = added.nodes('[!group]').length;
      const groups = added.nodes('[?group]').length;
      this.status(got === 0
        ? `No more neighbours of ${name} match the filters`
        : `${name}: ${newNodes} new node${newNodes === 1 ? '' : 's'}`
          + (groups ? `, ${grouped} more in ${groups} group${groups === 1 ? '' : 's'} by kind — double-click a group to open it` : '')
          + (more ? `, ${more} more links — expand again for the next page` : ''));
      return added;
    });
  }

  /** Draws the next page of a hub group's members around the group; the group goes with its last page. */
  openGroup(id: string): Promise<Collection | undefined> {
    const group = this.cy.getElementById(id) as NodeSingular;
    if (group.empty() || !isGroup(group)) return Promise.resolve(undefined);
    // A copy: data() hands out the live object, which update() below overwrites, and undo needs
    // the members as they were before this page.
    const data = { ...group.data() } as GroupData;
    const hub = this.cy.getElementById(data.hub) as NodeSingular;
    return this.task(`Opening ${data.name}`, async () => {
      const page = data.members.slice(0, GROUP_PAGE);
      const ids = new Set(page.map((m) => m.id));
      const rest = data.members.slice(GROUP_PAGE);
      const restLinks = data.links.filter((l) => !ids.has(l.from.id) && !ids.has(l.to.id));
      const pageLinks = data.links.filter((l) => ids.has(l.from.id) || ids.has(l.to.id));
      const groupEdge = group.connectedEdges();
      let removed: Collection | null = null;
      const update = (members: Entity[], links: Link[], gone: boolean) => {
        if (gone) {
          removed = this.cy.remove(group.union(groupEdge));
          return;
        }
        if (removed) { removed.restore(); removed = null; }
        group.data(groupData(data.hub, data.kind, members, links) as unknown as Record<string, unknown>);
        groupEdge.data('count', links.length);
      };
      const added = await this.addSubgraph(`open ${data.name}`, { nodes: page, edges: pageLinks }, true, {
        undo: () => { update(data.members, data.links, false); this.afterChange(hub); },
        redo: () => { update(rest, restLinks, rest.length === 0); this.afterChange(hub); },
      }, { around: group });
      update(rest, restLinks, rest.length === 0);
      this.afterChange(hub);
      this.status(`${hub.data('name') as string}: ${added.nodes().length} ${data.kind.toLowerCase().replace(/_/g, ' ')} nodes drawn${rest.length ? `, ${rest.length} left in the group` : ''}`);
      return added;
    });
  }

  /** Hides elements (kept in the graph, shown again by "show hidden" or undo). */
  hide(eles: CollectionArgument): void {
    const target = eles.filter((e) => !e.hasClass('hidden'));
    if (target.empty()) return;
    const set = (on: boolean) => { target.toggleClass('hidden', on); restyle(target.union(target.connectedEdges())); };
    set(true);
    target.unselect();
    this.history.push({ label: `hide ${target.length}`, undo: () => set(false), redo: () => set(true) });
    this.emit('graph');
  }

  showHidden(): void {
    const hidden = this.cy.elements('.hidden');
    if (hidden.empty()) return;
    const set = (on: boolean) => { hidden.toggleClass('hidden', on); restyle(hidden.union(hidden.connectedEdges())); };
    set(false);
    this.history.push({ label: `show ${hidden.length}`, undo: () => set(true), redo: () => set(false) });
    this.emit('graph');
  }

  remove(eles: CollectionArgument, label = `remove ${eles.length}`, extra?: { undo(): void; redo(): void }): void {
    if (eles.empty()) return;
    // A removed hub takes its groups with it.
    const target = eles.union(groupsOf(this.cy, eles.nodes()));
    const neighbours = target.nodes().neighborhood('node').difference(target);
    const removed = this.cy.remove(target.union(target.nodes().connectedEdges()));
    extra?.redo();
    this.history.push({
      label,
      undo: () => { removed.restore(); extra?.undo(); this.afterChange(removed); },
      redo: () => { this.cy.remove(removed); extra?.redo(); this.afterChange(neighbours); },
    });
    this.afterChange(neighbours);
    this.status(`Removed ${target.nodes('[!group]').length} node(s) and ${removed.edges('[!group]').length} link(s) (Ctrl+Z undoes)`);
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

  // ---- clusters (issue 17) -------------------------------------------------------------------

  /** Folds a cluster's drawn members into one node with counted links to what they link to; undoable. */
  collapseCluster(spec: CollapseSpec): void {
    if (this.cy.getElementById(clusterNodeId(spec.key)).nonempty()) return;
    const ids = new Set(spec.members.map((m) => m.id));
    const drawn = this.cy.nodes('[!group]').filter((n) => ids.has(n.id()) && !n.hasClass('in-collapsed'));
    if (drawn.empty()) {
      this.status(`No member of cluster ${spec.number} is drawn: "Show" draws them first`);
      return;
    }
    const defs = collapseDefinitions(spec, drawn);
    let added: Collection | null = null;
    const outside = () => (added ? added.edges().connectedNodes() : this.cy.collection());
    const fold = () => {
      this.cy.batch(() => {
        drawn.unselect().addClass('in-collapsed');
        if (added) added.restore(); else added = this.cy.add(defs);
      });
      refreshDisplay(drawn);
      refreshBadges(this.cy, outside());
      this.emit('graph');
    };
    const unfold = () => {
      this.cy.batch(() => {
        if (added) this.cy.remove(added);
        drawn.removeClass('in-collapsed');
      });
      refreshDisplay(drawn);
      refreshBadges(this.cy, outside());
      this.emit('graph');
    };
    fold();
    this.history.push({ label: `collapse cluster ${spec.number}`, undo: unfold, redo: fold });
    this.status(`Cluster ${spec.number}: ${drawn.length} members collapsed into one node (double-click or Enter expands it)`);
  }

  /** Draws a collapsed cluster's members again where they were; undoable. */
  expandCluster(id: string): Collection | undefined {
    const node = this.cy.getElementById(id) as NodeSingular;
    if (node.empty() || !isClusterNode(node)) return undefined;
    const members = collapsedMembers(this.cy, node);
    const removed = node.union(node.connectedEdges());
    const outside = node.neighborhood('node');
    const open = () => {
      this.cy.batch(() => { this.cy.remove(removed); members.removeClass('in-collapsed'); });
      refreshDisplay(members);
      refreshBadges(this.cy, outside);
      this.emit('graph');
    };
    const close = () => {
      this.cy.batch(() => { members.addClass('in-collapsed'); removed.restore(); });
      refreshDisplay(members);
      refreshBadges(this.cy, outside);
      this.emit('graph');
    };
    open();
    this.history.push({ label: `expand ${node.data('name') as string}`, undo: close, redo: open });
    this.status(`${node.data('name') as string}: ${members.length} members drawn again`);
    return this.cy.collection().union(members);
  }

  /** Power-user and test hook: draws raw elements (e.g. 5,000 synthetic ones) in one batch. */
  async loadElements(defs: ElementDefinition[], opts: { layout?: LayoutName | 'none'; replace?: boolean; fit?: boolean } = {}): Promise<{ ms: number; elements: number }> {
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
    this.indexDrawn();
    if (opts.fit !== false) this.cy.fit(undefined, 30);
    await new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
    this.emit('graph');
    return { ms: performance.now() - t0, elements: this.cy.elements().length };
  }

  clear(): void {
    // A layout still running in the worker is for the graph being cleared.
    cancelLayouts();
    this.cy.elements().remove();
    this.history.clear();
    this.clearPaths();
    this.emit('graph');
  }

  // ---- views --------------------------------------------------------------------------------

  /** The empty start page: the best-connected entities and the links among them. */
  startPage(note = ''): Promise<void> {
    return this.task('Loading the best-connected entities', async () => {
      const top = await api.topEntities(15);
      const sub = await api.subgraphOf(top.map((e) => e.id), null);
      mergeSubgraph(this.cy, sub);
      await layoutAll(this.cy, 'fcose');
      this.afterChange(this.cy.elements());
      if (note) this.status(`${note} Showing the ${top.length} best-connected entities instead.`, 'error');
      else this.status(`Showing the ${top.length} best-connected entities. Search, or double-click a node to expand it.`);
    }).then(() => undefined);
  }

  /** Rebuilds a view from the URL or a saved investigation. */
  async restore(state: ViewState): Promise<void> {
    const found = await this.task('Restoring the view', async () => {
      this.clear();
      this.filters = { ...state.filters };
      this.layout = state.layout;
      // The colours are found again as the reader (panels/clusters.ts), never taken from the state.
      this.clustering = validRun(state.clustering);
      this.emit('clustering', { restored: true });
      const ids = state.nodes.map((n) => n.id);
      const sub = await api.subgraphOf(ids, null);
      const missing = ids.filter((id) => !sub.nodes.some((n) => n.id === id));
      const named = `${missing.slice(0, 3).map((id) => `“${id}”`).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}`;
      // Nothing the link names exists (or may be seen): say so, and leave the start page, not a blank one.
      if (ids.length && !sub.nodes.length) return `No entity ${named}: not found, or above your clearance.`;
      const positions = new Map(state.nodes.filter((n) => n.x !== undefined).map((n) => [n.id, { x: n.x as number, y: n.y as number }]));
      const added = mergeSubgraph(this.cy, sub, positions);
      const unplaced = added.nodes().filter((n) => !positions.has(n.id()));
      if (unplaced.length === added.nodes().length) await layoutAll(this.cy, this.layout);
      else await layoutIncremental(this.cy, unplaced);
      this.cy.batch(() => { for (const id of state.hidden) this.cy.getElementById(id).addClass('hidden'); });
      this.afterChange(this.cy.elements());
      this.refold(state.collapsed);
      this.emit('filters');
      this.cy.fit(undefined, 40);
      if (state.selected) this.select(state.selected, false);
      this.status(`Restored ${sub.nodes.length} nodes${missing.length ? `; ${named} not found, or above your clearance` : ''}`, missing.length ? 'error' : 'info');
      return '';
    });
    if (found) {
      this.emit('filters');
      await this.startPage(found);
    }
  }

  /**
   * Folds the collapsed clusters of a restored view again, each over the members that came back
   * (those the reader may see); a cluster none came back of is not drawn. The undo history
   * starts clean, as after any restore.
   */
  private refold(collapsed: ViewState['collapsed']): void {
    if (!collapsed || typeof collapsed !== 'object') return;
    for (const [number, c] of Object.entries(collapsed) as Array<[string, Partial<CollapsedCluster> | null]>) {
      const n = parseInt(number, 10);
      if (!Number.isInteger(n) || n < 1 || !Array.isArray(c?.members)) continue;
      const ids = new Set(c.members.filter((m) => typeof m === 'string'));
      const members = this.cy.nodes('[!group]').filter((m) => ids.has(m.id()) && !m.hasClass('in-collapsed'));
      if (members.empty()) continue;
      // The key names a member: kept only when that member came back, so no id the reader may not see returns.
      const memberIds = members.map((m) => m.id());
      const key = typeof c.key === 'string' && memberIds.includes(c.key) ? c.key : memberIds[0];
      const entities = members.map((m): Entity => ({ id: m.id(), name: m.data('name') as string, kind: m.data('kind') as Entity['kind'] }));
      // Only what came back is counted: the cluster's size as first found may include members the reader may not see.
      this.collapseCluster({ key, number: n, size: members.length, color: clusterColor(n - 1), members: entities });
    }
    this.history.clear();
  }

  viewState(): ViewState {
    const clusters = this.cy.nodes('[group = "cluster"]');
    const collapsed: Record<string, CollapsedCluster> = {};
    clusters.forEach((c) => {
      // Keyed by number; two runs can both have a cluster 1 collapsed: "1/2" (read with parseInt).
      const number = String(c.data('cluster') as number);
      let slot = number;
      for (let i = 2; slot in collapsed; i++) slot = `${number}/${i}`;
      collapsed[slot] = { key: c.data('key') as string, members: (c.data('members') as Array<{ id: string }>).map((m) => m.id) };
    });
    return {
      nodes: this.cy.nodes('[!group]').map((n) => ({ id: n.id(), x: Math.round(n.position().x), y: Math.round(n.position().y) })),
      hidden: this.cy.nodes('.hidden[!group]').map((n) => n.id()),
      selected: this.cy.nodes(':selected').first().id() ?? null,
      filters: this.filters,
      layout: this.layout,
      webgl: this.webgl,
      investigation: this.investigation?.id,
      ...(clusters.nonempty() ? { collapsed } : {}),
      ...(this.clustering ? { clustering: this.clustering } : {}),
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
    const previous = this.layout;
    this.layout = name;
    return this.task(`Laying out (${name})`, async () => {
      const before = savePositions(this.cy);
      // A newer layout took this one's place while it ran in the worker: nothing moved, nothing to undo.
      if (!(await layoutAll(this.cy, name))) {
        this.status(`Layout ${name}: replaced by a newer layout`);
        return;
      }
      this.indexDrawn();
      const after = savePositions(this.cy);
      // Undo puts the picker back on the layout that was in place, redo on this one.
      this.history.push({
        label: `layout ${name}`,
        undo: () => { this.layout = previous; applyPositions(this.cy, before); },
        redo: () => { this.layout = name; applyPositions(this.cy, after); },
      });
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
