// The Cytoscape stylesheet and the kind palette the legend shares with it.
import type { Css, StylesheetJson } from 'cytoscape';
import { KINDS, type EntityKind } from '../types.js';

export interface KindStyle { label: string; color: string; shape: Css.NodeShape }

/** Distinct hue and shape per kind, so kinds stay apart in greyscale prints too. */
const PALETTE: Partial<Record<EntityKind, KindStyle>> = {
  STATE_ACTOR: { label: 'State actor', color: '#b03a2e', shape: 'octagon' },
  THREAT_GROUP: { label: 'Threat group', color: '#e67e22', shape: 'diamond' },
  CAMPAIGN: { label: 'Campaign', color: '#7d3c98', shape: 'round-rectangle' },
  PERSONA: { label: 'Persona', color: '#d81b60', shape: 'pentagon' },
  HOST: { label: 'Host', color: '#2874a6', shape: 'rectangle' },
  TARGET_GROUP: { label: 'Target group', color: '#138d75', shape: 'triangle' },
  ORGANIZATION: { label: 'Organization', color: '#5d6d7e', shape: 'barrel' },
  PERSON: { label: 'Person', color: '#b7950b', shape: 'ellipse' },
  NARRATIVE: { label: 'Narrative', color: '#239b56', shape: 'rhomboid' },
  TECHNIQUE: { label: 'Technique', color: '#a04000', shape: 'hexagon' },
  DATA_ASSET: { label: 'Data asset', color: '#1f3a5f', shape: 'bottom-round-rectangle' },
  SOURCE: { label: 'Source', color: '#95a5a6', shape: 'tag' },
  MALWARE: { label: 'Malware', color: '#641e16', shape: 'star' },
  TOOL: { label: 'Tool', color: '#6c3483', shape: 'round-diamond' },
  VULNERABILITY: { label: 'Vulnerability', color: '#e74c3c', shape: 'vee' },
  COURSE_OF_ACTION: { label: 'Course of action', color: '#1e8449', shape: 'round-pentagon' },
  LOCATION: { label: 'Location', color: '#5dade2', shape: 'round-triangle' },
  INDICATOR: { label: 'Indicator', color: '#d4ac0d', shape: 'cut-rectangle' },
  ASSET: { label: 'Asset', color: '#34495e', shape: 'concave-hexagon' },
  DETECTION: { label: 'Detection', color: '#16a085', shape: 'round-hexagon' },
  ARTIFACT: { label: 'Artifact', color: '#a6acaf', shape: 'round-tag' },
};

/** A kind new to the model and not in the palette yet is drawn as a grey circle, named after the kind. */
const unstyled = (kind: EntityKind): KindStyle =>
  ({ label: kind.charAt(0) + kind.slice(1).toLowerCase().replace(/_/g, ' '), color: '#808b96', shape: 'ellipse' });

/** Every kind of the model with its style. */
export const KIND_STYLE = Object.fromEntries(KINDS.map((k) => [k, PALETTE[k] ?? unstyled(k)])) as Record<EntityKind, KindStyle>;

export const NEGATED_COLOR = '#a86a6a';
export const DISPUTED_COLOR = '#c9a227';
export const HIGHLIGHT = '#f39c12';

