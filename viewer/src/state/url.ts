// The view in the URL, so that a link reproduces it: nodes with rounded positions, hidden
// nodes, selection, filters, layout and renderer. Also the shape of a saved investigation.
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
  return {
    nodes,
    hidden: list(p.get('hide')),
    selected: p.get('sel'),
    filters,
    layout: layout && (LAYOUTS as readonly string[]).includes(layout) ? (layout as LayoutName) : 'fcose',
    webgl: p.get('webgl') === '1',
    investigation: p.get('inv') ?? undefined,
  };
}
