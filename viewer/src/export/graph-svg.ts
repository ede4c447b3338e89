// The graph as SVG for the SVG export: Cytoscape's own canvas renderer draws the elements, the
// way cy.png() does, but into svgcanvas's recording context (MIT) instead of a canvas, so shapes
// stay paths and labels stay <text>. This replaced cytoscape-svg, which is GPL-3.0 and would have
// put the bundled viewer under GPL terms. Drawing through the renderer (rather than writing SVG
// from element positions ourselves) keeps every shape, arrow, dash and label rule the screen uses.
import type { Core } from 'cytoscape';
import { Context } from 'svgcanvas';
import { nestableSvg, type GraphPicture } from './picture.js';

/** The parts of Cytoscape's canvas renderer used here (not in its typings; stable since 3.x). */
interface CanvasRenderer {
  getCachedZSortedEles(): unknown[];
  drawElements(context: unknown, eles: unknown[]): void;
  /** Path2D caching: drawing then hands Path2D objects to the context, which svgcanvas cannot read. */
  path2dEnabled(on?: boolean): boolean | undefined;
}

/**
 * Everything drawn (elements that are display: none, i.e. hidden or filtered out, draw nothing and
 * add nothing to the bounding box), at `scale`, as nestable SVG markup.
 */
export function graphSvg(cy: Core, scale = 1): GraphPicture {
  const r = (cy as unknown as { renderer(): CanvasRenderer }).renderer();
  const bb = cy.elements().boundingBox({});
  const width = Math.max(1, Math.ceil(bb.w * scale));
  const height = Math.max(1, Math.ceil(bb.h * scale));
  const ctx = new Context({ width, height });
  ctx.translate(-bb.x1 * scale, -bb.y1 * scale);
  ctx.scale(scale, scale);
  const paths = r.path2dEnabled();
  r.path2dEnabled(false);
  try {
    r.drawElements(ctx, r.getCachedZSortedEles());
  } finally {
    r.path2dEnabled(paths);
  }
  // svgcanvas writes text-decoration="undefined" on every label (no underline was set): not valid SVG.
  return nestableSvg(ctx.getSerializedSvg().replaceAll(' text-decoration="undefined"', ''));
}
