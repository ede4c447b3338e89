// Cytoscape 3.34's WebGL renderer draws every label whatever its size on screen: zoomed out, a
// big graph turns into grey smudges. The canvas renderer hides a label drawn smaller than its
// min-zoomed-font-size (style.ts). This makes the WebGL renderer ask the canvas renderer's own
// rule (eleTextBiggerThanMin, same zoom levels) before it draws a label, every frame.
import type { Core } from 'cytoscape';

type Ele = unknown;
interface RenderTypeOpts { isVisible?: (ele: Ele) => boolean }
interface WebglRenderer {
  eleTextBiggerThanMin?: (ele: Ele, scale?: number) => boolean;
  drawing?: { atlasManager?: { getRenderTypeOpts?: (type: string) => RenderTypeOpts | undefined } };
}

/** The WebGL render types that draw text. */
const LABEL_TYPES = ['label', 'edge-source-label', 'edge-target-label'];

/** Returns false (and changes nothing) when the renderer is not the WebGL one, or its internals moved. */
export function followCanvasLabelRules(cy: Core): boolean {
  const r = (cy as unknown as { renderer(): WebglRenderer | undefined }).renderer();
  const atlas = r?.drawing?.atlasManager;
  const bigEnough = r?.eleTextBiggerThanMin;
  if (!r || !atlas?.getRenderTypeOpts || typeof bigEnough !== 'function') return false;
  let patched = 0;
  for (const type of LABEL_TYPES) {
    const opts = atlas.getRenderTypeOpts.call(atlas, type);
    if (!opts) continue;
    const visible = opts.isVisible;
    opts.isVisible = (ele) => (visible ? visible(ele) : true) && bigEnough.call(r, ele);
    patched++;
  }
  return patched > 0;
}
