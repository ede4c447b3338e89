// The viewer's exports (issue 18) as pure functions over nodes and links: CSV read back with
// csv-parse, GraphML and the framed SVG checked and read back with fast-xml-parser (and, where
// python3 has networkx, opened by NetworkX), the HTML brief, and what a headless Cytoscape gives
// to export: nothing hidden, filtered out or only grouped. No browser.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { briefHtml } from '../../viewer/src/export/brief.js';
import { collectDrawn, collectSelection } from '../../viewer/src/export/collect.js';
import { exportName, graphml, highestTlp, linksCsv, nodesCsv, type ExportGraph, type ExportLink } from '../../viewer/src/export/formats.js';
import { composePicture, legendOf, nestableSvg } from '../../viewer/src/export/picture.js';
import type { Citation } from '../../viewer/src/types.js';
import { cytoscape } from '../headless-cytoscape.js';

const cite = (title: string, url: string | null, locator: string | null, quote: string | null = null): Citation => ({
  locator, quote, source: { id: `src-${title.length}`, name: `source ${title}`, title, publisher: 'Proofpoint', url }, via: null,
});

const link = (id: string, source: string, target: string, more: Partial<ExportLink> = {}): ExportLink => ({
  id, source, target, type: 'USES', confidence: 80, assertion: 'AFFIRMED', tlp: 'CLEAR', firstSeen: '2020-10-20T00:00:00.000Z', lastSeen: null,
  description: null, citations: [cite('Iran spoofs Proud Boys', 'https://example.org/report', 'P11', 'the emails came from')], ...more,
});

const graph: ExportGraph = {
  nodes: [
    { id: 'iran', name: 'Iran', kind: 'STATE_ACTOR', tlp: 'CLEAR', degree: 40, x: 10.26, y: -5 },
    { id: 'camp', name: 'Spoofed "Proud Boys", emails\n2020', kind: 'CAMPAIGN', tlp: 'AMBER', degree: 12, x: 200, y: 80 },
    { id: 'persona', name: '=HYPERLINK("http://evil")', kind: 'PERSONA', tlp: 'GREEN', degree: 3, x: -40, y: 33 },
    { id: 'ar', name: 'إيران & <شركاء>\u0001', kind: 'ORGANIZATION', tlp: 'CLEAR', degree: 1, x: 0, y: 0 },
  ],
  links: [
    link('l1', 'camp', 'iran', { type: 'ATTRIBUTED_TO', tlp: 'AMBER', confidence: 65 }),
    link('l2', 'camp', 'persona', { assertion: 'NEGATED', citations: [cite('A', 'file:///repo/seed/article.md', 'P3'), cite('B', null, null), cite('A', null, 'P4')] }),
    link('l3', 'ar', 'iran', { type: 'RELATED_TO', description: 'said so, twice', citations: [] }),
  ],
  tlp: 'AMBER',
  exportedAt: '2026-11-29T18:40:12.000Z',
};

type Row = Record<string, string>;
const readCsv = (text: string): Row[] => parse<Row>(text, { columns: true, bom: true, skip_empty_lines: true });

