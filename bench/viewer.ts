// Viewer timings in headless Chromium (canvas renderer): first render of N elements, expanding a
// node by 200 neighbours, and frame times while panning and zooming. Uses the real viewer served
// by the app at `/` when it exposes window.viewer.loadElements; otherwise a minimal page with
// Cytoscape from node_modules and the viewer's core settings.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { launchChromium } from './chromium.js';

/** What the bench prints when it cannot time the viewer (bench/chromium.ts finds the browser). */
export const VIEWER_BENCH = 'bench: viewer timings';

export interface ViewerResult {
  page: 'viewer' | 'bench-page';
  firstRenderMs: Record<string, number>;
  expand200Ms: number;
  /** Expanding 200 neighbours with the viewer's own placement (not 'none'), by elements already drawn: the median of the runs. */
  expandLaidOutMs?: Record<string, number>;
  /** ⟳ (the fcose re-run) on 2,000 nodes: time, overlapping node pairs after, and the drawing's size. */
  relayout2k?: { ms: number; overlaps: number; width: number; height: number };
  frameMs: { median: number; p95: number; frames: number };
}

interface El { data: Record<string, unknown>; position?: { x: number; y: number }; group: 'nodes' | 'edges' }

/** n elements shaped like the viewer's own (label, size, kind, TLP): a third nodes on a grid, the rest edges. */
function elements(n: number, prefix = 'n'): El[] {
  const nodes = Math.max(2, Math.round(n / 3));
  const side = Math.ceil(Math.sqrt(nodes));
  const out: El[] = [];
  for (let i = 0; i < nodes; i++) {
    out.push({ group: 'nodes', data: { id: `${prefix}${i}`, name: `entity ${i}`, label: `entity ${i}`, kind: 'PERSONA', tlp: 'CLEAR', degree: 3, size: 24 }, position: { x: (i % side) * 60, y: Math.floor(i / side) * 60 } });
  }
  for (let e = 0; out.length < n; e++) {
    const a = e % nodes;
    const b = (a + 1 + (e % 7) * side) % nodes;
    out.push({ group: 'edges', data: { id: `${prefix}e${e}`, source: `${prefix}${a}`, target: `${prefix}${b}`, type: 'USES', label: 'USES', assertion: 'AFFIRMED', confidence: 50 } });
  }
  return out;
}

function neighbours(hub: string, k: number, prefix = 'x'): El[] {
  return Array.from({ length: k }, (_, i) => [
    { group: 'nodes' as const, data: { id: `${prefix}${i}`, name: `neighbour ${i}`, label: `neighbour ${i}`, kind: 'HOST', tlp: 'CLEAR', degree: 1, size: 24 }, position: { x: 400 * Math.cos(i / k * 2 * Math.PI), y: 400 * Math.sin(i / k * 2 * Math.PI) } },
    { group: 'edges' as const, data: { id: `${prefix}e${i}`, source: hub, target: `${prefix}${i}`, type: 'USES', label: 'USES', assertion: 'AFFIRMED', confidence: 60 } },
  ]).flat();
}

/** `nodes` nodes at random places in a square and `edges` mostly local links (the e2e test's shape). */
function scattered(nodes: number, edges: number, prefix: string): El[] {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const side = Math.sqrt(nodes) * 40;
  const out: El[] = [];
  for (let i = 0; i < nodes; i++) {
    out.push({ group: 'nodes', data: { id: `${prefix}${i}`, name: `entity ${i}`, label: `entity ${i}`, kind: 'PERSONA', tlp: 'CLEAR', degree: 3, size: 24 }, position: { x: rand() * side, y: rand() * side } });
  }
  for (let e = 0; e < edges; e++) {
    const a = Math.floor(rand() * nodes);
    out.push({ group: 'edges', data: { id: `${prefix}e${e}`, source: `${prefix}${a}`, target: `${prefix}${(a + 1 + Math.floor(rand() * 40)) % nodes}`, type: 'USES', label: 'USES', assertion: 'AFFIRMED', confidence: 50 } });
  }
  return out;
}

/** Pairs of drawn nodes whose boxes (node bodies, not labels) overlap, counted in the page on a grid. */
export function overlappingPairs(page: Page): Promise<number> {
  return page.evaluate(() => {
    const cy = (window as unknown as { cy: import('cytoscape').Core }).cy;
    const boxes = cy.nodes(':visible').map((n) => { const p = n.position(); const w = n.width() / 2; const h = n.height() / 2; return { x1: p.x - w, x2: p.x + w, y1: p.y - h, y2: p.y + h }; });
    const cell = 80;
    const grid = new Map<string, number[]>();
    let pairs = 0;
    boxes.forEach((b, i) => {
      const seen = new Set<number>();
      for (let gx = Math.floor(b.x1 / cell); gx <= Math.floor(b.x2 / cell); gx++) {
        for (let gy = Math.floor(b.y1 / cell); gy <= Math.floor(b.y2 / cell); gy++) {
          const key = `${gx},${gy}`;
          for (const j of grid.get(key) ?? []) {
            if (seen.has(j)) continue;
            seen.add(j);
            const o = boxes[j];
            if (b.x1 < o.x2 && o.x1 < b.x2 && b.y1 < o.y2 && o.y1 < b.y2) pairs++;
          }
          grid.set(key, [...(grid.get(key) ?? []), i]);
        }
      }
    });
    return pairs;
  });
}

