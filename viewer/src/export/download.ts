// The exports people hand on, as downloads: PNG and SVG with the legend and a TLP banner, CSV of
// nodes and of links, GraphML, and the HTML brief of the selection. Each holds only what is drawn
// (./collect.ts); file names start with the highest marking, e.g. TLP-AMBER-disinfo-links-….csv.
import type { Core } from 'cytoscape';
import { h } from '../dom.js';
import type { Viewer } from '../viewer.js';
import { briefHtml } from './brief.js';
import { collectDrawn, collectSelection, drawn } from './collect.js';
import { exportName, graphml, linksCsv, nodesCsv, type ExportGraph } from './formats.js';
import { graphSvg } from './graph-svg.js';
import { composePicture, legendOf, type GraphPicture } from './picture.js';

/** Hands `blob` to the browser as a file named `name`. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

type LabelRule = { eleTextBiggerThanMin: (this: unknown, ele: unknown, scale?: number) => boolean };

/**
 * Runs an export with labels judged at the export's scale (the canvas renderer's min-zoomed-font-size
 * rule), not at the screen's zoom: zoomed out, the screen hides labels a 2× image can show.
 */
function atScale<T>(cy: Core, scale: number, fn: () => T): T {
  const r = (cy as unknown as { renderer(): LabelRule & Record<string, unknown> }).renderer();
  const rule = r.eleTextBiggerThanMin;
  const own = Object.prototype.hasOwnProperty.call(r, 'eleTextBiggerThanMin');
  r.eleTextBiggerThanMin = function (this: unknown, ele: unknown, s?: number) { return rule.call(this, ele, s ?? scale); };
  try {
    return fn();
  } finally {
    if (own) r.eleTextBiggerThanMin = rule;
    else Reflect.deleteProperty(r, 'eleTextBiggerThanMin');
  }
}

function caption(g: ExportGraph): string {
  return `${g.nodes.length} entities · ${g.links.length} links · exported ${g.exportedAt.slice(0, 16).replace('T', ' ')} UTC`;
}

function pictureLegend(viewer: Viewer) {
  const { nodes, edges } = drawn(viewer.cy);
  return legendOf(nodes.map((n) => n.data('kind') as never), edges.map((e) => (e.data('assertion') ?? 'AFFIRMED') as never));
}

/** The graph with its legend and TLP banner, as SVG markup (the SVG export, and the PNG's source). */
export function pictureSvg(viewer: Viewer, graph: GraphPicture, g: ExportGraph): { svg: string; width: number; height: number } {
  return composePicture(graph, g.tlp, pictureLegend(viewer), caption(g));
}

export function exportSvg(viewer: Viewer): void {
  const g = collectDrawn(viewer.cy);
  const { svg } = pictureSvg(viewer, atScale(viewer.cy, 1, () => graphSvg(viewer.cy)), g);
  download(new Blob([svg], { type: 'image/svg+xml' }), exportName(g.tlp, 'graph', 'svg', g.exportedAt));
}

const loadImage = async (src: string): Promise<HTMLImageElement> => {
  const img = new Image();
  img.src = src;
  await img.decode();
  return img;
};

/** The graph at 2× (less for a very wide graph: at most 8,000 px a side), framed like the SVG. */
export async function pngBlob(viewer: Viewer): Promise<{ blob: Blob; graph: ExportGraph }> {
  const g = collectDrawn(viewer.cy);
  const bb = viewer.cy.elements().not('.hidden, .filtered').boundingBox({});
  const scale = Math.min(2, 8000 / Math.max(1, bb.w), 8000 / Math.max(1, bb.h));
  const uri = atScale(viewer.cy, scale, () => viewer.cy.png({ output: 'base64uri', full: true, scale, bg: '#ffffff' }));
  const shot = await loadImage(uri);
  const k = Math.max(1, scale);
  const { svg, width, height } = pictureSvg(viewer,
    { markup: `<image href="${uri}" width="${shot.naturalWidth / k}" height="${shot.naturalHeight / k}"/>`, width: shot.naturalWidth / k, height: shot.naturalHeight / k }, g);
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const framed = await loadImage(url);
    const canvas = h('canvas', { width: Math.round(width * k), height: Math.round(height * k) });
    canvas.getContext('2d')?.drawImage(framed, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('the browser could not encode the PNG');
    return { blob, graph: g };
  } finally {
    URL.revokeObjectURL(url);
  }
}

export function exportPng(viewer: Viewer): void {
  void viewer.task('Exporting PNG', async () => {
    const { blob, graph } = await pngBlob(viewer);
    download(blob, exportName(graph.tlp, 'graph', 'png', graph.exportedAt));
    viewer.status(`Exported a PNG of ${caption(graph)}, marked TLP:${graph.tlp}`);
  });
}

const CSV = 'text/csv;charset=utf-8';

export function exportNodesCsv(viewer: Viewer): void {
  const g = collectDrawn(viewer.cy);
  download(new Blob([nodesCsv(g)], { type: CSV }), exportName(g.tlp, 'nodes', 'csv', g.exportedAt));
}

export function exportLinksCsv(viewer: Viewer): void {
  const g = collectDrawn(viewer.cy);
  download(new Blob([linksCsv(g)], { type: CSV }), exportName(g.tlp, 'links', 'csv', g.exportedAt));
}

export function exportGraphml(viewer: Viewer): void {
  const g = collectDrawn(viewer.cy);
  download(new Blob([graphml(g)], { type: 'application/graphml+xml' }), exportName(g.tlp, 'graph', 'graphml', g.exportedAt));
}

/** The brief of the selection (or of everything drawn when nothing is selected). */
export function exportBrief(viewer: Viewer): void {
  const { graph, scope } = collectSelection(viewer.cy);
  download(new Blob([briefHtml(graph, scope)], { type: 'text/html;charset=utf-8' }), exportName(graph.tlp, 'brief', 'html', graph.exportedAt));
  viewer.status(`Brief of ${scope.charAt(0).toLowerCase()}${scope.slice(1)}, marked TLP:${graph.tlp}: open it and print to PDF from the browser`);
}
