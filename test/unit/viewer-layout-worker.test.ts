// The layout worker's job (issue 18) on a headless Cytoscape: fcose run from what the page sends
// (viewer/src/graph/fcose-job.ts, as the worker runs it) puts every node exactly where fcose run on
// the page's own core does. No browser; the e2e test compares the two in Chromium with labels.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import cytoscapeFactory, { type Core, type CytoscapeOptions } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { answerBoxesFromPage, buildFcoseJob, runFcoseJob } from '../../viewer/src/graph/fcose-job.js';
import { fcoseOptions, withSeededRandom } from '../../viewer/src/graph/fcose-options.js';
import { stylesheet } from '../../viewer/src/graph/style.js';
import { cytoscape } from '../headless-cytoscape.js';

cytoscapeFactory.use(fcose);
answerBoxesFromPage(cytoscapeFactory);


/** Two clusters of `n` nodes each (two components, so fcose centres each on its old box), ring-and-chord links, on a grid. */
function graph(n: number): Core {
  const els: NonNullable<CytoscapeOptions['elements']> = [];
  for (const c of ['a', 'b']) {
    for (let i = 0; i < n; i++) {
      els.push({ group: 'nodes', data: { id: `${c}${i}`, kind: 'PERSONA', tlp: 'CLEAR', name: `${c} ${i}`, label: `${c} ${i}`, size: 16 + (i % 3) * 8, degree: 2 }, position: { x: (i % 10) * 50 + (c === 'b' ? 900 : 0), y: Math.floor(i / 10) * 50 } });
    }
    for (let i = 0; i < n; i++) {
      els.push({ group: 'edges', data: { id: `${c}e${i}`, source: `${c}${i}`, target: `${c}${(i + 1) % n}`, type: 'USES', confidence: 50, tlp: 'CLEAR', assertion: 'AFFIRMED' } });
      if (i % 4 === 0) els.push({ group: 'edges', data: { id: `${c}f${i}`, source: `${c}${i}`, target: `${c}${(i * 7 + 3) % n}`, type: 'USES', confidence: 50, tlp: 'CLEAR', assertion: 'AFFIRMED' } });
    }
  }
  const cy = cytoscape({ headless: true, styleEnabled: true, style: stylesheet(), elements: els, layout: { name: 'preset' } });
  // Newly added nodes wear an underlay: their boxes on the page are larger than their bodies, and
  // fcose centres each component on its old box, so the worker must use the page's boxes.
  cy.nodes().filter((node, i) => i % 5 === 0).addClass('fresh');
  return cy;
}

const at = (cy: Core) => Object.fromEntries(cy.nodes().map((n) => [n.id(), { ...n.position() }]));

describe('fcose in the layout worker', () => {
  for (const [n, hide] of [[20, false], [90, true]] as const) {
    it(`${2 * n} nodes${hide ? ', one hidden' : ''}: the job run as the worker runs it gives the page's positions`, () => {
      const onPage = graph(n);
      const viaJob = graph(n);
      if (hide) for (const cy of [onPage, viaJob]) cy.$id('a3').style('display', 'none');
      const start = at(onPage);
      const eles = onPage.elements(':visible');
      const count = eles.nodes().length;
      withSeededRandom(() => eles.layout({ ...fcoseOptions(count, false), fit: false } as never).run());
      const visible = viaJob.elements(':visible');
      const { job, shift } = buildFcoseJob(viaJob, visible, 1, false);
      assert.equal(job.laid.filter((l) => l === 1).length, count);
      const answer = runFcoseJob(cytoscapeFactory, job);
      visible.nodes().forEach((node, i) => { node.position({ x: answer.x[i] + shift[i].dx, y: answer.y[i] + shift[i].dy }); });
      assert.notDeepEqual(at(onPage), start, 'fcose moved the nodes');
      assert.deepEqual(at(viaJob), at(onPage));
    });
  }
});
