// End to end: reviewing a draft in the browser (issue 19, docs/ingest.md). The report's paragraphs
// beside the draft graph; clicking a paragraph highlights what it yields and an item its
// paragraphs; accepting one link writes it with its paragraph citation, rejecting the rest writes
// nothing more — in headless Chromium against the real API and Neo4j.
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
import { collectErrors, launchChromium, NO_BROWSER, serve } from '../viewer-helpers.js';

const REPORT = 'Iranian hackers later sent more than 1,500 emails using the website of an Estonian school-textbook company.\n\n' +
  'The operators also ran the domain votefacts-now[.]org and the account @fakevoice2020.\n';

interface Draft { id: string; sourceId: string; entities: { key: string; entityId: string | null; name: string }[]; links: { key: string; type: string; from: string; to: string }[] }

describe('review page: a draft beside its report', { skip: NO_BROWSER }, () => {
  let ex: Executor;
  let server: Server;
  let base: string;
  let browser: Browser;
  let page: Page;
  let draft: Draft;
  let key: string;
  const errors: string[] = [];
  const count = async (cypher: string, params = {}) => (await ex.read<{ n: number }>(cypher, params))[0].n;

  before(async () => {
    assert.ok(fs.existsSync(path.join(projectRoot, 'viewer', 'dist', 'review.html')), 'build the viewer first (npm run build)');
    ex = await seededExecutor();
    const app = createApp({ executor: ex });
    key = (await createKey(ex, 'Jane Doe', 'ANALYST', 'AMBER')).key;
    const r = await gql<{ ingestReport: Draft }>(app, `mutation($input: ReportInput!) { ingestReport(input: $input) {
      id sourceId entities { key entityId name } links { key type from to } } }`, { input: { title: 'Field note', text: REPORT } }, { authorization: `Bearer ${key}` });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    draft = r.data!.ingestReport;
    ({ base, server } = await serve(app));
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
    collectErrors(page, errors);
    await page.goto(`${base}/review.html?draft=${draft.id}`);
    await page.evaluate((k) => sessionStorage.setItem('disinfo-graph.apiKey', k), key);
    await page.reload();
    await page.locator('#paragraphs p').nth(1).waitFor();
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await ex?.close();
  });

  const keyOf = (id: string) => draft.entities.find((e) => (e.entityId ?? e.name) === id)!.key;
  const usesLink = () => draft.links.find((l) => l.from === keyOf('group-iranian-hackers-2020') && l.type === 'USES' && l.to === keyOf('host-estonian-textbook-site'))!;

  it('shows the paragraphs and the draft graph', async () => {
    assert.deepEqual(await page.locator('#paragraphs p').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.locator)), ['P1', 'P2']);
    const nodes = await page.evaluate(() => (window as unknown as { draftCy: { nodes: () => { length: number } } }).draftCy.nodes().length);
    assert.equal(nodes, draft.entities.length);
  });

  it('clicking a paragraph highlights what it yields, clicking an item its paragraph', async () => {
    await page.click('#paragraphs p[data-locator="P1"]');
    const hit = await page.locator('#items li.hit').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.key));
    assert.ok(hit.includes(usesLink().key), `P1 yields ${usesLink().key}; highlighted ${hit.join(' ')}`);
    assert.ok(!hit.includes(keyOf('votefacts-now.org')), 'the P2 domain is not highlighted');
    assert.equal(await page.evaluate((k) => (window as unknown as { draftCy: { getElementById: (id: string) => { hasClass: (c: string) => boolean } } }).draftCy.getElementById(k).hasClass('hit'), usesLink().key), true);
    await page.click(`#items li[data-key="${keyOf('votefacts-now.org')}"] span`);
    assert.deepEqual(await page.locator('#paragraphs p.hit').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.locator)), ['P2']);
  });

  it('accepting one link writes it with its citation; rejecting the rest writes nothing more', async () => {
    const link = usesLink();
    await page.click(`#items li[data-key="${link.key}"] button.accept`);
    await page.locator(`#items li[data-key="${link.key}"][data-status="ACCEPTED"]`).waitFor();
    const cited = await count('MATCH (:Entity {id: "group-iranian-hackers-2020"})-[r:USES]->(:Entity {id: "host-estonian-textbook-site"}) WHERE $src IN r.citeSources RETURN count(r) AS n', { src: draft.sourceId });
    assert.equal(cited, 1);
    const afterAccept = await count('MATCH ()-[r]->() WHERE r.confidence IS NOT NULL RETURN count(r) AS n');
    await page.click('#reject-all');
    await page.waitForFunction(() => document.getElementById('draft-status')?.textContent?.includes('0 pending'));
    assert.equal(await count('MATCH ()-[r]->() WHERE r.confidence IS NOT NULL RETURN count(r) AS n'), afterAccept);
    assert.equal(await count('MATCH (n:Entity) WHERE n.name IN ["votefacts-now.org", "@fakevoice2020"] RETURN count(n) AS n'), 0, 'rejected entities are not written');
    assert.deepEqual(errors, []);
  });
});
