// A final pass after a layout: pushes apart every pair of nodes whose boxes overlap (with their
// labels on smaller graphs), along the axis that needs the least movement, until none do.
// Hand-written (about 50 lines) because fcose has no such pass and the libraries that do
// (webcola's removeOverlaps) would bring a second layout engine for one function.
import type { NodeCollection } from 'cytoscape';
import { extentOf } from './space.js';

interface Item { x: number; y: number; w: number; up: number; down: number; fixed: boolean }

/**
 * Separates `nodes` (those in `fixed` stay put). With `withLabels`, a node's box includes its label,
 * so labels do not run into nodes or each other. Returns the number of passes it took.
 */
export function removeOverlaps(nodes: NodeCollection, opts: { withLabels: boolean; gap?: number; fixed?: Set<string>; maxPasses?: number }): number {
  const gap = opts.gap ?? 6;
  const list = nodes.toArray();
  const items: Item[] = list.map((n) => {
    const e = extentOf(n, opts.withLabels);
    const p = n.position();
    return { x: p.x, y: p.y, w: e.w + gap / 2, up: e.up + gap / 2, down: e.down + gap / 2, fixed: opts.fixed?.has(n.id()) ?? false };
  });
  // Crammed (a collapsed layout): first spread from the centre until the boxes could fit, else
  // pushing pairs apart only shuffles them around.
  const free = items.filter((i) => !i.fixed);
  if (free.length > 1) {
    const xs = free.map((i) => i.x);
    const ys = free.map((i) => i.y);
    const [x1, x2, y1, y2] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const need = free.reduce((a, i) => a + 2 * i.w * (i.up + i.down), 0) * 1.6;
    const have = Math.max(1, (x2 - x1) * (y2 - y1));
    if (need > have) {
      const k = Math.sqrt(need / have);
      const cx = (x1 + x2) / 2;
      const cy = (y1 + y2) / 2;
      for (const i of free) { i.x = cx + (i.x - cx) * k; i.y = cy + (i.y - cy) * k; }
    }
  }
  const cell = Math.max(40, 2 * Math.max(...items.map((i) => Math.max(i.w, i.up, i.down))));
  let pass = 0;
  for (; pass < (opts.maxPasses ?? 1000); pass++) {
    const grid = new Map<string, number[]>();
    items.forEach((it, i) => {
      const key = `${Math.floor(it.x / cell)},${Math.floor(it.y / cell)}`;
      const l = grid.get(key);
      if (l) l.push(i); else grid.set(key, [i]);
    });
    let moved = false;
    items.forEach((a, i) => {
      const gx = Math.floor(a.x / cell);
      const gy = Math.floor(a.y / cell);
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          for (const j of grid.get(`${gx + dx},${gy + dy}`) ?? []) {
            if (j <= i) continue;
            const b = items[j];
            const ox = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x - a.w, b.x - b.w);
            const oy = Math.min(a.y + a.down, b.y + b.down) - Math.max(a.y - a.up, b.y - b.up);
            if (ox <= 0 || oy <= 0 || (a.fixed && b.fixed)) continue;
            moved = true;
            // Push along the cheaper axis; identical places split by index so the result is deterministic.
            const share = a.fixed ? [0, 1] : b.fixed ? [1, 0] : [0.5, 0.5];
            if (ox < oy) {
              const dir = a.x < b.x || (a.x === b.x && i < j) ? -1 : 1;
              a.x += dir * (ox + 0.5) * share[0];
              b.x -= dir * (ox + 0.5) * share[1];
            } else {
              const dir = a.y < b.y || (a.y === b.y && i < j) ? -1 : 1;
              a.y += dir * (oy + 0.5) * share[0];
              b.y -= dir * (oy + 0.5) * share[1];
            }
          }
        }
      }
    });
    if (!moved) break;
  }
  if (!list.length) return pass;
  list[0].cy().batch(() => list.forEach((n, i) => {
    const p = n.position();
    if (p.x !== items[i].x || p.y !== items[i].y) n.position({ x: items[i].x, y: items[i].y });
  }));
  return pass;
}