/** The viewer's own expansion path for given elements (placement of the new nodes included), in ms. */
async function expandLaidOut(page: Page, defs: El[]): Promise<number> {
  return page.evaluate(async (defs) => {
    const w = window as unknown as { viewer: { loadElements(d: unknown, o: unknown): Promise<{ ms: number }> } };
    return (await w.viewer.loadElements(defs, { fit: false })).ms;
  }, defs);
}

async function relayout(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const w = window as unknown as { viewer: { viewer: { runLayout(n: string): Promise<void> } } };
    const t0 = performance.now();
    await w.viewer.viewer.runLayout('fcose');
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return performance.now() - t0;
  });
}

const MINIMAL_PAGE = `<!doctype html><html><body style="margin:0"><div id="cy" style="width:1280px;height:800px"></div></body></html>`;

async function openPage(page: Page, viewerUrl: string | null): Promise<ViewerResult['page']> {
  if (viewerUrl) {
    try {
      await page.goto(viewerUrl, { waitUntil: 'load', timeout: 15_000 });
      const ok = await page.waitForFunction(() => !!(window as unknown as { cy?: unknown; viewer?: { loadElements?: unknown } }).viewer?.loadElements
        && !!(window as unknown as { cy?: unknown }).cy, null, { timeout: 10_000 }).then(() => true, () => false);
      if (ok) return 'viewer';
    } catch { /* fall back to the minimal page */ }
  }
  await page.setContent(MINIMAL_PAGE);
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('cytoscape/dist/cytoscape.min.js') });
  await page.evaluate(() => {
    const w = window as unknown as Record<string, unknown> & { cytoscape: (o: unknown) => unknown };
    w.cy = w.cytoscape({
      container: document.getElementById('cy'), minZoom: 0.05, maxZoom: 4, boxSelectionEnabled: true, layout: { name: 'preset' },
      style: [{ selector: 'node', style: { label: 'data(name)', width: 24, height: 24, 'font-size': 8 } },
        { selector: 'edge', style: { width: 1, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle' } }],
    });
  });
  return 'bench-page';
}

/** Adds elements and waits for two frames; same measure on either page. */
async function draw(page: Page, kind: ViewerResult['page'], defs: El[], replace: boolean): Promise<number> {
  return page.evaluate(async ({ defs, replace, kind }) => {
    const w = window as unknown as { cy: { add(d: unknown): void; elements(): { remove(): void }; batch(f: () => void): void; fit(): void };
      viewer: { loadElements(d: unknown, o: unknown): Promise<{ ms: number }> } };
    if (kind === 'viewer') return (await w.viewer.loadElements(defs, { layout: 'none', replace })).ms;
    const t0 = performance.now();
    w.cy.batch(() => { if (replace) w.cy.elements().remove(); w.cy.add(defs); });
    w.cy.fit();
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return performance.now() - t0;
  }, { defs, replace, kind });
}

async function panZoomFrames(page: Page, frames: number): Promise<number[]> {
  return page.evaluate(async (frames) => {
    const cy = (window as unknown as { cy: { panBy(p: object): void; zoom(z?: number): number } }).cy;
    const times: number[] = [];
    let last = performance.now();
    for (let i = 0; i < frames; i++) {
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      times.push(now - last);
      last = now;
      cy.panBy({ x: i % 40 < 20 ? 6 : -6, y: 3 });
      cy.zoom(cy.zoom() * (i % 60 < 30 ? 1.01 : 0.99));
    }
    return times.slice(1);
  }, frames);
}

export async function viewerBench(viewerUrl: string | null, sizes: number[], repeats = 3): Promise<ViewerResult> {
  const browser = await launchChromium(VIEWER_BENCH);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const kind = await openPage(page, viewerUrl);
    const firstRenderMs: Record<string, number> = {};
    for (const n of sizes) firstRenderMs[String(n)] = Math.round(await draw(page, kind, elements(n, `s${n}-`), true));
    await draw(page, kind, elements(1000, 'h'), true);
    const expand200Ms = Math.round(await draw(page, kind, neighbours('h0', 200), false));
    let expandLaidOutMs: Record<string, number> | undefined;
    let relayout2k: ViewerResult['relayout2k'];
    if (kind === 'viewer') {
      expandLaidOutMs = {};
      // At each bench size (1k/5k/20k by default): the target is 200 more at 5k in ≤ 300 ms.
      // The median of `repeats` runs, each on a freshly drawn graph: one run on this 2-core box
      // varies by ±50 % with whatever else is running.
      for (const n of sizes) {
        const runs: number[] = [];
        for (let r = 0; r < repeats; r++) {
          await draw(page, kind, elements(n, `e${n}-${r}-`), true);
          runs.push(await expandLaidOut(page, neighbours(`e${n}-${r}-0`, 200, `x${r}-`).map(({ group, data }) => ({ group, data }))));
        }
        expandLaidOutMs[String(n)] = Math.round(runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)]);
      }
      await draw(page, kind, scattered(2000, 3000, 'r'), true);
      const ms = Math.round(await relayout(page));
      const box = await page.evaluate(() => (window as unknown as { cy: import('cytoscape').Core }).cy.nodes().boundingBox({}));
      relayout2k = { ms, overlaps: await overlappingPairs(page), width: Math.round(box.w), height: Math.round(box.h) };
    }
    await draw(page, kind, elements(5000, 'p'), true);
    const times = (await panZoomFrames(page, 180)).sort((a, b) => a - b);
    const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] * 10) / 10;
    return { page: kind, firstRenderMs, expand200Ms, expandLaidOutMs, relayout2k, frameMs: { median: at(0.5), p95: at(0.95), frames: times.length } };
  } finally {
    await browser.close();
  }
}
