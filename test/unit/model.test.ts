// The model (model/model.ts) against the GraphQL schema generated from it, and its guards on what
// reaches Cypher. No database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, type GraphQLNamedType } from 'graphql';
import {
  ASSERTIONS, ENTITY_KINDS, INPUT_FIELD_DOCS, KIND_FIELDS, KIND_LABEL, KIND_SPECS, LINK_TYPE_NAMES, TLPS,
  labelOf, relTypeOf, tlpRank, tripleAllowed, type FieldSpec, type KindFieldName,
} from '../../model/model.js';
import { GRAPHQL_FIELD_TYPE, inputFields } from '../../api/graphql/model-sdl.js';
import { buildSchema, handWrittenTypeDefs } from '../../api/graphql/schema.js';

const schema = buildSchema();
const type = (name: string): GraphQLNamedType => {
  const t = schema.getType(name);
  assert.ok(t, `type ${name} is in the schema`);
  return t;
};
const enumValues = (name: string): string[] => {
  const t = type(name);
  assert.ok(isEnumType(t));
  return t.getValues().map((v) => v.name);
};

describe('model', () => {
  it('the GraphQL enums are exactly the model lists that guard Cypher labels and types', () => {
    assert.deepEqual(enumValues('EntityKind'), [...ENTITY_KINDS]);
    assert.deepEqual(enumValues('LinkType'), [...LINK_TYPE_NAMES]);
    assert.deepEqual(enumValues('Tlp'), [...TLPS]);
    assert.deepEqual(enumValues('Assertion'), [...ASSERTIONS]);
  });

  it('each kind is a GraphQL type named by its label: the Entity fields, then the model\'s, typed and described as declared', () => {
    const entity = type('Entity');
    assert.ok(isInterfaceType(entity));
    const common = Object.keys(entity.getFields());
    const extra: Record<string, string[]> = { Source: ['asserts'] }; // resolver-backed fields, schema/entity.graphql
    for (const kind of ENTITY_KINDS) {
      const t = type(KIND_LABEL[kind]);
      assert.ok(isObjectType(t) && t.getInterfaces().includes(entity), `${t.name} implements Entity`);
      const own = Object.entries(KIND_SPECS[kind].fields as Readonly<Record<string, FieldSpec>>);
      assert.deepEqual(Object.keys(t.getFields()), [...common, ...own.map(([f]) => f), ...(extra[t.name] ?? [])], t.name);
      for (const [f, spec] of own) {
        assert.equal(String(t.getFields()[f].type), GRAPHQL_FIELD_TYPE[spec.type], `${t.name}.${f}`);
        assert.equal(t.getFields()[f].description, spec.doc, `${t.name}.${f}`);
        assert.equal(KIND_FIELDS[kind][f], spec.type);
      }
      assert.ok(t.description?.startsWith(KIND_SPECS[kind].doc), `${t.name} is described by the model`);
    }
    const kindTypes = Object.values(schema.getTypeMap()).filter((t) => isObjectType(t) && t.getInterfaces().includes(entity)).map((t) => t.name);
    assert.deepEqual(kindTypes.sort(), Object.values(KIND_LABEL).sort(), 'no Entity type outside the model');
  });

  it('EntityInput takes every kind-specific field once, naming the kinds that have it', () => {
    const input = type('EntityInput');
    assert.ok(isInputObjectType(input));
    const fields = input.getFields();
    const expected = inputFields();
    assert.deepEqual(Object.keys(fields), ['id', 'kind', 'name', 'aliases', 'description', 'tlp', 'metrics', ...expected.map((f) => f.name)]);
    for (const f of expected) {
      assert.deepEqual(f.kinds, ENTITY_KINDS.filter((k) => f.name in KIND_FIELDS[k]), f.name);
      assert.equal(String(fields[f.name].type), GRAPHQL_FIELD_TYPE[f.type], f.name);
      assert.equal(fields[f.name].description, `${f.kinds.join(', ')}: ${INPUT_FIELD_DOCS[f.name]}`);
    }
    assert.deepEqual(Object.keys(INPUT_FIELD_DOCS).sort(), expected.map((f) => f.name).sort(), 'an input doc per field, none left over');
    const host: KindFieldName = 'compromised';
    assert.equal(fields[host].description?.startsWith('HOST: '), true);
  });

  it('schema/*.graphql does not restate what is generated from the model', () => {
    const sdl = handWrittenTypeDefs().join('\n');
    for (const name of ['EntityKind', 'LinkType', 'Tlp', 'Assertion']) assert.doesNotMatch(sdl, new RegExp(`^enum ${name}\\b`, 'm'));
    for (const label of Object.values(KIND_LABEL)) assert.doesNotMatch(sdl, new RegExp(`^type ${label}\\b`, 'm'));
    for (const f of inputFields()) assert.doesNotMatch(sdl, new RegExp(`^input EntityInput \\{[^}]*\\n  ${f.name}:`, 'm'), `EntityInput.${f.name}`);
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
