// The domain model, declared once: entity kinds with their fields, relationship types, and which
// (from kind, type, to kind) triples are allowed. Every write is checked against it, labels and
// types reach Cypher only after passing these lists, the GraphQL enums, per-kind types and
// EntityInput's kind-specific fields are generated from it (api/graphql/model-sdl.ts), and the
// viewer imports it. Adding a kind or a link type is one entry here plus its STIX mapping
// (api/stix/mapping.ts, which TypeScript refuses without one).

/** How a kind-specific property is typed: in GraphQL, in validation and in STIX. */
export type FieldType = 'string' | 'boolean' | 'int' | 'datetime' | 'strings';

export interface FieldSpec {
  readonly type: FieldType;
  /** What the field holds: its description on the kind's GraphQL type. */
  readonly doc: string;
}

export interface KindSpec {
  /** The Neo4j label and the GraphQL type name (every entity also carries :Entity). */
  readonly label: string;
  /** What an entity of this kind is: the GraphQL type's and the enum value's description. */
  readonly doc: string;
  /** Kind-specific properties, in the order the API lists them. */
  readonly fields: Readonly<Record<string, FieldSpec>>;
}

const countryCode = (whose: string, example: string): FieldSpec => ({
  type: 'string', doc: `${whose}, as a country code such as ${example} (ISO 3166-1 alpha-2 by convention; not checked).`,
});

