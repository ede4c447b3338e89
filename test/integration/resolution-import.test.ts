// Resolution on import (issue 16): `npm run import -- … --resolve` merges entities that share an
// exact external id or a normalised observable into the one that was there first, and leaves
// name-only look-alikes as candidates. Real Neo4j, the CLI on a small JSON-lines file.
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
  });
});
