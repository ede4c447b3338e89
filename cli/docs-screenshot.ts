// npm run docs:screenshot [-- --out file.png] — the README's picture of the viewer on the seed
// graph (docs/img/seed-graph.png): the built viewer in headless Chromium against the seed, in the
// test database started by test/run.ts (or NEO4J_URI). The e2e test takes the same picture into a
// temporary folder, so the tracked one changes only when this is run.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../db/launcher.js';
import { createApp, seededExecutor } from '../test/helpers.js';
import { screenshotSeedGraph, serve, SCREENSHOT_VIEWPORT } from '../test/viewer-helpers.js';
import { findChromium, launchChromium, noChromium } from '../bench/chromium.js';

const WHAT = 'docs:screenshot';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: path.join(projectRoot, 'docs', 'img', 'seed-graph.png') } } });
  const out = path.resolve(values.out);
  const found = findChromium();
  if (found.missing) {
    console.error(noChromium(WHAT, found.missing));
    return 1;
  }
  if (!fs.existsSync(path.join(projectRoot, 'viewer', 'dist', 'index.html'))) {
    console.error(`${WHAT}: build the viewer first (npm run build)`);
    return 1;
  }
  const ex = await seededExecutor();
  const { base, server } = await serve(createApp({ executor: ex }));
  const browser = await launchChromium(WHAT);
  try {
    const page = await (await browser.newContext({ viewport: SCREENSHOT_VIEWPORT })).newPage();
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await screenshotSeedGraph(page, base, out);
    const shown = path.relative(process.cwd(), out).startsWith('..') ? out : path.relative(process.cwd(), out);
    console.log(`${WHAT}: wrote ${shown} (${fs.statSync(out).size.toLocaleString('en')} bytes, Chromium from ${found.from})`);
    return 0;
  } finally {
    await browser.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await ex.close();
  }
}

main().then((code) => process.exit(code), (e: Error) => { console.error(`${WHAT}: ${e.message}`); process.exit(1); });
