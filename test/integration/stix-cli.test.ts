import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { projectRoot } from '../../db/launcher.js';
import type { Executor } from '../../api/store/executor.js';
import { seededExecutor } from '../helpers.js';
import { emptyGraph, schemaProblems, skipWithoutSchemas, snapshot } from '../stix-helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stix-cli-'));
const run = (script: string, args: string[], input?: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: projectRoot, env: process.env, encoding: 'utf8', input, timeout: 120_000 });
const importCli = (args: string[], input?: string) => run('cli/import.ts', args, input);

describe('npm run import / npm run export', () => {
  let ex: Executor;
  let seed: Awaited<ReturnType<typeof snapshot>>;
  const count = async (cypher: string) => (await ex.read<{ n: number }>(cypher))[0].n;
  before(async () => {
    ex = await seededExecutor();
    seed = await snapshot(ex);
  });
  after(async () => {
    await ex.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('exports a bundle file and imports it back into an empty database: the same graph', async () => {
    const file = path.join(tmp, 'seed.json');
    const out = run('cli/export.ts', ['--out', file]);
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stderr, /export: 93 objects \(55 relationship/);
    if (!skipWithoutSchemas) assert.deepEqual(schemaProblems(JSON.parse(fs.readFileSync(file, 'utf8'))), []);
    await emptyGraph(ex);
    const r = importCli([file, '--batch-size', '20']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /93 STIX objects as 92 records in 5 batches: 92 created, 0 updated, 0 unchanged, 0 skipped, 0 kept raw/);
    assert.deepEqual(await snapshot(ex), seed);
    assert.ok(!fs.existsSync(`${file}.checkpoint`), 'the checkpoint goes once the import is complete');
    const again = importCli(['-'], fs.readFileSync(file, 'utf8'));
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /import -: .* 0 created, 0 updated, 92 unchanged/, 'stdin, and idempotent');
  });

  it('resumes a bundle import from its checkpoint: the records counted done are skipped', async () => {
    await emptyGraph(ex);
    const file = path.join(tmp, 'orgs.json');
    const orgs = Array.from({ length: 10 }, (_, i) => ({
      type: 'identity', spec_version: '2.1', id: `identity--0000000${i}-1111-4111-8111-111111111111`, created: '2024-01-01T00:00:00.000Z',
      modified: '2024-01-01T00:00:00.000Z', name: `Org ${i}`, identity_class: 'organization',
    }));
    fs.writeFileSync(file, JSON.stringify({ type: 'bundle', id: 'bundle--8b8ed1c1-f01d-4393-ac65-97017ed15876', objects: orgs }));
    fs.writeFileSync(`${file}.checkpoint`, JSON.stringify({ label: 'stix', done: 4 }));
    const r = importCli([file, '--batch-size', '3']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /resuming from/);
    assert.match(r.stdout, /6 created, .* 4 done before \(checkpoint\)/);
    const names = (await ex.read<{ name: string }>('MATCH (n:Organization) RETURN n.name AS name ORDER BY name')).map((x) => x.name);
    assert.deepEqual(names, ['Org 4', 'Org 5', 'Org 6', 'Org 7', 'Org 8', 'Org 9']);
  });

  it('imports JSON lines of our own format, resuming from a checkpoint too', async () => {
    await emptyGraph(ex);
    const file = path.join(tmp, 'graph.jsonl');
    const lines = [
      { record: 'entity', id: 'src-x', kind: 'SOURCE', name: 'Source X' },
      { record: 'entity', id: 'actor-x', kind: 'STATE_ACTOR', name: 'Actor X' },
      { record: 'entity', id: 'campaign-x', kind: 'CAMPAIGN', name: 'Campaign X' },
      { record: 'link', type: 'ATTRIBUTED_TO', from: 'campaign-x', to: 'actor-x', confidence: 60, citations: [{ source: 'src-x', locator: 'p. 2' }] },
    ];
    fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
    const r = importCli([file]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /4 records \(3 entities, 1 links\)/);
    assert.equal(await count('MATCH (:Campaign {id: "campaign-x"})-[r:ATTRIBUTED_TO {confidence: 60}]->(:StateActor) RETURN count(r) AS n'), 1);
    // A crash after the first record: the rest is gone, and the first was changed since.
    await ex.write((tx) => ex.run(tx, 'MATCH (n:Entity) WHERE n.id IN ["actor-x", "campaign-x"] DETACH DELETE n'));
    await ex.write((tx) => ex.run(tx, 'MATCH (n:Entity {id: "src-x"}) SET n.name = "Edited since"'));
    fs.writeFileSync(`${file}.checkpoint`, JSON.stringify({ label: 'jsonl', done: 1 }));
    const resumed = importCli([file]);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(resumed.stdout, /3 records .* 1 skipped by checkpoint/);
    assert.equal((await ex.read<{ name: string }>('MATCH (n:Entity {id: "src-x"}) RETURN n.name AS name'))[0].name, 'Edited since', 'record 1 was not written again');
    assert.equal(await count('MATCH (:Campaign {id: "campaign-x"})-[r:ATTRIBUTED_TO]->(:StateActor {id: "actor-x"}) RETURN count(r) AS n'), 1);
  });

  it('refuses a malformed bundle file whole, naming the object', async () => {
    await emptyGraph(ex);
    const file = path.join(tmp, 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ type: 'bundle', id: 'bundle--8b8ed1c1-f01d-4393-ac65-97017ed15876', objects: [
      { type: 'campaign', spec_version: '2.1', id: 'campaign--8b8ed1c1-f01d-4393-ac65-97017ed15876', created: '2024-01-01T00:00:00Z', modified: '2024-01-01T00:00:00Z', name: 'Fine' },
      { type: 'relationship', id: 'relationship--8b8ed1c1-f01d-4393-ac65-97017ed15876', relationship_type: 'uses', target_ref: 'campaign--8b8ed1c1-f01d-4393-ac65-97017ed15876' },
    ] }));
    const r = importCli([file]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /malformed STIX bundle, nothing was written.*objects\[1\] \(relationship--8b8ed1c1-f01d-4393-ac65-97017ed15876\): source_ref: required/);
    assert.equal(await count('MATCH (n:Entity) RETURN count(n) AS n'), 0);
  });
});
