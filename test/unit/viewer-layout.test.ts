// The viewer's layout helpers and filters on a headless Cytoscape (issue 18): new nodes placed
// off drawn nodes and links, the overlap-removal pass, hub leaves grouped by kind, and the time
// filter taking entities along with their links. No browser.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Core } from 'cytoscape';
import { drawn } from '../../viewer/src/graph/drawn-index.js';
import { splitLeaves } from '../../viewer/src/graph/groups.js';
import { removeOverlaps } from '../../viewer/src/graph/overlap.js';
import { placeAround } from '../../viewer/src/graph/placement.js';
import { boxAt, extentOf, intersects } from '../../viewer/src/graph/space.js';
import { stylesheet } from '../../viewer/src/graph/style.js';
import { applyFilters } from '../../viewer/src/state/filters.js';
import { DEFAULT_FILTERS, type Entity, type Link } from '../../viewer/src/types.js';
import { cytoscape } from '../headless-cytoscape.js';

const node = (id: string, x?: number, y?: number) => ({ group: 'nodes' as const, data: { id, kind: 'PERSONA', tlp: 'CLEAR', name: id, label: id, size: 24, degree: 1 }, ...(x === undefined ? {} : { position: { x, y: y ?? 0 } }) });
const edge = (id: string, source: string, target: string, firstSeen: string | null = null) => ({ group: 'edges' as const, data: { id, source, target, type: 'USES', confidence: 50, tlp: 'CLEAR', assertion: 'AFFIRMED', firstSeen, lastSeen: null } });


function overlaps(cy: Core, withLabels: boolean): number {
  const ns = cy.nodes().toArray();
  let k = 0;
  for (let i = 0; i < ns.length; i++) {
    for (let j = i + 1; j < ns.length; j++) {
      const a = ns[i].position();
      const b = ns[j].position();
      if (intersects(boxAt(a.x, a.y, extentOf(ns[i], withLabels)), boxAt(b.x, b.y, extentOf(ns[j], withLabels)))) k++;
    }
  }
  return k;
}

describe('viewer layout helpers', () => {
  it('places 60 new neighbours around their node, off drawn nodes, labels and links, without moving them', () => {
    const cy = cytoscape({ headless: true, styleEnabled: true });
    cy.add([node('hub', 0, 0), node('a', 150, 0), node('b', -150, 0), edge('ab', 'a', 'b'), edge('ha', 'hub', 'a')]);
    const fresh = cy.add(Array.from({ length: 60 }, (_, i) => [node(`n${i}`), edge(`e${i}`, 'hub', `n${i}`)]).flat());
    placeAround(cy, fresh.nodes());
    assert.deepEqual(cy.$id('a').position(), { x: 150, y: 0 });
    assert.equal(overlaps(cy, true), 0, 'no node or label overlaps another');
    // The a–b link runs through y = 0 between x = −150 and 150: no new node sits on it.
    const onLink = fresh.nodes().filter((n) => Math.abs(n.position().y) < 12 && Math.abs(n.position().x) < 150);
    assert.equal(onLink.length, 0);
  });

  it('the overlap pass separates 500 nodes crammed together, the same way twice', () => {
    const run = () => {
      const cy = cytoscape({ headless: true, styleEnabled: true });
      // 500 nodes crammed into a 300 px square (a collapsed layout).
      cy.add(Array.from({ length: 500 }, (_, i) => node(`n${i}`, (i * 7919) % 300, (i * 104729) % 293)));
      removeOverlaps(cy.nodes(), { withLabels: false });
      return cy;
    };
    const a = run();
    assert.equal(overlaps(a, false), 0);
    assert.deepEqual(a.nodes().map((n) => n.position()), run().nodes().map((n) => n.position()));
  });

  it('groups a hub\'s leaves by kind and draws the few linked elsewhere', () => {
    const ent = (id: string, kind: Entity['kind']): Entity => ({ id, kind, name: id });
    const link = (a: string, b: string): Link => ({ id: `${a}-${b}`, type: 'USES', from: { id: a }, to: { id: b }, confidence: 50, firstSeen: null, lastSeen: null, tlp: 'CLEAR', assertion: 'AFFIRMED', description: null, citations: [] });
    const fresh = [...Array.from({ length: 50 }, (_, i) => ent(`p${i}`, 'PERSONA')), ...Array.from({ length: 20 }, (_, i) => ent(`h${i}`, 'HOST')), ent('t0', 'TECHNIQUE')];
    const edges = [...fresh.map((e) => link('hub', e.id)), link('p0', 'h0')];
    const { direct, groups } = splitLeaves('hub', fresh, edges);
    assert.deepEqual(direct.map((e) => e.id).sort(), ['h0', 'p0', 't0']);
    assert.equal(groups.get('PERSONA')?.length, 49);
    assert.equal(groups.get('HOST')?.length, 19);
  });

  it('a time filter hides an entity whose every drawn link it hides, and only then', () => {
    const cy = cytoscape({ headless: true });
    cy.add([node('a'), node('b'), node('c'), node('lone'), edge('ab', 'a', 'b', '2020-01-01T00:00:00Z'), edge('ac', 'a', 'c', null)]);
    applyFilters(cy, { ...DEFAULT_FILTERS, timeMode: 'asOf', asOf: '2019-01-01' });
    assert.deepEqual(cy.elements('.filtered').map((e) => e.id()).sort(), ['ab', 'b']);
    applyFilters(cy, DEFAULT_FILTERS);
    assert.equal(cy.elements('.filtered').length, 0);
  });

  it('the drawn index reads visibility from classes exactly as the stylesheet draws it', () => {
    // drawn() stands in for Cytoscape's visible() (which reads every element's style): a class the
    // stylesheet gives display: none that drawn() does not know would leave ghosts in the index.
    const cy = cytoscape({ headless: true, styleEnabled: true, style: stylesheet() });
    cy.add([node('a'), node('b'), node('c'), node('d'), node('e'), edge('ab', 'a', 'b'), edge('bc', 'b', 'c'), edge('cd', 'c', 'd'), edge('de', 'd', 'e')]);
    cy.getElementById('b').addClass('hidden');
    cy.getElementById('cd').addClass('filtered');
    cy.getElementById('e').addClass('in-collapsed');
    cy.getElementById('c').addClass('fresh faded');
    const seen = cy.elements().map((el) => [el.id(), drawn(el)]);
    assert.deepEqual(seen, cy.elements().map((el) => [el.id(), el.visible()]));
    assert.deepEqual(seen.filter(([, on]) => on).map(([id]) => id), ['a', 'c', 'd']);
  });
});
