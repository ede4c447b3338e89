// Search that finds (issue 21), on a generated graph of 30k+ entities with real-shaped names:
// exact name first among thousands of names containing it, kind filters inside the index query,
// apostrophes, facet counts within clearance, stable paging; and how long a search takes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../api/http/app.js';
import type { Executor } from '../../api/store/executor.js';
import { writeBatch } from '../../api/store/write-graph.js';
import { search, searchPage } from '../../api/store/read-graph.js';
import { searchKey } from '../../core/validate.js';
import { visibleTlps } from '../../model/filter-rules.js';
import type { EntityKind, Tlp } from '../../model/model.js';
import { createApp, gql, resetGraph, testExecutor } from '../helpers.js';
import { migrate } from '../../api/store/migrations.js';

const COUNTRIES = ['Russia', 'Ukraine', 'Belarus', 'Estonia', 'Latvia', 'Lithuania', 'Poland', 'Germany', 'France', 'Georgia',
  'Moldova', 'Armenia', 'China', 'Iran', 'Syria', 'Serbia', 'Hungary', 'Czechia', 'Slovakia', 'Finland'];
const FIRST = ['Robert', 'Anna', 'Sergei', 'Maria', 'Olga', 'Petr', 'John', 'Elena', 'Dmitri', 'Irina', 'Sean', 'Aoife'];
const LAST = ['Smith', 'Ivanov', "O'Neil", "D'Souza", 'Brien', 'Tolstoy', 'Kovalenko', 'Müller', 'Nowak', 'Petrov', 'Brennan', "O'Connor"];
const TOPICS = ['biolabs', 'Nazis', 'sanctions', 'NATO expansion', 'refugees', 'elections', 'gas prices', 'the West', 'Soros', 'vaccines'];
const OUTLET_WORDS = ['Today', 'Insider', 'News', 'Herald', 'Daily', 'Pravda', 'Front', 'Voice', 'Truth', 'Times'];

interface Gen { kind: EntityKind; name: string; aliases?: string[]; description?: string; tlp?: Tlp; id?: string }

