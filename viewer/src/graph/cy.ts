// Creates the Cytoscape core: canvas renderer by default, WebGL when asked and available.
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import contextMenus from 'cytoscape-context-menus';
import fcose from 'cytoscape-fcose';
import 'cytoscape-context-menus/cytoscape-context-menus.css';
import { stylesheet } from './style.js';

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
  return cytoscape({
    container,
    elements: opts.elements ?? [],
    style: stylesheet(),
    layout: { name: 'preset', fit: false },
    minZoom: 0.05,
    maxZoom: 4,
    boxSelectionEnabled: true,
    webgl: opts.webgl && webgl2Available(),
    ...(opts.zoom !== undefined && opts.pan ? { zoom: opts.zoom, pan: opts.pan } : {}),
  });
}
