// Applies the filter panel's filters to what is drawn (class "filtered", display: none), with
// the same rules the API applies to queries, so the view and the next expansion agree.
import type { Collection, Core, EdgeSingular, NodeSingular } from 'cytoscape';
import { TLPS, type Filters, type Tlp } from '../types.js';

const rank = (t: Tlp | null | undefined) => TLPS.indexOf(t ?? 'CLEAR');

export function nodePasses(n: NodeSingular, f: Filters): boolean {
  if (f.kinds.length && !f.kinds.includes(n.data('kind'))) return false;
  if (f.tlpMax && rank(n.data('tlp')) > rank(f.tlpMax)) return false;
  return true;
}

export function edgePasses(e: EdgeSingular, f: Filters): boolean {
  const d = e.data() as { type: string; confidence: number; tlp: Tlp; assertion: string; firstSeen: string | null; lastSeen: string | null };
  if (f.types.length && !f.types.includes(d.type as Filters['types'][number])) return false;
  if (d.confidence < f.minConfidence) return false;
  if (f.tlpMax && rank(d.tlp) > rank(f.tlpMax)) return false;
  if (!f.includeNegated && d.assertion === 'NEGATED') return false;
  // Dates compare as ISO strings; a bare day means "that whole day".
  if (f.timeMode === 'asOf' && f.asOf && d.firstSeen && d.firstSeen.slice(0, 10) > f.asOf) return false;
  if (f.timeMode === 'window') {
    const end = d.lastSeen ?? d.firstSeen;
    if (f.from && end && end.slice(0, 10) < f.from) return false;
    if (f.to && d.firstSeen && d.firstSeen.slice(0, 10) > f.to) return false;
  }
  return true;
}

/**
 * Marks what fails the filters, over every element or only `eles` (e.g. just added). Classes are
 * touched only where the outcome changes: Cytoscape restyles any element whose classes are set,
 * even to the same value, and a restyle of the whole graph per expansion was most of its cost.
 */
export function applyFilters(cy: Core, f: Filters, eles: Collection = cy.elements()): void {
  cy.batch(() => {
    eles.nodes().forEach((n) => {
      const out = !nodePasses(n, f);
      if (out !== n.hasClass('filtered')) n.toggleClass('filtered', out);
    });
    eles.edges().forEach((e) => {
      const out = !edgePasses(e, f);
      if (out !== e.hasClass('filtered')) e.toggleClass('filtered', out);
    });
  });
}

export function filtersActive(f: Filters): boolean {
  return f.kinds.length > 0 || f.types.length > 0 || f.minConfidence > 0 || f.tlpMax !== null || !f.includeNegated || f.timeMode !== 'all';
}
