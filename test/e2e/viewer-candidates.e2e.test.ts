// End to end: the merge-candidates panel (issue 16, docs/resolution.md "In the viewer"). Two planted
// duplicates are listed with score and reasons, compared side by side with their links and
// citations, merged (the merged node leaves the graph and its link moves to the survivor), the
// merge undone (both back as before); a look-alike pair judged Different leaves the list; a reader
// sees the list read-only — in headless Chromium at 1000×700 against the real API and Neo4j.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../../db/launcher.js';
import type { Executor } from '../../api/store/executor.js';
import { createKey } from '../../api/store/keys.js';
import { createApp, gql, seededExecutor } from '../helpers.js';
import { collectErrors, idle, launchChromium, NO_BROWSER, nodeIds, serve, waitReady } from '../viewer-helpers.js';

const A = 'pl-e2e-lantern-a';
const B = 'pl-e2e-lantern-b';
const C1 = 'pl-e2e-harbor-1';
const C2 = 'pl-e2e-harbor-2';
const KEY_STORAGE = 'disinfo-graph.apiKey';

describe('viewer: merge candidates panel', { skip: NO_BROWSER }, () => {
  let ex: Executor;
  let server: Server;
  let base: string;
  let browser: Browser;
  let page: Page;
  let analyst: string;
  let reader: string;
  const errors: string[] = [];
  const item = (a: string, b: string) => page.locator(`#candidate-list li[data-a="${a}"][data-b="${b}"]`);
  const edgeBetween = (p: string, q: string) => page.evaluate(([x, y]) => window.cy.$id(x).edgesWith(window.cy.$id(y)).length, [p, q]);

  /** The kind filter reloads the list at once (a task): wait until it is read. */
  async function showKind(kind: string): Promise<void> {
    await page.selectOption('#candidates-kind', kind);
    await idle(page);
  }

  before(async () => {
    assert.ok(fs.existsSync(path.join(projectRoot, 'viewer', 'dist', 'index.html')), 'build the viewer first (npm run build)');
    ex = await seededExecutor();
    const app = createApp({ executor: ex });
    analyst = (await createKey(ex, 'Jane Doe', 'ANALYST', 'AMBER')).key;
    reader = (await createKey(ex, 'Rita Reader', 'READER', 'AMBER')).key;
    const auth = { authorization: `Bearer ${analyst}` };
    const e = await gql(app, `mutation { upsertEntities(input: [
      { id: "${A}", kind: THREAT_GROUP, name: "Copperfield Lantern" },
      { id: "${B}", kind: THREAT_GROUP, name: "COPPERFIELD-LANTERN" },
      { id: "${C1}", kind: CAMPAIGN, name: "Harbor Light Drive" },
      { id: "${C2}", kind: CAMPAIGN, name: "harbor light drive" }]) { created } }`, {}, auth);
    assert.equal(e.errors, undefined, JSON.stringify(e.errors));
    const l = await gql(app, `mutation { upsertLinks(input: [
      { id: "link-e2e-lantern-a", type: ATTRIBUTED_TO, from: "${A}", to: "iran", confidence: 60, citations: [{ source: "src-article", locator: "P1" }] },
      { id: "link-e2e-lantern-b", type: USES, from: "${B}", to: "tech-email-spoofing", confidence: 55, citations: [{ source: "src-proofpoint-analysis", locator: "P2" }] }]) { created } }`, {}, auth);
    assert.equal(l.errors, undefined, JSON.stringify(l.errors));
    ({ base, server } = await serve(app));
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1000, height: 700 } })).newPage();
    collectErrors(page, errors);
    await page.goto(`${base}/?n=iran,tech-email-spoofing`);
    await page.evaluate(([k, v]) => sessionStorage.setItem(k, v), [KEY_STORAGE, analyst]);
    await page.reload();
    await waitReady(page);
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await ex?.close();
  });

  it('opens from the toolbar by keyboard and lists the planted pair with its score and reasons', async () => {
    await page.focus('#toggle-candidates');
    await page.keyboard.press('Enter');
    await page.locator('#candidates-view:not([hidden])').waitFor();
    await page.waitForFunction(() => /merge, judge and undo/.test(document.getElementById('candidates-role')?.textContent ?? ''));
    await showKind('THREAT_GROUP');
    await item(A, B).waitFor();
    const text = await item(A, B).innerText();
    assert.match(text, /0\.85/, 'the score of an equal normalised name');
    assert.match(text, /name: copperfield lantern/i, 'the reason, with what is shared');
    assert.ok(!(await page.locator(`#candidate-list li[data-a="${C1}"]`).count()), 'the kind filter leaves campaigns out');
    // At 1000×700 the panel's controls are on screen.
    for (const sel of ['#candidates-kind', '#candidates-min', `#candidate-list li[data-a="${A}"] button`]) {
      const box = await page.locator(sel).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 1000 && box.y >= 0 && box.y + box.height <= 700, `${sel} inside the viewport: ${JSON.stringify(box)}`);
    }
    // A higher minimum score than the pair's empties the list.
    await page.fill('#candidates-min', '0.9');
    await page.locator('#candidates-min').dispatchEvent('change');
    await page.waitForFunction(() => /No pairs/.test(document.getElementById('candidate-list')?.textContent ?? ''));
    await page.fill('#candidates-min', '0.5');
    await page.locator('#candidates-min').dispatchEvent('change');
    await item(A, B).waitFor();
  });

  it('compares the two side by side with their links and citations', async () => {
    await item(A, B).locator('button').focus();
    await page.keyboard.press('Enter');
    await page.locator('#candidate-compare .compare-side').nth(1).waitFor();
    const sides = await page.locator('#candidate-compare .compare-side').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id));
    assert.deepEqual(sides, [A, B]);
    const left = await page.locator(`.compare-side[data-id="${A}"]`).innerText();
    const right = await page.locator(`.compare-side[data-id="${B}"]`).innerText();
    assert.match(left, /Copperfield Lantern/);
    assert.match(left, /Iran/, 'A’s link');
    assert.match(left, /P1/, 'with its citation locator');
    assert.match(right, /Email spoofing|email spoofing/i, 'B’s link');
    assert.match(right, /P2/);
    assert.equal(await page.locator('#candidate-merge').isEnabled(), true);
  });

  it('Merge: the merged node leaves the graph and its link now hangs on the survivor; Undo gives both back', async () => {
    await page.click('#candidate-show');
    await idle(page);
    assert.ok((await nodeIds(page)).includes(B));
    assert.equal(await edgeBetween(B, 'tech-email-spoofing'), 1);
    await page.check(`.compare-side[data-id="${A}"] input[name="survivor"]`);
    await page.fill('#candidate-note', 'one group, two spellings');
    await page.click('#candidate-merge');
    await page.waitForFunction((b) => window.cy.$id(b).empty() && /Merged/.test(document.getElementById('statusbar')?.textContent ?? ''), B);
    await idle(page);
    assert.ok((await nodeIds(page)).includes(A), 'the survivor stays');
    assert.equal(await edgeBetween(A, 'tech-email-spoofing'), 1, 'B’s link moved to A');
    const [rec] = await ex.read<{ into: string; reason: string }>('MATCH (m:MergeRecord) WHERE $b IN m.from RETURN m.into AS into, m.reason AS reason', { b: B });
    assert.deepEqual(rec, { into: A, reason: 'one group, two spellings' });
    assert.equal(await item(A, B).count(), 0, 'the merged pair leaves the list');

    await page.locator('details.merges summary').click();
    const undo = page.locator('#merge-list li:not(.undone) .undo-merge').first();
    await undo.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((b) => window.cy.$id(b).nonempty() && /Merge undone/.test(document.getElementById('statusbar')?.textContent ?? ''), B);
    await idle(page);
    assert.equal(await edgeBetween(B, 'tech-email-spoofing'), 1, 'the link is back on B');
    assert.equal(await edgeBetween(A, 'tech-email-spoofing'), 0);
    assert.equal((await ex.read<{ n: number }>('MATCH (e:Entity {id: $b}) RETURN count(e) AS n', { b: B }))[0].n, 1);
    await item(A, B).waitFor();
  });

  it('Different: the look-alike pair leaves the list and is not proposed again', async () => {
    await showKind('CAMPAIGN');
    await item(C1, C2).locator('button').click();
    await page.locator('#candidate-different').waitFor();
    await page.click('#candidate-different');
    await page.waitForFunction(() => /judged different/.test(document.getElementById('statusbar')?.textContent ?? ''));
    await idle(page);
    assert.equal(await item(C1, C2).count(), 0);
    const [j] = await ex.read<{ verdict: string }>('MATCH (j:Judgement) WHERE j.a = $a AND j.b = $b RETURN j.verdict AS verdict', { a: C1, b: C2 });
    assert.equal(j?.verdict, 'DIFFERENT');
    await page.fill('#candidates-min', '0');
    await page.locator('#candidates-min').dispatchEvent('change');
    await idle(page);
    assert.equal(await item(C1, C2).count(), 0, 'not even at score 0');
  });

  it('a reader sees the list read-only, told why; the buttons are off', async () => {
    await page.evaluate(([k, v]) => sessionStorage.setItem(k, v), [KEY_STORAGE, reader]);
    await page.reload();
    await waitReady(page);
    await page.click('#toggle-candidates');
    await page.waitForFunction(() => /read-only/.test(document.getElementById('candidates-role')?.textContent ?? ''));
    assert.match(await page.locator('#candidates-role').innerText(), /reader key.*analyst key/);
    await showKind('THREAT_GROUP');
    await item(A, B).locator('button').click();
    await page.locator('#candidate-merge').waitFor();
    for (const id of ['#candidate-merge', '#candidate-different', '#candidate-unsure']) assert.equal(await page.locator(id).isDisabled(), true, id);
    await page.locator('details.merges summary').click();
    assert.equal(await page.locator('#merge-list .undo-merge').count(), 0, 'no Undo for a reader');
  });

  it('logged no console or page errors', () => {
    assert.deepEqual(errors, []);
  });
});
