// Export: PNG and JSON with positions (saved investigations are in ./investigations.ts).
import { download } from '../export/download.js';
import type { Viewer } from '../viewer.js';

function stamp(): string {
  return new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
}

// PNG, SVG, CSV, GraphML and the brief: ../export/download.ts.
export { exportPng } from '../export/download.js';

/** Elements with data and positions, plus the filters: enough to rebuild the view elsewhere. */
export function viewJson(viewer: Viewer): object {
  return {
    format: 'disinfo-graph-view/1',
    exportedAt: new Date().toISOString(),
    filters: viewer.filters,
    layout: viewer.layout,
    elements: viewer.cy.elements().jsons(),
  };
}

export function exportJson(viewer: Viewer): void {
  download(new Blob([JSON.stringify(viewJson(viewer), null, 1)], { type: 'application/json' }), `disinfo-graph-${stamp()}.json`);
}