/** Every entity kind, in the order the API and the viewer list them. */
export const KIND_SPECS = {
  STATE_ACTOR: {
    label: 'StateActor', doc: 'A nation state behind operations.',
    fields: { country: countryCode('The state', 'IR') },
  },
  THREAT_GROUP: {
    label: 'ThreatGroup', doc: 'A named hacking or influence unit.',
    fields: { country: countryCode('The group\'s country', 'IR') },
  },
  CAMPAIGN: {
    label: 'Campaign', doc: 'An operation over time.',
    fields: {
      firstSeen: { type: 'datetime', doc: 'When the campaign was first observed (UTC). GraphFilter dates look at links, not at this.' },
      lastSeen: { type: 'datetime', doc: 'When the campaign was last observed (UTC); null when unknown or ongoing.' },
      objective: { type: 'string', doc: 'What the operation aims at, in words (at most 20,000 characters).' },
      assetCounts: { type: 'strings', doc: 'Counts of its assets as a source states them, e.g. "22 accounts", "8 Pages" (facts about the campaign, not entities).' },
    },
  },
  PERSONA: {
    label: 'Persona', doc: 'A fake identity: account, sender address, front outlet.',
    fields: {
      platform: { type: 'string', doc: 'Where the persona lives: email, a social network, a website … (free text).' },
      handle: { type: 'string', doc: 'Its account name or address on that platform, e.g. @name or a sender address.' },
      personaType: { type: 'string', doc: 'What sort of identity it is: account, sender address, front outlet … (free text).' },
    },
  },
  HOST: {
    label: 'Host', doc: 'Infrastructure: domain, IP address, website, mail server, network.',
    fields: {
      hostType: { type: 'string', doc: 'What sort of infrastructure: website, domain, ip, mail server, network … (free text).' },
      value: { type: 'string', doc: 'The host\'s address: a domain name, IP address or URL.' },
      compromised: { type: 'boolean', doc: 'True when the host is known to have been compromised (taken over from its owner); null when unknown.' },
      owner: { type: 'string', doc: 'Who rightfully owns or runs the host, when known (e.g. the company whose website was compromised).' },
      country: countryCode('Where the host is', 'EE'),
    },
  },
  TARGET_GROUP: {
    label: 'TargetGroup', doc: 'An audience an operation aims at.',
    fields: {
      country: countryCode('The audience\'s country', 'US'),
      sector: { type: 'string', doc: 'The audience\'s sector, e.g. government (free text).' },
    },
  },
  ORGANIZATION: {
    label: 'Organization', doc: 'A real organization.',
    fields: {
      country: countryCode('The organization\'s country', 'US'),
      sector: { type: 'string', doc: 'What the organization does, e.g. government, cybersecurity, political group (free text).' },
    },
  },
  PERSON: {
    label: 'Person', doc: 'A real person.',
    fields: {
      role: { type: 'string', doc: 'The person\'s position, e.g. Director of the FBI (free text; nothing to do with an API key\'s Role).' },
      country: countryCode('The person\'s country', 'US'),
    },
  },
  NARRATIVE: {
    label: 'Narrative', doc: 'A message line an operation pushes.',
    fields: { summary: { type: 'string', doc: 'The message itself, in a few sentences (at most 20,000 characters).' } },
  },
  TECHNIQUE: {
    label: 'Technique', doc: 'A DISARM or ATT&CK technique.',
    fields: {
      framework: { type: 'string', doc: 'The catalogue the technique comes from: DISARM or ATT&CK.' },
      externalId: { type: 'string', doc: 'The technique\'s id in that framework, e.g. T1584.' },
      killChainPhases: { type: 'strings', doc: 'The framework\'s kill-chain phases the technique belongs to, e.g. resource-development.' },
    },
  },
  DATA_ASSET: {
    label: 'DataAsset', doc: 'Data an operation relies on, e.g. voter-registration records.',
    fields: {
      dataType: { type: 'string', doc: 'What the data is, e.g. voter records or election results (free text).' },
      isPublic: { type: 'boolean', doc: 'True when the data is publicly available; null when unknown.' },
    },
  },
  MALWARE: {
    label: 'Malware', doc: 'Malicious software, a family or one instance (STIX malware; ATT&CK software).',
    fields: {
      externalId: { type: 'string', doc: 'Its id in a catalogue, e.g. ATT&CK S0605.' },
      malwareTypes: { type: 'strings', doc: 'What sort of malware: ransomware, remote-access-trojan, wiper … (STIX malware_types).' },
      isFamily: { type: 'boolean', doc: 'True for a family, false for one instance; null when the producer did not say.' },
    },
  },
  TOOL: {
    label: 'Tool', doc: 'Legitimate software an actor uses, e.g. a remote-administration or scanning tool (STIX tool).',
    fields: {
      externalId: { type: 'string', doc: 'Its id in a catalogue, e.g. ATT&CK S0002.' },
      toolTypes: { type: 'strings', doc: 'What sort of tool: remote-access, network-capture … (STIX tool_types).' },
    },
  },
  VULNERABILITY: {
    label: 'Vulnerability', doc: 'A flaw in software or a system that can be exploited (STIX vulnerability).',
    fields: { externalId: { type: 'string', doc: 'Its id, e.g. CVE-2021-44228.' } },
  },
  COURSE_OF_ACTION: {
    label: 'CourseOfAction', doc: 'A countermeasure: what prevents, detects or answers a technique (STIX course-of-action; ATT&CK mitigations, DISARM blue counters).',
    fields: { externalId: { type: 'string', doc: 'Its id in the framework, e.g. ATT&CK M0948 or DISARM C00012.' } },
  },
  LOCATION: {
    label: 'Location', doc: 'A place: a region, country or city (STIX location). A state as an actor is a STATE_ACTOR.',
    fields: {
      region: { type: 'string', doc: 'The region, e.g. eastern-europe (STIX region vocabulary, not checked).' },
      country: countryCode('The country', 'UA'),
      city: { type: 'string', doc: 'The city, when the location is one.' },
    },
  },
  INDICATOR: {
    label: 'Indicator', doc: 'A detection pattern (STIX indicator) that names no host or account (those become HOST or PERSONA).',
    fields: {
      pattern: { type: 'string', doc: 'The pattern as given, e.g. [file:hashes.\'SHA-256\' = \'…\'] (at most 20,000 characters).' },
      patternType: { type: 'string', doc: 'The pattern language: stix, snort, yara, sigma …' },
      validFrom: { type: 'datetime', doc: 'From when the pattern is valid (UTC).' },
      validUntil: { type: 'datetime', doc: 'Until when the pattern is valid (UTC); null when open.' },
      indicatorTypes: { type: 'strings', doc: 'What the indicator points at: malicious-activity, attribution … (STIX indicator_types).' },
    },
  },
  ASSET: {
    label: 'Asset', doc: 'A sort of device or system an attack aims at (ATT&CK for ICS assets: PLC, HMI, engineering workstation).',
    fields: { externalId: { type: 'string', doc: 'Its id in the framework, e.g. ATT&CK A0008.' } },
  },
  DETECTION: {
    label: 'Detection', doc: 'A way to detect a technique (ATT&CK detection strategy).',
    fields: { externalId: { type: 'string', doc: 'Its id in the framework, e.g. ATT&CK DET0738.' } },
  },
  ARTIFACT: {
    label: 'Artifact', doc: 'Any other producer object that can be a link end, its STIX type kept (ATT&CK analytics, data components, data sources; other x- custom objects).',
    fields: {
      stixType: { type: 'string', doc: 'The STIX type it came as, e.g. x-mitre-data-component; exported as that type.' },
      externalId: { type: 'string', doc: 'Its id in the framework, e.g. ATT&CK DC0045.' },
    },
  },
  SOURCE: {
    label: 'Source', doc: 'Evidence that links cite: a report, briefing, article or post. Reliability uses the Admiralty scale A–F.',
    fields: {
      title: { type: 'string', doc: 'The document\'s title (`name` is how the graph labels it).' },
      publisher: { type: 'string', doc: 'Who published it: a newspaper, agency, company …' },
      author: { type: 'string', doc: 'Who wrote or said it (several names separated by \';\').' },
      url: { type: 'string', doc: 'Where to read it: a URL, or a path for documents kept with the project.' },
      published: { type: 'datetime', doc: 'When it was published (UTC).' },
      reliability: { type: 'string', doc: 'How reliable the source is on the Admiralty scale: A (completely reliable) to F (cannot be judged).' },
      language: { type: 'string', doc: 'The document\'s language, as a code such as ar or en.' },
      sourceType: { type: 'string', doc: 'What sort of document: article, briefing, statement, analysis, report, stix-bundle … (free text).' },
    },
  },
} as const satisfies Record<string, KindSpec>;

