// The STIX 2.1 ↔ model tables, both ways: object types per kind, relationship types per link
// type, TLP marking definitions. The tables are typed Record<EntityKind, …> and Record<LinkType, …>,
// so TypeScript refuses a kind or link type added to model/model.ts until it is mapped here.
import { LINK_TYPE_NAMES, TLPS, type EntityKind, type LinkType, type Tlp } from '../../model/model.js';

/**
 * What each kind is exported as. PERSONA, NARRATIVE and DATA_ASSET have no STIX domain object.
 * On import, a type named here for one kind only becomes that kind (from-stix.ts: kindOfObject).
 */
export const KIND_STIX_TYPE: Readonly<Record<EntityKind, string>> = {
  STATE_ACTOR: 'threat-actor', THREAT_GROUP: 'intrusion-set', CAMPAIGN: 'campaign', PERSONA: 'user-account',
  HOST: 'infrastructure', TARGET_GROUP: 'identity', ORGANIZATION: 'identity', PERSON: 'identity',
  NARRATIVE: 'x-narrative', TECHNIQUE: 'attack-pattern', DATA_ASSET: 'x-data-asset',
  MALWARE: 'malware', TOOL: 'tool', VULNERABILITY: 'vulnerability', COURSE_OF_ACTION: 'course-of-action', LOCATION: 'location',
  INDICATOR: 'indicator', ASSET: 'x-mitre-asset', DETECTION: 'x-mitre-detection-strategy',
  ARTIFACT: 'x-disinfo-artifact', // an artifact exports as the type it came as (artifactStixType)
  SOURCE: 'report',
};

/**
 * Custom (x-) object types that stay raw instead of becoming an ARTIFACT: the frameworks'
 * scaffolding (tactics are kill_chain_phases on techniques; a matrix or collection lists objects).
 */
const RAW_CUSTOM = new Set(['x-mitre-tactic', 'x-mitre-matrix', 'x-mitre-collection']);

/** A producer's custom object that has no kind of its own becomes an ARTIFACT: an x- type, named, not scaffolding. */
export const isArtifactType = (type: string): boolean => type.startsWith('x-') && !type.startsWith('x-disinfo-') && !RAW_CUSTOM.has(type);

/** The STIX type an ARTIFACT exports as: the type of the STIX id it came with, else x-disinfo-artifact. */
export function artifactStixType(stixId: unknown): string {
  const type = typeof stixId === 'string' && stixId.includes('--') ? stixId.slice(0, stixId.indexOf('--')) : '';
  return type.startsWith('x-') ? type : KIND_STIX_TYPE.ARTIFACT;
}

/** The STIX type an entity exports as. */
export const exportStixType = (n: { kind: EntityKind; stixId?: unknown }): string =>
  (n.kind === 'ARTIFACT' ? artifactStixType(n.stixId)
    // A group that came as a threat-actor (criminal, activist …) goes back as one, under its own id.
    : n.kind === 'THREAT_GROUP' && typeof n.stixId === 'string' && n.stixId.startsWith('threat-actor--') ? 'threat-actor'
      : KIND_STIX_TYPE[n.kind]);

/**
 * Types exported without `created`/`modified`: cyber-observable shaped. The OASIS bundle schema
 * accepts a custom object only if it matches exactly one of core and cyber-observable-core, and
 * an object with `created` and `modified` matches both.
 */
export const OBSERVABLE_SHAPED = new Set(['user-account', 'x-narrative', 'x-data-asset']);
/** Observable-shaped on export: ours above, and every custom (x-) type (ATT&CK's assets, detection strategies, artifacts). */
export const isObservableShaped = (type: string): boolean => OBSERVABLE_SHAPED.has(type) || type.startsWith('x-');

/** STIX type → kind, for the types KIND_STIX_TYPE gives to one kind only (a new kind imports without more code). */
const SOLE_KIND = new Map(Object.entries(KIND_STIX_TYPE)
  .filter(([, t], _, all) => all.filter(([, u]) => u === t).length === 1)
  .map(([k, t]) => [t, k as EntityKind]));
export const kindForStixType = (type: string): EntityKind | undefined => SOLE_KIND.get(type);

export const IDENTITY_CLASS: Partial<Record<EntityKind, string>> = {
  TARGET_GROUP: 'class', ORGANIZATION: 'organization', PERSON: 'individual',
};

/** identity_class → kind; `group` and `class` are audiences, anything else an organization. */
export function identityKind(identityClass: unknown): EntityKind {
  if (identityClass === 'individual') return 'PERSON';
  if (identityClass === 'group' || identityClass === 'class') return 'TARGET_GROUP';
  return 'ORGANIZATION';
}

/**
 * The relationship_type we export per link type, also accepted on import: STIX 2.1's own where it
 * has one, an x- custom type otherwise. Each must be unique (a unit test checks).
 */
