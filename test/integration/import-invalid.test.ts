// Imports name what they reject (issue 21, "Imports"): a record whose id is held by another kind,
// or a link to a missing end, stops its batch with file:line and the reason; with skipInvalid it
// is left out and listed (file:line, reason), the rest is loaded and the summary counts it. Same
// for table imports, by file:row. In-process (the CLIs pass --skip-invalid through to these).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Executor } from '../../api/store/executor.js';
import { InvalidBatch, bulkLoad, invalidLine, readJsonLines, summaryLine, type InvalidRecord } from '../../api/store/bulk-load.js';
import { writeBatch } from '../../api/store/write-graph.js';
import { parseMapping } from '../../api/tables/mapping.js';
import { planImport, writePlan } from '../../api/tables/table-import.js';
import { seededExecutor } from '../helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'import-invalid-'));
const line = (o: object) => JSON.stringify(o);
const JSONL = [
  line({ record: 'entity', id: 'ij-src', kind: 'SOURCE', name: 'IJ source', title: 'IJ source' }),
  line({ record: 'entity', id: 'ij-op', kind: 'CAMPAIGN', name: 'IJ op' }),
  line({ record: 'entity', id: 'ij-ru', kind: 'PERSON', name: 'Not a state' }),
  line({ record: 'link', type: 'ATTRIBUTED_TO', from: 'ij-op', to: 'ij-ru', confidence: 60, citations: [{ source: 'ij-src' }] }),
  '',
  line({ record: 'link', type: 'USES', from: 'ij-op', to: 'ij-missing', confidence: 60, citations: [{ source: 'ij-src' }] }),
  line({ record: 'entity', id: 'ij-host', kind: 'HOST', name: 'ij.example' }),
].join('\n');

const MAPPING = `
format: disinfo-tables/1
name: test-invalid
inputs:
  - files: '*.tsv'
    entities:
      src: { kind: SOURCE, id: tj-tracker, name: TJ tracker, fields: { title: TJ tracker } }
      op: { kind: CAMPAIGN, id: { from: Operation, then: [slug, { prefix: tj-op- }] }, name: '{Operation}', required: true }
    links:
      - { type: ATTRIBUTED_TO, from: op, to: { id: tj-state, kind: STATE_ACTOR }, confidence: 70 }
    cite: { source: src }
`;

describe('imports name and, when asked, skip what the model rejects', () => {
  let ex: Executor;
  const count = async (cypher: string) => (await ex.read<{ n: number }>(cypher))[0].n;
  before(async () => {
    ex = await seededExecutor();
    const src = { id: 'ij-prior-src', kind: 'SOURCE', name: 'prior', title: 'prior' };
    await writeBatch(ex, [src, { id: 'ij-ru', kind: 'STATE_ACTOR', name: 'IJ state' }, { id: 'tj-state', kind: 'STATE_ACTOR', name: 'TJ state' },
      { id: 'tj-op-clash', kind: 'PERSON', name: 'Clash' }], []);
    fs.writeFileSync(path.join(tmp, 'ij.jsonl'), JSONL);
    fs.writeFileSync(path.join(tmp, 'tracker.tsv'), 'Operation\nFine One\nClash\nFine Two\n');
  });
  after(async () => {
    await ex?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const file = () => path.join(tmp, 'ij.jsonl');
  const records = () => readJsonLines(fs.createReadStream(file()), 'ij.jsonl');

  it('JSON lines: the batch stops naming file:line and the reason of each invalid record; nothing of it is written', async () => {
    await assert.rejects(bulkLoad(ex, records(), { progress: false }), (e: unknown) => {
      assert.ok(e instanceof InvalidBatch);
      assert.match(e.message, /ij\.jsonl:3: kind: id already belongs to a STATE_ACTOR \(entity ij-ru\)/);
      assert.match(e.message, /ij\.jsonl:6: to: no entity with id "ij-missing"/);
      assert.match(e.message, /--skip-invalid/);
      return true;
    });
    assert.equal(await count('MATCH (n:Entity) WHERE n.id IN ["ij-op", "ij-host"] RETURN count(n) AS n'), 0);
  });

  it('JSON lines with skipInvalid: the rest is loaded, each one left out listed, the summary counts them', async () => {
    const skipped: InvalidRecord[] = [];
    const summary = await bulkLoad(ex, records(), { progress: false, skipInvalid: true, onInvalid: (r) => skipped.push(r) });
    assert.deepEqual(skipped.map(invalidLine), [
      'ij.jsonl:3: kind: id already belongs to a STATE_ACTOR (entity ij-ru)',
      'ij.jsonl:6: to: no entity with id "ij-missing" (link ij-op-USES-ij-missing)',
    ]);
    assert.equal(summary.invalid, 2);
    assert.match(summaryLine('import ij.jsonl', summary), /, 2 invalid left out;/);
    assert.equal(await count('MATCH (n:Entity) WHERE n.id IN ["ij-op", "ij-host"] RETURN count(n) AS n'), 2);
    assert.equal(await count('MATCH (n:StateActor {id: "ij-ru"}) WHERE NOT n:Person RETURN count(n) AS n'), 1, 'the state stays a state');
    assert.equal(await count('MATCH (:Campaign {id: "ij-op"})-[r:ATTRIBUTED_TO]->(:StateActor {id: "ij-ru"}) RETURN count(r) AS n'), 1);
  });

  it('tables: a clash with the database names file:row; with skipInvalid that row is left out and listed, the rest loaded', async () => {
    const plan = () => planImport(parseMapping(MAPPING), MAPPING, [path.join(tmp, 'tracker.tsv')]);
    await assert.rejects(writePlan(ex, plan(), { progress: false }), /tracker\.tsv:row 3: tj-op-clash: is a PERSON in the database, the mapping makes it a CAMPAIGN/);
    assert.equal(await count('MATCH (n:Campaign) WHERE n.id STARTS WITH "tj-op-" RETURN count(n) AS n'), 0);
    const skipped: InvalidRecord[] = [];
    const summary = await writePlan(ex, plan(), { progress: false, skipInvalid: true, onInvalid: (r) => skipped.push(r) });
    // The row's campaign, then its link (a PERSON cannot be attributed to a state).
    assert.deepEqual(skipped.map((s) => `${s.at} ${s.field}`), ['tracker.tsv:row 3 kind', 'tracker.tsv:row 3 type'], JSON.stringify(skipped));
    assert.equal(summary.invalid, 2);
    assert.equal(await count('MATCH (n:Campaign)-[:ATTRIBUTED_TO]->(:StateActor {id: "tj-state"}) WHERE n.id IN ["tj-op-fine-one", "tj-op-fine-two"] RETURN count(n) AS n'), 2);
  });
});
