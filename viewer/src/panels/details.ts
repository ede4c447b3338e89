// The details panel: the selected node's properties and its links grouped by type, or the
// selected link with its evidence.
import type { EdgeSingular, NodeSingular } from 'cytoscape';
import * as api from '../data/queries.js';
import { append, byId, day, h } from '../dom.js';
import { hiddenLinkCount } from '../graph/elements.js';
import { kindIcon } from '../graph/legend-icons.js';
import { KIND_STYLE } from '../graph/style.js';
import { TLPS, type Link, type Tlp } from '../types.js';
import type { Viewer } from '../viewer.js';
import { linkView, metricsTable } from './link-view.js';
import { bindNotesCaller, investigationNotes, notesSection } from './notes.js';
import type { PathsPanel } from './paths.js';

/** Fields shown as plain properties, in this order, when the kind has them. */
const PROPERTY_FIELDS = [
  'title', 'publisher', 'author', 'published', 'reliability', 'sourceType', 'language', 'url',
  'country', 'objective', 'firstSeen', 'lastSeen', 'platform', 'handle', 'personaType', 'hostType', 'value',
  'compromised', 'owner', 'sector', 'role', 'summary', 'framework', 'externalId', 'killChainPhases',
  'dataType', 'isPublic', 'updatedAt',
];

function formatValue(v: unknown): string {
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  const s = String(v);
  return /^\d{4}-\d{2}-\d{2}T/.test(s) ? day(s) : s;
}

