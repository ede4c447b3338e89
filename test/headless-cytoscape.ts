// Headless Cytoscape cores for the viewer's unit tests. A headless core keeps an animation timer
// running: every core made here is destroyed after the test file, or the process never exits.
import { after } from 'node:test';
import cytoscapeFactory, { type Core, type CytoscapeOptions } from 'cytoscape';

const made: Core[] = [];
after(() => { for (const cy of made.splice(0)) cy.destroy(); });

export function cytoscape(options: CytoscapeOptions): Core {
  const cy = cytoscapeFactory(options);
  made.push(cy);
  return cy;
}
