// GraphiQL comes from the project's own dependencies: the page names no other origin, every file
// it loads is served by the app, and it renders and runs a query with the network cut to loopback.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../api/http/app.js';
import { EXAMPLE_QUERIES } from '../../api/graphql/example-queries.js';
import type { Executor } from '../../api/store/executor.js';
import { createApp, seededExecutor } from '../helpers.js';
import { collectErrors, launchChromium, NO_BROWSER, serve } from '../viewer-helpers.js';

const TITLE = 'Disinformation graph — GraphiQL';

async function page(app: App): Promise<string> {
  const res = await app.fetch('http://test/graphql', { headers: { accept: 'text/html' } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  return res.text();
}

/** Every URL the page loads: src/href attributes and the Monaco worker URLs in its inline script. */
function referenced(html: string): string[] {
  const attrs = [...html.matchAll(/\b(?:src|href)\s*=\s*["']?([^"'\s>]+)/gi)].map((m) => m[1]);
  const workers = [...html.matchAll(/"([^"]+\.worker\.js)"/g)].map((m) => m[1]);
  return [...attrs, ...workers];
}

describe('GraphiQL without the internet', () => {
  let ex: Executor;
  let app: App;
  before(async () => {
    ex = await seededExecutor();
    app = createApp({ executor: ex });
  });
  after(() => ex.close());

  it('the page references no other origin, and the app serves everything it references', async () => {
    const html = await page(app);
    assert.ok(html.includes(`<title>${TITLE}</title>`), 'our title');
    assert.doesNotMatch(html, /unpkg|jsdelivr|cdnjs|cdn\.|googleapis|gstatic|esm\.sh/i);
    assert.doesNotMatch(html, /(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i, 'no absolute or protocol-relative URL');
    const urls = referenced(html);
    assert.ok(urls.some((u) => u.endsWith('.js')) && urls.some((u) => u.endsWith('.css')), urls.join(' '));
    assert.equal(urls.filter((u) => u.endsWith('.worker.js')).length, 3, 'three Monaco workers');
    assert.ok(html.length < 50_000, `a small page (${html.length} characters), the bundle is in separate files`);
    for (const u of urls) {
      assert.ok(u.startsWith('/'), `${u} is on our origin`);
      const res = await app.fetch(`http://test${u}`);
      assert.equal(res.status, 200, u);
      const body = await res.arrayBuffer();
      assert.ok(body.byteLength > 1000, `${u}: ${body.byteLength} bytes`);
      const type = res.headers.get('content-type') ?? '';
      if (u.endsWith('.js')) assert.match(type, /javascript/, u);
      if (u.endsWith('.css')) assert.match(type, /text\/css/, u);
      assert.match(res.headers.get('cache-control') ?? '', /immutable/, `${u} is versioned and cached`);
    }
    assert.equal((await app.fetch('http://test/graphiql/0.0.0/yoga-graphiql.js')).status !== 200, true, 'only the bundled version');
  });

  it('opens with the example queries as tabs', async () => {
    const html = await page(app);
    const json = /renderYogaGraphiQL\([^,]+,\s*(\{[\s\S]*\})\);/.exec(html)?.[1];
    assert.ok(json, 'the options are in the page');
    const opts = JSON.parse(json) as { title: string; defaultTabs: Array<{ query: string }> };
    assert.equal(opts.title, TITLE);
    assert.equal(opts.defaultTabs.length, EXAMPLE_QUERIES.length);
    assert.ok(opts.defaultTabs[0].query.includes(EXAMPLE_QUERIES[0].question));
  });

  describe('in headless Chromium with only loopback reachable', { skip: NO_BROWSER }, () => {
    let server: Server;
    let base: string;
    before(async () => ({ base, server } = await serve(app)));
    after(() => { server.closeAllConnections(); server.close(); });

    it('renders GraphiQL with its tabs and runs a query', { timeout: 120_000 }, async () => {
      const browser = await launchChromium();
      try {
        const context = await browser.newContext();
        const blocked: string[] = [];
        await context.route('**/*', (route) => {
          const url = new URL(route.request().url());
          if (url.protocol === 'blob:' || url.protocol === 'data:' || url.hostname === '127.0.0.1') return route.continue();
          blocked.push(url.href);
          return route.abort();
        });
        const p = await context.newPage();
        const errors: string[] = [];
        collectErrors(p, errors);
        await p.goto(`${base}/graphql`);
        await p.waitForSelector('.graphiql-container .monaco-editor', { timeout: 60_000 });
        assert.equal(await p.title(), TITLE);
        const tabs = await p.locator('.graphiql-tab').count();
        assert.equal(tabs, EXAMPLE_QUERIES.length, 'one tab per example query');
        await p.click('.graphiql-execute-button');
        await p.waitForFunction(() => /"data"/.test(document.querySelector('.result-window')?.textContent ?? ''), null, { timeout: 60_000 });
        assert.deepEqual(blocked, [], 'nothing asked for beyond loopback');
        assert.deepEqual(errors, []);
      } finally {
        await browser.close();
      }
    });
  });
});
