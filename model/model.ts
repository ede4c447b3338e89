// The domain model, declared once: entity kinds, relationship types, and which
// (from kind, type, to kind) triples are allowed. Every write is checked against it,
// and labels/types reach Cypher only after passing these lists.

export const ENTITY_KINDS = [
  'STATE_ACTOR', 'THREAT_GROUP', 'CAMPAIGN', 'PERSONA', 'HOST', 'TARGET_GROUP',
  'ORGANIZATION', 'PERSON', 'NARRATIVE', 'TECHNIQUE', 'DATA_ASSET', 'SOURCE',
] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** Neo4j label per kind (every entity also carries :Entity). */
export const KIND_LABEL: Record<EntityKind, string> = {
  STATE_ACTOR: 'StateActor', THREAT_GROUP: 'ThreatGroup', CAMPAIGN: 'Campaign', PERSONA: 'Persona',
  HOST: 'Host', TARGET_GROUP: 'TargetGroup', ORGANIZATION: 'Organization', PERSON: 'Person',
  NARRATIVE: 'Narrative', TECHNIQUE: 'Technique', DATA_ASSET: 'DataAsset', SOURCE: 'Source',
};
export const LABEL_KIND = Object.fromEntries(
  Object.entries(KIND_LABEL).map(([k, l]) => [l, k]),
) as Record<string, EntityKind>;

export const TLPS = ['CLEAR', 'GREEN', 'AMBER', 'RED'] as const;
export type Tlp = (typeof TLPS)[number];
export const tlpRank = (t: Tlp): number => TLPS.indexOf(t);

export const ASSERTIONS = ['AFFIRMED', 'NEGATED', 'DISPUTED'] as const;
export type Assertion = (typeof ASSERTIONS)[number];

export const RELIABILITIES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;

/** Kind-specific scalar properties an entity may carry, by kind. */
export const KIND_FIELDS: Partial<Record<EntityKind, Record<string, 'string' | 'boolean' | 'int' | 'datetime' | 'strings'>>> = {
  STATE_ACTOR: { country: 'string' },
  THREAT_GROUP: { country: 'string' },
  CAMPAIGN: { firstSeen: 'datetime', lastSeen: 'datetime', objective: 'string' },
  PERSONA: { platform: 'string', handle: 'string', personaType: 'string' },
  HOST: { hostType: 'string', value: 'string', compromised: 'boolean', owner: 'string', country: 'string' },
  TARGET_GROUP: { country: 'string', sector: 'string' },
  ORGANIZATION: { country: 'string', sector: 'string' },
  PERSON: { role: 'string', country: 'string' },
  NARRATIVE: { summary: 'string' },
  TECHNIQUE: { framework: 'string', externalId: 'string', killChainPhases: 'strings' },
  DATA_ASSET: { dataType: 'string', isPublic: 'boolean' },
  SOURCE: {
    title: 'string', publisher: 'string', author: 'string', url: 'string', published: 'datetime',
    reliability: 'string', language: 'string', sourceType: 'string',
  },
};

type Triple = readonly [from: readonly EntityKind[], to: readonly EntityKind[]];
const ACTORS = ['STATE_ACTOR', 'THREAT_GROUP'] as const;
const OPERATORS = ['STATE_ACTOR', 'THREAT_GROUP', 'CAMPAIGN'] as const;
const IDENTITIES = ['ORGANIZATION', 'PERSON'] as const;

export interface LinkTypeSpec {
  stix: string;
  meaning: string;
  allowed: readonly Triple[];
}