export type EntityKind = keyof typeof KIND_SPECS;
export const ENTITY_KINDS = Object.keys(KIND_SPECS) as readonly EntityKind[];

/** Neo4j label (and GraphQL type) per kind (every entity also carries :Entity). */
export const KIND_LABEL = Object.fromEntries(
  ENTITY_KINDS.map((k) => [k, KIND_SPECS[k].label]),
) as Readonly<Record<EntityKind, string>>;
export const LABEL_KIND = Object.fromEntries(
  Object.entries(KIND_LABEL).map(([k, l]) => [l, k]),
) as Record<string, EntityKind>;

/** Kind-specific scalar properties an entity may carry, by kind: name → type. */
export const KIND_FIELDS = Object.fromEntries(ENTITY_KINDS.map((k) => [
  k, Object.fromEntries(Object.entries(KIND_SPECS[k].fields as Record<string, FieldSpec>).map(([f, s]) => [f, s.type])),
])) as Readonly<Record<EntityKind, Readonly<Record<string, FieldType>>>>;

/** Every kind-specific field name. A name shared by several kinds has one type and one input doc. */
export type KindFieldName = { [K in EntityKind]: keyof (typeof KIND_SPECS)[K]['fields'] }[EntityKind];

/**
 * What EntityInput says of each kind-specific field, after the kinds that have it (generated):
 * "HOST: who rightfully owns or runs it, …". TypeScript asks for one per field name.
 */
