// The view in the URL, so that a link reproduces it: nodes with rounded positions, hidden
// nodes, selection, filters, layout and renderer, collapsed clusters and the cluster colouring.
// Also the shape of a saved investigation.
import { CLUSTER_METHODS, PROJECTION_PRESETS, type ClusterMethod, type ProjectionPreset } from '../data/cluster-queries.js';
import { DEFAULT_FILTERS, KINDS, LINK_TYPES, TLPS, type EntityKind, type Filters, type LinkType, type Tlp } from '../types.js';
import { LAYOUTS, type LayoutName } from '../graph/layouts.js';

export interface ViewState {
  nodes: Array<{ id: string; x?: number; y?: number }>;
  hidden: string[];
  selected: string | null;
  filters: Filters;
  layout: LayoutName;
  webgl: boolean;
  investigation?: string;
  /**
   * Collapsed clusters by cluster number: the ids of the members each folds (the cluster node's
   * links to outside are recounted from what is drawn). An object, not a list, so that a saved
   * investigation read below some member's clearance loses only that member (api/store/
   * investigations.ts pruneState drops a list entry that mentions a hidden id, whole).
   */
  collapsed?: Record<string, CollapsedCluster>;
  /** The Networks panel's last "Colour by cluster", run again on restore (as the reader). */
  clustering?: ClusterRun | null;
}

/** `key` is the clusters query's key (a member's id); null once pruned for a reader. */
export interface CollapsedCluster { key: string | null; members: string[] }

export interface ClusterRun { preset: ProjectionPreset; method: ClusterMethod; minSize: number }

/** A cluster run as saved or linked, or null when it is not a valid one. */
export function validRun(v: unknown): ClusterRun | null {
  const r = v as Partial<ClusterRun> | null;
  if (!r || typeof r !== 'object') return null;
  const minSize = Number(r.minSize);
  if (!CLUSTER_METHODS.includes(r.method as ClusterMethod) || !PROJECTION_PRESETS.includes(r.preset as ProjectionPreset)) return null;
  if (!Number.isInteger(minSize) || minSize < 2 || minSize > 10000) return null;
  return { preset: r.preset as ProjectionPreset, method: r.method as ClusterMethod, minSize };
}

/**
 * `col=` items: `<number>~<member indices into n=, base 36, dot-separated>`, the key first when
 * it is one of the folded members (a restore keeps a key only then: see Viewer.restore).
 */
function encodeCollapsed(collapsed: Record<string, CollapsedCluster>, nodes: ViewState['nodes']): string {
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  return Object.entries(collapsed).flatMap(([number, c]) => {
    const members = c.key && c.members.includes(c.key) ? [c.key, ...c.members.filter((m) => m !== c.key)] : c.members;
    const at = members.map((m) => index.get(m)).filter((i): i is number => i !== undefined);
    return at.length ? [`${parseInt(number, 10)}~${at.map((i) => i.toString(36)).join('.')}`] : [];
  }).join(',');
}

function decodeCollapsed(v: string | null, nodes: ViewState['nodes']): Record<string, CollapsedCluster> | undefined {
  const out: Record<string, CollapsedCluster> = {};
  for (const item of (v ?? '').split(',')) {
    const [number, at] = item.split('~');
    if (!/^[1-9]\d{0,4}$/.test(number ?? '') || !at) continue;
    const members = [...new Set(at.split('.').map((i) => nodes[parseInt(i, 36)]?.id).filter((id): id is string => !!id))];
    let slot = number;
    for (let i = 2; slot in out; i++) slot = `${number}/${i}`;
    if (members.length) out[slot] = { key: members[0], members };
  }
  return Object.keys(out).length ? out : undefined;
}

/** Past this many nodes positions are left out of the URL (saved investigations keep them). */
export const URL_POSITION_LIMIT = 300;
/** Past this many nodes the URL keeps only filters; save an investigation to share the view. */
export const URL_NODE_LIMIT = 600;

const enc = encodeURIComponent;
const list = (v: string | null) => (v ? v.split(',').map(decodeURIComponent).filter(Boolean) : []);