/** The graph: named entities the tests look for, among ~30k look-alikes. */
function generate(): Gen[] {
  const out: Gen[] = [];
  // The ones the tests look for.
  out.push({ id: 'state-russia', kind: 'STATE_ACTOR', name: 'Russia', aliases: ['Russian Federation', 'RF'] });
  out.push({ id: 'tg-ukraine', kind: 'TARGET_GROUP', name: 'Ukraine' });
  out.push({ id: 'tg-east-ukraine', kind: 'TARGET_GROUP', name: 'Residents of eastern Ukraine' });
  out.push({ id: 'person-obrien', kind: 'PERSON', name: "Robert O'Brien", description: 'Former national security adviser.' });
  out.push({ id: 'org-tolstoy', kind: 'ORGANIZATION', name: "Petr Tolstoy's network of deputies" });
  out.push({ id: 'host-sputnik', kind: 'HOST', name: 'Sputnik News', aliases: ['sputniknews.com'] });
  out.push({ id: 'tg-curacao', kind: 'TARGET_GROUP', name: 'Curaçao' });
  // Hidden look-alikes: above GREEN.
  out.push({ id: 'persona-russia-amber', kind: 'PERSONA', name: 'Russia', tlp: 'AMBER' });
  out.push({ id: 'tg-ukraine-red', kind: 'TARGET_GROUP', name: 'Ukraine veterans (red)', tlp: 'RED' });
  for (let i = 0; i < 40; i++) out.push({ kind: 'PERSONA', name: `Russia insider ${i}`, tlp: i % 2 ? 'AMBER' : 'RED' });
  let n = 0;
  // Claims as narratives: thousands naming Russia and Ukraine.
  for (let i = 0; i < 12_000; i++) {
    const a = i % 3 === 0 ? 'Russia' : COUNTRIES[i % COUNTRIES.length];
    const b = i % 3 === 1 ? 'Ukraine' : COUNTRIES[(i * 7 + 3) % COUNTRIES.length];
    const t = TOPICS[i % TOPICS.length];
    out.push({
      kind: 'NARRATIVE', name: `Claim ${++n}: ${a} and ${b} on ${t}`,
      description: `Disinformation claim that ${a}'s government hides the truth about ${t} in ${b}.`,
    });
  }
  // Case sources, each titled after the outlet it quotes.
  for (let i = 0; i < 8_000; i++) {
    const outlet = i % 4 === 0 ? 'Sputnik' : `${COUNTRIES[i % COUNTRIES.length]} ${OUTLET_WORDS[i % OUTLET_WORDS.length]}`;
    out.push({ kind: 'SOURCE', name: `${outlet} article ${i}`, description: `Case ${i} as published by ${outlet}.` });
  }
  // Outlets (hosts) with country names: "Russia Today …", "Russian …".
  for (let i = 0; i < 3_000; i++) {
    const c = COUNTRIES[i % COUNTRIES.length];
    const name = i % 3 === 0 ? `${c} ${OUTLET_WORDS[i % 10]} ${i}` : i % 3 === 1 ? `${c}n ${OUTLET_WORDS[i % 10]} ${i}` : `The ${OUTLET_WORDS[i % 10]} of ${c} ${i}`;
    out.push({ kind: 'HOST', name, aliases: [`${searchKey(name).replace(/ /g, '')}.example`] });
  }
  // People, with apostrophes.
  for (let i = 0; i < 4_000; i++) {
    out.push({ kind: 'PERSON', name: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i}` });
  }
  // Target groups: "<country> citizens …", thousands of other Ukraine hits are above.
  for (let i = 0; i < 3_000; i++) {
    const c = COUNTRIES[i % COUNTRIES.length];
    out.push({ kind: 'TARGET_GROUP', name: `${c === 'Ukraine' ? 'Ukrainian' : c} speakers ${i}`, tlp: i % 7 === 0 ? 'AMBER' : undefined });
  }
  return out;
}

/** Whether a generated entity matches `text` as the index should: each word starts a word of its name, aliases or description. */
function matches(g: Gen, text: string): boolean {
  const words = new Set([g.name, ...(g.aliases ?? []), g.description ?? ''].flatMap((s) => searchKey(s).split(' ')));
  return searchKey(text).split(' ').every((w) => [...words].some((x) => x.startsWith(w)));
}

describe('search on a 30k-entity graph', () => {
  let ex: Executor;
  let app: App;
  const graph = generate();
  const timings: Record<string, number> = {};

  before(async () => {
    ex = testExecutor();
    await migrate(ex);
    await resetGraph(ex);
    const t0 = Date.now();
    // The store's batch writer, four batches of 2,500 at a time.
    const rows = graph.map((g, i) => ({ id: g.id ?? `gen-${i}`, ...g }));
    const batches: Array<typeof rows> = [];
    for (let i = 0; i < rows.length; i += 2500) batches.push(rows.slice(i, i + 2500));
    await Promise.all([0, 1, 2, 3].map(async (w) => {
      for (let b = w; b < batches.length; b += 4) await writeBatch(ex, batches[b], [], { actor: 'search-test', audit: 'batch' });
    }));
    await ex.read('CALL db.awaitIndexes(120)');
    console.log(`search test: ${graph.length} entities loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    app = createApp({ executor: ex });
  });
  after(async () => {
    console.log(`search latency on ${graph.length} entities (ms, median of 5): ${JSON.stringify(timings)}`);
    await ex?.close();
  });

  it('has at least 30k entities', () => {
    assert.ok(graph.length >= 30_000, String(graph.length));
  });

  it('puts the entity named Russia first among thousands of names containing it, then names starting with it', async () => {
    const expected = graph.filter((g) => (!g.tlp || g.tlp === 'CLEAR') && matches(g, 'Russia')).length;
    assert.ok(expected > 3000, `${expected} Russia hits`);
    const page = await searchPage(ex, 'Russia', { first: 20, clearance: 'CLEAR', facets: true });
    assert.equal(page.hits[0].entity.id, 'state-russia');
    assert.equal(page.hits[0].tier, 0);
    assert.equal(page.total, expected);
    const tiers = page.hits.map((h) => h.tier);
    assert.deepEqual(tiers, [...tiers].sort(), 'exact, then prefix, then the rest');
    assert.ok(page.hits.slice(1).every((h) => h.tier === 1 && searchKey(h.entity.name).startsWith('russia')), 'prefix matches next');
    for (const text of ['russia', 'RUSSIA', ' Russia ', 'Russian Federation']) {
      assert.equal((await search(ex, text, null, 3, 'CLEAR'))[0]?.entity.id, 'state-russia', text);
    }
  });

  it('applies the kind filter inside the query: TARGET_GROUP Ukraine among thousands of other Ukraine hits', async () => {
    const all = graph.filter((g) => (!g.tlp || g.tlp === 'CLEAR') && matches(g, 'Ukraine')).length;
    assert.ok(all > 3000, `${all} Ukraine hits`);
    const hits = await search(ex, 'Ukraine', ['TARGET_GROUP'], 20, 'CLEAR');
    assert.deepEqual(hits.map((h) => h.entity.id), ['tg-ukraine', 'tg-east-ukraine']);
    const hosts = await searchPage(ex, 'Ukraine', { kinds: ['HOST', 'PERSON'], first: 100, clearance: 'CLEAR' });
    assert.ok(hosts.hits.length > 0 && hosts.hits.every((h) => h.entity.kind === 'HOST'));
    assert.equal(hosts.total, graph.filter((g) => g.kind === 'HOST' && matches(g, 'Ukraine')).length);
  });

  it("finds names with apostrophes by their full name, and with accents without them", async () => {
    for (const text of ["Robert O'Brien", "robert o'brien", 'Robert O’Brien', "O'Brien", 'Robert O Brien']) {
      assert.equal((await search(ex, text, null, 5, 'CLEAR'))[0]?.entity.id, 'person-obrien', text);
    }
    assert.equal((await search(ex, "Petr Tolstoy's", null, 5, 'CLEAR'))[0]?.entity.id, 'org-tolstoy');
    assert.equal((await search(ex, "Petr Tolstoy's network of deputies", null, 5, 'CLEAR'))[0]?.tier, 0);
    assert.equal((await search(ex, 'Curacao', null, 5, 'CLEAR'))[0]?.entity.id, 'tg-curacao');
    assert.equal((await search(ex, 'Curaçao', null, 5, 'CLEAR'))[0]?.entity.id, 'tg-curacao');
    // Lucene syntax in the text is only words.
    for (const text of ['Russia AND (', 'name:Russia*', '"Ukraine', 'O\'Brien~2 ^3 \\', '[* TO *]', 'OR']) {
      await search(ex, text, null, 5, 'CLEAR');
    }
  });

  it('counts matches by kind, hiding entities above the caller\'s clearance', async () => {
    for (const clearance of ['CLEAR', 'GREEN', 'AMBER', 'RED'] as const) {
      const tlps = visibleTlps(clearance);
      const expected = new Map<string, number>();
      for (const g of graph) if (tlps.includes(g.tlp ?? 'CLEAR') && matches(g, 'Russia')) expected.set(g.kind, (expected.get(g.kind) ?? 0) + 1);
      const page = await searchPage(ex, 'Russia', { kinds: ['TARGET_GROUP'], first: 5, clearance, facets: true });
      assert.deepEqual(new Map(page.byKind.map((f) => [f.kind, f.count])), expected, clearance);
      assert.equal(page.total, expected.get('TARGET_GROUP') ?? 0, `${clearance}: total counts the kinds asked for`);
      assert.ok(page.byKind.every((f) => tlps.includes(f.best.entity.tlp) && f.best.entity.kind === f.kind));
      assert.equal(page.byKind[0].best.entity.id, clearance === 'CLEAR' || clearance === 'GREEN' ? 'state-russia' : page.byKind[0].best.entity.id);
      const personas = page.byKind.find((f) => f.kind === 'PERSONA');
      if (clearance === 'CLEAR' || clearance === 'GREEN') assert.equal(personas, undefined, 'hidden personas are not counted');
      else assert.equal(personas?.count, clearance === 'AMBER' ? 21 : 41);
    }
    // The same through GraphQL, anonymous (CLEAR): the viewer's question.
    const r = await gql<{ searchResults: { total: number; hasMore: boolean; hits: Array<{ match: string; entity: { id: string } }>; byKind: Array<{ kind: string; count: number; best: { entity: { id: string; name: string } } }> } }>(app,
      '{ searchResults(text: "Sputnik", first: 12) { total hasMore hits { match entity { id } } byKind { kind count best { entity { id name } } } } }');
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const sr = r.data!.searchResults;
    assert.equal(sr.hits.length, 12);
    assert.ok(sr.hasMore);
    assert.equal(sr.byKind.find((f) => f.kind === 'HOST')?.best.entity.id, 'host-sputnik', 'the outlet is offered among thousands of its articles');
    assert.equal(sr.byKind.find((f) => f.kind === 'SOURCE')?.count, graph.filter((g) => g.kind === 'SOURCE' && matches(g, 'Sputnik')).length);
    const old = await gql<{ search: Array<{ score: number; entity: { id: string } }> }>(app, '{ search(text: "Ukraine", kinds: [TARGET_GROUP], first: 5) { score entity { id } } }');
    assert.deepEqual(old.data?.search.map((h) => h.entity.id), ['tg-ukraine', 'tg-east-ukraine'], 'search keeps its signature');
  });

  it('pages stably: pages join into the ranked list without gaps or repeats', async () => {
    const text = 'Ukraine';
    const whole = await searchPage(ex, text, { first: 100, clearance: 'GREEN' });
    const pages: string[] = [];
    for (let offset = 0; offset < 100; offset += 25) {
      const p = await searchPage(ex, text, { first: 25, offset, clearance: 'GREEN' });
      assert.equal(p.total, whole.total);
      pages.push(...p.hits.map((h) => h.entity.id));
    }
    assert.deepEqual(pages, whole.hits.map((h) => h.entity.id));
    assert.equal(new Set(pages).size, pages.length);
    const last = await searchPage(ex, text, { first: 100, offset: whole.total - 10, clearance: 'GREEN' });
    assert.equal(last.hits.length, 10);
    const again = await searchPage(ex, text, { first: 100, clearance: 'GREEN' });
    assert.deepEqual(again.hits.map((h) => h.entity.id), whole.hits.map((h) => h.entity.id), 'the same question, the same order');
  });

  it('answers quickly on 30k entities', async () => {
    const cases: Array<[string, string, EntityKind[] | null, boolean]> = [
      ['Russia', 'Russia', null, false], ['Russia+facets', 'Russia', null, true], ['Ukraine/TARGET_GROUP', 'Ukraine', ['TARGET_GROUP'], false],
      ["O'Brien", "Robert O'Brien", null, true], ['Sputnik+facets', 'Sputnik', null, true], ['cl (broad prefix)', 'cl', null, true],
    ];
    for (const [label, text, kinds, facets] of cases) {
      const ms: number[] = [];
      for (let i = 0; i < 6; i++) {
        const t0 = performance.now();
        await searchPage(ex, text, { kinds, first: 12, clearance: 'RED', facets });
        if (i) ms.push(performance.now() - t0);
      }
      ms.sort((a, b) => a - b);
      timings[label] = Math.round(ms[2]);
    }
    for (const [label, ms] of Object.entries(timings)) assert.ok(ms < 3000, `${label}: ${ms} ms`);
  });
});
