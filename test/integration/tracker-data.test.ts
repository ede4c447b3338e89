// What an attribution tracker's data needs (issue 21, "Model" and "Imports"), through GraphQL:
// a campaign attributed to a person or an organization, layered (not a conflict) when the person
// is affiliated with the state it is also attributed to; the kind of attribution on the link,
// filterable; ownership (OWNS); typed numeric facts on entities and links that filters and
// metricRanking read; lookup(kind, name) by derived id or normalised name, within clearance.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../api/http/app.js';
import type { Executor } from '../../api/store/executor.js';
import { createKey } from '../../api/store/keys.js';
import { createApp, gql, seededExecutor } from '../helpers.js';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const UPSERT_E = 'mutation($input: [EntityInput!]!) { upsertEntities(input: $input) { created updated ids } }';
const UPSERT_L = 'mutation($input: [LinkInput!]!) { upsertLinks(input: $input) { created updated ids } }';
const cite = (source: string) => [{ source, locator: 'row 1' }];

describe('tracker data: attribution to persons and organizations, ownership, metrics, lookup', () => {
  let ex: Executor;
  let app: App;
  let analyst: Record<string, string>;
  const write = async (query: string, input: unknown[]) => {
    const r = await gql<Record<string, { ids: string[] }>>(app, query, { input }, analyst);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return Object.values(r.data!)[0].ids;
  };

  before(async () => {
    ex = await seededExecutor();
    app = createApp({ executor: ex });
    analyst = bearer((await createKey(ex, 'tracker analyst', 'ANALYST', 'AMBER')).key);
    await write(UPSERT_E, [
      { id: 'tr-src-a', kind: 'SOURCE', name: 'Tracker case 12', title: 'Tracker case 12' },
      { id: 'tr-src-b', kind: 'SOURCE', name: 'Platform report', title: 'Platform report' },
      { id: 'tr-state', kind: 'STATE_ACTOR', name: 'Tr State' },
      { id: 'tr-other-state', kind: 'STATE_ACTOR', name: 'Tr Other State' },
      { id: 'tr-person', kind: 'PERSON', name: 'Tr O\'Person', role: 'businessman' },
      { id: 'tr-loner', kind: 'PERSON', name: 'Tr Loner' },
      { id: 'tr-media', kind: 'ORGANIZATION', name: 'Tr Media Holding', metrics: [{ name: 'staff', value: 120 }] },
      { id: 'tr-op', kind: 'CAMPAIGN', name: 'Tr Operation' },
      { id: 'tr-op2', kind: 'CAMPAIGN', name: 'Tr Operation 2' },
      { id: 'tr-outlet', kind: 'HOST', name: 'tr-outlet.example', metrics: [{ name: 'engagement', value: 5000, unit: 'shares', asOf: '2024-03-01' }] },
      { id: 'tr-outlet2', kind: 'HOST', name: 'tr-outlet2.example', metrics: [{ name: 'engagement', value: 800 }] },
      { id: 'tr-secret', kind: 'PERSON', name: 'Tr Secret', tlp: 'GREEN' },
    ]);
    await write(UPSERT_L, [
      { type: 'ATTRIBUTED_TO', from: 'tr-op', to: 'tr-person', confidence: 70, attributionKind: 'PROXY', citations: cite('tr-src-a'),
        metrics: [{ name: 'accountsRemoved', value: 42, unit: 'accounts' }] },
      { type: 'ATTRIBUTED_TO', from: 'tr-op', to: 'tr-state', confidence: 60, attributionKind: 'DIRECT', citations: cite('tr-src-b') },
      { type: 'ATTRIBUTED_TO', from: 'tr-op', to: 'tr-media', confidence: 50, attributionKind: 'LINKED', citations: cite('tr-src-b') },
      { type: 'AFFILIATED_WITH', from: 'tr-person', to: 'tr-state', confidence: 80, citations: cite('tr-src-a') },
      { type: 'OWNS', from: 'tr-person', to: 'tr-media', confidence: 80, citations: cite('tr-src-a') },
      { type: 'OWNS', from: 'tr-media', to: 'tr-outlet', confidence: 90, citations: cite('tr-src-a') },
      { type: 'USES', from: 'tr-op', to: 'tr-outlet', confidence: 90, citations: cite('tr-src-a') },
      { type: 'USES', from: 'tr-op', to: 'tr-outlet2', confidence: 90, citations: cite('tr-src-a') },
      // A person nobody ties to the state, named by another source than the state: a conflict.
      { type: 'ATTRIBUTED_TO', from: 'tr-op2', to: 'tr-loner', confidence: 60, citations: cite('tr-src-a') },
      { type: 'ATTRIBUTED_TO', from: 'tr-op2', to: 'tr-other-state', confidence: 60, citations: cite('tr-src-b') },
    ]);
  });
  after(() => ex?.close());

  it('a campaign is attributed to a person, an organization and a state; affiliation and ownership make it layered, not a conflict', async () => {
    const r = await gql<{ entity: { links: Array<{ type: string; attributionKind: string | null; to: { id: string; kind: string } }> }; claims: { edges: Array<{ node: { link: { from: { id: string }; to: { id: string } }; conflictsWith: Array<{ to: { id: string } }> } }> } }>(app, `{
      entity(id: "tr-op") { links(types: [ATTRIBUTED_TO], direction: OUT) { type attributionKind to { id kind } } }
      claims(filter: { conflicting: true, types: [ATTRIBUTED_TO] }, first: 500) { edges { node { link { from { id } to { id } } conflictsWith { to { id } } } } }
    }`, {}, analyst);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const attributions = r.data!.entity.links.map((l) => `${l.to.kind}:${l.to.id}:${l.attributionKind}`).sort();
    assert.deepEqual(attributions, ['ORGANIZATION:tr-media:LINKED', 'PERSON:tr-person:PROXY', 'STATE_ACTOR:tr-state:DIRECT']);
    const conflicting = r.data!.claims.edges.map((e) => e.node).filter((c) => c.link.from.id.startsWith('tr-'));
    assert.deepEqual(conflicting.filter((c) => c.link.from.id === 'tr-op'), [], 'person → state by AFFILIATED_WITH, person → media by OWNS: layered');
    assert.deepEqual(conflicting.map((c) => `${c.link.to.id}~${c.conflictsWith.map((o) => o.to.id).join(',')}`).sort(),
      ['tr-loner~tr-other-state', 'tr-other-state~tr-loner'], 'an unaffiliated person and another state named by different sources conflict');
  });

  it('attributionKind: only on ATTRIBUTED_TO, one of the enum; filterable; null clears it', async () => {
    const bad = await gql(app, UPSERT_L, { input: [{ type: 'USES', from: 'tr-op', to: 'tr-outlet', confidence: 50, attributionKind: 'DIRECT', citations: cite('tr-src-a') }] }, analyst);
    assert.equal(bad.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.match(JSON.stringify(bad.errors?.[0].extensions), /attributionKind/);
    const proxies = await gql<{ neighborhood: { edges: Array<{ type: string; to: { id: string } }> } }>(app,
      '{ neighborhood(ids: ["tr-op"], filter: { attributionKinds: [PROXY] }) { edges { type to { id } } } }', {}, analyst);
    const edges = proxies.data!.neighborhood.edges;
    assert.deepEqual(edges.filter((e) => e.type === 'ATTRIBUTED_TO').map((e) => e.to.id), ['tr-person']);
    assert.ok(edges.some((e) => e.type === 'USES'), 'other link types are unaffected');
    await write(UPSERT_L, [{ type: 'ATTRIBUTED_TO', from: 'tr-op', to: 'tr-media', confidence: 50, attributionKind: null, citations: cite('tr-src-b') }]);
    const cleared = await gql<{ entity: { links: Array<{ attributionKind: string | null }> } }>(app, '{ entity(id: "tr-op") { links(types: [ATTRIBUTED_TO]) { attributionKind to { id } } } }', {}, analyst);
    assert.equal(cleared.data!.entity.links.filter((l) => l.attributionKind === null).length, 1);
  });

  it('metrics: stored typed, patched by name, filtered on entities and links, ranked and summed', async () => {
    const m = await gql<{ entity: { metrics: unknown[] } }>(app, '{ entity(id: "tr-outlet") { metrics { name value unit asOf } } }', {}, analyst);
    assert.deepEqual(m.data!.entity.metrics, [{ name: 'engagement', value: 5000, unit: 'shares', asOf: '2024-03-01T00:00:00.000Z' }]);
    // Another metric added by a later write; the first stays.
    await write(UPSERT_E, [{ id: 'tr-outlet', kind: 'HOST', name: 'tr-outlet.example', metrics: [{ name: 'followers', value: 12 }] }]);
    const both = await gql<{ entity: { metrics: Array<{ name: string }> } }>(app, '{ entity(id: "tr-outlet") { metrics { name } } }', {}, analyst);
    assert.deepEqual(both.data!.entity.metrics.map((x) => x.name), ['engagement', 'followers']);
    await write(UPSERT_E, [{ id: 'tr-outlet', kind: 'HOST', name: 'tr-outlet.example', metrics: [{ name: 'followers', value: null }] }]);

    const filtered = await gql<{ neighborhood: { nodes: Array<{ id: string }>; edges: Array<{ to: { id: string }; metrics: Array<{ name: string; value: number }> }> } }>(app,
      '{ neighborhood(ids: ["tr-op"], filter: { metric: { name: "engagement", min: 1000 } }) { nodes { id } } }', {}, analyst);
    assert.deepEqual(filtered.data!.neighborhood.nodes.map((n) => n.id).sort(), ['tr-op', 'tr-outlet'], 'the seed, and the one host with engagement ≥ 1000');
    const byLink = await gql<{ neighborhood: { edges: Array<{ to: { id: string }; metrics: Array<{ name: string; value: number; unit: string }> }> } }>(app,
      '{ neighborhood(ids: ["tr-op"], filter: { linkMetric: { name: "accountsRemoved", min: 10, max: 50 } }) { edges { to { id } metrics { name value unit } } } }', {}, analyst);
    assert.deepEqual(byLink.data!.neighborhood.edges, [{ to: { id: 'tr-person' }, metrics: [{ name: 'accountsRemoved', value: 42, unit: 'accounts' }] }]);

    const rank = await gql<{ metricRanking: { items: Array<{ entity: { id: string }; value: number; unit: string | null }>; total: number; sum: number; truncated: boolean } }>(app,
      '{ metricRanking(name: "engagement", kinds: [HOST], first: 1) { items { entity { id } value unit } total sum truncated } }', {}, analyst);
    assert.deepEqual(rank.data!.metricRanking, { items: [{ entity: { id: 'tr-outlet' }, value: 5000, unit: 'shares' }], total: 2, sum: 5800, truncated: true });
    const badName = await gql(app, '{ neighborhood(ids: ["tr-op"], filter: { metric: { name: "no such!" } }) { nodes { id } } }', {}, analyst);
    assert.equal(badName.errors?.[0].extensions?.field, 'filter.metric.name');
    const badValue = await gql(app, UPSERT_E, { input: [{ id: 'tr-outlet2', kind: 'HOST', name: 'x', metrics: [{ name: '9lives', value: 1 }] }] }, analyst);
    assert.equal(badValue.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
  });

  it('lookup(kind, name) finds an entity by its derived id or its normalised name, and hides what the caller may not see', async () => {
    await write(UPSERT_E, [{ kind: 'ORGANIZATION', name: 'Tr Derived Org' }]);
    const q = '{ a: lookup(kind: ORGANIZATION, name: "  tr derived org ") { id name } b: lookup(kind: PERSON, name: "TR O PERSON") { id } '
      + 'c: lookup(kind: STATE_ACTOR, name: "Tr O\'Person") { id } d: lookup(kind: PERSON, name: "Tr Secret") { id } }';
    const anon = await gql<Record<string, { id: string; name?: string } | null>>(app, q);
    assert.equal(anon.errors, undefined, JSON.stringify(anon.errors));
    assert.match(anon.data!.a!.id, /^organization--[0-9a-f-]{36}$/);
    assert.equal(anon.data!.a!.name, 'Tr Derived Org');
    assert.equal(anon.data!.b!.id, 'tr-person', 'by normalised name: case and punctuation ignored');
    assert.equal(anon.data!.c, null, 'another kind is not a match');
    assert.equal(anon.data!.d, null, 'a GREEN person is hidden from an anonymous caller');
    const cleared = await gql<Record<string, { id: string } | null>>(app, q, {}, analyst);
    assert.equal(cleared.data!.d!.id, 'tr-secret');
  });
});
