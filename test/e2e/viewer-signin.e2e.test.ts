// End to end: signing in to the viewer with an API key (typed into the dialog), seeing AMBER data
// with its markings, signing out (it disappears), a revoked key, and saving investigations with
// owners — in headless Chromium at 1000×700 against the real API and Neo4j.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { projectRoot } from '../../db/launcher.js';
import type { Executor } from '../../api/store/executor.js';
import { createKey, revokeKey } from '../../api/store/keys.js';
import { createApp, gql, seededExecutor } from '../helpers.js';
import { collectErrors, idle, launchChromium, NO_BROWSER, nodeIds, serve, waitReady } from '../viewer-helpers.js';

const AMBER_ID = 'group-amber-signin-test';
const AMBER_NAME = 'Amberline signin unit';
const SEED_ID = 'iran';

describe('viewer: signing in with an API key', { skip: NO_BROWSER }, () => {
  let ex: Executor;
  let server: Server;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const keys: Record<string, { key: string; id: string }> = {};

  const whoText = () => page.locator('#who').innerText();
  const session = () => page.evaluate(() => Object.values(sessionStorage));
  const local = () => page.evaluate(() => JSON.stringify(localStorage));

  /** Sign in through the dialog, by keyboard only: focus the button, Enter, type, Enter. */
  async function signIn(key: string): Promise<void> {
    await page.focus('#sign-in');
    await page.keyboard.press('Enter');
    await page.locator('#sign-in-dialog').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'api-key', 'focus lands in the key field');
    await page.keyboard.type(key);
    await page.keyboard.press('Enter');
  }

  async function searchHits(text: string): Promise<string[]> {
    await page.click('#search');
    await page.fill('#search', '');
    await page.fill('#search', text);
    await page.locator('#search-results:not([hidden]) li').first().waitFor();
    const ids = await page.locator('#search-results li[data-id]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id as string));
    await page.keyboard.press('Escape');
    return ids;
  }

  before(async () => {
    assert.ok(fs.existsSync(path.join(projectRoot, 'viewer', 'dist', 'index.html')), 'build the viewer first (npm run build)');
    ex = await seededExecutor();
    const app = createApp({ executor: ex });
    for (const [name, role, tlp] of [['Jane Doe', 'ANALYST', 'AMBER'], ['Max Other', 'ANALYST', 'AMBER'], ['Rita Reader', 'READER', 'GREEN']] as const) {
      const k = await createKey(ex, name, role, tlp);
      keys[name] = { key: k.key, id: k.record.id };
    }
    const auth = { authorization: `Bearer ${keys['Jane Doe'].key}` };
    const e = await gql(app, `mutation { upsertEntities(input: [{ id: "${AMBER_ID}", kind: THREAT_GROUP, name: "${AMBER_NAME}", tlp: AMBER }]) { created } }`, {}, auth);
    assert.equal(e.errors, undefined);
    const l = await gql(app, `mutation { upsertLinks(input: [{ id: "link-amber-signin", type: ATTRIBUTED_TO, from: "${AMBER_ID}", to: "${SEED_ID}",
      confidence: 60, tlp: AMBER, citations: [{ source: "src-article", locator: "P10" }] }]) { created } }`, {}, auth);
    assert.equal(l.errors, undefined);
    ({ base, server } = await serve(app));
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    page = await context.newPage();
    collectErrors(page, errors);
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await ex?.close();
  });

  it('anonymously, the AMBER entity is nowhere: not on the start page, not in search, not when expanding its neighbour', async () => {
    await page.goto(`${base}/`);
    await waitReady(page);
    assert.match(await whoText(), /anonymous/);
    assert.ok(!(await nodeIds(page)).includes(AMBER_ID));
    assert.ok((await nodeIds(page)).includes(SEED_ID), 'the seed entity is on the start page');
    assert.deepEqual(await searchHits('Amberline'), []);
    await page.evaluate((id) => window.viewer.expand(id), SEED_ID);
    await idle(page);
    assert.ok(!(await nodeIds(page)).includes(AMBER_ID));
  });

  it('at 1000×700 the sign-in control is on screen, not covered, and reachable by keyboard', async () => {
    for (const sel of ['#sign-in', '#who']) {
      const box = await page.locator(sel).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 1000 && box.y >= 0 && box.y + box.height <= 700, `${sel} inside the viewport: ${JSON.stringify(box)}`);
      const onTop = await page.evaluate((s) => {
        const el = document.querySelector(s) as HTMLElement;
        const r = el.getBoundingClientRect();
        return el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
      }, sel);
      assert.ok(onTop, `${sel} is not covered by another element`);
    }
  });

  it('a bad key is refused with a clear message and not kept', async () => {
    await signIn('dgk_000000000000_not-a-real-key');
    const msg = page.locator('#sign-in-error');
    await page.waitForFunction(() => /refused/.test(document.getElementById('sign-in-error')?.textContent ?? ''));
    assert.match(await msg.innerText(), /refused.*not kept/i);
    assert.deepEqual(await session(), [], 'nothing in sessionStorage');
    assert.match(await whoText(), /anonymous/);
    await page.keyboard.press('Escape');
    // The dialog closes on the key's event: wait for it rather than race it.
    await page.waitForFunction(() => !document.getElementById('sign-in-dialog'), null, { timeout: 5_000 }).catch(() => undefined);
    assert.equal(await page.locator('#sign-in-dialog').count(), 0, 'Esc closes the dialog');
  });

  it('signing in (typed key) shows name, role and clearance; every request then carries the key; AMBER data appears with its markings', async () => {
    const key = keys['Jane Doe'].key;
    const request = page.waitForRequest((r) => r.url().endsWith('/graphql') && r.method() === 'POST' && (r.postData() ?? '').includes('neighborhood'));
    await signIn(key);
    await page.waitForFunction(() => /Jane Doe/.test(document.getElementById('who')?.textContent ?? ''));
    assert.equal(await whoText(), 'Jane Doe · ANALYST · TLP:AMBER');
    assert.equal(await page.locator('#sign-in-dialog').count(), 0, 'the dialog closed');
    await idle(page);
    // The view on screen was read again as Jane: the reload request carried her key.
    assert.equal((await request).headers().authorization, `Bearer ${key}`);
    assert.ok((await nodeIds(page)).includes(SEED_ID), 'what was on screen is still there');
    // Reachable by search and by expanding its neighbour.
    assert.deepEqual(await searchHits('Amberline'), [AMBER_ID]);
    await page.evaluate(() => { window.viewer.viewer.pageSize = 200; });
    await page.evaluate((id) => window.viewer.expand(id), SEED_ID);
    await idle(page);
    assert.ok((await nodeIds(page)).includes(AMBER_ID), 'expanding Iran now brings in the AMBER group');
    // Markings: the node, its details, and the link.
    await page.evaluate((id) => window.viewer.viewer.select(id, false), AMBER_ID);
    await page.locator('#details .details-head .tlp').waitFor();
    assert.equal(await page.locator('#details .details-head .tlp').innerText(), 'TLP:AMBER');
    await page.locator('#details .link-group').first().waitFor();
    assert.match(await page.locator('#details .links').first().innerText(), /TLP:AMBER/, 'the link shows its marking in the entity’s details');
    await page.evaluate(() => { window.cy.elements().unselect(); window.cy.$id('link-amber-signin').select(); });
    await page.waitForFunction(() => document.querySelector('#details .entity-id')?.textContent === 'link-amber-signin');
    assert.match(await page.locator('#details').innerText(), /TLP:AMBER/, 'and in the link’s own details');
  });

  it('the key lives in sessionStorage only: not in the URL, localStorage, the saved view or the JSON export', async () => {
    const key = keys['Jane Doe'].key;
    assert.deepEqual(await session(), [key]);
    assert.ok(!page.url().includes(key) && !(await page.evaluate(() => location.href)).includes(key));
    assert.ok(!(await page.evaluate(() => window.viewer.shareUrl())).includes(key));
    assert.ok(!(await local()).includes(key));
    assert.ok(!JSON.stringify(await page.evaluate(() => window.viewer.toJSON())).includes(key));
    assert.ok(!JSON.stringify(await page.evaluate(() => window.viewer.state())).includes(key));
    assert.ok(!(await page.content()).includes(key), 'not in the page either (the dialog is gone)');
  });

  it('a reload of the tab keeps the sign-in (same tab, sessionStorage)', async () => {
    // The address bar follows the view after a short debounce: reload once it names the AMBER node.
    await page.waitForFunction((id) => decodeURIComponent(location.search).includes(id), AMBER_ID, { timeout: 5_000 });
    await page.reload();
    await waitReady(page);
    await page.waitForFunction(() => /Jane Doe/.test(document.getElementById('who')?.textContent ?? ''));
    assert.ok((await nodeIds(page)).includes(AMBER_ID), 'the AMBER node, in the URL, is restored for Jane');
  });

  it('signing out forgets the key and the AMBER entity disappears (graph, details, search, undo)', async () => {
    await page.evaluate((id) => window.viewer.viewer.select(id, false), AMBER_ID);
    await page.locator('#details .details-head .tlp').waitFor();
    await page.click('#sign-out');
    await page.waitForFunction(() => /anonymous/.test(document.getElementById('who')?.textContent ?? ''));
    await idle(page);
    assert.deepEqual(await session(), []);
    const ids = await nodeIds(page);
    assert.ok(!ids.includes(AMBER_ID), 'gone from the graph');
    assert.ok(ids.includes(SEED_ID), 'the rest of the view stays');
    assert.ok(!(await page.locator('#details').innerText()).includes(AMBER_NAME), 'gone from the details panel');
    assert.equal(await page.evaluate(() => window.cy.$id('link-amber-signin').length), 0);
    await page.locator('#cy').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    assert.ok(!(await nodeIds(page)).includes(AMBER_ID), 'undo cannot bring it back');
    await page.evaluate((id) => window.viewer.viewer.select(id, false), SEED_ID);
    await page.locator('#details .link-group').first().waitFor();
    assert.ok(!(await page.locator('#details').innerText()).includes(AMBER_NAME), 'Iran’s details no longer list the AMBER link');
    assert.deepEqual(await searchHits('Amberline'), []);
    assert.ok(!page.url().includes(AMBER_ID), 'nor in the URL');
  });

  it('a key revoked while signed in: dropped, "signed out: key refused", the view continues anonymously', async () => {
    await signIn(keys['Max Other'].key);
    await page.waitForFunction(() => /Max Other/.test(document.getElementById('who')?.textContent ?? ''));
    await idle(page);
    await page.evaluate((id) => window.viewer.expand(id), SEED_ID);
    await idle(page);
    assert.ok((await nodeIds(page)).includes(AMBER_ID));
    await revokeKey(ex, keys['Max Other'].id);
    await page.evaluate((id) => window.viewer.expand(id), SEED_ID);
    await page.waitForFunction(() => /key refused/.test(document.getElementById('who')?.textContent ?? ''));
    await idle(page);
    assert.equal(await whoText(), 'signed out: key refused');
    assert.deepEqual(await session(), []);
    assert.ok(!(await nodeIds(page)).includes(AMBER_ID), 'the AMBER node is gone');
    assert.ok((await nodeIds(page)).includes(SEED_ID));
    assert.match(await page.locator('#statusbar').innerText(), /key refused/i);
  });

  it('saving: anonymous → "Sign in with an analyst key to save"; Jane saves; the Open list shows owner and last change', async () => {
    await page.click('#save');
    assert.match(await page.locator('#save-message').innerText(), /Sign in with an analyst key to save/);
    assert.equal(await page.locator('#save-confirm').isDisabled(), true);
    await page.click('#save-sign-in');
    await page.locator('#api-key').waitFor();
    await page.keyboard.type(keys['Jane Doe'].key);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /Jane Doe/.test(document.getElementById('who')?.textContent ?? ''));
    await idle(page);
    await page.click('#save');
    await page.fill('#investigation-name', 'Jane’s amber case');
    await page.click('#save-confirm');
    await page.waitForFunction(() => location.search.includes('inv='));
    await idle(page);
    const inv = new URL(page.url()).searchParams.get('inv') as string;
    const [row] = await ex.read<{ owner: string; ownerKeyId: string }>('MATCH (i:Investigation {id: $id}) RETURN i.owner AS owner, i.ownerKeyId AS ownerKeyId', { id: inv });
    assert.deepEqual(row, { owner: 'Jane Doe', ownerKeyId: keys['Jane Doe'].id });
    await page.click('#open');
    const item = page.locator(`ul.investigations li[data-id="${inv}"]`);
    await item.waitFor();
    assert.match(await item.innerText(), /Jane’s amber case · Jane Doe · changed \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await page.keyboard.press('Escape');
  });

  it('another analyst may not overwrite it: told up front, and FORBIDDEN if tried anyway', async () => {
    const inv = new URL(page.url()).searchParams.get('inv') as string;
    const before = await ex.read('MATCH (i:Investigation {id: $id}) RETURN i.name AS name, i.state AS state, i.updatedAt AS at', { id: inv });
    await page.click('#sign-out');
    await idle(page);
    const other = await createKey(ex, 'Otto Analyst', 'ANALYST', 'AMBER');
    await signIn(other.key);
    await page.waitForFunction(() => /Otto Analyst/.test(document.getElementById('who')?.textContent ?? ''));
    await idle(page);
    await page.goto(`${base}/?inv=${encodeURIComponent(inv)}`);
    await waitReady(page);
    await page.waitForFunction(() => /Otto Analyst/.test(document.getElementById('who')?.textContent ?? ''));
    await page.click('#save');
    assert.equal(await page.locator('#save-as-new').isChecked(), true, 'saving as a new one is preselected');
    assert.match(await page.locator('#save-owner').innerText(), /Only the owner or an admin can overwrite this investigation.*Jane Doe/);
    await page.locator('#save-as-new').uncheck();
    await page.click('#save-confirm');
    await page.waitForFunction(() => /owner/.test(document.getElementById('save-message')?.textContent ?? ''));
    assert.match(await page.locator('#save-message').innerText(), /Only the owner or an admin can overwrite this investigation/);
    assert.deepEqual(await ex.read('MATCH (i:Investigation {id: $id}) RETURN i.name AS name, i.state AS state, i.updatedAt AS at', { id: inv }), before, 'unchanged');
    await page.locator('#save-as-new').check();
    await page.click('#save-confirm');
    await page.waitForFunction((old) => new URL(location.href).searchParams.get('inv') !== old, inv);
    const copy = new URL(page.url()).searchParams.get('inv') as string;
    const [row] = await ex.read<{ owner: string }>('MATCH (i:Investigation {id: $id}) RETURN i.owner AS owner', { id: copy });
    assert.equal(row.owner, 'Otto Analyst', 'a copy of his own');
  });

  it('a GREEN reader opening the investigation does not get the AMBER entity', async () => {
    const inv = (await ex.read<{ id: string }>('MATCH (i:Investigation {owner: "Jane Doe"}) RETURN i.id AS id'))[0].id;
    await page.click('#sign-out');
    await idle(page);
    await signIn(keys['Rita Reader'].key);
    await page.waitForFunction(() => /Rita Reader · READER · TLP:GREEN/.test(document.getElementById('who')?.textContent ?? ''));
    const responses: string[] = [];
    page.on('response', (r) => { if (r.url().endsWith('/graphql')) void r.text().then((t) => responses.push(t), () => undefined); });
    await page.goto(`${base}/?inv=${encodeURIComponent(inv)}`);
    await waitReady(page);
    assert.ok((await nodeIds(page)).includes(SEED_ID));
    assert.ok(!(await nodeIds(page)).includes(AMBER_ID));
    await page.waitForTimeout(200);
    assert.ok(responses.length > 0 && responses.every((t) => !t.includes(AMBER_ID)), 'no response names the AMBER entity');
  });

  it('logged no console or page errors (besides the browser’s own 401/403 lines for refused keys and writes)', () => {
    assert.deepEqual(errors.filter((e) => !/status of 40[13] /.test(e)), []);
  });
});
