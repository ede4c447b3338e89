import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Executor } from '../../api/store/executor.js';
import { countAll } from '../../api/store/write-graph.js';
import { SEED_FILE, loadGraphFile } from '../../seed/loader.js';
import { createApp, gql, seededExecutor } from '../helpers.js';

interface LinkJson { type: string; assertion: string; from: { id: string; kind: string }; to: { id: string; kind: string }; citations: Array<{ locator: string | null; source: { id: string } }> }

function writeTemp(obj: unknown): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'seed-')), 'graph.json');
  fs.writeFileSync(file, JSON.stringify(obj));
  return file;
}

describe('model and seed graph', () => {
  let ex: Executor;
  before(async () => { ex = await seededExecutor(); });
  after(() => ex.close());

  it('the loader is idempotent: a second run leaves the same counts', async () => {
    const before = await countAll(ex);
    const r = await loadGraphFile(ex, SEED_FILE);
    assert.equal(r.entitiesCreated + r.linksCreated, 0);
    assert.deepEqual(await countAll(ex), before);
    assert.ok(before.nodes >= 30 && before.links >= 45, `seed has ${before.nodes} entities, ${before.links} links`);
  });

  it('search "Estonia" finds the Estonian website HOST', async () => {
    const app = createApp({ executor: ex });
    const r = await gql<{ search: Array<{ entity: { id: string; kind: string } }> }>(app, '{ search(text: "Estonia") { score entity { id kind } } }');
    const hit = r.data?.search.find((h) => h.entity.kind === 'HOST');
    assert.equal(hit?.entity.id, 'host-estonian-textbook-site');
  });

  it('full-text search ranks an exact name first, in English and in Arabic', async () => {
    const app = createApp({ executor: ex });
    for (const [text, id] of [['Proud Boys', 'org-proud-boys'], ['Iran', 'iran'], ['إيران', 'iran'], ['FBI', 'org-fbi']]) {
      const r = await gql<{ search: Array<{ entity: { id: string } }> }>(app, 'query($t: String!) { search(text: $t) { entity { id } } }', { t: text });
      assert.ok((r.data?.search.length ?? 0) > 0, `hits for ${text}`);
      assert.equal(r.data?.search[0].entity.id, id, `exact name ${text} ranks first`);
    }
  });

  it('neighborhood(Iran, depth 3) reaches campaign, persona, host and target group; every link cites its paragraph', async () => {
    const app = createApp({ executor: ex });
    const r = await gql<{ neighborhood: { nodes: Array<{ kind: string }>; edges: LinkJson[]; truncated: boolean } }>(app,
      `{ neighborhood(ids: ["iran"], depth: 3) { truncated nodes { id kind }
          edges { type assertion from { id kind } to { id kind } citations { locator source { id } } } } }`);
    assert.equal(r.errors, undefined);
    const kinds = new Set(r.data!.neighborhood.nodes.map((n) => n.kind));
    for (const k of ['CAMPAIGN', 'PERSONA', 'HOST', 'TARGET_GROUP']) assert.ok(kinds.has(k), `reaches a ${k}`);
    assert.ok(r.data!.neighborhood.edges.length > 20);
    for (const e of r.data!.neighborhood.edges) {
      assert.ok(e.citations.length >= 1, `${e.type} has a citation`);
      assert.ok(e.citations.some((c) => /^P([1-9]|1[0-2])$/.test(c.locator ?? '')), `${e.from.id} ${e.type} ${e.to.id} cites a paragraph`);
    }
  });

  it('negative findings (P5, P6) are stored as NEGATED links, not dropped', async () => {
    const app = createApp({ executor: ex });
    const r = await gql<{ entity: { links: LinkJson[] } }>(app,
      '{ entity(id: "iran") { links { type assertion to { id kind } citations { locator source { id } } } } }');
    const negated = r.data!.entity.links.filter((l) => l.assertion === 'NEGATED');
    const paragraphs = new Set(negated.flatMap((l) => l.citations.map((c) => c.locator)));
    assert.ok(negated.some((l) => l.type === 'TAMPERED_WITH' && l.to.id === 'data-us-voter-registration'), 'P5: registrations not altered');
    assert.ok(negated.some((l) => l.type === 'COMPROMISED' && l.to.kind === 'HOST'), 'P6: systems not claimed hacked');
    assert.ok(paragraphs.has('P5') && paragraphs.has('P6'));
  });

  it('a file with bad records is rejected whole, naming each bad record and why', async () => {
    const beforeCounts = await countAll(ex);
    const cite = [{ source: 'src-article', locator: 'P1' }];
    const file = writeTemp({
      entities: [
        { id: 'ok-new-entity', kind: 'NARRATIVE', name: 'A valid new narrative' },
        { id: 'bad-kind', kind: 'SPACESHIP', name: 'Unknown kind' },
      ],
      links: [
        { type: 'TARGETS', from: 'campaign-iran-spoofed-emails-2020', to: 'tg-us-voters', confidence: 60, citations: cite, id: 'fine-link' },
        { type: 'IMPERSONATES', from: 'iran', to: 'tg-us-voters', confidence: 50, citations: cite },
        { type: 'USES', from: 'campaign-iran-spoofed-emails-2020', to: 'tech-proxy', confidence: 140, citations: cite },
        { type: 'USES', from: 'campaign-iran-spoofed-emails-2020', to: 'tech-email-spoofing', confidence: 70, citations: [] },
      ],
    });
    await assert.rejects(loadGraphFile(ex, file), (e: Error) => {
      assert.match(e.message, /entities\[1\] \(bad-kind\) kind: unknown entity kind "SPACESHIP"/);
      assert.match(e.message, /links\[1\].*STATE_ACTOR -\[IMPERSONATES\]-> TARGET_GROUP is not allowed/);
      assert.match(e.message, /links\[2\].*confidence: 140 must be an integer from 0 to 100/);
      assert.match(e.message, /links\[3\].*citations: at least one citation is required/);
      assert.match(e.message, /nothing was written/);
      return true;
    });
    assert.deepEqual(await countAll(ex), beforeCounts, 'nothing was written, not even the valid records');
    const rows = await ex.read('MATCH (n:Entity {id: "ok-new-entity"}) RETURN n');
    assert.equal(rows.length, 0);
  });

  it('constraints reject a duplicate id even from raw Cypher', async () => {
    await assert.rejects(
      ex.write((tx) => tx.run('CREATE (:Entity:StateActor {id: "iran", kind: "STATE_ACTOR", name: "Iran again"})')),
      (e: Error & { extensions?: { code?: string } }) => e.extensions?.code === 'CONFLICT',
    );
  });
});
