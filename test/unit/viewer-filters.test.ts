// The shared table of filter cases (test/filter-cases.ts) run through the viewer's own code: the
// panel's filters → toGraphFilter → the rules, applied by applyFilters to elements of a headless
// Cytoscape, the way the viewer marks what it draws. Cases the panel cannot express (a clearance
// below RED — the API already left those out — asOf and a window at once, includeRevoked) are
// left to test/unit/filter-rules.test.ts. No database, no browser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import cytoscape from 'cytoscape';
import { applyFilters } from '../../viewer/src/state/filters.js';
import { DEFAULT_FILTERS, type Filters } from '../../viewer/src/types.js';
import { FILTER_CASES, farOf, linkOf, type FilterCase } from '../filter-cases.js';

function panelFilters(c: FilterCase): Filters | null {
  const f = c.filter;
  if ((c.clearance ?? 'RED') !== 'RED' || f.includeRevoked != null) return null;
  if (f.asOf && (f.from || f.to)) return null;
  return {
    ...DEFAULT_FILTERS,
    kinds: f.kinds ? [...f.kinds] : [],
    types: f.types ? [...f.types] : [],
    minConfidence: f.minConfidence ?? 0,
    tlpMax: f.tlpMax ?? null,
    includeNegated: f.includeNegated ?? true,
    timeMode: f.asOf ? 'asOf' : f.from || f.to ? 'window' : 'all',
    asOf: f.asOf ?? null,
    from: f.from ?? null,
    to: f.to ?? null,
  };
}

describe('viewer filters: the shared table of cases through the viewer code', () => {
  const runnable = FILTER_CASES.map((c) => [c, panelFilters(c)] as const).filter((p): p is readonly [FilterCase, Filters] => p[1] !== null);

  it('most of the table is expressible in the panel', () => {
    assert.ok(runnable.length >= FILTER_CASES.length * 0.7, `${runnable.length} of ${FILTER_CASES.length}`);
  });

  for (const [c, filters] of runnable) {
    it(`${c.passes ? 'shown' : 'hidden'}: ${c.name}`, () => {
      const cy = cytoscape({ headless: true });
      // The near end is the query's seed (exempt from kinds in the API); the viewer filters every
      // drawn node, so the seed here is of a kind every kinds filter in the table admits.
      const far = farOf(c);
      cy.add([
        { group: 'nodes', data: { id: 'near', kind: far.kind, tlp: 'CLEAR' } },
        { group: 'nodes', data: { id: 'far', ...far } },
        { group: 'edges', data: { id: 'l', source: 'near', target: 'far', ...linkOf(c) } },
      ]);
      applyFilters(cy, filters);
      const shown = !cy.$id('l').hasClass('filtered') && !cy.$id('far').hasClass('filtered');
      assert.equal(shown, c.passes);
    });
  }
});