export function encodeState(s: ViewState): string {
  const parts: string[] = [];
  if (s.investigation) parts.push(`inv=${enc(s.investigation)}`);
  if (s.nodes.length && s.nodes.length <= URL_NODE_LIMIT) {
    const withPos = s.nodes.length <= URL_POSITION_LIMIT;
    parts.push(`n=${s.nodes.map((n) => (withPos && n.x !== undefined && n.y !== undefined
      ? `${enc(n.id)}~${Math.round(n.x)}~${Math.round(n.y)}` : enc(n.id))).join(',')}`);
    // Member indices point into n=, so collapsed clusters go with it past the limit.
    const col = s.collapsed ? encodeCollapsed(s.collapsed, s.nodes) : '';
    if (col) parts.push(`col=${col}`);
  }
  if (s.hidden.length) parts.push(`hide=${s.hidden.map(enc).join(',')}`);
  if (s.selected) parts.push(`sel=${enc(s.selected)}`);
  const f = s.filters;
  if (f.kinds.length) parts.push(`kinds=${f.kinds.join(',')}`);
  if (f.types.length) parts.push(`types=${f.types.join(',')}`);
  if (f.minConfidence > 0) parts.push(`minConf=${f.minConfidence}`);
  if (f.tlpMax) parts.push(`tlp=${f.tlpMax}`);
  if (!f.includeNegated) parts.push('negated=0');
  if (f.includeRevoked) parts.push('revoked=1');
  if (f.timeMode === 'asOf' && f.asOf) parts.push(`asOf=${f.asOf}`);
  if (f.timeMode === 'window') {
    parts.push(`from=${f.from ?? ''}`);
    parts.push(`to=${f.to ?? ''}`);
  }
  if (s.layout !== 'fcose') parts.push(`layout=${s.layout}`);
  if (s.webgl) parts.push('webgl=1');
  if (s.clustering) parts.push(`clu=${s.clustering.method}.${s.clustering.preset}.${s.clustering.minSize}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function decodeState(search: string): ViewState {
  const p = new URLSearchParams(search);
  const nodes = (p.get('n') ?? '').split(',').filter(Boolean).map((item) => {
    const [id, x, y] = item.split('~');
    const pos = x !== undefined && y !== undefined && Number.isFinite(+x) && Number.isFinite(+y) ? { x: +x, y: +y } : {};
    return { id: decodeURIComponent(id), ...pos };
  });
  const tlp = p.get('tlp');
  const asOf = p.get('asOf');
  const from = p.get('from');
  const to = p.get('to');
  const filters: Filters = {
    ...DEFAULT_FILTERS,
    kinds: list(p.get('kinds')).filter((k): k is EntityKind => (KINDS as readonly string[]).includes(k)),
    types: list(p.get('types')).filter((t): t is LinkType => (LINK_TYPES as readonly string[]).includes(t)),
    minConfidence: Math.max(0, Math.min(100, Number(p.get('minConf')) || 0)),
    tlpMax: tlp && (TLPS as readonly string[]).includes(tlp) ? (tlp as Tlp) : null,
    includeNegated: p.get('negated') !== '0',
    includeRevoked: p.get('revoked') === '1',
    timeMode: asOf && DATE.test(asOf) ? 'asOf' : p.has('from') || p.has('to') ? 'window' : 'all',
    asOf: asOf && DATE.test(asOf) ? asOf : null,
    from: from && DATE.test(from) ? from : null,
    to: to && DATE.test(to) ? to : null,
  };
  const layout = p.get('layout');
  const [method, preset, minSize] = (p.get('clu') ?? '').split('.');
  const collapsed = decodeCollapsed(p.get('col'), nodes);
  const clustering = validRun({ method, preset, minSize });
  return {
    nodes,
    hidden: list(p.get('hide')),
    selected: p.get('sel'),
    filters,
    layout: layout && (LAYOUTS as readonly string[]).includes(layout) ? (layout as LayoutName) : 'fcose',
    webgl: p.get('webgl') === '1',
    investigation: p.get('inv') ?? undefined,
    ...(collapsed ? { collapsed } : {}),
    ...(clustering ? { clustering } : {}),
  };
}