export function stylesheet(): StylesheetJson {
  const kindRules = Object.entries(KIND_STYLE).map(([kind, s]) => ({
    selector: `node[kind = "${kind}"]`,
    style: { 'background-color': s.color, shape: s.shape },
  }));
  // Cast: the typings reject mapData() strings for some properties that Cytoscape accepts.
  return [
    {
      selector: 'node',
      style: {
        'font-size': 10, 'font-family': 'system-ui, sans-serif', color: '#1c2833',
        'text-valign': 'bottom', 'text-halign': 'center', 'text-margin-y': 3,
        'text-wrap': 'wrap', 'text-max-width': '130px',
        'text-background-color': '#ffffff', 'text-background-opacity': 0.7, 'text-background-padding': '1px',
        // Labels vanish when they would be drawn smaller than this on screen (zoomed out, big graphs).
        'min-zoomed-font-size': 7,
        'border-width': 1, 'border-color': '#ffffff',
      },
    },
    // Data mappers only where the data exists: otherwise Cytoscape logs a warning per element and
    // per style pass, which dominated drawing synthetic or partial elements.
    { selector: 'node[size]', style: { width: 'data(size)', height: 'data(size)' } },
    { selector: 'node[label]', style: { label: 'data(label)' } },
    ...kindRules,
    // Coloured by cluster (the clusters panel): the cluster's colour over the kind's; the shape stays the kind's.
    { selector: 'node[clusterColor]', style: { 'background-color': 'data(clusterColor)' } },
    { selector: 'node[kind = "SOURCE"]', style: { 'font-size': 9, color: '#566573' } },
    { selector: 'node[tlp = "AMBER"]', style: { 'border-color': '#ffbf00', 'border-width': 3 } },
    { selector: 'node[tlp = "RED"]', style: { 'border-color': '#ff2b2b', 'border-width': 3 } },
    {
      selector: 'edge',
      style: {
        'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'arrow-scale': 0.8,
        'line-color': '#7f8c9a', 'target-arrow-color': '#7f8c9a',
        'font-size': 7, color: '#4d5656', 'text-rotation': 'autorotate',
        'text-background-color': '#ffffff', 'text-background-opacity': 0.8, 'text-background-padding': '1px',
        // Link types appear only when zoomed in (7px drawn at 9px or more on screen).
        'min-zoomed-font-size': 9,
      },
    },
    { selector: 'edge[confidence]', style: { width: 'mapData(confidence, 0, 100, 0.6, 4.5)', opacity: 'mapData(confidence, 0, 100, 0.3, 1)' } },
    { selector: 'edge[label]', style: { label: 'data(label)' } },
    // "No sign that X happened": dashed, red-grey, a bar instead of an arrow head.
    {
      selector: 'edge[assertion = "NEGATED"]',
      style: {
        'line-style': 'dashed', 'line-dash-pattern': [6, 4], 'line-color': NEGATED_COLOR,
        'target-arrow-shape': 'tee', 'target-arrow-color': NEGATED_COLOR, color: '#922b21',
      },
    },
    {
      selector: 'edge[assertion = "DISPUTED"]',
      style: { 'line-style': 'dotted', 'line-color': DISPUTED_COLOR, 'target-arrow-color': DISPUTED_COLOR },
    },
    { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#1b4f72', 'overlay-opacity': 0 } },
    { selector: 'edge:selected', style: { 'line-color': '#1b4f72', 'target-arrow-color': '#1b4f72', opacity: 1, 'z-index': 20 } },
    { selector: '.fresh', style: { 'underlay-color': '#5dade2', 'underlay-opacity': 0.35, 'underlay-padding': 5 } },
    { selector: 'node.path', style: { 'border-width': 4, 'border-color': HIGHLIGHT, 'z-index': 30 } },
    {
      selector: 'edge.path',
      style: { 'line-color': HIGHLIGHT, 'target-arrow-color': HIGHLIGHT, width: 5, opacity: 1, 'z-index': 30, 'font-size': 9, 'min-zoomed-font-size': 4 },
    },
    // Hub groups ("142 personas"): the kind's colour, faded, with a dashed border; a dashed link to the hub.
    {
      selector: 'node[?group]',
      style: {
        shape: 'round-rectangle', 'background-opacity': 0.25, 'border-width': 2, 'border-style': 'dashed', 'border-color': '#566573',
        'font-weight': 'bold', 'text-valign': 'center', 'text-halign': 'right', 'text-margin-x': 4, 'text-margin-y': 0,
      },
    },
    { selector: 'edge[?group]', style: { 'line-style': 'dashed', 'line-color': '#aab7b8', 'target-arrow-shape': 'none', width: 1.5, opacity: 0.8 } },
    // A collapsed cluster: one solid node in the cluster's colour; its links say how many links they stand for.
    {
      selector: 'node[group = "cluster"]',
      style: { shape: 'round-rectangle', 'background-opacity': 0.9, 'border-style': 'double', 'border-width': 4, 'border-color': '#2c3e50', 'font-size': 11 },
    },
    { selector: 'edge[group = "cluster"]', style: { width: 'mapData(links, 1, 20, 1.5, 6)', 'font-size': 9, 'min-zoomed-font-size': 5, color: '#2c3e50' } },
    { selector: '.faded', style: { opacity: 0.12 } },
    { selector: 'node.hover', style: { 'font-weight': 'bold', 'z-index': 40 } },
    // Hidden by the analyst, or outside the current filters: kept in the graph, not drawn.
    { selector: '.hidden, .filtered', style: { display: 'none' } },
    // Members of a collapsed cluster: kept in the graph, drawn as the cluster node.
    { selector: '.in-collapsed', style: { display: 'none' } },
  ] as unknown as StylesheetJson;
}
