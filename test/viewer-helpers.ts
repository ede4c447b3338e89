// Browser plumbing for the viewer's end-to-end test: the real app on a loopback port, a Chromium
// found the usual ways (bench/chromium.ts) through playwright-core, and small reads of `window.cy`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import type { App } from '../api/http/app.js';
import { launchChromium as launch, skipWithoutChromium } from '../bench/chromium.js';

/** For `describe(…, { skip: NO_BROWSER })`: the one line saying there is no browser, or false. */
export const NO_BROWSER = skipWithoutChromium('browser tests');

export async function serve(app: App): Promise<{ base: string; server: Server }> {
  const server = createServer(app.requestListener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, server };
}

export function launchChromium(): Promise<Browser> {
  return launch('browser tests');
}

/** Console errors and uncaught page errors, gathered for the whole run. */
export function collectErrors(page: Page, into: string[]): void {
  page.on('console', (m) => { if (m.type() === 'error') into.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => into.push(`pageerror: ${e.message}`));
}

export async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 60_000 });
  await idle(page);
}

export async function idle(page: Page): Promise<void> {
  await page.evaluate(() => window.viewer.whenIdle());
}

/**
 * The README's picture of the seed graph (docs/img/seed-graph.png, `npm run docs:screenshot`):
 * the start page, Iran expanded, laid out, the Estonian host selected with its citations. Shared
 * by the script and the e2e test, so the test keeps the script working.
 */
export const SCREENSHOT_VIEWPORT = { width: 1440, height: 900 };

export async function screenshotSeedGraph(page: Page, base: string, file: string): Promise<void> {
  await page.goto(`${base}/`);
  await waitReady(page);
  await page.evaluate(() => window.viewer.expand('iran'));
  await page.evaluate(() => window.viewer.viewer.runLayout('fcose'));
  await idle(page);
  await page.evaluate(() => { window.viewer.viewer.select('host-estonian-textbook-site', false); });
  await page.locator('#details .citation .locator').first().waitFor();
  await page.waitForTimeout(1800);
  await page.screenshot({ path: file });
}

export type Positions = Record<string, { x: number; y: number }>;

export function positions(page: Page): Promise<Positions> {
  return page.evaluate(() => Object.fromEntries(window.cy.nodes().map((n) => [n.id(), { ...n.position() }])));
}

export function nodeIds(page: Page): Promise<string[]> {
  return page.evaluate(() => window.cy.nodes().map((n) => n.id()).sort());
}

/** A real double-click at the node's place on the canvas (what an analyst does). */
export async function dblclickNode(page: Page, id: string): Promise<void> {
  const at = await page.evaluate((nid) => {
    const node = window.cy.$id(nid);
    if (node.empty()) throw new Error(`node ${nid} is not drawn`);
    window.cy.center(node);
    const p = node.renderedPosition();
    const box = (window.cy.container() as HTMLElement).getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  }, id);
  await page.mouse.dblclick(at.x, at.y);
}

/** 5,000 synthetic elements: 2,000 nodes and 3,000 mostly local links. */
export function syntheticElements(nodes = 2000, edges = 3000): object[] {
  const kinds = ['CAMPAIGN', 'PERSONA', 'HOST', 'NARRATIVE', 'TECHNIQUE', 'SOURCE'];
  const out: object[] = [];
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < nodes; i++) {
    out.push({ group: 'nodes', data: { id: `syn-${i}`, kind: kinds[i % kinds.length], name: `Synthetic entity ${i}`, tlp: 'CLEAR', degree: 3, size: 22, label: `Synthetic entity ${i}`, paged: 0 } });
  }
  for (let i = 0; i < edges; i++) {
    const a = Math.floor(rand() * nodes);
    // Mostly local links, so the graph has structure like a real investigation.
    const b = (a + 1 + Math.floor(rand() * 40)) % nodes;
    out.push({ group: 'edges', data: { id: `syn-e${i}`, source: `syn-${a}`, target: `syn-${b}`, type: 'RELATED_TO', confidence: Math.floor(rand() * 100), tlp: 'CLEAR', assertion: 'AFFIRMED', citations: [], label: 'RELATED_TO', firstSeen: null, lastSeen: null } });
  }
  return out;
}
