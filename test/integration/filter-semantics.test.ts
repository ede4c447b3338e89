// The shared table of filter cases (test/filter-cases.ts) against the API over Neo4j: each case's
// link is written with its own two ends, then the near end's neighborhood is asked for through
// GraphQL (scalar, resolver, store, Cypher) with the case's filter, as a caller of the case's
// clearance. test/unit/filter-rules.test.ts runs the same table against model/filter-rules.ts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../api/http/app.js';
import type { Executor } from '../../api/store/executor.js';
import { createKey } from '../../api/store/keys.js';
import { migrate } from '../../api/store/migrations.js';
import { writeBatch } from '../../api/store/write-graph.js';
import type { Tlp } from '../../model/model.js';
import { FILTER_CASES, farOf, linkOf } from '../filter-cases.js';
import { createApp, gql, resetGraph, testExecutor } from '../helpers.js';

const Q = `query($id: ID!, $f: GraphFilter) { neighborhood(ids: [$id], depth: 1, filter: $f) { nodes { id } edges { id } } }`;

describe('filter semantics: the shared table of cases, through the API', () => {
  let ex: Executor;
  let app: App;
  const auth = new Map<Tlp, Record<string, string>>([['CLEAR', {}]]);

  before(async () => {
    ex = testExecutor();
    await migrate(ex);
    await resetGraph(ex);
    app = createApp({ executor: ex });
    for (const tlp of ['GREEN', 'AMBER', 'RED'] as const) {
      auth.set(tlp, { authorization: `Bearer ${(await createKey(ex, `filter ${tlp}`, 'READER', tlp)).key}` });
    }
    const entities = [{ id: 'fc-src', kind: 'SOURCE', name: 'Filter cases' }, ...FILTER_CASES.flatMap((c, i) => [
      { id: `fc${i}-near`, kind: 'CAMPAIGN', name: `Case ${i}` },
      { id: `fc${i}-far`, kind: farOf(c).kind, name: `Case ${i} far end`, tlp: farOf(c).tlp },
    ])];
    const links = FILTER_CASES.map((c, i) => {
      const l = linkOf(c);
      return { id: `fc${i}-link`, type: l.type, from: `fc${i}-near`, to: `fc${i}-far`, confidence: l.confidence, tlp: l.tlp, assertion: l.assertion,
        firstSeen: l.firstSeen, lastSeen: l.lastSeen, citations: [{ source: 'fc-src', locator: `case ${i}` }] };
    });
    await writeBatch(ex, entities, links);
  });
  after(() => ex.close());

  it('stores each case as written (canonical dates), so the table is what Neo4j holds', async () => {
    const rows = await ex.read<{ id: string; firstSeen: string | null; lastSeen: string | null }>(
      'MATCH ()-[r]->() WHERE r.id STARTS WITH "fc" RETURN r.id AS id, r.firstSeen AS firstSeen, r.lastSeen AS lastSeen');
    assert.equal(rows.length, FILTER_CASES.length);
    for (const r of rows) {
      const l = linkOf(FILTER_CASES[Number(/^fc(\d+)-/.exec(r.id)![1])]);
      assert.deepEqual([r.firstSeen ?? null, r.lastSeen ?? null], [l.firstSeen, l.lastSeen], r.id);
    }
  });

  FILTER_CASES.forEach((c, i) => {
    it(`${c.passes ? 'shown' : 'hidden'}: ${c.name}`, async () => {
      const r = await gql<{ neighborhood: { nodes: Array<{ id: string }>; edges: Array<{ id: string }> } }>(
        app, Q, { id: `fc${i}-near`, f: c.filter }, auth.get(c.clearance ?? 'RED'));
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      const { nodes, edges } = r.data!.neighborhood;
      assert.equal(edges.some((e) => e.id === `fc${i}-link`), c.passes, 'the link');
      assert.equal(nodes.some((n) => n.id === `fc${i}-far`), c.passes, 'its far end');
    });
  });
});
