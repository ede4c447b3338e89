// The schema documents itself: every type, field, argument, input field and enum value carries a
// description, so GraphiQL and introspection explain the API without the docs. No database.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isEnumType, isInputObjectType, isInterfaceType, isObjectType, isScalarType, isSpecifiedScalarType,
  type GraphQLNamedType,
} from 'graphql';
import { ENTITY_KINDS, LINK_TYPES, type LinkTypeSpec } from '../../model/model.js';
import { buildSchema } from '../../api/graphql/schema.js';

/** The share of documented members below which the test fails (the aim is 100%). */
const MIN_COVERAGE = 0.95;

interface Member { path: string; description: string | null | undefined }

const documented = (d: string | null | undefined): boolean => !!d?.trim();

/** Our own named types: no introspection types (__*), no built-in scalars. */
function ownTypes(): GraphQLNamedType[] {
  return Object.values(buildSchema().getTypeMap())
    .filter((t) => !t.name.startsWith('__') && !(isScalarType(t) && isSpecifiedScalarType(t)))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Every field, argument, input field and enum value of our types, as `Type.field(arg)` paths. */
function members(types: GraphQLNamedType[]): { fields: Member[]; args: Member[]; values: Member[] } {
  const fields: Member[] = [];
  const args: Member[] = [];
  const values: Member[] = [];
  for (const t of types) {
    if (isObjectType(t) || isInterfaceType(t)) {
      for (const f of Object.values(t.getFields())) {
        fields.push({ path: `${t.name}.${f.name}`, description: f.description });
        for (const a of f.args) args.push({ path: `${t.name}.${f.name}(${a.name})`, description: a.description });
      }
    } else if (isInputObjectType(t)) {
      for (const f of Object.values(t.getFields())) fields.push({ path: `${t.name}.${f.name}`, description: f.description });
    } else if (isEnumType(t)) {
      for (const v of t.getValues()) values.push({ path: `${t.name}.${v.name}`, description: v.description });
    }
  }
  return { fields, args, values };
}

describe('schema documentation', () => {
  const types = ownTypes();
  const { fields, args, values } = members(types);

  it(`documents at least ${MIN_COVERAGE * 100}% of fields, arguments and enum values`, () => {
    const all = [...fields, ...args, ...values];
    const missing = all.filter((m) => !documented(m.description)).map((m) => m.path);
    const count = (list: Member[]) => `${list.filter((m) => documented(m.description)).length}/${list.length}`;
    const share = (all.length - missing.length) / all.length;
    const summary = `${(share * 100).toFixed(1)}% documented (fields ${count(fields)}, arguments ${count(args)}, enum values ${count(values)})`;
    console.log(`schema docs: ${summary}`);
    assert.ok(all.length > 400, `walked ${all.length} members: the walk missed part of the schema`);
    assert.ok(share >= MIN_COVERAGE, `${summary}; undocumented (${missing.length}):\n  ${missing.join('\n  ')}`);
  });

  it('documents every object, interface, input and enum type', () => {
    const missing = types.filter((t) => !isScalarType(t) && !documented(t.description)).map((t) => t.name);
    assert.deepEqual(missing, [], `types without a description: ${missing.join(', ')}`);
  });

  it('describes the custom scalars in the SDL', () => {
    const missing = types.filter((t) => isScalarType(t) && !documented(t.astNode?.description?.value)).map((t) => t.name);
    assert.deepEqual(missing, [], `scalars without a description in schema/*.graphql: ${missing.join(', ')}`);
  });

  it('shows the custom scalars\' descriptions in introspection', () => {
    const missing = types.filter((t) => isScalarType(t) && !documented(t.description)).map((t) => t.name);
    assert.deepEqual(missing, [], `scalars without a description in introspection: ${missing.join(', ')}`);
  });

  it('repeats the Entity interface\'s descriptions on every kind that implements it', () => {
    const entity = types.find((t) => t.name === 'Entity');
    assert.ok(entity && isInterfaceType(entity));
    const drift: string[] = [];
    for (const t of types) {
      if (!isObjectType(t) || !t.getInterfaces().includes(entity)) continue;
      for (const f of Object.values(entity.getFields())) {
        const own = t.getFields()[f.name];
        if (own.description !== f.description) drift.push(`${t.name}.${f.name}`);
        for (const a of f.args) if (own.args.find((x) => x.name === a.name)?.description !== a.description) drift.push(`${t.name}.${f.name}(${a.name})`);
      }
    }
    assert.deepEqual(drift, [], 'fields whose description differs from the Entity interface\'s');
  });

  it('names, for every LinkType, exactly the kinds the model lets it join', () => {
    const linkType = types.find((t) => t.name === 'LinkType');
    assert.ok(linkType && isEnumType(linkType));
    for (const v of linkType.getValues()) {
      const spec: LinkTypeSpec = LINK_TYPES[v.name as keyof typeof LINK_TYPES];
      const allowed = new Set(spec.allowed.flatMap(([from, to]) => [...from, ...to]));
      const named = new Set(ENTITY_KINDS.filter((k) => new RegExp(`\\b${k}\\b`).test(v.description ?? '')));
      assert.deepEqual([...named].sort(), [...allowed].sort(), `LinkType.${v.name}: ${v.description}`);
    }
  });
});