describe('viewer exports: CSV', () => {
  it('nodes: one row per entity, read back as written (quotes, commas, new lines, Arabic), formulas defused', () => {
    const text = nodesCsv(graph);
    assert.ok(text.startsWith('\uFEFFid,name,kind,tlp,links_total,links_exported,x,y\r\n'), 'a BOM, the header, CRLF');
    const rows = readCsv(text);
    assert.equal(rows.length, 4);
    assert.deepEqual(rows.map((r) => r.id), ['iran', 'camp', 'persona', 'ar']);
    assert.equal(rows[1].name, 'Spoofed "Proud Boys", emails\n2020');
    assert.equal(rows[1].tlp, 'AMBER');
    assert.equal(rows[2].name, '\'=HYPERLINK("http://evil")', 'a formula is prefixed with \' so a spreadsheet shows it as text');
    assert.equal(rows[3].name, 'إيران & <شركاء>\u0001');
    assert.deepEqual([rows[0].links_total, rows[0].links_exported, rows[0].x], ['40', '2', '10']);
    assert.equal(rows[1].links_exported, '2');
  });

  it('links: ends with names, type, confidence, assertion, TLP, dates, citation count and source titles', () => {
    const rows = readCsv(linksCsv(graph));
    assert.equal(rows.length, 3);
    const [l1, l2, l3] = rows;
    assert.deepEqual([l1.source, l1.source_name, l1.type, l1.target, l1.target_name], ['camp', 'Spoofed "Proud Boys", emails\n2020', 'ATTRIBUTED_TO', 'iran', 'Iran']);
    assert.deepEqual([l1.confidence, l1.assertion, l1.tlp, l1.first_seen, l1.last_seen, l1.citations], ['65', 'AFFIRMED', 'AMBER', '2020-10-20T00:00:00.000Z', '', '1']);
    assert.equal(l1.sources, 'Iran spoofs Proud Boys');
    assert.deepEqual([l2.assertion, l2.citations, l2.sources], ['NEGATED', '3', 'A; B'], 'each source title once');
    assert.equal(l2.target_name, '\'=HYPERLINK("http://evil")');
    assert.deepEqual([l3.citations, l3.sources, l3.description], ['0', '', 'said so, twice']);
  });
});

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, isArray: (name) => ['node', 'edge', 'data', 'key'].includes(name) });
type XmlData = { key: string; '#text'?: string };
type XmlItem = { id: string; source?: string; target?: string; data?: XmlData[] };
const dataOf = (item: XmlItem) => Object.fromEntries((item.data ?? []).map((d) => [d.key, d['#text'] ?? '']));