export const INPUT_FIELD_DOCS: Readonly<Record<KindFieldName, string>> = {
  country: 'a country code such as US, at most 1,000 characters.',
  firstSeen: 'when it was first observed (ISO-8601).',
  lastSeen: 'when it was last observed (ISO-8601).',
  objective: 'what it aims at, at most 20,000 characters.',
  assetCounts: 'counts of its assets as a source states them, e.g. "22 accounts", each at most 1,000 characters.',
  platform: 'where it lives (email, a social network …), at most 1,000 characters.',
  handle: 'its account name or address, at most 1,000 characters.',
  personaType: 'account, sender address, front outlet …, at most 1,000 characters.',
  hostType: 'website, domain, ip, mail server, network …, at most 1,000 characters.',
  value: 'its domain name, IP address or URL, at most 1,000 characters.',
  compromised: 'true when known to have been compromised (taken over from its owner).',
  owner: 'who rightfully owns or runs it, at most 1,000 characters.',
  sector: 'the sector, e.g. government, at most 1,000 characters.',
  role: 'their position, e.g. Director of the FBI (not an API Role), at most 1,000 characters.',
  summary: 'the message in a few sentences, at most 20,000 characters.',
  framework: 'DISARM or ATT&CK, at most 1,000 characters.',
  externalId: 'its id in the framework or catalogue, e.g. T1584, S0605, M0948, CVE-2021-44228, at most 1,000 characters.',
  killChainPhases: 'the kill-chain phases it belongs to, each at most 1,000 characters.',
  dataType: 'what the data is, e.g. voter records, at most 1,000 characters.',
  isPublic: 'true when the data is publicly available.',
  title: 'the document\'s title, at most 1,000 characters.',
  publisher: 'who published it, at most 1,000 characters.',
  author: 'who wrote or said it (names separated by \';\'), at most 1,000 characters.',
  url: 'where to read it, at most 1,000 characters.',
  published: 'publication date (ISO-8601).',
  reliability: 'Admiralty-scale reliability, one of A B C D E F (A completely reliable, F cannot be judged).',
  language: 'the document\'s language as a code such as ar or en, at most 1,000 characters.',
  sourceType: 'article, briefing, statement, analysis, report …, at most 1,000 characters.',
  malwareTypes: 'what sort of malware (ransomware, wiper …), each at most 1,000 characters.',
  isFamily: 'true for a malware family, false for one instance.',
  toolTypes: 'what sort of tool (remote-access …), each at most 1,000 characters.',
  region: 'the region, e.g. eastern-europe, at most 1,000 characters.',
  city: 'the city, at most 1,000 characters.',
  pattern: 'the detection pattern as given, at most 20,000 characters.',
  patternType: 'the pattern language: stix, snort, yara, sigma …, at most 1,000 characters.',
  validFrom: 'from when it is valid (ISO-8601).',
  validUntil: 'until when it is valid (ISO-8601).',
  indicatorTypes: 'what it points at (malicious-activity …), each at most 1,000 characters.',
  stixType: 'the STIX type it came as, e.g. x-mitre-data-component, at most 1,000 characters.',
};

export const TLPS = ['CLEAR', 'GREEN', 'AMBER', 'RED'] as const;
export type Tlp = (typeof TLPS)[number];
export const tlpRank = (t: Tlp): number => TLPS.indexOf(t);
/** What each TLP level means (the Tlp enum's value descriptions). */
export const TLP_DOCS: Readonly<Record<Tlp, string>> = {
  CLEAR: 'No restriction; the default marking, and all an anonymous caller sees.',
  GREEN: 'Shareable within the community, not publicly.',
  AMBER: 'Limited disclosure: the recipients\' organizations, on a need-to-know basis.',
  RED: 'For the named recipients only; the highest marking.',
};