export function mountDetails(viewer: Viewer, paths: PathsPanel): { refresh(): void } {
  const panel = byId('details');
  const cache = new Map<string, api.EntityDetails | null>();
  let shownId: string | null = null;
  let token = 0;

  const empty = () => {
    shownId = null;
    panel.replaceChildren(h('div', { class: 'details-empty' },
      h('h2', {}, 'Details'),
      h('p', {}, 'Select a node or a link to see its properties and evidence.'),
      h('ul', { class: 'hints' },
        h('li', {}, h('kbd', {}, '/'), ' search'),
        h('li', {}, 'double-click a node to expand it'),
        h('li', {}, 'right-click for more actions'),
        h('li', {}, h('kbd', {}, 'Ctrl'), '+', h('kbd', {}, 'Z'), ' undo, ', h('kbd', {}, 'Ctrl'), '+', h('kbd', {}, 'Shift'), '+', h('kbd', {}, 'Z'), ' redo'))),
      investigationNotes(viewer));
  };

  const expandLabel = (node: NodeSingular) => {
    const more = hiddenLinkCount(node);
    return more ? `Expand (+${more})` : 'Expand';
  };

  const actions = (node: NodeSingular) => {
    const id = node.id();
    return h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'expand', onclick: () => void viewer.expand(id), title: 'load the next page of neighbours' }, expandLabel(node)),
      h('button', { type: 'button', onclick: () => viewer.collapse(id) }, 'Collapse'),
      h('button', { type: 'button', onclick: () => viewer.hide(node) }, 'Hide'),
      h('button', { type: 'button', onclick: () => viewer.remove(node) }, 'Remove'),
      h('button', { type: 'button', onclick: () => paths.setEnd('from', id) }, 'Path from'),
      h('button', { type: 'button', onclick: () => paths.setEnd('to', id) }, 'Path to'));
  };

  /** A hub group: how many of which kind, and a button for the next page. */
  const renderGroup = (node: NodeSingular) => {
    token++;
    shownId = node.id();
    const hub = viewer.cy.getElementById(node.data('hub') as string);
    const members = node.data('members') as Array<{ name: string }>;
    // A collapsed cluster (the Networks panel) holds its drawn members; expanding draws them again.
    const cluster = node.data('group') === 'cluster';
    panel.replaceChildren(
      h('header', { class: 'details-head' }, h('div', { class: 'kind-line' }, kindIcon(node.data('kind') as keyof typeof KIND_STYLE, 16), h('span', { class: 'kind' }, cluster ? 'Cluster' : 'Group')),
        h('h2', {}, cluster ? node.data('name') as string : `${node.data('name') as string} linked to ${hub.data('name') as string}`)),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'expand', onclick: () => void viewer.expand(node.id()) }, cluster ? 'Expand the cluster' : `Open the next ${Math.min(25, members.length)}`)),
      h('p', { class: 'hint' }, cluster ? 'Its drawn members, collapsed into one node; its links count the members\' links to each node.' : 'Leaves of a hub are grouped by kind; opening draws them a page at a time around the group.'),
      h('ul', { class: 'group-members' }, ...members.slice(0, 25).map((m) => h('li', {}, m.name)),
        members.length > 25 ? h('li', { class: 'muted' }, `… and ${members.length - 25} more`) : null));
  };

  const renderNode = async (node: NodeSingular) => {
    if (node.data('group')) { renderGroup(node); return; }
    const id = node.id();
    const mine = ++token;
    shownId = id;
    const kind = node.data('kind') as keyof typeof KIND_STYLE;
    const header = h('header', { class: 'details-head' },
      h('div', { class: 'kind-line' }, kindIcon(kind, 16), h('span', { class: 'kind' }, KIND_STYLE[kind].label),
        h('span', { class: `tlp tlp-${String(node.data('tlp')).toLowerCase()}` }, `TLP:${node.data('tlp') as string}`)),
      h('h2', {}, node.data('name') as string),
      h('div', { class: 'entity-id' }, id));
    panel.replaceChildren(header, actions(node), h('p', { class: 'loading' }, 'Loading details …'));
    if (!cache.has(id)) {
      try {
        const got = await api.entityDetails(id);
        if (mine !== token) return; // superseded, perhaps read as another caller
        cache.set(id, got);
      } catch (e) {
        if (mine === token) panel.replaceChildren(header, h('p', { class: 'error' }, `Could not load details: ${(e as Error).message}`));
        return;
      }
    }
    if (mine !== token) return;
    const d = cache.get(id);
    if (!d) {
      panel.replaceChildren(header, h('p', { class: 'error' }, 'This entity no longer exists or is above your clearance.'));
      return;
    }
    // An address that is not a web address (a repository path) is not shown as one.
    const props = PROPERTY_FIELDS.filter((f) => d[f] !== undefined && d[f] !== null && d[f] !== '' && (f !== 'url' || (typeof d[f] === 'string' && /^https?:\/\//i.test(d[f]))));
    const byType = new Map<string, Link[]>();
    for (const l of d.links) byType.set(l.type, [...(byType.get(l.type) ?? []), l]);
    const names: Record<string, string> = { [d.id]: d.name };
    panel.replaceChildren();
    append(panel, [
      header,
      actions(node),
      d.aliases?.length ? h('p', { class: 'aliases' }, h('span', { class: 'label' }, 'Also known as '), d.aliases.join(' · ')) : null,
      d.description ? h('p', { class: 'description' }, d.description) : null,
      props.length ? h('table', { class: 'props' }, h('tbody', {}, ...props.map((f) => h('tr', {}, h('th', { scope: 'row' }, f), h('td', {}, formatValue(d[f])))))) : null,
      d.metrics?.length ? h('h3', {}, 'Figures') : null,
      metricsTable(d.metrics),
      h('h3', {}, `Links (${d.links.length}${d.degree && d.degree > d.links.length ? ` of ${d.degree}` : ''})`),
      ...[...byType.entries()].map(([type, links]) => h('details', { class: 'link-group', open: true },
        h('summary', {}, `${type} `, h('span', { class: 'count' }, String(links.length))),
        h('ul', { class: 'links' }, ...links.map((l) => linkView(viewer, l, names, d.id))))),
      notesSection(viewer, d.id, d.tlp ?? 'CLEAR'),
    ]);
  };

  const renderEdge = (edge: EdgeSingular) => {
    token++;
    shownId = edge.id();
    const data = edge.data() as Link & { source: string; target: string };
    const link: Link = {
      ...data,
      from: { id: data.source, name: edge.source().data('name') as string },
      to: { id: data.target, name: edge.target().data('name') as string },
    };
    panel.replaceChildren(
      h('header', { class: 'details-head' }, h('div', { class: 'kind-line' }, h('span', { class: 'kind' }, 'Link')),
        h('h2', {}, `${link.from.name} ${link.assertion === 'NEGATED' ? 'NOT ' : ''}${link.type} ${link.to.name}`),
        h('div', { class: 'entity-id' }, link.id)),
      h('div', { class: 'actions' },
        h('button', { type: 'button', onclick: () => viewer.hide(edge) }, 'Hide'),
        h('button', { type: 'button', onclick: () => viewer.remove(edge) }, 'Remove')),
      h('ul', { class: 'links single' }, linkView(viewer, link, {})),
      // A link's notes are marked at least as high as the link and both its ends.
      notesSection(viewer, link.id, highestTlp([link.tlp, edge.source().data('tlp') as Tlp, edge.target().data('tlp') as Tlp])),
    );
  };

  const refresh = () => {
    const sel = viewer.cy.elements(':selected');
    const el = sel.last();
    if (el.empty()) { empty(); return; }
    if (el.id() === shownId && sel.length === 1 && panel.querySelector('.loading') === null && el.isEdge()) return;
    if (el.isNode()) void renderNode(el);
    else renderEdge(el);
  };

  // After an expansion (or its undo) the shown node's "Expand (+N)" must say what is left; a group re-renders.
  viewer.on('graph', debounceFrame(() => {
    if (!shownId) return;
    const el = viewer.cy.getElementById(shownId);
    if (el.empty() || !el.isNode()) return;
    if (el.data('group')) { renderGroup(el); return; }
    const button = panel.querySelector<HTMLButtonElement>('.actions button.expand');
    if (button) button.textContent = expandLabel(el);
  }));

  const bind = () => viewer.cy.on('select unselect', debounceFrame(refresh));
  bind();
  viewer.on('cy', bind);
  // Details read under another clearance may name entities the new caller may not see.
  viewer.on('caller', () => { cache.clear(); token++; empty(); });
  bindNotesCaller(viewer);
  // Opening, saving or deleting an investigation changes the notes shown when nothing is selected.
  viewer.on('investigation', () => { if (!shownId) empty(); });
  empty();
  return { refresh };
}

const highestTlp = (tlps: Array<Tlp | undefined>): Tlp => TLPS[Math.max(...tlps.map((t) => TLPS.indexOf(t ?? 'CLEAR')))];

/** Coalesces a burst of events (box selection selects many) into one call per frame. */
function debounceFrame(fn: () => void): () => void {
  let pending = false;
  return () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; fn(); });
  };
}