describe('viewer exports: GraphML', () => {
  const text = graphml(graph);

  it('is well-formed XML with typed keys, every node and link, and the marking', () => {
    assert.equal(XMLValidator.validate(text), true);
    const doc = xml.parse(text) as { graphml: { key: Array<{ id: string; for: string; 'attr.name': string; 'attr.type': string }>; graph: { edgedefault: string; node: XmlItem[]; edge: XmlItem[]; data: XmlData[] } } };
    const keys = Object.fromEntries(doc.graphml.key.map((k) => [`${k.for}:${k['attr.name']}`, k['attr.type']]));
    assert.equal(keys['node:label'], 'string');
    assert.equal(keys['edge:confidence'], 'int');
    assert.equal(keys['edge:weight'], 'double');
    const g = doc.graphml.graph;
    assert.equal(g.edgedefault, 'directed');
    assert.equal(dataOf(g as unknown as XmlItem).gtlp, 'AMBER');
    assert.deepEqual(g.node.map((n) => n.id), ['iran', 'camp', 'persona', 'ar']);
    assert.deepEqual(g.edge.map((e) => [e.id, e.source, e.target]), [['l1', 'camp', 'iran'], ['l2', 'camp', 'persona'], ['l3', 'ar', 'iran']]);
    const camp = dataOf(g.node[1]);
    assert.equal(camp.label, 'Spoofed "Proud Boys", emails\n2020');
    assert.deepEqual([camp.kind, camp.tlp, camp.degree, camp.y], ['CAMPAIGN', 'AMBER', '12', '-80']);
    assert.equal(dataOf(g.node[3]).label, 'إيران & <شركاء>', 'escaped, and the control character XML forbids dropped');
    const l2 = dataOf(g.edge[1]);
    assert.deepEqual([l2.type, l2.elabel, l2.confidence, l2.weight, l2.citations, l2.sources], ['USES', 'NOT USES', '80', '0.8', '3', 'A; B']);
    assert.equal(dataOf(g.edge[2]).sources, undefined, 'an empty value is left out, not written empty');
  });

  it('leaves out a link whose end is not exported', () => {
    const cut = graphml({ ...graph, links: [...graph.links, link('dangling', 'iran', 'not-drawn')] });
    assert.equal(XMLValidator.validate(cut), true);
    assert.ok(!cut.includes('not-drawn'));
  });

  const python = spawnSync('python3', ['-c', 'import networkx'], { encoding: 'utf8' });
  it('NetworkX reads it: nodes, links, attributes', { skip: python.status === 0 ? false : 'python3 with networkx is not on this machine' }, () => {
    const script = [
      'import sys, networkx as nx',
      'g = nx.read_graphml(sys.stdin.buffer)',
      'print(type(g).__name__, g.number_of_nodes(), g.number_of_edges(), g.nodes["camp"]["kind"], g.graph["tlp"])',
      'print(sorted((u, v, d["confidence"]) for u, v, d in g.edges(data=True)))',
    ].join('\n');
    const run = spawnSync('python3', ['-c', script], { input: text, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const [head, edges] = run.stdout.trim().split('\n');
    assert.equal(head, 'DiGraph 4 3 CAMPAIGN AMBER');
    assert.equal(edges, "[('ar', 'iran', 80), ('camp', 'iran', 65), ('camp', 'persona', 80)]");
  });
});

describe('viewer exports: the picture and the brief', () => {
  it('highest TLP, and file names that start with it', () => {
    assert.equal(highestTlp([]), 'CLEAR');
    assert.equal(highestTlp(['GREEN', null, 'CLEAR']), 'GREEN');
    assert.equal(highestTlp(['AMBER', 'RED', 'GREEN']), 'RED');
    assert.equal(exportName('AMBER', 'links', 'csv', graph.exportedAt), 'TLP-AMBER-disinfo-links-202611291840.csv');
  });

  it('the framed SVG: TLP banner above and below in FIRST colours, the legend of kinds and line styles drawn, the graph nested', () => {
    const raw = '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x"><svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><rect width="10" height="10"/></svg>';
    const pic = nestableSvg(raw);
    assert.deepEqual([pic.width, pic.height], [640, 480]);
    assert.ok(pic.markup.startsWith('<svg '));
    // svgcanvas's form (graph-svg.ts): no declaration, version first; stroke widths inside are not the size.
    const drawn = nestableSvg('<svg xmlns="http://www.w3.org/2000/svg" version="1.1" xmlns:xlink="http://www.w3.org/1999/xlink" width="812" height="403.5"><defs/><g><path stroke-width="2" d="M 0 0 L 5 5"/><text x="1" y="2">Iran</text></g></svg>');
    assert.deepEqual([drawn.width, drawn.height], [812, 403.5]);
    assert.ok(drawn.markup.startsWith('<svg ') && drawn.markup.endsWith('</g></svg>'));
    const legend = legendOf(['PERSONA', 'CAMPAIGN', 'PERSONA'], ['AFFIRMED', 'NEGATED', 'AFFIRMED']);
    assert.deepEqual(legend, { kinds: [{ kind: 'PERSONA', count: 2 }, { kind: 'CAMPAIGN', count: 1 }], assertions: ['AFFIRMED', 'NEGATED'] });
    const { svg, width, height } = composePicture(pic, 'AMBER', legend, '4 entities · 3 links <&>');
    assert.equal(XMLValidator.validate(svg), true);
    assert.ok(width >= 640 + 200 && height === 480 + 52, `${width}×${height}`);
    const texts = [...svg.matchAll(/<text[^>]*fill="([^"]+)"[^>]*>([^<]*)<\/text>/g)].map((m) => [m[1], m[2]]);
    assert.equal(texts.filter(([fill, t]) => t === 'TLP:AMBER' && fill === '#ffc000').length, 2, 'a banner at the top and one at the bottom');
    const labels = texts.map(([, t]) => t);
    assert.ok(labels.includes('Persona (2)') && labels.includes('Campaign (1)'), labels.join(' | '));
    assert.ok(labels.includes('NEGATED: no sign of it') && !labels.includes('DISPUTED'));
    assert.ok(labels.includes('4 entities · 3 links &lt;&amp;&gt;'));
    assert.ok(svg.includes('<rect width="10" height="10"/>'), 'the graph itself');
  });

  it('the brief: marking, entities, each link with its citations (title, publisher, locator, quote, web address only)', () => {
    const html = briefHtml({ ...graph, nodes: [...graph.nodes, { id: 'x', name: '<script>alert(1)</script>', kind: 'HOST', tlp: 'CLEAR', degree: 0, x: 0, y: 0 }] }, 'Nothing was selected');
    assert.ok(!html.includes('<script>alert'), 'names are escaped');
    assert.equal(html.match(/class="banner (top|bottom) tlp-amber">TLP:AMBER</g)?.length, 2);
    assert.match(html, /<h2>Entities \(5\)<\/h2>/);
    assert.match(html, /<h2>Links and their evidence \(3\)<\/h2>/);
    const l1 = /<section class="link" id="l1">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    assert.match(l1, /Spoofed &quot;Proud Boys&quot;, emails\n2020 <span class="verb">ATTRIBUTED_TO<\/span> Iran/);
    assert.match(l1, /confidence 65\/100 · AFFIRMED · <span class="tlp tlp-amber">TLP:AMBER<\/span> · 2020-10-20/);
    assert.match(l1, /<cite>Iran spoofs Proud Boys<\/cite>, Proofpoint <span class="locator">P11<\/span><blockquote>“the emails came from”<\/blockquote><div class="url"><a href="https:\/\/example.org\/report">/);
    const l2 = /<section class="link" id="l2">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    assert.match(l2, /NOT USES/);
    assert.equal(l2.match(/<li class="citation">/g)?.length, 3);
    assert.ok(!l2.includes('file:///'), 'a file path is not shown as an address');
    assert.match(/<section class="link" id="l3">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '', /no citation/);
  });
});


describe('viewer exports: only what is drawn', () => {
  const n = (id: string, tlp = 'CLEAR', classes = '') => ({ group: 'nodes' as const, classes, data: { id, name: id.toUpperCase(), kind: 'PERSONA', tlp, degree: 2 }, position: { x: 1, y: 2 } });
  const e = (id: string, source: string, target: string, tlp = 'CLEAR', classes = '') => ({ group: 'edges' as const, classes, data: { id, source, target, type: 'USES', confidence: 50, tlp, assertion: 'AFFIRMED', firstSeen: null, lastSeen: null, citations: [] } });
  const make = () => cytoscape({
    headless: true,
    elements: [
      n('a'), n('b', 'GREEN'), n('c'), n('hidden', 'RED', 'hidden'), n('filtered', 'AMBER', 'filtered'),
      e('ab', 'a', 'b'), e('bc', 'b', 'c'), e('ac-filtered', 'a', 'c', 'RED', 'filtered'), e('a-hidden', 'a', 'hidden', 'CLEAR'), e('c-filtered', 'c', 'filtered'),
      { group: 'nodes', data: { id: 'group:a:PERSONA', group: true, hub: 'a', kind: 'PERSONA', name: '3 personas', tlp: 'CLEAR', members: [{ id: 'm1', kind: 'PERSONA', name: 'm1', tlp: 'AMBER' }], links: [] } },
      { group: 'edges', data: { id: 'group-edge:a:PERSONA', source: 'a', target: 'group:a:PERSONA', group: true } },
    ],
  });

  it('leaves out hidden and filtered elements, links to them, and hub groups; the marking counts the groups drawn', () => {
    const g = collectDrawn(make());
    assert.deepEqual(g.nodes.map((x) => x.id), ['a', 'b', 'c']);
    assert.deepEqual(g.links.map((x) => x.id), ['ab', 'bc']);
    assert.equal(g.tlp, 'AMBER', 'a group drawn holds an AMBER member');
    const csv = nodesCsv(g) + linksCsv(g) + graphml(g) + briefHtml(g, '');
    for (const out of ['hidden', 'filtered', 'ac-filtered', 'group:']) assert.ok(!csv.includes(out), `${out} leaks into an export`);
  });

  it('the brief\'s selection: two entities and the links among them; one entity and its links; nothing selected: all', () => {
    const cy = make();
    cy.$id('a').select();
    cy.$id('b').select();
    let s = collectSelection(cy);
    assert.deepEqual([s.graph.nodes.map((x) => x.id), s.graph.links.map((x) => x.id)], [['a', 'b'], ['ab']]);
    assert.equal(s.graph.tlp, 'GREEN');
    cy.$id('a').unselect();
    s = collectSelection(cy);
    assert.deepEqual([s.graph.nodes.map((x) => x.id).sort(), s.graph.links.map((x) => x.id).sort()], [['a', 'b', 'c'], ['ab', 'bc']]);
    assert.match(s.scope, /^B, its drawn links/);
    cy.$id('hidden').select();
    cy.$id('b').unselect();
    s = collectSelection(cy);
    assert.deepEqual(s.graph.nodes.map((x) => x.id), ['a', 'b', 'c'], 'a hidden node selected counts as nothing selected');
    assert.match(s.scope, /^Nothing was selected: all 3 drawn entities and 2 links/);
  });
});
