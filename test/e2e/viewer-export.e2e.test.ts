// End to end (issue 18): the viewer's exports downloaded from headless Chromium and read back —
// PNG and SVG with the TLP banner and legend, CSV of nodes and links, GraphML, the HTML brief —
// holding exactly what is drawn for an AMBER analyst (nothing hidden, filtered out or above the
// key's clearance); the time filter's play and step buttons; WebGL labels under the canvas rules.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { projectRoot } from '../../db/launcher.js';
import type { Executor } from '../../api/store/executor.js';
import { createKey } from '../../api/store/keys.js';
import { createApp, gql, seededExecutor } from '../helpers.js';
import { collectErrors, idle, launchChromium, NO_BROWSER, serve, waitReady } from '../viewer-helpers.js';

const AMBER_ID = 'group-amber-export-test';
const AMBER_NAME = 'Amberline export unit';
const RED_ID = 'group-red-export-test';
const HUB = 'iran';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type Row = Record<string, string>;

describe('viewer: exports, time play, WebGL labels', { skip: NO_BROWSER }, () => {
  let ex: Executor;
  let server: Server;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    assert.ok(fs.existsSync(path.join(projectRoot, 'viewer', 'dist', 'index.html')), 'build the viewer first (npm run build)');
    ex = await seededExecutor();
    const app = createApp({ executor: ex });
    const amber = await createKey(ex, 'Export Analyst', 'ANALYST', 'AMBER');
    const red = await createKey(ex, 'Red Admin', 'ADMIN', 'RED');
    const auth = { authorization: `Bearer ${red.key}` };
    for (const [id, name, tlp] of [[AMBER_ID, AMBER_NAME, 'AMBER'], [RED_ID, 'Redline export unit', 'RED']]) {
      const e = await gql(app, `mutation { upsertEntities(input: [{ id: "${id}", kind: THREAT_GROUP, name: "${name}", tlp: ${tlp} }]) { created } }`, {}, auth);
      assert.equal(e.errors, undefined);
      const l = await gql(app, `mutation { upsertLinks(input: [{ id: "link-${id}", type: ATTRIBUTED_TO, from: "${id}", to: "${HUB}",
        confidence: 100, tlp: ${tlp}, citations: [{ source: "src-article", locator: "P10", quote: "a quote for the brief" }] }]) { created } }`, {}, auth);
      assert.equal(l.errors, undefined);
    }
    ({ base, server } = await serve(app));
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1000, height: 700 }, acceptDownloads: true });
    // Signed in as the AMBER analyst from the first request (the sign-in dialog has its own test).
    await context.addInitScript((key) => sessionStorage.setItem('disinfo-graph.apiKey', key), amber.key);
    page = await context.newPage();
    collectErrors(page, errors);
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await ex?.close();
  });

  /** Clicks an export (from the Export ▾ menu unless it has its own button) and reads the file. */
  async function download(id: string): Promise<{ name: string; bytes: Buffer }> {
    if (!['export-png', 'export-json'].includes(id)) await page.click('#export-menu');
    const [file]: [Download, void] = await Promise.all([page.waitForEvent('download'), page.click(`#${id}`)]);
    return { name: file.suggestedFilename(), bytes: fs.readFileSync(await file.path()) };
  }

  let drawnNodes: string[];
  let drawnEdges: string[];
  let hiddenName: string;
  let minConfidence: number;

  it('draws the hub with its AMBER neighbour; one node hidden, weak links filtered out', async () => {
    await page.goto(`${base}/?n=${HUB}`);
    await waitReady(page);
    await page.evaluate(() => { window.viewer.viewer.pageSize = 200; });
    await page.evaluate((id) => window.viewer.expand(id), HUB);
    await idle(page);
    const state = await page.evaluate(({ amber, red, hub }) => {
      const v = window.viewer.viewer;
      const other = window.cy.nodes('[!group]').filter((n) => ![amber, hub].includes(n.id())).first();
      v.hide(other);
      // Filter at the strongest seed link's confidence: every weaker link goes, the test's links (100) stay.
      const minConfidence = Math.max(...window.cy.edges('[!group]').map((e) => e.data('confidence') as number).filter((c) => c < 100));
      v.setFilters({ ...v.filters, minConfidence });
      // No named functions in here: the test's compiler would wrap them in a helper the page lacks.
      const nodes = window.cy.nodes('[!group]').not('.hidden, .filtered');
      const ids = new Set(nodes.map((n) => n.id()));
      const edges = window.cy.edges('[!group]').not('.hidden, .filtered').edges().filter((e) => ids.has(e.source().id()) && ids.has(e.target().id()));
      return {
        nodes: nodes.map((n) => n.id()).sort(), edges: edges.map((e) => e.id()).sort(), hiddenName: other.data('name') as string,
        filteredLinks: window.cy.edges('.filtered').length, red: window.cy.$id(red).length, minConfidence,
      };
    }, { amber: AMBER_ID, red: RED_ID, hub: HUB });
    ({ nodes: drawnNodes, edges: drawnEdges, hiddenName, minConfidence } = state);
    assert.ok(drawnNodes.includes(AMBER_ID) && drawnNodes.includes(HUB), drawnNodes.join(','));
    assert.ok(state.filteredLinks > 0, 'the confidence filter takes some links out');
    assert.equal(state.red, 0, 'the RED entity is above the key\'s clearance and never reaches the page');
    assert.ok(!drawnNodes.includes(RED_ID));
  });

  it('CSV of nodes and of links: exactly what is drawn, with TLP, confidence and citations', async () => {
    const nodes = await download('export-nodes-csv');
    assert.match(nodes.name, /^TLP-AMBER-disinfo-nodes-\d{12}\.csv$/);
    const nodeRows = parse<Row>(nodes.bytes.toString('utf8'), { columns: true, bom: true });
    assert.deepEqual(nodeRows.map((r) => r.id).sort(), drawnNodes);
    assert.equal(nodeRows.find((r) => r.id === AMBER_ID)?.tlp, 'AMBER');
    assert.ok(!nodeRows.some((r) => r.name === hiddenName), 'the hidden node is not exported');
    const links = await download('export-links-csv');
    const linkRows = parse<Row>(links.bytes.toString('utf8'), { columns: true, bom: true });
    assert.deepEqual(linkRows.map((r) => r.id).sort(), drawnEdges);
    assert.ok(linkRows.every((r) => Number(r.confidence) >= minConfidence), 'filtered-out links stay out');
    const amber = linkRows.find((r) => r.id === `link-${AMBER_ID}`);
    assert.deepEqual([amber?.tlp, amber?.confidence, amber?.citations, amber?.target], ['AMBER', '100', '1', HUB]);
    assert.ok((amber?.sources ?? '').length > 0, 'the cited source\'s title');
  });

  it('GraphML: well-formed, the same nodes and links, marked AMBER', async () => {
    const file = await download('export-graphml');
    const text = file.bytes.toString('utf8');
    assert.equal(XMLValidator.validate(text), true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['node', 'edge', 'data'].includes(n) })
      .parse(text) as { graphml: { graph: { node: Array<{ id: string }>; edge: Array<{ id: string }>; data: Array<{ key: string; '#text': string }> } } };
    const g = doc.graphml.graph;
    assert.deepEqual(g.node.map((n) => n.id).sort(), drawnNodes);
    assert.deepEqual(g.edge.map((e) => e.id).sort(), drawnEdges);
    assert.equal(g.data.find((d) => d.key === 'gtlp')?.['#text'], 'AMBER');
  });

  it('SVG: the graph with its labels, the legend and an AMBER banner; nothing hidden', async () => {
    const file = await download('export-svg');
    assert.match(file.name, /^TLP-AMBER-disinfo-graph-\d{12}\.svg$/);
    const svg = file.bytes.toString('utf8');
    assert.equal(XMLValidator.validate(svg), true);
    assert.equal(svg.match(/fill="#ffc000">TLP:AMBER<\/text>/g)?.length, 2, 'banner above and below');
    assert.match(svg, />Threat group \(\d+\)</, 'the legend names the kinds drawn');
    assert.ok(svg.includes(AMBER_NAME), 'node labels are in the picture');
    assert.ok(!svg.includes(hiddenName), `the hidden node "${hiddenName}" is not`);
    // The graph itself, drawn by Cytoscape's renderer into svgcanvas: labels as <text>, shapes as paths.
    const graphPart = /<g class="graph"[^>]*>([\s\S]*?)<\/g>\n<g class="legend">/.exec(svg)?.[1] ?? '';
    const texts = [...graphPart.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    const names = await page.evaluate(() => ({
      drawn: window.cy.nodes('[!group]').not('.hidden, .filtered').map((n) => n.data('name') as string),
      notDrawn: window.cy.nodes('[!group]').filter((n) => n.hasClass('hidden') || n.hasClass('filtered')).map((n) => n.data('name') as string),
    }));
    assert.ok(texts.includes(AMBER_NAME), `"${AMBER_NAME}" is a <text> of the graph: ${texts.slice(0, 5).join(' | ')}`);
    // Long names wrap over several lines (text-max-width): each drawn name's first word is in some line.
    const missing = names.drawn.filter((n) => !texts.some((t) => t.includes(n.split(/\s+/)[0].replace(/&/g, '&amp;').replace(/</g, '&lt;'))));
    assert.deepEqual(missing, [], 'every drawn entity is labelled');
    const shapes = graphPart.match(/<path\b/g)?.length ?? 0;
    assert.ok(shapes >= drawnNodes.length + drawnEdges.length, `${shapes} paths for ${drawnNodes.length} nodes and ${drawnEdges.length} links`);
    assert.ok(!graphPart.includes('="undefined"'), 'no attribute left undefined');
    assert.ok(names.notDrawn.length > 0, 'the test hides or filters out something');
    for (const n of [...names.notDrawn, 'Redline export unit']) assert.ok(!texts.some((t) => t.includes(n)), `"${n}" is not drawn, so not in the SVG`);
  });

  it('PNG: framed like the SVG — black banner rows, the AMBER label colour in them', async () => {
    const file = await download('export-png');
    assert.ok(file.bytes.subarray(0, 8).equals(PNG_SIGNATURE));
    assert.match(file.name, /^TLP-AMBER-/);
    const [w, h] = [file.bytes.readUInt32BE(16), file.bytes.readUInt32BE(20)];
    const probe = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      [c.width, c.height] = [img.naturalWidth, img.naturalHeight];
      const ctx = c.getContext('2d') as CanvasRenderingContext2D;
      ctx.drawImage(img, 0, 0);
      const band = ctx.getImageData(0, 0, Math.min(c.width, 400), 40).data;
      let amber = 0;
      for (let i = 0; i < band.length; i += 4) if (band[i] > 200 && band[i + 1] > 150 && band[i + 1] < 230 && band[i + 2] < 80) amber++;
      return { top: [...ctx.getImageData(c.width - 3, 3, 1, 1).data.slice(0, 3)], bottom: [...ctx.getImageData(c.width - 3, c.height - 3, 1, 1).data.slice(0, 3)], amber };
    }, file.bytes.toString('base64'));
    assert.ok(w > 500 && h > 100, `${w}×${h}`);
    assert.deepEqual([probe.top, probe.bottom], [[0, 0, 0], [0, 0, 0]], 'black banners at the top and bottom');
    assert.ok(probe.amber > 20, `TLP:AMBER drawn in its colour (${probe.amber} pixels)`);
  });

  it('brief of the selection: the two entities, their link with its citation, the marking', async () => {
    await page.evaluate(({ a, b }) => { window.cy.elements().unselect(); window.cy.$id(a).select(); window.cy.$id(b).select(); }, { a: AMBER_ID, b: HUB });
    const file = await download('export-brief');
    assert.match(file.name, /^TLP-AMBER-disinfo-brief-\d{12}\.html$/);
    const html = file.bytes.toString('utf8');
    assert.match(html, /<h2>Entities \(2\)<\/h2>/);
    assert.match(html, /<h2>Links and their evidence \(1\)<\/h2>/);
    assert.ok(html.includes(AMBER_NAME) && !html.includes(hiddenName));
    const section = new RegExp(`<section class="link" id="link-${AMBER_ID}">([\\s\\S]*?)</section>`).exec(html)?.[1] ?? '';
    assert.match(section, /<span class="locator">P10<\/span><blockquote>“a quote for the brief”<\/blockquote>/);
    assert.match(section, /<cite>[^<]+<\/cite>/, 'the source title');
    assert.equal(html.match(/class="banner (top|bottom) tlp-amber">TLP:AMBER</g)?.length, 2);
    // It opens and prints as a page of its own.
    const brief = await context.newPage();
    await brief.setContent(html);
    assert.equal(await brief.locator('section.link').count(), 1);
    assert.ok((await brief.pdf()).subarray(0, 4).toString() === '%PDF', 'prints to PDF');
    await brief.close();
  });

  it('the Export menu works by keyboard: ↓ opens on its first item, Esc closes it back to the button', async () => {
    await page.focus('#export-menu');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'export-svg');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'export-nodes-csv');
    await page.keyboard.press('Escape');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'export-menu');
    assert.equal(await page.locator('#export-menu-list').isHidden(), true);
  });

  it('time: Play steps a window through the range (entities follow their links), Pause stops, Step moves on by the window', async () => {
    await page.evaluate(() => { const v = window.viewer.viewer; v.setFilters({ ...v.filters, minConfidence: 0 }); });
    const read = () => page.evaluate(() => ({
      label: document.getElementById('time-label')?.textContent ?? '',
      filters: window.viewer.viewer.filters,
      stranded: window.cy.nodes('[!group]').filter((n) => !n.hasClass('filtered') && !n.hasClass('hidden')
        && n.connectedEdges('[!group]').nonempty() && n.connectedEdges('[!group]').every((e) => (e as unknown as { hasClass(c: string): boolean }).hasClass('filtered'))).map((n) => n.id()),
    }));
    await page.click('#time-play');
    assert.equal(await page.getAttribute('#time-play', 'aria-pressed'), 'true');
    await page.waitForFunction(() => window.viewer.viewer.filters.timeMode === 'window');
    const first = await read();
    assert.match(first.label, /^\d{4}-\d{2}-\d{2} → \d{4}-\d{2}-\d{2}$/);
    // The next frame comes by itself.
    await page.waitForFunction((l) => document.getElementById('time-label')?.textContent !== l, first.label, { timeout: 30_000 });
    await page.click('#time-play');
    assert.equal(await page.getAttribute('#time-play', 'aria-pressed'), 'false');
    const paused = await read();
    assert.deepEqual(paused.stranded, [], 'no entity is left drawn with every drawn link of its time-filtered');
    await page.click('#time-step');
    const stepped = await read();
    const days = (f: { from: string | null; to: string | null }) => (Date.parse(f.to ?? '') - Date.parse(f.from ?? '')) / 86_400_000;
    assert.notEqual(stepped.label, paused.label);
    assert.equal(days(stepped.filters), days(paused.filters), 'the window keeps its width');
    assert.ok((stepped.filters.from ?? '') > (paused.filters.from ?? '') || (stepped.filters.from ?? '') < (first.filters.from ?? '~'), 'moved on (or started over at the end)');
    await page.selectOption('#time-mode', 'all');
    await page.waitForFunction(() => window.viewer.viewer.filters.timeMode === 'all');
  });

  it('WebGL: labels follow the canvas renderer\'s rule (hidden below their min zoomed size)', async (t) => {
    const hasWebgl = await page.evaluate(() => !(document.getElementById('webgl') as HTMLInputElement).disabled);
    if (!hasWebgl) { t.skip('no WebGL2 in this headless Chromium'); return; }
    const drawnAt = (zoom: number) => page.evaluate(({ z, id }) => {
      window.cy.zoom(z);
      const r = (window.cy as unknown as { renderer(): { drawing: { atlasManager: { getRenderTypeOpts(t: string): { isVisible(e: unknown): boolean } } } } }).renderer();
      const label = r.drawing.atlasManager.getRenderTypeOpts('label');
      return { node: label.isVisible(window.cy.$id(id)), edge: label.isVisible(window.cy.$id(id).connectedEdges('[!group]').first()) };
    }, { z: zoom, id: HUB });
    await page.evaluate(() => window.viewer.viewer.setWebgl(true));
    await page.waitForFunction(() => (window.cy as unknown as { renderer(): { drawing?: unknown } }).renderer().drawing !== undefined);
    assert.deepEqual(await drawnAt(0.3), { node: false, edge: false }, 'zoomed out: 10 px names and 7 px link types would be under 7 and 9 px');
    assert.deepEqual(await drawnAt(1), { node: true, edge: false }, 'at 1: names, not link types');
    assert.deepEqual(await drawnAt(2), { node: true, edge: true }, 'zoomed in: both');
    await page.evaluate(() => window.viewer.viewer.setWebgl(false));
  });

  it('logged no errors in the page', () => {
    assert.deepEqual(errors, []);
  });
});