export const ASSERTIONS = ['AFFIRMED', 'NEGATED', 'DISPUTED'] as const;
export type Assertion = (typeof ASSERTIONS)[number];
/** What each assertion states (the Assertion enum's value descriptions). */
export const ASSERTION_DOCS: Readonly<Record<Assertion, string>> = {
  AFFIRMED: 'The link states that it happened (the default).',
  NEGATED: 'The link states that it did not ("no sign that …"); a derived id ends in :negated.',
  DISPUTED: 'The claim is contested as such; a derived id ends in :disputed, and claims counts it as conflicting.',
};

export const RELIABILITIES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;

/**
 * How an ATTRIBUTED_TO link says the actor is responsible (its `attributionKind`; absent: not
 * said). The words of attribution trackers and platform takedown reports: the actor ran it itself,
 * someone ran it on the actor's behalf, or it was linked to the actor without saying how.
 */
export const ATTRIBUTION_KINDS = ['DIRECT', 'PROXY', 'LINKED'] as const;
export type AttributionKind = (typeof ATTRIBUTION_KINDS)[number];
export const ATTRIBUTION_KIND_DOCS: Readonly<Record<AttributionKind, string>> = {
  DIRECT: 'The actor itself ran the operation (its own agency, unit, staff or accounts).',
  PROXY: 'Someone else ran it on the actor\'s behalf or with its backing: a contractor, front, affiliated outlet or paid network.',
  LINKED: 'The source links it to the actor without saying how ("linked to individuals associated with …").',
};
export const isAttributionKind = (v: unknown): v is AttributionKind => typeof v === 'string' && (ATTRIBUTION_KINDS as readonly string[]).includes(v);

type Triple = readonly [from: readonly EntityKind[], to: readonly EntityKind[]];
const ACTORS = ['STATE_ACTOR', 'THREAT_GROUP'] as const;
const OPERATORS = ['STATE_ACTOR', 'THREAT_GROUP', 'CAMPAIGN'] as const;
const IDENTITIES = ['ORGANIZATION', 'PERSON'] as const;
/** Software an actor runs (STIX malware and tool). */
const SOFTWARE = ['MALWARE', 'TOOL'] as const;
/** What STIX `targets` may aim at beyond people: places, flaws, sorts of systems. */
const TARGETABLE = ['TARGET_GROUP', ...IDENTITIES, 'LOCATION', 'VULNERABILITY', 'ASSET'] as const;

export interface LinkTypeSpec {
  /** What the link states, in words (the LinkType enum's value description, with its kinds). */
  meaning: string;
  allowed: readonly Triple[];
}

