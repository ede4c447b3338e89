// End to end (issue 17): the viewer's Networks panel and "What ties these two" in headless
// Chromium at 1000×700, against the real API and the test Neo4j with OpenGDS. Beside the seed,
// a small planted fixture gives three known networks on the default projection: five personas
// sharing two hosts and a narrative (A), four sharing two others (B), and four more (C) of which
// one persona and its links are TLP:AMBER; every link cited.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../../db/launcher.js';
import type { Executor } from '../../api/store/executor.js';
import { createKey } from '../../api/store/keys.js';
import type { App } from '../../api/http/app.js';
import { createApp, gql, seededExecutor } from '../helpers.js';
import { collectErrors, dblclickNode, idle, launchChromium, NO_BROWSER, positions, serve, waitReady } from '../viewer-helpers.js';

const net = (g: 'a' | 'b' | 'c', n: number) => ({
  personas: Array.from({ length: n }, (_, i) => `persona-net17-${g}${i + 1}`),
  hosts: [`host-net17-${g}1`, `host-net17-${g}2`],
  narrative: `narrative-net17-${g}`,
});
const A = net('a', 5);
const B = net('b', 4);
const C = net('c', 4);
/** Network C's member above a GREEN reader's clearance. */
const AMBER_PERSONA = C.personas[3];

function fixture(): { entities: string; links: string } {
  const entities: string[] = [];
  const links: string[] = [];
  for (const [g, n] of [['A', A], ['B', B], ['C', C]] as const) {
    const tlp = (p: string) => (p === AMBER_PERSONA ? ', tlp: AMBER' : '');
    n.personas.forEach((p, i) => entities.push(`{ id: "${p}", kind: PERSONA, name: "Net17 ${g} persona ${i + 1}"${tlp(p)} }`));
    n.hosts.forEach((h, i) => entities.push(`{ id: "${h}", kind: HOST, name: "net17-${g.toLowerCase()}${i + 1}.example" }`));
    entities.push(`{ id: "${n.narrative}", kind: NARRATIVE, name: "Net17 ${g} narrative" }`);
    n.personas.forEach((p, i) => {
      const cite = (what: string) => `citations: [{ source: "src-article", locator: "P${i + 1}", quote: "${p} ${what}" }]`;
      for (const h of n.hosts) links.push(`{ id: "l-${p}-${h}", type: USES, from: "${p}", to: "${h}", confidence: 70${tlp(p)}, ${cite(`posts links to ${h}`)} }`);
      links.push(`{ id: "l-${p}-narr", type: AMPLIFIES, from: "${p}", to: "${n.narrative}", confidence: 80${tlp(p)}, ${cite('repeats the narrative')} }`);
    });
  }
  return { entities: entities.join(', '), links: links.join(', ') };
}

