// Resolution on import (issue 16): `npm run import -- … --resolve` merges entities that share an
// exact external id or a normalised observable into the one that was there first, and leaves
// name-only look-alikes as candidates. Only the imported records are compared against the graph
// (indexed key lookups): duplicates already in the graph are left to mergeCandidates. Real Neo4j,
// the CLI on a small JSON-lines file and a STIX bundle.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Executor } from '../../api/store/executor.js';
import { mergeCandidates } from '../../api/store/resolution-candidates.js';
import { writeBatch } from '../../api/store/write-graph.js';
import { projectRoot } from '../../db/launcher.js';
import { seededExecutor } from '../helpers.js';

describe('resolution on import', () => {
  let ex: Executor;
  before(async () => {
    ex = await seededExecutor();
    await writeBatch(ex, [
      { id: 'ri-group', kind: 'THREAT_GROUP', name: 'Copper Owl', externalIds: ['X9101'] },
      { id: 'ri-host', kind: 'HOST', name: 'owl-news[.]example', value: 'owl-news[.]example' },
      { id: 'ri-persona', kind: 'PERSONA', name: 'Owl Daily' },
      // Duplicates already in the graph, not in any import: --resolve must not look at them.
      { id: 'ri-old-1', kind: 'THREAT_GROUP', name: 'Slate Heron', externalIds: ['X7777'] },
      { id: 'ri-old-2', kind: 'THREAT_GROUP', name: 'Heron of Slate', externalIds: ['X7777'] },
      { id: 'ri-stix-group', kind: 'THREAT_GROUP', name: 'Lantern Crew', externalIds: ['X9202'] },
      { id: 'ri-stix-host', kind: 'HOST', name: 'lantern-news[.]example', value: 'hxxp://lantern-news[.]example/' },
    ], []);
  });
  after(() => ex?.close());

  it('merges same external id and same observable automatically; a fuzzy name stays a candidate', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'resolve-import-')), 'incoming.jsonl');
    fs.writeFileSync(file, [
      { record: 'entity', id: 'ri-group-2', kind: 'THREAT_GROUP', name: 'COPPER-OWL team', externalIds: ['x9101'] },
      { record: 'entity', id: 'ri-host-2', kind: 'HOST', name: 'Owl News', value: 'https://www.owl-news.example/' },
      { record: 'entity', id: 'ri-persona-2', kind: 'PERSONA', name: 'Owl Daily' },
    ].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'cli/import.ts', file, '--resolve', '--fresh'],
      { cwd: projectRoot, env: { ...process.env, DISINFO_API_KEY: '' }, encoding: 'utf8', timeout: 300_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /resolve: 2 automatic merge\(s\)/);
    const merged = await ex.read<{ id: string; into: string }>('MATCH (m:MergedEntity) RETURN m.id AS id, m.mergedInto AS into ORDER BY id');
    assert.deepEqual(merged, [{ id: 'ri-group-2', into: 'ri-group' }, { id: 'ri-host-2', into: 'ri-host' }], 'into what was there first');
    const left = await mergeCandidates(ex, { minScore: 0.5, clearance: 'RED' });
    assert.ok(left.some((c) => c.a === 'ri-persona' && c.b === 'ri-persona-2' && c.reasons.some((x) => x.kind === 'NAME')), 'a name alone is left for an analyst');
    assert.ok(left.some((c) => c.a === 'ri-old-1' && c.b === 'ri-old-2'), 'the old pair was left alone: only imported records are compared');
  });

  it('a STIX bundle: an intrusion set with a known external id and a domain seen before merge into what was there', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resolve-stix-'));
    const file = path.join(dir, 'bundle.json');
    const at = '2024-05-01T00:00:00.000Z';
    fs.writeFileSync(file, JSON.stringify({ type: 'bundle', id: 'bundle--6f1b7a0e-2d1c-4c55-9a43-0b1e3c7d9a01', objects: [
      { type: 'intrusion-set', spec_version: '2.1', id: 'intrusion-set--8a5d2f4e-1b3c-4d6e-9f70-112233445566', created: at, modified: at,
        name: 'LANTERN CREW (new report)', external_references: [{ source_name: 'mitre-attack', external_id: 'x9202' }] },
      { type: 'domain-name', spec_version: '2.1', id: 'domain-name--2b4c6d8e-0f12-4345-8678-9abcdef01234', value: 'www.lantern-news.example' },
    ] }));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'cli/import.ts', file, '--resolve', '--fresh'],
      { cwd: projectRoot, env: { ...process.env, DISINFO_API_KEY: '' }, encoding: 'utf8', timeout: 300_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /resolve: 2 automatic merge\(s\)/, r.stdout);
    const merged = await ex.read<{ id: string; into: string }>(
      "MATCH (m:MergedEntity) WHERE m.mergedInto IN ['ri-stix-group', 'ri-stix-host'] RETURN m.id AS id, m.mergedInto AS into ORDER BY into");
    assert.deepEqual(merged.map((m) => m.into), ['ri-stix-group', 'ri-stix-host'], JSON.stringify(merged));
    assert.equal((await ex.read<{ n: number }>("MATCH (m:MergedEntity) WHERE m.id IN ['ri-old-1', 'ri-old-2'] RETURN count(m) AS n"))[0].n, 0, 'still not touched');
  });
});