export const LINK_TYPES = {
  ATTRIBUTED_TO: {
    meaning: 'who is responsible for an operation, group or persona: a state, a group, a person or an organization (how: attributionKind)',
    allowed: [[['CAMPAIGN', 'THREAT_GROUP', 'PERSONA'], [...ACTORS, ...IDENTITIES]]],
  },
  OPERATES: {
    meaning: 'an actor runs a group, persona or host',
    allowed: [[ACTORS, ['THREAT_GROUP', 'PERSONA', 'HOST']]],
  },
  USES: {
    meaning: 'an operation relies on a persona, host, technique, data asset, malware or tool; software uses techniques, hosts and other software',
    allowed: [
      [[...OPERATORS, 'PERSONA'], ['PERSONA', 'HOST', 'TECHNIQUE', 'DATA_ASSET', ...SOFTWARE]],
      [SOFTWARE, ['TECHNIQUE', 'HOST', ...SOFTWARE]],
    ],
  },
  COMPROMISED: {
    meaning: 'an actor or operation took control of a host',
    allowed: [[OPERATORS, ['HOST']]],
  },
  TAMPERED_WITH: {
    meaning: 'altered data or results (often stored NEGATED: "no sign of")',
    allowed: [[OPERATORS, ['DATA_ASSET', 'HOST']]],
  },
  IMPERSONATES: {
    meaning: 'a persona or operation poses as a real identity',
    allowed: [[['PERSONA', 'CAMPAIGN'], [...IDENTITIES, 'THREAT_GROUP']]],
  },
  TARGETS: {
    meaning: 'who or what an operation, technique or piece of software is aimed at (people, places, flaws, sorts of systems); also where something was sighted',
    allowed: [
      [[...OPERATORS, 'PERSONA'], ['TARGET_GROUP', ...IDENTITIES]],
      [[...OPERATORS, 'TECHNIQUE', ...SOFTWARE], TARGETABLE],
      [['INDICATOR'], ['TARGET_GROUP', ...IDENTITIES]],
    ],
  },
  OBTAINED: {
    meaning: 'an actor or operation acquired a data asset',
    allowed: [[OPERATORS, ['DATA_ASSET']]],
  },
  AMPLIFIES: {
    meaning: 'a persona or host spreads a narrative or another persona',
    allowed: [[['PERSONA', 'HOST'], ['NARRATIVE', 'PERSONA']]],
  },
  PROMOTES: {
    meaning: 'an operation or actor pushes a narrative',
    allowed: [[[...OPERATORS, 'PERSONA'], ['NARRATIVE']]],
  },
  AFFILIATED_WITH: {
    meaning: 'a person or organization belongs to, works for or speaks for an organization, group or state',
    allowed: [[IDENTITIES, ['ORGANIZATION', ...ACTORS]]],
  },
  OWNS: {
    meaning: 'a state, group, person or organization owns an outlet, host, persona or organization (ownership, not running it day to day: OPERATES)',
    allowed: [[[...ACTORS, ...IDENTITIES], ['HOST', 'PERSONA', 'ORGANIZATION']]],
  },
  AUTHORED_BY: {
    meaning: 'who produced a source',
    allowed: [[['SOURCE'], IDENTITIES]],
  },
  REPORTS: {
    meaning: 'a source relays another source',
    allowed: [[['SOURCE'], ['SOURCE']]],
  },
  RELATED_TO: {
    meaning: 'an operation follows, repeats or exploits another',
    allowed: [[['CAMPAIGN'], ['CAMPAIGN']]],
  },
  LOCATED_IN: {
    meaning: 'a host, identity or group is based in a state, or an operation is run from it (origin, not attribution)',
    allowed: [
      [['HOST', 'ORGANIZATION', 'PERSON', 'THREAT_GROUP', 'CAMPAIGN'], ['STATE_ACTOR']],
      [['HOST', 'ORGANIZATION', 'PERSON', 'TARGET_GROUP', 'THREAT_GROUP', 'STATE_ACTOR', 'CAMPAIGN'], ['LOCATION']],
    ],
  },
  SUBTECHNIQUE_OF: {
    meaning: 'a technique is a narrower case of another (a procedure of a technique, a technique of a tactic)',
    allowed: [[['TECHNIQUE'], ['TECHNIQUE']]],
  },
  MITIGATES: {
    meaning: 'a countermeasure prevents or answers a technique, a piece of software or a flaw',
    allowed: [[['COURSE_OF_ACTION'], ['TECHNIQUE', ...SOFTWARE, 'VULNERABILITY']]],
  },
  DETECTS: {
    meaning: 'a detection strategy, analytic, data component or indicator reveals a technique or a piece of software',
    allowed: [[['DETECTION', 'ARTIFACT', 'INDICATOR'], ['TECHNIQUE', ...SOFTWARE]]],
  },
  INDICATES: {
    meaning: 'an indicator\'s pattern points at an actor, operation, technique or piece of software',
    allowed: [[['INDICATOR'], [...OPERATORS, 'TECHNIQUE', ...SOFTWARE, 'HOST', 'PERSONA']]],
  },
  REVOKED_BY: {
    meaning: 'its producer replaced a record by another of the same kind (the revoked one is marked revoked)',
    allowed: ENTITY_KINDS.map((k): Triple => [[k], [k]]),
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
