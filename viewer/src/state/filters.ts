// Applies the filter panel's filters to what is drawn (class "filtered", display: none), with
// the rules the API applies to queries (model/filter-rules.ts, one definition for both), so the
// view and the next expansion agree: e.g. "as of 2020-10-21" keeps a link first seen that evening.
import type { Collection, Core, EdgeSingular, NodeSingular } from 'cytoscape';
import { entityPassesRules, filterRules, linkPassesRules, type FilterRules, type FilterableLink, type LinkFilter } from '../../../model/filter-rules.js';
import type { Filters, Tlp } from '../types.js';

/** The API filter for the panel's filters; empty lists and defaults are left out. */
export function toGraphFilter(f: Filters): LinkFilter {
  const g: { -readonly [K in keyof LinkFilter]: LinkFilter[K] } = {};
  if (f.kinds.length) g.kinds = f.kinds;
  if (f.types.length) g.types = f.types;
  if (f.minConfidence > 0) g.minConfidence = f.minConfidence;
  if (f.tlpMax) g.tlpMax = f.tlpMax;
  if (!f.includeNegated) g.includeNegated = false;
  if (f.includeRevoked) g.includeRevoked = true;
  if (f.timeMode === 'asOf' && f.asOf) g.asOf = f.asOf;
  if (f.timeMode === 'window') {
    if (f.from) g.from = f.from;
    if (f.to) g.to = f.to;
  }
  return g;
}

/**
 * The panel's filters resolved by model/filter-rules.ts, the rules the API's queries follow. The
 * clearance is RED: the API has already left out what the key may not see. A date the rules refuse
 * (the panel only makes valid ones) bounds nothing, as the query would not run with it either.
 */
export function rulesOf(f: Filters): FilterRules {
  const g = toGraphFilter(f);
  try {
    return filterRules('RED', g);
  } catch {
    return filterRules('RED', { ...g, asOf: null, from: null, to: null });
  }
}

// A drawn element without a marking (none should be) reads as CLEAR.
const tlpOf = (t: Tlp | null | undefined): Tlp => t ?? 'CLEAR';

export function nodePasses(n: NodeSingular, f: Filters | FilterRules): boolean {
  const r = 'timeMode' in f ? rulesOf(f) : f;
  return entityPassesRules(r, { kind: n.data('kind') as string, tlp: tlpOf(n.data('tlp') as Tlp | undefined) });
}

export function edgePasses(e: EdgeSingular, f: Filters | FilterRules): boolean {
  const r = 'timeMode' in f ? rulesOf(f) : f;
  const d = e.data() as FilterableLink;
  return linkPassesRules(r, { ...d, tlp: tlpOf(d.tlp), firstSeen: d.firstSeen ?? null, lastSeen: d.lastSeen ?? null });
}

/**
 * Marks what fails the filters, over every element or only `eles` (e.g. just added). Classes are
 * touched only where the outcome changes: Cytoscape restyles any element whose classes are set,
 * even to the same value, and a restyle of the whole graph per expansion was most of its cost.
 */
export function applyFilters(cy: Core, f: Filters, eles: Collection = cy.elements()): void {
  const r = rulesOf(f);
  const timed = f.timeMode !== 'all';
  const changed: Array<EdgeSingular | NodeSingular> = [];
  cy.batch(() => {
    // Links first: under a time filter an entity goes when every link it has on screen does.
    eles.edges().forEach((e) => {
      // A hub group's link stands for the group, which its node's kind filters.
      const out = e.data('group') ? false : !edgePasses(e, r);
      if (out !== e.hasClass('filtered')) { e.toggleClass('filtered', out); changed.push(e); }
    });
    const nodes = timed ? eles.nodes().union(eles.edges().connectedNodes()) : eles.nodes();
    nodes.forEach((n) => {
      let out = !nodePasses(n, r);
      if (!out && timed && !n.data('group')) {
        const links = n.connectedEdges('[!group]');
        out = links.nonempty() && links.every((e) => (e as EdgeSingular).hasClass('filtered'));
      }
      if (out !== n.hasClass('filtered')) { n.toggleClass('filtered', out); changed.push(n); }
    });
  });
  restyle(cy.collection().union(changed));
}

/**
 * Cytoscape caches visible() per element and keeps the old answer after a class change until the
 * element's style is next read (by a draw, or here): without this, `:visible` still counted the
 * entities a time filter had just hidden. Only what changed is read.
 */
export function restyle(eles: Collection): void {
  eles.forEach((e) => { e.style('display'); });
}

export function filtersActive(f: Filters): boolean {
  return f.kinds.length > 0 || f.types.length > 0 || f.minConfidence > 0 || f.tlpMax !== null || !f.includeNegated || f.includeRevoked || f.timeMode !== 'all';
}
