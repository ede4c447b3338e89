// What a drawn node takes up on the canvas (its body and its label underneath), and a grid index
// of boxes and link segments, so that placing or separating k nodes costs about k look-ups, not
// k × everything drawn.
import type { NodeSingular } from 'cytoscape';

export interface Box { x1: number; y1: number; x2: number; y2: number }
export interface Segment { ax: number; ay: number; bx: number; by: number; id: string }

/** Rough width of a 10 px system-ui character: enough to keep labels from running into each other. */
const CHAR_W = 5.6;
const LINE_H = 12;
const LABEL_MAX_W = 130;

/** Half extents of a node with (or without) its label, measured from the node's centre. */
export function extentOf(n: NodeSingular, withLabel: boolean): { w: number; up: number; down: number } {
  const size = Number(n.data('size')) || n.width() || 24;
  if (!withLabel) return { w: size / 2, up: size / 2, down: size / 2 };
  const label = String(n.data('label') ?? '');
  const lines = label.split('\n');
  const longest = Math.max(0, ...lines.map((l) => l.length));
  const wrapped = lines.reduce((k, l) => k + Math.max(1, Math.ceil((l.length * CHAR_W) / LABEL_MAX_W)), 0);
  const w = Math.max(size, Math.min(LABEL_MAX_W, longest * CHAR_W)) / 2;
  return { w, up: size / 2, down: size / 2 + (label ? 3 + wrapped * LINE_H : 0) };
}

export function boxAt(x: number, y: number, e: { w: number; up: number; down: number }, pad = 0): Box {
  return { x1: x - e.w - pad, x2: x + e.w + pad, y1: y - e.up - pad, y2: y + e.down + pad };
}

export const intersects = (a: Box, b: Box): boolean => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

/** Whether the segment crosses the box (Liang–Barsky clipping). */
export function segmentHitsBox(s: Segment, b: Box): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = s.bx - s.ax;
  const dy = s.by - s.ay;
  const clip = (p: number, q: number) => {
    if (p === 0) return q >= 0;
    const r = q / p;
    if (p < 0) { if (r > t1) return false; if (r > t0) t0 = r; } else { if (r < t0) return false; if (r < t1) t1 = r; }
    return true;
  };
  return clip(-dx, s.ax - b.x1) && clip(dx, b.x2 - s.ax) && clip(-dy, s.ay - b.y1) && clip(dy, b.y2 - s.ay) && t0 <= t1;
}

/** A uniform grid of boxes (nodes with labels) and segments (links), each removable by its id. */
export class SpaceIndex {
  private boxes = new Map<number, Array<{ box: Box; id: string }>>();
  private segs = new Map<number, Segment[]>();
  /** The cells each id was entered in, so it can be taken out again. */
  private cellsOf = new Map<string, number[]>();
  constructor(readonly cell = 120) {}

  /** One number per cell (no string keys: this runs for every cell a look-up touches). */
  private static key(x: number, y: number): number {
    return (x + 0x8000) * 0x10000 + (y + 0x8000);
  }

  private keys(b: Box): number[] {
    const out: number[] = [];
    const c = this.cell;
    const y1 = Math.floor(b.y1 / c);
    const y2 = Math.floor(b.y2 / c);
    for (let x = Math.floor(b.x1 / c); x <= Math.floor(b.x2 / c); x++) {
      for (let y = y1; y <= y2; y++) out.push(SpaceIndex.key(x, y));
    }
    return out;
  }

  /** The cells along a segment (sampled at half a cell), not its whole bounding box. */
  private segmentKeys(s: { ax: number; ay: number; bx: number; by: number }): Set<number> {
    const len = Math.hypot(s.bx - s.ax, s.by - s.ay);
    const steps = Math.max(1, Math.ceil(len / (this.cell / 2)));
    const seen = new Set<number>();
    for (let i = 0; i <= steps; i++) {
      const x = s.ax + ((s.bx - s.ax) * i) / steps;
      const y = s.ay + ((s.by - s.ay) * i) / steps;
      for (const k of this.keys({ x1: x - 1, x2: x + 1, y1: y - 1, y2: y + 1 })) seen.add(k);
    }
    return seen;
  }

  private note(id: string, k: number): void {
    const l = this.cellsOf.get(id);
    if (l) l.push(k); else this.cellsOf.set(id, [k]);
  }

  addBox(box: Box, id: string): void {
    for (const k of this.keys(box)) {
      const list = this.boxes.get(k);
      if (list) list.push({ box, id }); else this.boxes.set(k, [{ box, id }]);
      this.note(id, k);
    }
  }

  addSegment(s: Segment): void {
    for (const k of this.segmentKeys(s)) {
      const list = this.segs.get(k);
      if (list) list.push(s); else this.segs.set(k, [s]);
      this.note(s.id, k);
    }
  }

  /** Takes out every box and segment entered under `id`. */
  remove(id: string): void {
    const cells = this.cellsOf.get(id);
    if (!cells) return;
    this.cellsOf.delete(id);
    for (const k of cells) {
      const b = this.boxes.get(k);
      if (b) {
        const kept = b.filter((o) => o.id !== id);
        if (kept.length) this.boxes.set(k, kept); else this.boxes.delete(k);
      }
      const s = this.segs.get(k);
      if (s) {
        const kept = s.filter((o) => o.id !== id);
        if (kept.length) this.segs.set(k, kept); else this.segs.delete(k);
      }
    }
  }

  /** A box somewhere in `b`, other than those whose id is in `except`. */
  boxHit(b: Box, except?: Set<string>): boolean {
    for (const k of this.keys(b)) {
      for (const o of this.boxes.get(k) ?? []) if (!except?.has(o.id) && intersects(b, o.box)) return true;
    }
    return false;
  }

  segmentHit(b: Box): boolean {
    for (const k of this.keys(b)) {
      for (const s of this.segs.get(k) ?? []) if (segmentHitsBox(s, b)) return true;
    }
    return false;
  }

  /** Whether a new link from a to b would cross a box (other than those whose id is in `except`). */
  pathBlocked(s: Segment, except: Set<string>): boolean {
    for (const k of this.segmentKeys(s)) {
      for (const o of this.boxes.get(k) ?? []) if (!except.has(o.id) && segmentHitsBox(s, o.box)) return true;
    }
    return false;
  }
}