export const LINK_TYPES = {
  ATTRIBUTED_TO: {
    stix: 'attributed-to', meaning: 'who is responsible for an operation, group or persona',
    allowed: [[['CAMPAIGN', 'THREAT_GROUP', 'PERSONA'], ACTORS]],
  },
  OPERATES: {
    stix: 'x-operates (threat-actor owns infrastructure)', meaning: 'an actor runs a group, persona or host',
    allowed: [[ACTORS, ['THREAT_GROUP', 'PERSONA', 'HOST']]],
  },
  USES: {
    stix: 'uses', meaning: 'an operation relies on a persona, host, technique or data asset',
    allowed: [[[...OPERATORS, 'PERSONA'], ['PERSONA', 'HOST', 'TECHNIQUE', 'DATA_ASSET']]],
  },
  COMPROMISED: {
    stix: 'compromises', meaning: 'an actor or operation took control of a host',
    allowed: [[OPERATORS, ['HOST']]],
  },
  TAMPERED_WITH: {
    stix: 'x-tampered-with', meaning: 'altered data or results (often stored NEGATED: "no sign of")',
    allowed: [[OPERATORS, ['DATA_ASSET', 'HOST']]],
  },
  IMPERSONATES: {
    stix: 'impersonates', meaning: 'a persona or operation poses as a real identity',
    allowed: [[['PERSONA', 'CAMPAIGN'], [...IDENTITIES, 'THREAT_GROUP']]],
  },
  TARGETS: {
    stix: 'targets', meaning: 'who an operation is aimed at',
    allowed: [[[...OPERATORS, 'PERSONA'], ['TARGET_GROUP', ...IDENTITIES]]],
  },
  OBTAINED: {
    stix: 'x-obtained', meaning: 'an actor or operation acquired a data asset',
    allowed: [[OPERATORS, ['DATA_ASSET']]],
  },
  AMPLIFIES: {
    stix: 'x-amplifies', meaning: 'a persona or host spreads a narrative or another persona',
    allowed: [[['PERSONA', 'HOST'], ['NARRATIVE', 'PERSONA']]],
  },
  PROMOTES: {
    stix: 'x-promotes', meaning: 'an operation or actor pushes a narrative',
    allowed: [[[...OPERATORS, 'PERSONA'], ['NARRATIVE']]],
  },
  AFFILIATED_WITH: {
    stix: 'x-affiliated-with', meaning: 'a person belongs to or speaks for an organization',
    allowed: [[['PERSON'], ['ORGANIZATION']]],
  },
  AUTHORED_BY: {
    stix: 'created_by_ref', meaning: 'who produced a source',
    allowed: [[['SOURCE'], IDENTITIES]],
  },
  REPORTS: {
    stix: 'report.object_refs / derived-from', meaning: 'a source relays another source',
    allowed: [[['SOURCE'], ['SOURCE']]],
  },
  RELATED_TO: {
    stix: 'related-to', meaning: 'an operation follows, repeats or exploits another',
    allowed: [[['CAMPAIGN'], ['CAMPAIGN']]],
  },
  LOCATED_IN: {
    stix: 'located-at', meaning: 'a host, identity or group is based in a state',
    allowed: [[['HOST', 'ORGANIZATION', 'PERSON', 'THREAT_GROUP'], ['STATE_ACTOR']]],
  },
} as const satisfies Record<string, LinkTypeSpec>;

export type LinkType = keyof typeof LINK_TYPES;
export const LINK_TYPE_NAMES = Object.keys(LINK_TYPES) as LinkType[];

export function isEntityKind(v: unknown): v is EntityKind {
  return typeof v === 'string' && (ENTITY_KINDS as readonly string[]).includes(v);
}
export function isLinkType(v: unknown): v is LinkType {
  return typeof v === 'string' && v in LINK_TYPES;
}
export function isTlp(v: unknown): v is Tlp {
  return typeof v === 'string' && (TLPS as readonly string[]).includes(v);
}

export function tripleAllowed(from: EntityKind, type: LinkType, to: EntityKind): boolean {
  const spec: LinkTypeSpec = LINK_TYPES[type];
  return spec.allowed.some(([froms, tos]) => froms.includes(from) && tos.includes(to));
}

/** The label of a kind, throwing unless the kind is one of the schema's. */
export function labelOf(kind: string): string {
  if (!isEntityKind(kind)) throw new Error(`unknown entity kind ${JSON.stringify(kind)}`);
  return KIND_LABEL[kind];
}
/** A relationship type, throwing unless it is one of the schema's. */
export function relTypeOf(type: string): LinkType {
  if (!isLinkType(type)) throw new Error(`unknown link type ${JSON.stringify(type)}`);
  return type;
}
