// Layouts. Expanding lays out only the new nodes (existing ones are pinned and restored to the
// exact pixel); the full layouts run only when the analyst asks for one.
import type { Collection, Core, LayoutOptions, NodeCollection, NodeSingular, Position } from 'cytoscape';

export const LAYOUTS = ['fcose', 'concentric', 'breadthfirst', 'grid'] as const;
export type LayoutName = (typeof LAYOUTS)[number];

/** Above this many nodes fcose runs in draft (spectral) quality to stay fast. */
const DRAFT_ABOVE = 1200;

function run(eles: Collection, options: LayoutOptions): Promise<void> {
  const layout = eles.layout(options);
  const done = layout.promiseOn('layoutstop').then(() => undefined);
  layout.run();
  return done;
}

export function layoutOptions(name: LayoutName, cy: Core, nodeCount: number): LayoutOptions {
  switch (name) {
    case 'fcose':
      return {
        // Small graphs get the slow-cooling "proof" pass that also keeps labels apart.
        name: 'fcose', quality: nodeCount > DRAFT_ABOVE ? 'draft' : nodeCount > 300 ? 'default' : 'proof', randomize: true, animate: false,
        nodeDimensionsIncludeLabels: nodeCount <= 300, fit: true, padding: 30, nodeSeparation: 100,
        idealEdgeLength: () => 100, nodeRepulsion: () => 9000, tilingPaddingVertical: 30, tilingPaddingHorizontal: 30,
      } as LayoutOptions;
    case 'concentric':
      return {
        name: 'concentric', animate: false, fit: true, padding: 30, minNodeSpacing: 24,
        concentric: (n: { degree: (loops: boolean) => number }) => n.degree(false), levelWidth: () => 2,
      };
    case 'breadthfirst': {
      const selected = cy.nodes(':selected');
      const roots = selected.nonempty() ? selected : cy.nodes().max((n) => n.degree(false)).ele as NodeSingular;
      return { name: 'breadthfirst', directed: false, roots, spacingFactor: 1.1, animate: false, fit: true, padding: 30 } as LayoutOptions;
    }
    case 'grid':
      return { name: 'grid', animate: false, fit: true, padding: 30, avoidOverlap: true, condense: true };
  }
}

/** Lays out every node (the analyst picked a layout, or the graph was empty). */
export function layoutAll(cy: Core, name: LayoutName): Promise<void> {
  const visible = cy.elements(':visible');
  const eles = visible.nonempty() ? visible : cy.elements();
  return run(eles, layoutOptions(name, cy, eles.nodes().length));
}

/** Nearest distance from `p` to any of `points` (squared, to skip the square roots). */
function nearest2(p: Position, points: Position[]): number {
  let best = Infinity;
  for (const q of points) {
    const d = (p.x - q.x) ** 2 + (p.y - q.y) ** 2;
    if (d < best) best = d;
  }
  return best;
}

/**
 * Puts each new node near the drawn node it links to most strongly, on the first free spot of
 * growing rings around it, so that fcose starts from a placement that avoids the drawn nodes.
 */
function seedPositions(cy: Core, fresh: NodeCollection, old: NodeCollection): void {
  const ext = cy.extent();
  const centre = { x: (ext.x1 + ext.x2) / 2, y: (ext.y1 + ext.y2) / 2 };
  // Past a few thousand drawn nodes the free-spot search costs more than it helps.
  const taken: Position[] = old.length <= 3000 ? old.map((n) => ({ ...n.position() })) : [];
  const gap2 = 55 ** 2;
  fresh.forEach((n) => {
    const anchor = n.neighborhood('node').difference(fresh).max((m) => (m as NodeSingular).degree(false)).ele as NodeSingular | undefined;
    const base: Position = anchor ? { ...anchor.position() } : centre;
    let spot: Position | null = null;
    for (let ring = 1; ring <= 8 && !spot; ring++) {
      const radius = 70 * ring;
      const steps = 8 * ring;
      const turn = Math.random() * 2 * Math.PI;
      for (let i = 0; i < steps; i++) {
        const angle = turn + (2 * Math.PI * i) / steps;
        const p = { x: base.x + radius * Math.cos(angle), y: base.y + radius * Math.sin(angle) };
        if (nearest2(p, taken) >= gap2) { spot = p; break; }
      }
    }
    spot ??= { x: base.x + 600 * (Math.random() - 0.5), y: base.y + 600 * (Math.random() - 0.5) };
    n.position(spot);
    taken.push(spot);
  });
}

/**
 * Lays out `fresh` nodes around the drawn graph without moving any node that was already drawn:
 * fcose runs on the new nodes plus the drawn nodes near them, all of which are fixed by
 * constraint (so they repel the new ones but stay put); every drawn node is then put back at
 * its saved position, exactly (fcose may translate the set as a whole).
 */
export async function layoutIncremental(cy: Core, fresh: NodeCollection): Promise<void> {
  if (fresh.empty()) return;
  const old = cy.nodes().difference(fresh);
  if (old.empty()) {
    await run(cy.elements(), layoutOptions('fcose', cy, fresh.length));
    return;
  }
  const saved = new Map(old.map((n) => [n.id(), { ...(n as NodeSingular).position() }]));
  seedPositions(cy, fresh, old);
  // Thousands of new nodes at once: the free-spot placement is the layout (no freeze).
  if (fresh.length > 800) return;
  const box = fresh.boundingBox({});
  const margin = 250;
  const near = old.filter((n) => {
    const p = (n as NodeSingular).position();
    return p.x > box.x1 - margin && p.x < box.x2 + margin && p.y > box.y1 - margin && p.y < box.y2 + margin;
  }).union(fresh.neighborhood('node').difference(fresh));
  const nodes = fresh.union(near);
  const eles = nodes.union(nodes.edgesWith(nodes));
  await run(eles, {
    name: 'fcose', quality: 'proof', randomize: false, animate: false, fit: false,
    nodeSeparation: 80, idealEdgeLength: () => 90, nodeRepulsion: () => 6000, numIter: 1500,
    fixedNodeConstraint: near.map((n) => ({ nodeId: n.id(), position: saved.get(n.id()) as Position })),
  } as LayoutOptions);
  // Undo any translation fcose applied to the whole set, then pin the drawn nodes exactly.
  const ref = near.first() as NodeSingular;
  if (ref.nonempty()) {
    const want = saved.get(ref.id()) as Position;
    const dx = want.x - ref.position().x;
    const dy = want.y - ref.position().y;
    if (dx || dy) fresh.positions((n) => ({ x: n.position().x + dx, y: n.position().y + dy }));
  }
  // Only nodes that actually moved: setting a position, even the same one, dirties the node's
  // bounds and its links' geometry, which on a big graph costs a full recalculation.
  cy.batch(() => old.forEach((n) => {
    const want = saved.get(n.id()) as Position;
    const p = (n as NodeSingular).position();
    if (p.x !== want.x || p.y !== want.y) (n as NodeSingular).position(want);
  }));
}

export function savePositions(cy: Core): Map<string, Position> {
  return new Map(cy.nodes().map((n) => [n.id(), { ...n.position() }]));
}

export function applyPositions(cy: Core, positions: Map<string, Position>): void {
  cy.batch(() => cy.nodes().forEach((n) => {
    const p = positions.get(n.id());
    if (p) n.position(p);
  }));
}
