// Entity resolution on the seed plus ATT&CK for ICS plus Meta's takedown data (issue 16's done-when;
// both corpora in ../shared/datasets/, skipped with a message when absent): the candidates list
// finds the planted duplicates and not the planted look-alikes (precision and recall printed),
// merge → unmerge restores the fingerprint, and the time to list candidates at this size.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileSource } from '../../api/stix/bundle-stream.js';
import { importStix } from '../../api/stix/stix-import.js';
import type { Executor } from '../../api/store/executor.js';
import { mergeCandidates } from '../../api/store/resolution-candidates.js';
import { mergeEntities, unmergeEntities } from '../../api/store/resolution-merge.js';
import { writeBatch } from '../../api/store/write-graph.js';
import { projectRoot } from '../../db/launcher.js';
import { seededExecutor } from '../helpers.js';
import { PLANTED_DIFFERENT, fingerprint, plantedEntities, plantedLinks, plantedScore } from '../resolution-helpers.js';
import { ICS_BUNDLE, skipWithoutIcs } from '../stix-corpus.js';

const META = process.env.META_DATASET ?? path.resolve(projectRoot, '../shared/datasets/meta-threat-research');
const skipWithoutMeta = fs.existsSync(path.join(META, 'index.json')) ? false : `the Meta dataset is not at ${META} (set META_DATASET)`;
const skip = skipWithoutIcs || skipWithoutMeta;
if (skip) console.log(`resolution-corpus: ${skip}; skipped`);

describe('entity resolution on seed + ATT&CK for ICS + Meta', { skip }, () => {
  let ex: Executor;
  before(async () => {
    ex = await seededExecutor();
    await importStix(ex, fileSource(ICS_BUNDLE), { progress: false, title: 'ics-attack.json' });
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'cli/import.ts', '--mapping', path.join(projectRoot, 'mappings/meta-threat-research.yaml'), META, '--fresh'],
      { cwd: projectRoot, env: { ...process.env, DISINFO_API_KEY: '' }, encoding: 'utf8', timeout: 600_000 });
    assert.equal(r.status, 0, r.stderr);
    await writeBatch(ex, plantedEntities, plantedLinks);
  });
  after(() => ex?.close());

  it('finds the planted duplicates, not the look-alikes; merge → unmerge restores the fingerprint', async () => {
    const [{ n }] = await ex.read<{ n: number }>('MATCH (e:Entity) RETURN count(e) AS n');
    const t0 = Date.now();
    const all = await mergeCandidates(ex, { minScore: 0.5, clearance: 'RED' });
    const seconds = (Date.now() - t0) / 1000;
    const s = plantedScore(all.map((c) => [c.a, c.b]));
    console.log(`resolution on ${n} entities: ${all.length} candidates at minScore 0.5 in ${seconds.toFixed(1)} s; planted set: precision ${s.precision.toFixed(2)}, recall ${s.recall.toFixed(2)} (false ${JSON.stringify(s.falsePositives)}; missed ${JSON.stringify(s.missed)})`);
    assert.equal(s.recall, 1, `missed ${JSON.stringify(s.missed)}`);
    assert.equal(s.precision, 1, `false positives ${JSON.stringify(s.falsePositives)}`);
    for (const [a, b] of PLANTED_DIFFERENT) assert.ok(!all.some((c) => c.a === a && c.b === b));
    const before = await fingerprint(ex);
    const m = await mergeEntities(ex, { into: 'iran', from: ['pl-iran-ar'], reason: 'test' }, 'test', 'RED');
    assert.ok(m.linksMoved + m.linksCombined >= 1);
    assert.notEqual(await fingerprint(ex), before);
    await unmergeEntities(ex, m.mergeId, 'test', 'RED');
    assert.equal(await fingerprint(ex), before, 'iran, a hub of the three sources, exactly as before');
  });
});
