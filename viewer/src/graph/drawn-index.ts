// The grid index of what is drawn (graph/space.ts), kept per Cytoscape core across expansions:
// built once, then brought up to date only for the elements that changed since (added, removed,
// moved, relabelled, hidden or shown), which Cytoscape's events name. An expansion at 5,000
// drawn elements so costs about what it adds, not a pass over everything drawn.
import type { Core, EdgeSingular, NodeSingular, SingularElementArgument } from 'cytoscape';
import { boxAt, extentOf, SpaceIndex } from './space.js';

/** The classes that take an element off the canvas (graph/style.ts: display none). */
const UNDRAWN = ['hidden', 'filtered', 'in-collapsed'];

/**
 * Whether an element is drawn, read from its classes. Cytoscape's `:visible` and visible() read
 * the computed style of every element they test: 85 ms for 5,000 elements, most of an expansion.
 */
export function drawn(el: SingularElementArgument): boolean {
  if (UNDRAWN.some((c) => el.hasClass(c))) return false;
  if (el.isNode()) return true;
  return drawn(el.source()) && drawn(el.target());
}

interface Tracked {
  index: SpaceIndex;
  /** Ids of elements changed since the index was last brought up to date. */
  stale: Set<string>;
  /** Past this many changes a rebuild is cheaper than one-by-one updates. */
  rebuild: boolean;
}

const tracked = new WeakMap<Core, Tracked>();

function indexNode(index: SpaceIndex, n: NodeSingular): void {
  const p = n.position();
  index.addBox(boxAt(p.x, p.y, extentOf(n, true)), n.id());
}

function indexEdge(index: SpaceIndex, e: EdgeSingular): void {
  const s = e.source();
  const t = e.target();
  if (s.same(t)) return;
  const a = s.position();
  const b = t.position();
  index.addSegment({ ax: a.x, ay: a.y, bx: b.x, by: b.y, id: e.id() });
}

function build(cy: Core, t: Tracked, skip: Set<string>): void {
  t.index = new SpaceIndex();
  t.stale.clear();
  cy.nodes().forEach((n) => {
    if (!drawn(n)) return;
    if (skip.has(n.id())) t.stale.add(n.id()); else indexNode(t.index, n);
  });
  cy.edges().forEach((e) => {
    if (!drawn(e)) return;
    if (skip.has(e.source().id()) || skip.has(e.target().id())) t.stale.add(e.id());
    else indexEdge(t.index, e);
  });
  t.rebuild = false;
}

/**
 * The index of the drawn nodes (with labels) and links, up to date except for `skip` (nodes about
 * to be placed: they and their links are indexed on the next call, once they have their places).
 */
export function drawnIndex(cy: Core, skip: Set<string>): SpaceIndex {
  let t = tracked.get(cy);
  if (!t) {
    const fresh: Tracked = { index: new SpaceIndex(), stale: new Set(), rebuild: true };
    const mark = (ev: { target: SingularElementArgument }) => {
      if (fresh.rebuild) return;
      const el = ev.target;
      fresh.stale.add(el.id());
      // A node that moves, goes or changes visibility takes its links along.
      if (el.isNode()) el.connectedEdges().forEach((e) => { fresh.stale.add(e.id()); });
      if (fresh.stale.size > 2000) fresh.rebuild = true;
    };
    cy.on('add remove position data class', mark);
    tracked.set(cy, fresh);
    t = fresh;
  }
  if (t.rebuild) {
    build(cy, t, skip);
    return t.index;
  }
  const later = new Set<string>();
  for (const id of t.stale) {
    t.index.remove(id);
    const el = cy.getElementById(id);
    if (el.empty() || !drawn(el)) continue;
    if (el.isNode()) {
      if (skip.has(id)) later.add(id); else indexNode(t.index, el);
    } else {
      const e = el as EdgeSingular;
      if (skip.has(e.source().id()) || skip.has(e.target().id())) later.add(id); else indexEdge(t.index, e);
    }
  }
  t.stale = later;
  return t.index;
}
