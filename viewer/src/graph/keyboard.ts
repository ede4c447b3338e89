// The graph by keyboard: Tab focuses the canvas; an arrow selects the node nearest the centre,
// then moves to the neighbour lying most nearly that way (any drawn node that way when no
// neighbour is); Enter expands (or opens a group); Home goes back to the node nearest the centre.
// E, C, H, Delete and Esc work as everywhere (state/shortcuts.ts). The status line reads out
// where the focus is, for screen readers too (it is aria-live).
import type { NodeSingular } from 'cytoscape';
import { hiddenLinkCount } from './elements.js';
import type { Viewer } from '../viewer.js';

const DIRECTIONS: Record<string, number> = { ArrowRight: 0, ArrowDown: Math.PI / 2, ArrowLeft: Math.PI, ArrowUp: -Math.PI / 2 };

function angleGap(a: number, b: number): number {
  const d = Math.abs(a - b) % (2 * Math.PI);
  return d > Math.PI ? 2 * Math.PI - d : d;
}

/** The best node from `from` towards `angle` among `candidates`: small turn first, then short distance. */
function towards(from: NodeSingular, angle: number, candidates: NodeSingular[]): NodeSingular | null {
  const p = from.position();
  let best: NodeSingular | null = null;
  let bestScore = Infinity;
  for (const n of candidates) {
    if (n.same(from)) continue;
    const q = n.position();
    const gap = angleGap(Math.atan2(q.y - p.y, q.x - p.x), angle);
    if (gap > (Math.PI * 4) / 9) continue;
    const score = Math.hypot(q.x - p.x, q.y - p.y) * (1 + 2 * gap);
    if (score < bestScore) { bestScore = score; best = n; }
  }
  return best;
}

export function bindGraphKeyboard(viewer: Viewer, container: HTMLElement): void {
  container.tabIndex = 0;
  container.setAttribute('aria-roledescription', 'graph');
  container.setAttribute('aria-keyshortcuts', 'ArrowUp ArrowDown ArrowLeft ArrowRight Enter Home E C H Delete Escape');

  const nearestCentre = (): NodeSingular | null => {
    const ext = viewer.cy.extent();
    const c = { x: (ext.x1 + ext.x2) / 2, y: (ext.y1 + ext.y2) / 2 };
    let best: NodeSingular | null = null;
    let d = Infinity;
    viewer.cy.nodes(':visible').forEach((n) => {
      const p = n.position();
      const dn = (p.x - c.x) ** 2 + (p.y - c.y) ** 2;
      if (dn < d) { d = dn; best = n; }
    });
    return best;
  };

  const focusNode = (n: NodeSingular) => {
    viewer.select(n.id(), false);
    const ext = viewer.cy.extent();
    const p = n.position();
    if (p.x < ext.x1 || p.x > ext.x2 || p.y < ext.y1 || p.y > ext.y2) viewer.cy.animate({ center: { eles: n } }, { duration: 150 });
    const more = hiddenLinkCount(n);
    const drawn = n.neighborhood('node:visible').length;
    viewer.status(`${n.data('name') as string} — ${String(n.data('kind')).toLowerCase().replace(/_/g, ' ')}, ${drawn} neighbour${drawn === 1 ? '' : 's'} drawn`
      + `${more ? `, ${more} more links (Enter expands)` : ''}`);
  };

  container.addEventListener('keydown', (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const current = viewer.cy.nodes(':selected').last();
    if (ev.key in DIRECTIONS) {
      const from = current.nonempty() ? current : null;
      if (!from) {
        const start = nearestCentre();
        if (start) focusNode(start);
      } else {
        const angle = DIRECTIONS[ev.key];
        const next = towards(from, angle, from.neighborhood('node:visible').toArray() as NodeSingular[])
          ?? towards(from, angle, viewer.cy.nodes(':visible').toArray());
        if (next) focusNode(next);
      }
    } else if (ev.key === 'Home') {
      const start = nearestCentre();
      if (start) focusNode(start);
    } else if (ev.key === 'Enter' && current.nonempty()) {
      void viewer.expand(current.id());
    } else {
      return;
    }
    ev.preventDefault();
    ev.stopPropagation();
  });
}
