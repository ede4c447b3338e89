// Every label the API creates must be one a backup can restore: a label missing from
// RESTORABLE_LABELS makes restore refuse the whole file (found for MergeRecord, Judgement,
// SavedCluster, Draft and SourceText).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { RESTORABLE_LABELS } from '../../api/store/backup.js';
import { projectRoot } from '../../db/launcher.js';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('every label written by a CREATE or MERGE in api/ is restorable', () => {
  const created = new Set<string>();
  for (const file of sourceFiles(path.join(projectRoot, 'api'))) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/\b(?:CREATE|MERGE)\s*\(\w*:([A-Z]\w*)/g)) created.add(m[1]);
  }
  assert.ok(created.size >= 5, `found the labels the API creates: ${[...created].join(', ')}`);
  const missing = [...created].filter((l) => !RESTORABLE_LABELS.has(l));
  assert.deepEqual(missing, [], `labels a backup could hold but restore refuses: ${missing.join(', ')}`);
});
