// End to end (issue 18, Notes): signed in with an analyst key, add a note on an entity in the
// details panel, see it again after a reload, save an investigation with a description and a note,
// see that note with nothing selected, then in the Open list: owner, description and note count,
// rename, and delete after the confirmation — in headless Chromium at 1000×700 against the real
// API and Neo4j.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../../db/launcher.js';
import type { Executor } from '../../api/store/executor.js';
import { createKey } from '../../api/store/keys.js';
import { createApp, seededExecutor } from '../helpers.js';
import { collectErrors, launchChromium, NO_BROWSER, serve, waitReady } from '../viewer-helpers.js';

const SEED_ID = 'iran';
const NOTE = 'Registrar overlap with the 2019 set: check WHOIS history.';
const INV_NOTE = 'Start from the Estonian host.';

describe('viewer: notes and saved investigations', { skip: NO_BROWSER }, () => {
  let ex: Executor;
  let server: Server;
  let base: string;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  let invId = '';

  const count = async (cypher: string, params: Record<string, unknown>) => (await ex.read<{ c: number }>(cypher, params))[0].c;

  async function showEntity(id: string): Promise<void> {
    await page.evaluate((nid) => window.viewer.viewer.select(nid, false), id);
    await page.locator(`#details .notes[data-target="${id}"] .note-form-slot > *`).waitFor();
  }

  before(async () => {
    assert.ok(fs.existsSync(path.join(projectRoot, 'viewer', 'dist', 'index.html')), 'build the viewer first (npm run build)');
    ex = await seededExecutor();
    const { key } = await createKey(ex, 'Jane Doe', 'ANALYST', 'AMBER');
    ({ base, server } = await serve(createApp({ executor: ex })));
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    // Signed in as the sign-in dialog leaves it: the key in this tab's sessionStorage.
    await context.addInitScript((k) => { if (!sessionStorage.getItem('disinfo-graph.apiKey')) sessionStorage.setItem('disinfo-graph.apiKey', k); }, key);
    page = await context.newPage();
    collectErrors(page, errors);
    await page.goto(`${base}/`);
    await waitReady(page);
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await ex?.close();
  });

  it('adds a note on an entity in the details panel; it is there after a reload, with author and TLP', async () => {
    await showEntity(SEED_ID);
    const section = page.locator(`#details .notes[data-target="${SEED_ID}"]`);
    assert.equal(await section.locator('.note').count(), 0);
    // The TLP picker starts at the entity's marking and ends at the key's clearance.
    assert.deepEqual(await section.locator('select.note-tlp option').allInnerTexts(), ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER']);
    await section.locator('textarea.note-text-input').fill(NOTE);
    await section.locator('select.note-tlp').selectOption('GREEN');
    await section.locator('button.note-add').click();
    await section.locator('.note .note-text', { hasText: NOTE }).waitFor();
    assert.equal(await count("MATCH (n:Note {target: $id, tlp: 'GREEN'}) RETURN count(n) AS c", { id: SEED_ID }), 1, 'stored GREEN');

    await page.reload();
    await waitReady(page);
    await showEntity(SEED_ID);
    const note = page.locator(`#details .notes[data-target="${SEED_ID}"] .note`).first();
    await note.locator('.note-text', { hasText: NOTE }).waitFor();
    assert.match(await note.locator('.note-meta').textContent() ?? '', /Jane Doe.*UTC.*TLP:GREEN/s);
    assert.equal(await page.locator(`#details .notes[data-target="${SEED_ID}"] h3`).textContent(), 'Notes (1)');
  });

  it('saves an investigation with a description and a note; with nothing selected its note is shown', async () => {
    await page.click('#save');
    await page.fill('#investigation-name', 'Registrar trail');
    await page.fill('#investigation-description', 'Who registered the hosts');
    await page.fill('#investigation-note', INV_NOTE);
    await page.click('#save-confirm');
    await page.waitForFunction(() => !document.querySelector('dialog[open]') && !!window.viewer.viewer.investigation);
    invId = await page.evaluate(() => window.viewer.viewer.investigation?.id ?? '');
    assert.ok(invId, 'the viewer holds the saved investigation');
    assert.equal(await count("MATCH (n:Note {target: $id, targetType: 'INVESTIGATION'}) RETURN count(n) AS c", { id: invId }), 1);
    await page.evaluate(() => window.cy.elements().unselect());
    const section = page.locator(`#details .investigation-notes[data-investigation="${invId}"]`);
    await section.locator('.note-text', { hasText: INV_NOTE }).waitFor();
    assert.equal(await section.locator('h3').first().textContent(), 'Investigation “Registrar trail”');
    assert.equal(await section.locator('.inv-description').textContent(), 'Who registered the hosts');
  });

  it('lists it with owner, description and notes; renames it; deletes it only after the confirmation', async () => {
    await page.click('#open');
    const row = page.locator(`#open-dialog li[data-id="${invId}"]`);
    await row.waitFor();
    assert.match(await row.locator('.inv-meta').textContent() ?? '', /Jane Doe · changed .* · 1 note/);
    assert.equal(await row.locator('.inv-description').textContent(), 'Who registered the hosts');

    await row.locator('button.inv-rename').click();
    await row.locator('input.inv-rename-name').fill('Registrar trail, 2020');
    await row.locator('button.inv-rename-save').click();
    await page.locator(`#open-dialog li[data-id="${invId}"] .inv-open`, { hasText: 'Registrar trail, 2020' }).waitFor();
    assert.equal(await count('MATCH (i:Investigation {id: $id, name: $name}) RETURN count(i) AS c', { id: invId, name: 'Registrar trail, 2020' }), 1);
    await page.waitForFunction(() => /Registrar trail, 2020/.test(document.getElementById('inv-name')?.textContent ?? ''));

    // Listed again from the API under its new name.
    await page.locator('#open-dialog button', { hasText: 'Close' }).click();
    await page.waitForFunction(() => !document.getElementById('open-dialog'));
    await page.click('#open');
    const again = page.locator(`#open-dialog li[data-id="${invId}"]`);
    await again.locator('.inv-open', { hasText: 'Registrar trail, 2020' }).waitFor();

    await again.locator('button.inv-delete').click();
    await again.locator('button.inv-delete-confirm').waitFor();
    assert.match(await again.locator('.inv-actions').textContent() ?? '', /Delete “Registrar trail, 2020” and its 1 note\? This cannot be undone/);
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'mini inv-delete-cancel', 'the focus is on Cancel');
    assert.equal(await count('MATCH (i:Investigation {id: $id}) RETURN count(i) AS c', { id: invId }), 1, 'asking deletes nothing');
    await again.locator('button.inv-delete-confirm').click();
    await again.waitFor({ state: 'detached' });
    assert.equal(await count('MATCH (i:Investigation {id: $id}) RETURN count(i) AS c', { id: invId }), 0);
    assert.equal(await count('MATCH (n:Note {target: $id}) RETURN count(n) AS c', { id: invId }), 0, 'its note went with it');
    assert.equal(await count('MATCH (n:Note {target: $id}) RETURN count(n) AS c', { id: SEED_ID }), 1, 'the entity’s note stays');
    assert.equal(await page.evaluate(() => window.viewer.viewer.investigation), null);
    assert.deepEqual(errors, []);
  });
});
