// Co-action projections as callers name them (api/store/coaction.ts) and how the launcher tells
// OpenGDS's third-party jars from Neo4j's (db/launcher.ts). No database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PRESETS, projectionKey, resolveProjection, type ProjectionInput } from '../../api/store/coaction.js';
import { BadInput } from '../../core/errors.js';
import { artifactName } from '../../db/launcher.js';

describe('co-action projections', () => {
  it('uses the documented DEFAULT when none is named, and overrides parts of a preset', () => {
    const d = resolveProjection(null);
    assert.deepEqual(d.members, ['CAMPAIGN', 'HOST', 'PERSONA']);
    assert.deepEqual(d.via, ['HOST', 'NARRATIVE', 'TECHNIQUE']);
    assert.equal(d.minWeight, 2);
    const p = resolveProjection({ preset: 'INFRASTRUCTURE', members: ['CAMPAIGN'], windowDays: 30 });
    assert.deepEqual([p.members, p.via, p.windowDays, p.minWeight], [['CAMPAIGN'], PRESETS.INFRASTRUCTURE.via, 30, 1]);
  });
  it('gives the same key to the same projection however it is spelled', () => {
    assert.equal(projectionKey(resolveProjection({ members: ['PERSONA', 'HOST', 'CAMPAIGN', 'HOST'] })), projectionKey(resolveProjection({})));
  });
  it('refuses bad parts with BAD_USER_INPUT naming the field', () => {
    const cases: Array<[ProjectionInput, string]> = [
      [{ minWeight: 0 }, 'projection.minWeight'], [{ minPercentile: 100 }, 'projection.minPercentile'],
      [{ windowDays: -1 }, 'projection.windowDays'], [{ maxShared: 1 }, 'projection.maxShared'], [{ via: [] }, 'projection.via'],
    ];
    for (const [input, field] of cases) {
      assert.throws(() => resolveProjection(input), (e: unknown) => e instanceof BadInput && e.details.field === field, field);
    }
  });
});

describe('OpenGDS jars beside Neo4j\'s', () => {
  it('names an artifact without its version, so one library is never on the classpath twice', () => {
    assert.equal(artifactName('jackson-core-2.18.6.jar'), 'jackson-core');
    assert.equal(artifactName('commons-text-1.14.0.jar'), artifactName('commons-text-1.12.0.jar'));
    assert.equal(artifactName('javassist-3.28.0-GA.jar'), 'javassist');
    assert.equal(artifactName('cypher-ast-factory-9.0-9.0.20210312.jar'), 'cypher-ast-factory-9.0', 'not Neo4j\'s cypher-ast-factory');
  });
});
