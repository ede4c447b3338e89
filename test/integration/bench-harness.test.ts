import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../../db/launcher.js';
import { QUERY_CLASSES } from '../../bench/queries.js';
import { EQUIVALENTS } from '../../bench/neo4j-graphql.js';
import { NO_BROWSER } from '../viewer-helpers.js';

describe('benchmark harness (tiny run)', () => {
  it('runs end to end at XS and writes every figure', { timeout: 170_000 }, () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'bench.json');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'cli/bench.ts', '--size', 'XS', '--runs', '5', '--duration', '1',
      // --reset: the test database holds the seed graph and keys of earlier test files, which the bench refuses to empty otherwise.
      '--viewer-sizes', '1000,5000', '--viewer-runs', '1', '--json', out, '--reset'], { cwd: projectRoot, env: process.env, encoding: 'utf8', timeout: 160_000 });
    assert.equal(r.status, 0, `bench exited ${r.status}: ${r.stderr.slice(-2000)}`);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[lines.length - 1], /^bench: overhead_p50=\S+ vs_neo4j_graphql_p50=\S+ import_ratio=\S+ view5k_ms=\S+$/);
    const json = JSON.parse(fs.readFileSync(out, 'utf8'));
    for (const qc of QUERY_CLASSES) {
      const c = json.queries[qc.name];
      assert.ok(c, `${qc.name} in the JSON`);
      for (const side of ['ours', 'raw']) {
        for (const p of ['p50', 'p95', 'p99']) assert.equal(typeof c[side][p], 'number', `${qc.name}.${side}.${p}`);
      }
      // A replay that sent nothing answers in 0.01 ms: the raw baseline of the budgeted queries
      // (read through readUntil) did, until the recorder captured that path too.
      assert.ok(c.raw.p50 >= 0.1, `${qc.name}: the raw baseline replays the captured statements (p50 ${c.raw.p50} ms)`);
      assert.equal(c.errors.ours, 0, `${qc.name}: no errors from our API`);
      if (EQUIVALENTS[qc.name]) {
        assert.equal(c.pairing.checked, 5, `${qc.name}: pairing checked`);
        // Search ranks differently (ours puts an exact name first), so only its top-20 sets may differ.
        if (qc.name !== 'search') assert.equal(c.pairing.differs, 0, `${qc.name}: @neo4j/graphql returns the same entities (or a superset)`);
        assert.equal(typeof c.neo4jGraphql.p50, 'number');
      } else {
        assert.equal(c.neo4jGraphql, null);
        assert.ok(c.note.length > 0, `${qc.name}: says why there is no equivalent`);
      }
    }
    assert.deepEqual(json.concurrency.map((c: { connections: number }) => c.connections), [1, 10, 50]);
    assert.ok(json.import.oursLinksPerSec > 0 && json.import.rawLinksPerSec > 0 && json.import.rawWithProvenanceLinksPerSec > 0);
    if (NO_BROWSER) {
      assert.equal(json.viewer, null, 'no browser: the viewer timings are left out');
      assert.match(r.stderr, /bench: viewer timings: .* — set CHROMIUM_PATH/, 'and the bench says why, in one line');
    } else {
      assert.equal(typeof json.viewer.firstRenderMs['5000'], 'number');
    }
    assert.ok(json.transportFloor.p50 > 0 && json.transportFloor.runs === 5, 'the HTTP floor is measured');
    assert.ok(json.memory.apiPeakRssMb > 0);
    assert.equal(typeof json.memory.neo4jHeap.usedMb, 'number');
  });
});