describe('viewer: networks (clusters) and what ties two entities', { skip: NO_BROWSER }, () => {
  let ex: Executor;
  let app: App;
  let server: Server;
  let base: string;
  let browser: Browser;
  let page: Page;
  let auth: Record<string, string>;
  const errors: string[] = [];
  /** The panel's number of network A's and B's clusters. */
  let nA = 0;
  let nB = 0;

  const item = (n: number) => page.locator(`#cluster-list .cluster-item[data-number="${n}"]`);
  const clusterOf = (id: string) => page.evaluate((i) => window.cy.$id(i).data('cluster') as number | undefined, id);

  before(async () => {
    assert.ok(fs.existsSync(path.join(projectRoot, 'viewer', 'dist', 'index.html')), 'build the viewer first (npm run build)');
    ex = await seededExecutor();
    app = createApp({ executor: ex });
    const k = await createKey(ex, 'Net analyst', 'ANALYST', 'AMBER');
    auth = { authorization: `Bearer ${k.key}` };
    const { entities, links } = fixture();
    const e = await gql(app, `mutation { upsertEntities(input: [${entities}]) { created } }`, {}, auth);
    assert.equal(e.errors, undefined, JSON.stringify(e.errors));
    const l = await gql(app, `mutation { upsertLinks(input: [${links}]) { created } }`, {}, auth);
    assert.equal(l.errors, undefined, JSON.stringify(l.errors));
    ({ base, server } = await serve(app));
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    // Signed in as the analyst (the sign-in dialog has its own test): the key in sessionStorage.
    await context.addInitScript((key) => sessionStorage.setItem('disinfo-graph.apiKey', key), k.key);
    page = await context.newPage();
    collectErrors(page, errors);
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await ex?.close();
  });

  it('colours the drawn nodes by cluster, one legend entry per cluster; others keep their kind style', async () => {
    await page.goto(`${base}/?n=${[A.personas[0], A.personas[1], B.personas[0], 'iran'].join(',')}`);
    await waitReady(page);
    // Reachable by keyboard: focus the button, Enter.
    await page.focus('#cluster-run');
    await page.keyboard.press('Enter');
    await page.locator('#cluster-list .cluster-item').first().waitFor();
    await idle(page);
    nA = (await clusterOf(A.personas[0])) ?? 0;
    nB = (await clusterOf(B.personas[0])) ?? 0;
    assert.ok(nA > 0 && nB > 0 && nA !== nB, `the two networks are two clusters: ${nA}, ${nB}`);
    assert.equal(await clusterOf(A.personas[1]), nA, 'members of one network share its cluster');
    const colours = await page.evaluate(([a, b]) => ({
      a: window.cy.$id(a).style('background-color'), b: window.cy.$id(b).style('background-color'),
      iran: window.cy.$id('iran').style('background-color'), iranCluster: window.cy.$id('iran').data('clusterColor') as string | undefined,
    }), [A.personas[0], B.personas[0]]);
    assert.notEqual(colours.a, colours.b, 'two clusters, two colours');
    assert.equal(colours.iranCluster, undefined, 'a state actor is in no cluster');
    assert.equal(colours.iran, 'rgb(176,58,46)', 'and keeps its kind colour');
    const swatch = await item(nA).locator('.swatch').evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(swatch.replace(/\s/g, ''), colours.a, 'the legend entry shows the colour the members are drawn in');
    const a = await item(nA).innerText();
    assert.match(a, new RegExp(`Cluster ${nA} · 5 members`));
    // Every pair of the five is tied; a tie's confidence is its best shared neighbour's weaker link: the narrative's 80.
    assert.match(a, /density 1\.00 · confidence 80 · 10 ties · 2 drawn/);
    assert.match(a, /shared: .*net17-a\d\.example \(5\)/, 'the top shared items: the hosts all five use');
    assert.match(await item(nB).innerText(), new RegExp(`Cluster ${nB} · 4 members`));
  });

  it('the cluster list shows a cluster: its members are drawn, selected and fitted', async () => {
    await item(nA).locator('.cluster-show').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((ids) => ids.every((i) => window.cy.$id(i).nonempty() && window.cy.$id(i).selected()), A.personas, { timeout: 30_000 });
    await idle(page);
    const drawn = await page.evaluate((ids) => ids.map((i) => ({ id: i, cluster: window.cy.$id(i).data('cluster') as number, visible: window.cy.$id(i).visible() })), A.personas);
    assert.ok(drawn.every((d) => d.cluster === nA && d.visible), `the newly drawn members are coloured too: ${JSON.stringify(drawn)}`);
    await page.waitForFunction((n) => document.querySelector(`#cluster-list .cluster-item[data-number="${n}"] .cluster-stats`)?.textContent?.includes('5 drawn'), nA);
  });

  it('shows what ties two selected members: each shared neighbour with its links and citations, drawn', async () => {
    const [a, b] = A.personas;
    await page.evaluate(([x, y]) => { window.cy.elements().unselect(); window.cy.$id(x).select(); window.cy.$id(y).select(); }, [a, b]);
    assert.equal(await page.locator('#tie-a').innerText(), 'Net17 A persona 1');
    assert.equal(await page.locator('#tie-b').innerText(), 'Net17 A persona 2');
    await page.click('#find-ties');
    await idle(page);
    assert.match(await page.locator('#tie-summary').innerText(), /3 shared neighbours, tie confidence 80/);
    const shared = await page.locator('#tie-results .tie-item').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id).sort());
    assert.deepEqual(shared, [...A.hosts, A.narrative].sort());
    const host = page.locator(`#tie-results .tie-item[data-id="${A.hosts[0]}"]`);
    assert.equal(await host.locator('.tie-link').count(), 2, 'a link from each end');
    const citations = await host.locator('.citation').allInnerTexts();
    assert.equal(citations.length, 2);
    assert.ok(citations.every((c) => /P[12]/.test(c) && /posts links to host-net17-a1/.test(c)), `each link's citation, locator and quote: ${citations.join(' | ')}`);
    const lit = await page.evaluate((ids) => ids.map((i) => window.cy.$id(i).nonempty() && window.cy.$id(i).hasClass('path')), [...A.hosts, A.narrative]);
    assert.deepEqual(lit, [true, true, true], 'the shared neighbours are drawn and highlighted');
    assert.equal(await page.evaluate(() => window.cy.edges('.path').length), 6, 'with the six links through them');
    await page.keyboard.press('Escape');
  });

  it('collapses a cluster into one node with counted links, and expands it back', async () => {
    const before = await positions(page);
    const toHost = await page.evaluate(([h, ids]) => window.cy.$id(h).connectedEdges().filter((e) => ids.includes(e.source().id())).length, [A.hosts[0], A.personas] as const);
    assert.ok(toHost >= 2, `drawn links from members to the host: ${toHost}`);
    await item(nA).locator('.cluster-collapse').click();
    const key = await item(nA).getAttribute('data-key');
    const node = `cluster:${key}`;
    const collapsed = await page.evaluate(([id, h, ids]) => ({
      label: window.cy.$id(id).data('label') as string,
      hidden: ids.filter((i) => window.cy.$id(i).visible()).length,
      links: window.cy.$id(`cluster-edge:${id.slice(8)}:${h}`).data('links') as number,
      label2: window.cy.$id(`cluster-edge:${id.slice(8)}:${h}`).data('label') as string,
    }), [node, A.hosts[0], A.personas] as const);
    assert.equal(collapsed.label, `Cluster ${nA} · 5 members`);
    assert.equal(collapsed.hidden, 0, 'no member is drawn on its own');
    assert.equal(collapsed.links, toHost, 'the link to the host counts the members\' links to it');
    assert.equal(collapsed.label2, `${toHost} links`);
    assert.equal(await item(nA).locator('.cluster-collapse').innerText(), 'Expand');
    assert.ok(!(await page.evaluate(() => window.viewer.state().nodes.some((n) => n.id.startsWith('cluster:')))), 'the cluster node is not an entity of the share URL');

    await dblclickNode(page, node);
    await idle(page);
    assert.equal(await page.evaluate((id) => window.cy.$id(id).empty(), node), true, 'double-click expands it');
    const after = await positions(page);
    for (const p of A.personas) assert.deepEqual(after[p], before[p], `${p} is back where it was`);
    assert.equal(await page.evaluate((ids) => ids.filter((i) => window.cy.$id(i).visible()).length, A.personas), 5);
    await page.waitForFunction((n) => document.querySelector(`#cluster-list .cluster-item[data-number="${n}"] .cluster-collapse`)?.textContent === 'Collapse', nA);

    // Undo collapses it again, redo expands it.
    await page.locator('#cy').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await page.waitForFunction((id) => window.cy.$id(id).nonempty(), node, { timeout: 5_000 });
    await page.keyboard.press('Control+Shift+z');
    await page.waitForFunction((id) => window.cy.$id(id).empty(), node, { timeout: 5_000 });
  });

  it('a collapsed cluster and the colouring survive the share URL and a saved investigation; a GREEN reader gets it without the AMBER member', async () => {
    // Network C's item: its key is one of its members.
    const cItem = page.locator('#cluster-list .cluster-item[data-key^="persona-net17-c"]');
    const nC = Number(await cItem.getAttribute('data-number'));
    await cItem.locator('.cluster-show').click();
    await page.waitForFunction((ids) => ids.every((i) => window.cy.$id(i).nonempty()), C.personas, { timeout: 30_000 });
    await idle(page);
    await cItem.locator('.cluster-collapse').click();
    const node = `cluster:${await cItem.getAttribute('data-key')}`;
    /** The cluster node as drawn, and what is coloured by cluster. */
    const look = (p: Page, id: string) => p.evaluate(([n, a, c]) => ({
      label: window.cy.$id(n).data('label') as string | undefined,
      members: ((window.cy.$id(n).data('members') ?? []) as Array<{ id: string }>).map((m) => m.id).sort(),
      visibleMembers: c.filter((i) => window.cy.$id(i).visible()).length,
      clusterNodes: window.cy.nodes('[group = "cluster"]').length,
      aColoured: window.cy.$id(a).data('cluster') as number | undefined,
      undo: window.viewer.viewer.history.nextUndo,
    }), [id, A.personas[0], C.personas] as const);
    const collapsed = await look(page, node);
    assert.equal(collapsed.label, `Cluster ${nC} · 4 members`);
    assert.deepEqual(collapsed.members, [...C.personas].sort());

    const url = await page.evaluate(() => window.viewer.shareUrl());
    assert.match(url, /[?&]col=/);
    assert.match(url, /[?&]clu=LOUVAIN\.DEFAULT\.3(&|$)/);
    await page.goto(url);
    await waitReady(page);
    await page.locator('#cluster-list .cluster-item').first().waitFor();
    await idle(page);
    const reloaded = await look(page, node);
    assert.deepEqual({ ...reloaded, undo: undefined }, { ...collapsed, undo: undefined }, 'the same cluster node, members folded, colours back');
    assert.equal(reloaded.visibleMembers, 0);
    assert.equal(reloaded.aColoured, nA, 'colour by cluster is run again');
    assert.equal(reloaded.undo, undefined, 'the undo history starts clean');
    assert.equal(await cItem.locator('.cluster-collapse').innerText(), 'Expand');

    await page.click('#save');
    await page.fill('#investigation-name', 'Net17 C collapsed');
    await page.click('#save-confirm');
    await page.waitForFunction(() => !document.querySelector('dialog[open]') && !!window.viewer.viewer.investigation);
    const invId = await page.evaluate(() => window.viewer.viewer.investigation?.id ?? '');
    await page.goto(`${base}/?inv=${encodeURIComponent(invId)}`);
    await waitReady(page);
    await page.locator('#cluster-list .cluster-item').first().waitFor();
    await idle(page);
    const opened = await look(page, node);
    assert.deepEqual({ ...opened, undo: undefined }, { ...collapsed, undo: undefined }, 'opened: the same, collapsed');

    // A GREEN reader opens it: the AMBER member is neither drawn, folded, counted nor named anywhere.
    const reader = await createKey(ex, 'Net reader', 'READER', 'GREEN');
    const stored = await gql<{ investigation: { state: unknown } }>(app, 'query ($id: ID!) { investigation(id: $id) { state } }', { id: invId }, { authorization: `Bearer ${reader.key}` });
    assert.equal(stored.errors, undefined, JSON.stringify(stored.errors));
    assert.ok(!JSON.stringify(stored.data).includes(AMBER_PERSONA), 'the state the reader gets does not name the AMBER member');
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    await context.addInitScript((key) => sessionStorage.setItem('disinfo-graph.apiKey', key), reader.key);
    const p2 = await context.newPage();
    collectErrors(p2, errors);
    try {
      await p2.goto(`${base}/?inv=${encodeURIComponent(invId)}`);
      await waitReady(p2);
      await idle(p2);
      const seen = await p2.evaluate((amber) => {
        const cluster = window.cy.nodes('[group = "cluster"]');
        return {
          count: cluster.length,
          label: cluster.data('label') as string,
          members: ((cluster.data('members') ?? []) as Array<{ id: string }>).map((m) => m.id).sort(),
          named: JSON.stringify(window.cy.elements().jsons()).includes(amber) || JSON.stringify(window.viewer.state()).includes(amber) || location.href.includes(amber),
        };
      }, AMBER_PERSONA);
      assert.deepEqual(seen, { count: 1, label: `Cluster ${nC} · 3 members`, members: C.personas.slice(0, 3).sort(), named: false });
      // A cluster none of whose members come back is not drawn; the colouring, run again beside the
      // restore, leaves its message (what was not found) on the status line.
      await p2.goto(`${base}/?n=iran,${AMBER_PERSONA}&col=1~1&clu=LOUVAIN.DEFAULT.3`);
      await waitReady(p2);
      await p2.locator('#cluster-list .cluster-item').first().waitFor();
      await idle(p2);
      assert.equal(await p2.evaluate(() => window.cy.nodes('[group = "cluster"]').length), 0);
      assert.match(await p2.locator('#statusbar').innerText(), /not found, or above your clearance/);
    } finally {
      await context.close();
    }

    // Folded without its key member (not drawn): the cluster list still finds it collapsed, and Expand opens it.
    const keyA = await item(nA).getAttribute('data-key');
    const others = A.personas.filter((p) => p !== keyA);
    await page.goto(`${base}/?n=${others.join(',')}&col=${nA}~${others.map((_, i) => i.toString(36)).join('.')}&clu=LOUVAIN.DEFAULT.3`);
    await waitReady(page);
    await item(nA).waitFor();
    await idle(page);
    assert.equal(await page.evaluate(() => window.cy.nodes('[group = "cluster"]').length), 1);
    assert.equal(await item(nA).locator('.cluster-collapse').innerText(), 'Expand');
    await item(nA).locator('.cluster-collapse').click();
    await page.waitForFunction((ids) => window.cy.nodes('[group = "cluster"]').empty() && ids.every((i) => window.cy.$id(i).visible()), others, { timeout: 5_000 });
  });

  it('an analyst saves, annotates and promotes a cluster to a campaign', async () => {
    await item(nA).locator('.cluster-save').click();
    await item(nA).locator('form .cluster-name').fill('Net17 A network');
    await item(nA).locator('form .cluster-note').fill('five personas, same two hosts');
    await item(nA).locator('form button[type="submit"]').click();
    const saved = page.locator('#saved-clusters .saved-item', { hasText: 'Net17 A network' });
    await saved.waitFor();
    assert.match(await saved.innerText(), /5 members · TLP:CLEAR · Net analyst/);
    await saved.locator('.cluster-annotate').click();
    await saved.locator('form .cluster-note').fill('reviewed: shared hosting and one narrative');
    await saved.locator('form .cluster-note').press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('#saved-clusters .saved-item', { hasText: 'reviewed: shared hosting' }).waitFor();
    const s2 = page.locator('#saved-clusters .saved-item', { hasText: 'Net17 A network' });
    await s2.locator('.cluster-promote').click();
    assert.equal(await s2.locator('form .campaign-id').inputValue(), 'campaign-net17-a-network');
    await s2.locator('form button[type="submit"]').click();
    await page.locator('#saved-clusters .saved-item', { hasText: 'promoted to Net17 A network' }).waitFor();
    const r = await gql<{ entity: { kind: string; links: Array<{ type: string; to: { id: string }; citations: Array<{ source: { id: string } }> }> } }>(
      app, '{ entity(id: "campaign-net17-a-network") { kind links(first: 50) { type to { id } citations { source { id } } } } }', {}, auth);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const uses = r.data!.entity.links.filter((l) => l.type === 'USES');
    assert.deepEqual(uses.map((l) => l.to.id).sort(), [...A.personas].sort(), 'a link to each member');
    assert.ok(uses.every((l) => l.citations.some((c) => c.source.id === 'src-article')), 'each citing the tie evidence');
  });

  it('logged no console errors', () => {
    assert.deepEqual(errors, []);
  });
});
