// Export formats people hand on, as pure functions over a list of nodes and links (what is drawn,
// collected by ./collect.ts): CSV of nodes and of links, GraphML for Gephi and NetworkX, and the
// TLP marking of the whole. No DOM here, so the unit tests run them in Node.
import { stringify } from 'csv-stringify/browser/esm/sync';
import { tlpRank } from '../../../model/model.js';
import { TLPS, type Assertion, type Citation, type EntityKind, type LinkType, type Tlp } from '../types.js';

export interface ExportNode {
  id: string;
  name: string;
  kind: EntityKind;
  tlp: Tlp;
  /** Links the entity has in the graph (drawn or not). */
  degree: number;
  x: number;
  y: number;
}

export interface ExportLink {
  id: string;
  source: string;
  target: string;
  type: LinkType;
  confidence: number;
  assertion: Assertion;
  tlp: Tlp;
  firstSeen: string | null;
  lastSeen: string | null;
  description: string | null;
  citations: Citation[];
}

export interface ExportGraph {
  nodes: ExportNode[];
  links: ExportLink[];
  /** The highest marking of what is exported (and of any hub group drawn with it). */
  tlp: Tlp;
  exportedAt: string;
}

/** The highest of the markings given; CLEAR for none. */
export function highestTlp(tlps: Iterable<Tlp | null | undefined>): Tlp {
  let rank = 0;
  for (const t of tlps) if (t) rank = Math.max(rank, tlpRank(t));
  return TLPS[rank];
}

/** FIRST's TLP 2.0 colours: the label in its colour on black. */
export const TLP_COLOURS: Readonly<Record<Tlp, string>> = { CLEAR: '#ffffff', GREEN: '#33ff00', AMBER: '#ffc000', RED: '#ff2b2b' };

/** A source's title as a reader knows it (the name when it has none). */
export const sourceTitle = (c: Citation): string => c.source.title || c.source.name;

