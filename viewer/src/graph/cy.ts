// Creates the Cytoscape core: canvas renderer by default, WebGL when asked and available.
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import contextMenus from 'cytoscape-context-menus';
import fcose from 'cytoscape-fcose';
import 'cytoscape-context-menus/cytoscape-context-menus.css';
import { stylesheet } from './style.js';
import { followCanvasLabelRules } from './webgl-labels.js';

cytoscape.use(fcose);
cytoscape.use(contextMenus);

/** WebGL mode needs WebGL2; Cytoscape would otherwise fail on first draw. */
export function webgl2Available(): boolean {
  try {
    return !!document.createElement('canvas').getContext('webgl2');
  } catch {
    return false;
  }
}

export interface CyOptions {
  webgl: boolean;
  elements?: ElementDefinition[];
  zoom?: number;
  pan?: { x: number; y: number };
}

export function createCy(container: HTMLElement, opts: CyOptions): Core {
  const webgl = opts.webgl && webgl2Available();
  const cy = cytoscape({
    container,
    elements: opts.elements ?? [],
    style: stylesheet(),
    layout: { name: 'preset', fit: false },
    minZoom: 0.05,
    maxZoom: 4,
    boxSelectionEnabled: true,
    webgl,
    ...(opts.zoom !== undefined && opts.pan ? { zoom: opts.zoom, pan: opts.pan } : {}),
  });
  // WebGL labels follow the canvas renderer's rules (min-zoomed-font-size); a warning if they cannot.
  if (webgl && !followCanvasLabelRules(cy)) console.warn('WebGL labels: this Cytoscape version draws them at any size');
  return cy;
}
