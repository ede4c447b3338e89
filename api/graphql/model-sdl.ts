// The SDL that restates the model, generated from model/model.ts when the schema is built: the
// EntityKind, LinkType, Tlp and Assertion enums, one object type per kind (the Entity interface's
// fields, then the kind's own), and EntityInput's kind-specific fields. schema/*.graphql holds the
// rest (the Entity interface, EntityInput's common fields, Source.asserts, queries, mutations).
import { Kind, parse, print, type FieldDefinitionNode } from 'graphql';
import {
  ASSERTIONS, ASSERTION_DOCS, ATTRIBUTION_KINDS, ATTRIBUTION_KIND_DOCS, ENTITY_KINDS, INPUT_FIELD_DOCS, KIND_SPECS, LINK_TYPES, LINK_TYPE_NAMES, TLPS, TLP_DOCS,
  type EntityKind, type FieldSpec, type FieldType, type KindFieldName, type LinkTypeSpec,
} from '../../model/model.js';
import { NOTE_TARGET_DOCS, NOTE_TARGET_TYPES } from '../../model/notes.js';
import { IDENTITY_CLASS, KIND_STIX_TYPE, RELATIONSHIP_TYPE } from '../stix/mapping.js';

export const GRAPHQL_FIELD_TYPE: Readonly<Record<FieldType, string>> = {
  string: 'String', boolean: 'Boolean', int: 'Int', datetime: 'DateTime', strings: '[String!]',
};

/** A GraphQL string literal (JSON's escapes are all valid GraphQL ones). */
const quote = (text: string): string => JSON.stringify(text);
const indent = (text: string): string => text.split('\n').map((l) => `  ${l}`).join('\n');
/** "A, B or C". */
const orList = (items: readonly string[]): string =>
  (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`);
const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

const kindFields = (kind: EntityKind): Array<[string, FieldSpec]> =>
  Object.entries(KIND_SPECS[kind].fields as Readonly<Record<string, FieldSpec>>);

const stixOf = (kind: EntityKind): string =>
  `${KIND_STIX_TYPE[kind]}${IDENTITY_CLASS[kind] ? ` (identity_class ${IDENTITY_CLASS[kind]})` : ''}`;

/** "USES: STATE_ACTOR, THREAT_GROUP, CAMPAIGN or PERSONA → PERSONA, HOST, TECHNIQUE or DATA_ASSET". */
export function linkTypeDoc(type: keyof typeof LINK_TYPES): string {
  const spec: LinkTypeSpec = LINK_TYPES[type];
  const triples = spec.allowed.map(([from, to]) => `${orList(from)} → ${orList(to)}`).join('; ');
  return `${sentence(spec.meaning)}: ${triples}. STIX relationship_type ${RELATIONSHIP_TYPE[type]}.`;
}

/**
 * Every kind-specific field once, in the order of first appearance (kind by kind), with the kinds
 * that have it. A name shared by several kinds must have one type there.
 */
export function inputFields(): Array<{ name: KindFieldName; type: FieldType; kinds: EntityKind[] }> {
  const out = new Map<string, { name: KindFieldName; type: FieldType; kinds: EntityKind[] }>();
  for (const kind of ENTITY_KINDS) {
    for (const [name, spec] of kindFields(kind)) {
      const seen = out.get(name);
      if (!seen) out.set(name, { name: name as KindFieldName, type: spec.type, kinds: [kind] });
      else if (seen.type !== spec.type) throw new Error(`model: field ${name} is ${seen.type} on ${seen.kinds[0]} but ${spec.type} on ${kind}`);
      else seen.kinds.push(kind);
    }
  }
  return [...out.values()];
}

function enumSdl(name: string, doc: string, values: ReadonlyArray<readonly [string, string]>): string {
  return `${quote(doc)}\nenum ${name} {\n${values.map(([v, d]) => indent(`${quote(d)}\n${v}`)).join('\n')}\n}`;
}

/** The Entity interface's fields, as written in the hand-written SDL, for every kind to repeat. */
function entityInterfaceFields(handWritten: readonly string[]): readonly FieldDefinitionNode[] {
  for (const sdl of handWritten) {
    for (const def of parse(sdl).definitions) {
      if (def.kind === Kind.INTERFACE_TYPE_DEFINITION && def.name.value === 'Entity') return def.fields ?? [];
    }
  }
  throw new Error('schema: no `interface Entity` in schema/*.graphql');
}

/**
 * The generated SDL; `handWritten` is schema/*.graphql, which declares the Entity interface.
 * `definitions` go before the hand-written files (so `extend type Source` there adds its field
 * after the generated ones) and `extensions` after them (EntityInput's common fields come first).
 */
export function modelTypeDefs(handWritten: readonly string[]): { definitions: string; extensions: string } {
  const common = entityInterfaceFields(handWritten).map((f) => indent(print(f)));
  const parts = [
    enumSdl('EntityKind', 'What an entity is. Each kind is a Neo4j label beside the common :Entity label.',
      ENTITY_KINDS.map((k) => [k, `${KIND_SPECS[k].doc} GraphQL type ${KIND_SPECS[k].label}; STIX ${stixOf(k)}.`])),
    enumSdl('LinkType', 'Relationship types. Each value says which kinds it may join (from → to); any other triple is rejected on write (docs/model.md).',
      LINK_TYPE_NAMES.map((t) => [t, linkTypeDoc(t)])),
    enumSdl('Tlp', 'Traffic Light Protocol 2.0 marking, lowest to highest. A caller sees only what is marked within its clearance, '
      + 'and any write that would touch or create something above it fails with FORBIDDEN.', TLPS.map((t) => [t, TLP_DOCS[t]])),
    enumSdl('Assertion', 'Whether a link states that something happened, that it did not ("no sign that…"), or that it is contested.',
      ASSERTIONS.map((a) => [a, ASSERTION_DOCS[a]])),
    enumSdl('AttributionKind', 'How an ATTRIBUTED_TO link says the actor is responsible (docs/model.md, "Attribution").',
      ATTRIBUTION_KINDS.map((a) => [a, ATTRIBUTION_KIND_DOCS[a]])),
    enumSdl('NoteTargetType', 'What a note annotates (docs/queries.md, "Notes").', NOTE_TARGET_TYPES.map((t) => [t, NOTE_TARGET_DOCS[t]])),
    ...ENTITY_KINDS.map((kind) => {
      const own = kindFields(kind).map(([name, spec]) => indent(`${quote(spec.doc)}\n${name}: ${GRAPHQL_FIELD_TYPE[spec.type]}`));
      return `${quote(`${KIND_SPECS[kind].doc} STIX ${stixOf(kind)}.`)}\ntype ${KIND_SPECS[kind].label} implements Entity {\n${[...common, ...own].join('\n')}\n}`;
    }),
  ];
  const extensions = `extend input EntityInput {\n${inputFields().map((f) =>
    indent(`${quote(`${f.kinds.join(', ')}: ${INPUT_FIELD_DOCS[f.name]}`)}\n${f.name}: ${GRAPHQL_FIELD_TYPE[f.type]}`)).join('\n')}\n}\n`;
  return { definitions: `${parts.join('\n\n')}\n`, extensions };
}