/** A web address only: a file path (the seed article's) means nothing to whoever gets the file. */
export const webAddress = (url: string | null | undefined): string | null => (url && /^https?:\/\//i.test(url) ? url : null);

// CSV through csv-stringify: RFC 4180 quoting, CRLF, and cells starting with = + - @ (a formula to
// a spreadsheet) prefixed with ' (OWASP's CSV-injection advice). A byte-order mark makes Excel read
// the UTF-8 (Arabic and Cyrillic names) as such; pandas and csv-parse skip it.
const BOM = '\uFEFF';
function csv(header: string[], rows: Array<Array<string | number | null>>): string {
  return BOM + stringify([header, ...rows], { record_delimiter: 'windows', escape_formulas: true, cast: { number: (v) => String(v) } });
}

export function nodesCsv(g: ExportGraph): string {
  const drawn = new Map<string, number>();
  for (const l of g.links) for (const end of [l.source, l.target]) drawn.set(end, (drawn.get(end) ?? 0) + 1);
  return csv(['id', 'name', 'kind', 'tlp', 'links_total', 'links_exported', 'x', 'y'],
    g.nodes.map((n) => [n.id, n.name, n.kind, n.tlp, n.degree, drawn.get(n.id) ?? 0, Math.round(n.x), Math.round(n.y)]));
}

export function linksCsv(g: ExportGraph): string {
  const names = new Map(g.nodes.map((n) => [n.id, n.name]));
  return csv(
    ['id', 'source', 'source_name', 'type', 'target', 'target_name', 'confidence', 'assertion', 'tlp', 'first_seen', 'last_seen', 'citations', 'sources', 'description'],
    g.links.map((l) => [
      l.id, l.source, names.get(l.source) ?? '', l.type, l.target, names.get(l.target) ?? '', l.confidence, l.assertion, l.tlp,
      l.firstSeen ?? '', l.lastSeen ?? '', l.citations.length, [...new Set(l.citations.map(sourceTitle))].join('; '), l.description ?? '',
    ]));
}

// XML by hand rather than through an XML builder: the shape is fixed and small, and characters
// XML 1.0 forbids (control characters, lone surrogates) must be dropped, which builders leave in.
const XML_INVALID = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g; // eslint-disable-line no-control-regex
export function xmlEscape(value: string): string {
  return value.replace(XML_INVALID, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

type KeyType = 'string' | 'int' | 'double';
interface Key<T> { id: string; name: string; type: KeyType; value(item: T): string | number | null }

const NODE_KEYS: Array<Key<ExportNode>> = [
  // Gephi takes "label" as the node's label, and x / y as its position.
  { id: 'label', name: 'label', type: 'string', value: (n) => n.name },
  { id: 'kind', name: 'kind', type: 'string', value: (n) => n.kind },
  { id: 'tlp', name: 'tlp', type: 'string', value: (n) => n.tlp },
  { id: 'degree', name: 'links_total', type: 'int', value: (n) => n.degree },
  { id: 'x', name: 'x', type: 'double', value: (n) => Math.round(n.x * 10) / 10 },
  // Screen y grows downwards, Gephi's upwards.
  { id: 'y', name: 'y', type: 'double', value: (n) => -Math.round(n.y * 10) / 10 },
];

const LINK_KEYS: Array<Key<ExportLink>> = [
  { id: 'type', name: 'type', type: 'string', value: (l) => l.type },
  { id: 'elabel', name: 'label', type: 'string', value: (l) => (l.assertion === 'NEGATED' ? `NOT ${l.type}` : l.type) },
  { id: 'confidence', name: 'confidence', type: 'int', value: (l) => l.confidence },
  // Gephi's edge weight; 0–1 so that weak links draw thin.
  { id: 'weight', name: 'weight', type: 'double', value: (l) => l.confidence / 100 },
  { id: 'assertion', name: 'assertion', type: 'string', value: (l) => l.assertion },
  { id: 'etlp', name: 'tlp', type: 'string', value: (l) => l.tlp },
  { id: 'firstSeen', name: 'first_seen', type: 'string', value: (l) => l.firstSeen },
  { id: 'lastSeen', name: 'last_seen', type: 'string', value: (l) => l.lastSeen },
  { id: 'citations', name: 'citations', type: 'int', value: (l) => l.citations.length },
  { id: 'sources', name: 'sources', type: 'string', value: (l) => [...new Set(l.citations.map(sourceTitle))].join('; ') || null },
];

function dataOf<T>(keys: Array<Key<T>>, item: T, indent: string): string {
  return keys.map((k) => {
    const v = k.value(item);
    return v === null || v === '' ? '' : `\n${indent}<data key="${k.id}">${xmlEscape(String(v))}</data>`;
  }).join('');
}

/**
 * GraphML (directed; a multigraph when two links join the same pair, which NetworkX reads as a
 * MultiDiGraph). The graph carries its highest TLP and the time of export.
 */
export function graphml(g: ExportGraph): string {
  const key = (k: Key<unknown>, scope: string) => `  <key id="${k.id}" for="${scope}" attr.name="${k.name}" attr.type="${k.type}"/>`;
  const ids = new Set(g.nodes.map((n) => n.id));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
    '    xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    '  <key id="gtlp" for="graph" attr.name="tlp" attr.type="string"/>',
    '  <key id="gexported" for="graph" attr.name="exported_at" attr.type="string"/>',
    ...NODE_KEYS.map((k) => key(k as Key<unknown>, 'node')),
    ...LINK_KEYS.map((k) => key(k as Key<unknown>, 'edge')),
    '  <graph id="disinfo-graph" edgedefault="directed">',
    `    <data key="gtlp">${g.tlp}</data>`,
    `    <data key="gexported">${xmlEscape(g.exportedAt)}</data>`,
    ...g.nodes.map((n) => `    <node id="${xmlEscape(n.id)}">${dataOf(NODE_KEYS, n, '      ')}\n    </node>`),
    // A link whose end is not exported would make a dangling edge; collect.ts never gives one.
    ...g.links.filter((l) => ids.has(l.source) && ids.has(l.target)).map((l) =>
      `    <edge id="${xmlEscape(l.id)}" source="${xmlEscape(l.source)}" target="${xmlEscape(l.target)}">${dataOf(LINK_KEYS, l, '      ')}\n    </edge>`),
    '  </graph>',
    '</graphml>',
    '',
  ].join('\n');
}

/** File names: the marking first, so it shows in a download list. */
export function exportName(tlp: Tlp, what: string, ext: string, at: string): string {
  return `TLP-${tlp}-disinfo-${what}-${at.slice(0, 16).replace(/[-:T]/g, '')}.${ext}`;
}