export const RELATIONSHIP_TYPE: Readonly<Record<LinkType, string>> = {
  ATTRIBUTED_TO: 'attributed-to',
  OPERATES: 'x-operates', // running it; owning it is OWNS (STIX `owns`)
  USES: 'uses',
  COMPROMISED: 'compromises',
  TAMPERED_WITH: 'x-tampered-with',
  IMPERSONATES: 'impersonates',
  TARGETS: 'targets',
  OBTAINED: 'x-obtained',
  AMPLIFIES: 'x-amplifies',
  PROMOTES: 'x-promotes',
  AFFILIATED_WITH: 'x-affiliated-with',
  OWNS: 'owns', // STIX 2.1's threat-actor owns infrastructure; here any owner and outlets too
  AUTHORED_BY: 'x-authored-by', // STIX says created_by_ref on the report; a relationship keeps the citations
  REPORTS: 'derived-from', // also report.object_refs in STIX
  RELATED_TO: 'related-to',
  LOCATED_IN: 'located-at',
  SUBTECHNIQUE_OF: 'subtechnique-of',
  MITIGATES: 'mitigates',
  DETECTS: 'detects', // ATT&CK's (a detection strategy or data component detects a technique)
  INDICATES: 'indicates',
  REVOKED_BY: 'revoked-by',
};

/** How a relationship_type imports: a link type, its ends swapped or not. */
export interface ImportType { type: LinkType; reversed?: boolean; otherwise?: ImportType }
/**
 * relationship_type → link type; `reversed` swaps the ends; `otherwise` is tried when the model does
 * not allow the first for the ends' kinds (an indicator that became a HOST or PERSONA is used by
 * what it indicates).
 */
const IMPORT_TYPES: Record<string, ImportType> = {
  ...Object.fromEntries(LINK_TYPE_NAMES.map((t) => [RELATIONSHIP_TYPE[t], { type: t }])),
  // What OWNS does not allow (an actor owning a group) was running it.
  owns: { type: 'OWNS', otherwise: { type: 'OPERATES' } },
  indicates: { type: 'INDICATES', otherwise: { type: 'USES', reversed: true } },
};
export const linkTypeFor = (relationshipType: string): ImportType | undefined => IMPORT_TYPES[relationshipType];

/** Sightings become TARGETS: what was sighted reached the identities that sighted it. */
export const SIGHTING_LINK_TYPE: LinkType = 'TARGETS';

// TLP 2.0 marking definitions (FIRST TLP 2.0 extension) and the STIX 2.1 TLP 1.0 ones.
const TLP2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';
const TLP2_IDS: Record<Tlp, string> = {
  CLEAR: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  GREEN: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  AMBER: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  RED: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};
const KNOWN_MARKINGS: Record<string, Tlp> = {
  ...Object.fromEntries(TLPS.map((t) => [TLP2_IDS[t], t])),
  'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003': 'AMBER', // TLP:AMBER+STRICT
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'CLEAR', // TLP 1.0 WHITE
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'GREEN',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'AMBER',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'RED',
};

/** A TLP level from a TLP word in any spelling ("white", "amber+strict", "TLP:RED"). */
export function tlpFromWord(word: unknown): Tlp | undefined {
  if (typeof word !== 'string') return undefined;
  const w = word.toUpperCase().replace(/^TLP:/, '').replace('+STRICT', '');
  return w === 'WHITE' ? 'CLEAR' : (TLPS as readonly string[]).includes(w) ? (w as Tlp) : undefined;
}

/** The TLP a marking-definition object defines (TLP 1.0 `definition.tlp` or the TLP 2.0 extension), if any. */
export function tlpOfMarkingDefinition(obj: Record<string, unknown>): Tlp | undefined {
  if (typeof obj.id === 'string' && KNOWN_MARKINGS[obj.id]) return KNOWN_MARKINGS[obj.id];
  const definition = obj.definition as Record<string, unknown> | undefined;
  if (obj.definition_type === 'tlp' && definition) return tlpFromWord(definition.tlp);
  const ext = (obj.extensions as Record<string, Record<string, unknown>> | undefined)?.[TLP2_EXTENSION];
  return tlpFromWord(ext?.tlp_2_0);
}

export const knownMarkingTlp = (id: string): Tlp | undefined => KNOWN_MARKINGS[id];
export const markingIdFor = (tlp: Tlp): string => TLP2_IDS[tlp];

/** The TLP 2.0 marking-definition object for a level, as the extension defines it. */
export function markingDefinition(tlp: Tlp): Record<string, unknown> {
  return {
    type: 'marking-definition', spec_version: '2.1', id: TLP2_IDS[tlp], created: '2022-10-01T00:00:00.000Z', name: `TLP:${tlp}`,
    extensions: { [TLP2_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: tlp.toLowerCase() } },
  };
}

/** `killChainPhases` → `x_disinfo_kill_chain_phases`: where our fields travel in STIX. */
export const xName = (field: string): string => `x_disinfo_${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;

/** The kill_chain_name a framework's phases go under. */
export function killChainName(framework: unknown): string {
  const f = typeof framework === 'string' ? framework.toLowerCase() : '';
  if (f.includes('att&ck') || f.includes('attack')) return 'mitre-attack';
  return f.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'disinfo';
}
