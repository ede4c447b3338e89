// Puts new nodes around the drawn node they came from, on the first free spot of growing rings:
// off the drawn nodes and their labels, off drawn links, and where the new link to the anchor
// crosses no other node. Deterministic (no randomness: the same graph gives the same places) and
// proportional to what is added: only the grid cells near each candidate spot are looked at.
import type { Core, NodeCollection, NodeSingular } from 'cytoscape';
import { drawnIndex } from './drawn-index.js';
import { boxAt, extentOf, SpaceIndex, type Box } from './space.js';

/** Gap kept between a new node (with its label) and anything drawn. */
const PAD = 10;
const MAX_RINGS = 40;

/** The direction pointing away from the anchor's other drawn neighbours (where there is room). */
function freeDirection(anchor: NodeSingular, placed: (id: string) => boolean): number {
  const p = anchor.position();
  let dx = 0;
  let dy = 0;
  anchor.neighborhood('node').forEach((m) => {
    if (!placed(m.id())) return;
    const q = m.position();
    const d = Math.hypot(q.x - p.x, q.y - p.y) || 1;
    dx += (p.x - q.x) / d;
    dy += (p.y - q.y) / d;
  });
  return dx === 0 && dy === 0 ? 0 : Math.atan2(dy, dx);
}

/**
 * Places every node of `fresh`. A node's anchor is its strongest-connected neighbour already
 * placed (drawn, or placed earlier in this call), or `around` when given; nodes without one go
 * around the centre of the view.
 */
export function placeAround(cy: Core, fresh: NodeCollection, around?: NodeSingular): void {
  if (fresh.empty()) return;
  const freshIds = new Set(fresh.map((n) => n.id()));
  // What is drawn (kept up to date between calls: graph/drawn-index.ts) and, apart, what this call
  // places. New links may not cross drawn nodes; crossing the other new ones is allowed, or the
  // rings would shadow each other and fill up after a few dozen nodes.
  const drawn = drawnIndex(cy, freshIds);
  const mine = new SpaceIndex();
  const placedNow = new Set<string>();
  const placed = (id: string) => !freshIds.has(id) || placedNow.has(id);
  const ext = cy.extent();
  const centre = { x: (ext.x1 + ext.x2) / 2, y: (ext.y1 + ext.y2) / 2 };
  /** Where each anchor's ring search left off, so its next node starts there. */
  const cursor = new Map<string, { ring: number; step: number; dir: number; relaxed: boolean }>();

  // Breadth-first from what is drawn: a node comes after the neighbour it hangs on.
  const pending = fresh.sort((a, b) => (b.degree(false) - a.degree(false)) || (a.id() < b.id() ? -1 : 1));
  const queue: NodeSingular[] = [];
  const queued = new Set<string>();
  const anchorOf = (n: NodeSingular): NodeSingular | null => {
    if (around) return around;
    let best: NodeSingular | null = null;
    n.neighborhood('node').forEach((m) => {
      if (!placed(m.id())) return;
      if (!best || m.degree(false) > best.degree(false) || (m.degree(false) === best.degree(false) && m.id() < best.id())) best = m;
    });
    return best;
  };
  let rest = pending.toArray() as NodeSingular[];
  cy.batch(() => {
    while (rest.length) {
      const ready = rest.filter((n) => anchorOf(n));
      const next = ready.length ? ready : [rest[0]];
      for (const n of next) { queue.push(n); queued.add(n.id()); }
      for (const n of next) placeOne(n);
      rest = rest.filter((n) => !queued.has(n.id()));
    }
  });

  function placeOne(n: NodeSingular): void {
    const anchor = anchorOf(n);
    const base = anchor ? { ...anchor.position() } : centre;
    const key = anchor?.id() ?? '';
    const ext = extentOf(n, true);
    const anchorR = anchor ? Math.max(extentOf(anchor, true).w, extentOf(anchor, false).down) : 0;
    const ringGap = ext.up + ext.down + 2 * PAD + 6;
    const c = cursor.get(key) ?? { ring: 0, step: 0, dir: anchor ? freeDirection(anchor, placed) : 0, relaxed: false };
    // Fresh nodes are not in the drawn index: only the anchor's own box is left out.
    const ends = new Set(anchor ? [anchor.id()] : []);
    let last = { x: base.x + anchorR + 80, y: base.y };
    /** The next free spot on the rings from the cursor on; unless relaxed, one its link reaches crossing no node. */
    const search = (): { x: number; y: number } | null => {
      for (; c.ring < MAX_RINGS; c.ring++, c.step = 0) {
        const radius = anchorR + 70 + c.ring * ringGap;
        const steps = Math.max(6, Math.floor((2 * Math.PI * radius) / (2 * ext.w + 2 * PAD + 4)));
        for (; c.step < steps; c.step++) {
          // Fan out from the free direction: 0, +1, −1, +2, −2 … steps.
          const k = c.step % 2 ? (c.step + 1) / 2 : -c.step / 2;
          const angle = c.dir + (2 * Math.PI * k) / steps;
          const p = { x: base.x + radius * Math.cos(angle), y: base.y + radius * Math.sin(angle) };
          last = p;
          const box: Box = boxAt(p.x, p.y, ext, PAD);
          if (drawn.boxHit(box) || mine.boxHit(box) || drawn.segmentHit(box) || mine.segmentHit(box)) continue;
          if (!c.relaxed && anchor && drawn.pathBlocked({ ax: base.x, ay: base.y, bx: p.x, by: p.y, id: '' }, ends)) continue;
          c.step++;
          return p;
        }
      }
      return null;
    };
    let spot = search();
    // An anchor walled in by drawn nodes has no spot whose link crosses none: rather than the
    // last ring's fallback (every later node on one spot), take the nearest spot free of nodes,
    // labels and links, and stop asking for a clear line for this anchor.
    if (!spot && !c.relaxed) {
      Object.assign(c, { ring: 0, step: 0, relaxed: true });
      spot = search();
    }
    spot ??= last;
    cursor.set(key, c);
    n.position(spot);
    placedNow.add(n.id());
    mine.addBox(boxAt(spot.x, spot.y, ext), n.id());
    if (anchor) mine.addSegment({ ax: base.x, ay: base.y, bx: spot.x, by: spot.y, id: `${anchor.id()}>${n.id()}` });
  }
}
