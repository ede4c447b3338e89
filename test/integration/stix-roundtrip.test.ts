// Round trip property by property (issue 14; ATT&CK for ICS in stix-corpus.test.ts): the OASIS examples imported,
// exported again and compared object by object on every property and on external_references
// (ordering aside). Only what BY_DESIGN (test/stix-roundtrip.ts) and docs/stix.md "Round trip" list
// may differ. A report's object_refs go out whole, less what the caller may not see.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Executor } from '../../api/store/executor.js';
import { fileSource, memorySource } from '../../api/stix/bundle-stream.js';
import { exportBundle } from '../../api/stix/stix-export.js';
import { importStix } from '../../api/stix/stix-import.js';
import { seededExecutor } from '../helpers.js';
import { readObjects } from '../stix-corpus.js';
import { emptyGraph, exampleBundles, skipWithoutSchemas } from '../stix-helpers.js';
import { DISARM_SHAPED, mappedIds, roundTrip, summary } from '../stix-roundtrip.js';
import { landedByType } from '../stix-corpus.js';
import { search } from '../../api/store/read-graph.js';

type Obj = Record<string, unknown> & { id: string; type: string };

async function importAndExport(ex: Executor, file: string) {
  await emptyGraph(ex);
  await importStix(ex, fileSource(file), { progress: false });
  const input = readObjects(file);
  const exported = (await exportBundle(ex, { clearance: 'RED' }) as { objects: Obj[] }).objects;
  return { input, exported, result: roundTrip(input, exported, await mappedIds(ex)) };
}

describe('round trip, property by property', () => {
  let ex: Executor;
  before(async () => {
    ex = await seededExecutor();
  });
  after(() => ex?.close());

  it('the OASIS examples: only the documented exceptions differ', { skip: skipWithoutSchemas }, async () => {
    for (const file of exampleBundles()) {
      const { result } = await importAndExport(ex, file);
      const name = path.basename(file);
      // An indicator naming a host becomes that HOST (exported as infrastructure), an observable
      // (domain-name, ipv4-addr) a HOST too; an `indicates` towards such an indicator becomes USES
      // with its ends swapped. Nothing else may differ.
      for (const o of result.elsewhere) assert.ok(['indicator', 'domain-name', 'ipv4-addr', 'ipv6-addr', 'url'].includes(o.type), `${name}: ${o.id} went out elsewhere`);
      for (const d of result.differences) {
        assert.ok(d.type === 'relationship' && ['relationship_type', 'source_ref', 'target_ref'].includes(d.property) && d.input !== undefined,
          `${name}: ${d.id} ${d.property}: ${JSON.stringify(d.input)} → ${JSON.stringify(d.output)}`);
      }
      assert.ok(result.compared + result.elsewhere.length > 0, name);
    }
  });

  it('a DISARM-shaped bundle lands whole: sub-techniques, counters, tactics as kill chain phases, DISARM ids found, round trip exact', async () => {
    const { input, exported, result } = await importAndExport(ex, DISARM_SHAPED);
    const rows = await landedByType(ex, input);
    const total = rows[rows.length - 1];
    assert.deepEqual([total.landed, total.in], [12, 12], JSON.stringify(rows));
    const [{ n }] = await ex.read<{ n: number }>('MATCH (:Technique)-[r:SUBTECHNIQUE_OF]->(:Technique) RETURN count(r) AS n');
    assert.equal(n, 4, 'every subtechnique-of is a SUBTECHNIQUE_OF link');
    const [{ m }] = await ex.read<{ m: number }>('MATCH (c:Entity {kind: "COURSE_OF_ACTION"})-[r:MITIGATES]->(:Technique) RETURN count(r) AS m');
    assert.equal(m, 3, 'DISARM blue counters mitigate techniques');
    assert.equal((await search(ex, 'T0097.101', null, 5, 'RED'))[0]?.entity.name, 'Local Persona');
    assert.equal((await search(ex, 'C00009', null, 5, 'RED'))[0]?.entity.kind, 'COURSE_OF_ACTION');
    const raw = await ex.read<{ type: string }>('MATCH (r:StixRaw) RETURN DISTINCT r.type AS type ORDER BY type');
    assert.deepEqual(raw.map((r) => r.type), ['marking-definition', 'x-mitre-matrix', 'x-mitre-tactic']);
    assert.deepEqual(summary(result.differences), []);
    assert.deepEqual(result.elsewhere, []);
    assert.equal(result.compared, input.length - 5, 'all but the tactics, matrix and statement marking');
    const sub = input.find((o) => o.x_mitre_is_subtechnique === true)!;
    assert.equal(exported.find((o) => o.id === sub.id)!.x_mitre_is_subtechnique, true);
  });

  it('a report keeps its object_refs whole (153 of 153), less what the caller may not see', { skip: skipWithoutSchemas }, async () => {
    const poisonIvy = exampleBundles().find((f) => f.endsWith('poisonivy.json'))!;
    const { input, exported } = await importAndExport(ex, poisonIvy);
    const report = input.find((o) => o.type === 'report')!;
    assert.deepEqual(exported.find((o) => o.id === report.id)!.object_refs, report.object_refs);
    assert.equal((report.object_refs as string[]).length, 153);

    await emptyGraph(ex);
    const T = '2024-03-01T10:00:00.000Z';
    const id = (type: string, n: number) => `${type}--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const amber = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
    const objects = [
      { type: 'intrusion-set', spec_version: '2.1', id: id('intrusion-set', 1), created: T, modified: T, name: 'Seen by all' },
      { type: 'intrusion-set', spec_version: '2.1', id: id('intrusion-set', 2), created: T, modified: T, name: 'Amber group', object_marking_refs: [amber] },
      { type: 'note', spec_version: '2.1', id: id('note', 3), created: T, modified: T, content: 'amber note', object_refs: [id('intrusion-set', 1)], object_marking_refs: [amber] },
      { type: 'report', spec_version: '2.1', id: id('report', 4), created: T, modified: T, name: 'Refs', published: T,
        object_refs: [id('intrusion-set', 2), id('intrusion-set', 1), id('note', 3), id('malware', 5)] },
    ];
    await importStix(ex, memorySource({ type: 'bundle', id: id('bundle', 6), objects }), { progress: false });
    const refsFor = async (clearance: 'CLEAR' | 'RED') => ((await exportBundle(ex, { clearance, includeRaw: true }) as { objects: Obj[] })
      .objects.find((o) => o.id === id('report', 4))!.object_refs);
    assert.deepEqual(await refsFor('RED'), objects[3].object_refs, 'cleared for all: as they came, the ref to nothing stored included');
    assert.deepEqual(await refsFor('CLEAR'), [id('intrusion-set', 1), id('malware', 5)], 'the amber group and note are left out');
  });
});
