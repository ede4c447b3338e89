// Regression: the viewer's start page (`topEntities`) timed out at L (issue 20): it counted every
// entity's visible links. It now ranks a pool of the entities with the most links of any marking
// and grows the pool until nothing left out could rank; these tests hold it to the full count,
// at every clearance, with a pool small enough to need growing and links the caller cannot see.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Node } from 'neo4j-driver';
import type { Executor } from '../../api/store/executor.js';
import { migrate } from '../../api/store/migrations.js';
import { topEntities } from '../../api/store/top-entities.js';
import { TLPS, type EntityKind, type Tlp } from '../../model/model.js';
import { directLoad } from '../direct-load.js';
import type { GraphRecord } from '../../api/store/bulk-load.js';
import { resetGraph, testExecutor } from '../helpers.js';

/** The ranking as it was: every visible entity's visible links counted. */
async function bruteForce(ex: Executor, kinds: EntityKind[] | null, first: number, clearance: Tlp): Promise<string[]> {
  const tlps = TLPS.slice(0, TLPS.indexOf(clearance) + 1);
  const rows = await ex.read<{ n: Node }>(
    `MATCH (n:Entity) WHERE n.tlp IN $tlps AND ($kinds IS NULL OR n.kind IN $kinds)
     WITH n, COUNT { (n)-[r]-(m:Entity) WHERE r.tlp IN $tlps AND m.tlp IN $tlps } AS degree
     RETURN n ORDER BY degree DESC, n.id LIMIT $first`, { tlps, kinds, first });
  return rows.map((r) => r.n.properties.id as string);
}

describe('topEntities (the start page) at any size', () => {
  let ex: Executor;
  before(async () => {
    ex = testExecutor();
    await migrate(ex);
    await resetGraph(ex);
    const records: GraphRecord[] = [];
    const entity = (id: string, kind: EntityKind, tlp: Tlp) => records.push({ record: 'entity', id, kind, name: id, tlp });
    const link = (id: string, from: string, to: string, tlp: Tlp) =>
      records.push({ record: 'link', id, type: 'RELATED_TO', from, to, confidence: 50, tlp, citations: [] } as unknown as GraphRecord);
    for (let i = 0; i < 300; i++) entity(`p${i}`, i % 3 ? 'PERSONA' : 'HOST', 'CLEAR');
    // Degrees from 0 to 36 among the CLEAR entities, with many ties.
    for (let i = 0; i < 300; i++) for (let k = 1; k <= i % 37; k++) link(`l${i}-${k}`, `p${i}`, `p${(i + k * 7) % 300}`, 'CLEAR');
    // A CLEAR entity with 400 links a CLEAR caller cannot see (RED links, or to RED entities):
    // first in a pool by links of any marking, near last by visible ones.
    entity('decoy', 'PERSONA', 'CLEAR');
    for (let k = 0; k < 400; k++) {
      entity(`r${k}`, 'PERSONA', k % 2 ? 'RED' : 'CLEAR');
      link(`d${k}`, 'decoy', `r${k}`, k % 2 ? 'CLEAR' : 'RED');
    }
    // An AMBER hub with 120 CLEAR links to CLEAR entities: above a CLEAR caller's clearance.
    entity('amber-hub', 'CAMPAIGN', 'AMBER');
    for (let k = 0; k < 120; k++) link(`a${k}`, 'amber-hub', `p${k}`, 'CLEAR');
    await directLoad(ex, records);
  });
  after(async () => { await resetGraph(ex); await ex.close(); });

  it('equals the full count at every clearance, kinds or not, however small the first pool', async () => {
    for (const clearance of ['CLEAR', 'GREEN', 'AMBER', 'RED'] as Tlp[]) {
      for (const kinds of [null, ['PERSONA'], ['HOST', 'CAMPAIGN']] as Array<EntityKind[] | null>) {
        for (const first of [1, 15, 40]) {
          const expected = await bruteForce(ex, kinds, first, clearance);
          for (const pool of [2, 16, undefined]) {
            const got = (await topEntities(ex, kinds, first, clearance, pool)).map((e) => e.id);
            assert.deepEqual(got, expected, `${clearance}, kinds ${kinds?.join('+') ?? 'any'}, first ${first}, pool ${pool ?? 'default'}`);
          }
        }
      }
    }
  });

  it('grows the pool when links the caller cannot see fill it, and never shows them', async () => {
    const before = ex.queryCount;
    const clear = await topEntities(ex, null, 15, 'CLEAR', 16);
    assert.ok(ex.queryCount - before > 1, 'a pool of 16 led by the decoy and the AMBER hub was not enough: it grew');
    assert.ok(!clear.some((e) => e.id === 'amber-hub'), 'the AMBER hub is not shown to a CLEAR caller');
    assert.ok(!clear.some((e) => e.id === 'decoy'), 'the decoy has 0 links a CLEAR caller may see (its RED links, its links to RED entities)');
    const red = await topEntities(ex, null, 2, 'RED', 16);
    assert.deepEqual(red.map((e) => e.id), ['decoy', 'amber-hub'], 'at RED they lead');
  });

  it('is kept per graph version: the same answer until a write, then the new one', async () => {
    const first = (await topEntities(ex, null, 1, 'RED')).map((e) => e.id);
    assert.deepEqual(first, ['decoy']);
    const before = ex.queryCount;
    assert.deepEqual((await topEntities(ex, null, 1, 'RED')).map((e) => e.id), first);
    assert.equal(ex.queryCount - before, 1, 'a cached answer costs one count-store read (the graph version)');
    const records: GraphRecord[] = [{ record: 'entity', id: 'newhub', kind: 'CAMPAIGN', name: 'newhub', tlp: 'CLEAR' }];
    for (let k = 0; k < 450; k++) records.push({ record: 'link', id: `n${k}`, type: 'RELATED_TO', from: 'newhub', to: `p${k % 300}`, confidence: 50, tlp: 'CLEAR', citations: [] } as unknown as GraphRecord);
    await directLoad(ex, records);
    assert.deepEqual((await topEntities(ex, null, 1, 'RED')).map((e) => e.id), ['newhub'], 'the write moved the graph version');
  });
});
