// The model (model/model.ts) against the SDL, and its guards on what reaches Cypher. No database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENTITY_KINDS, LINK_TYPE_NAMES, TLPS, labelOf, relTypeOf, tlpRank, tripleAllowed } from '../../model/model.js';
import { loadTypeDefs } from '../../api/graphql/schema.js';

function enumValues(sdl: string, name: string): string[] {
  const m = new RegExp(`enum ${name} \\{([^}]*)\\}`).exec(sdl);
  return m ? m[1].split('\n').map((l) => l.trim()).filter((l) => /^[A-Z_]+$/.test(l)) : [];
}

describe('model', () => {
  it('the SDL enums are exactly the model lists that guard Cypher labels and types', () => {
    const sdl = loadTypeDefs().join('\n');
    assert.deepEqual(enumValues(sdl, 'EntityKind'), [...ENTITY_KINDS]);
    assert.deepEqual(enumValues(sdl, 'LinkType'), [...LINK_TYPE_NAMES]);
    assert.deepEqual(enumValues(sdl, 'Tlp'), [...TLPS]);
  });

  it('labels and relationship types reach Cypher only from the lists; triples and TLP order as declared', () => {
    assert.equal(labelOf('HOST'), 'Host');
    assert.equal(labelOf('TARGET_GROUP'), 'TargetGroup');
    assert.throws(() => labelOf('Host) DETACH DELETE (n'), /unknown entity kind/);
    assert.equal(relTypeOf('USES'), 'USES');
    assert.throws(() => relTypeOf('USES]->() DELETE r //'), /unknown link type/);
    assert.equal(tripleAllowed('CAMPAIGN', 'ATTRIBUTED_TO', 'STATE_ACTOR'), true);
    assert.equal(tripleAllowed('STATE_ACTOR', 'ATTRIBUTED_TO', 'CAMPAIGN'), false, 'direction matters');
    assert.equal(tripleAllowed('CAMPAIGN', 'USES', 'HOST'), true);
    assert.equal(tripleAllowed('HOST', 'USES', 'CAMPAIGN'), false);
    assert.deepEqual(TLPS.map(tlpRank), [0, 1, 2, 3]);
  });
});
