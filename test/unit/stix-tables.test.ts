// The STIX tables (api/stix/mapping.ts) cover the model: every kind has an object type and every
// link type a relationship_type (TypeScript refuses a missing one; this checks the values). No database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ENTITY_KINDS, LINK_TYPE_NAMES } from '../../model/model.js';
import { KIND_STIX_TYPE, RELATIONSHIP_TYPE, kindForStixType, linkTypeFor } from '../../api/stix/mapping.js';
import { kindOfObject } from '../../api/stix/from-stix.js';

describe('STIX tables', () => {
  it('every kind has a STIX object type, and comes back from it', () => {
    assert.deepEqual(Object.keys(KIND_STIX_TYPE).sort(), [...ENTITY_KINDS].sort(), 'the same kinds, in any order');
    for (const kind of ENTITY_KINDS) {
      const type = KIND_STIX_TYPE[kind];
      assert.match(type, /^[a-z][a-z0-9-]*$/, kind);
      const shared = ENTITY_KINDS.filter((k) => KIND_STIX_TYPE[k] === type);
      // A type shared by several kinds (identity) is told apart by its properties in from-stix.ts.
      assert.equal(kindForStixType(type), shared.length === 1 ? kind : undefined, kind);
      if (shared.length === 1 && type !== 'threat-actor') {
        assert.equal(kindOfObject({ type, id: `${type}--6ba7b810-9dad-11d1-80b4-00c04fd430c8` }), kind, `${type} imports as ${kind}`);
      }
    }
  });

  it('every link type has its own relationship_type, and comes back from it', () => {
    assert.deepEqual(Object.keys(RELATIONSHIP_TYPE).sort(), [...LINK_TYPE_NAMES].sort(), 'the same link types, in any order');
    const values = Object.values(RELATIONSHIP_TYPE);
    assert.equal(new Set(values).size, values.length, 'relationship types are unique');
    for (const t of LINK_TYPE_NAMES) {
      assert.match(RELATIONSHIP_TYPE[t], /^[a-z][a-z0-9-]*$/, t);
      assert.equal(linkTypeFor(RELATIONSHIP_TYPE[t])?.type, t);
      assert.equal(linkTypeFor(RELATIONSHIP_TYPE[t])?.reversed, undefined, `${t} is not reversed`);
    }
  });
});
