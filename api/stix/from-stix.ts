// STIX object → entity record: which kind an object becomes, and its fields. Pure; the importer
// supplies the bundle's context (markings, identity names). Objects we exported carry our own
// fields in x_disinfo_* properties, which then win over the STIX ones.
import { KIND_FIELDS, type EntityKind, type Tlp } from '../../model/model.js';
import type { EntityInput } from '../../core/validate.js';
import type { MetricInput } from '../../core/metric-input.js';
import { identityKind, isArtifactType, kindForStixType, xName } from './mapping.js';
import { keptProperties } from './kept.js';
import { producerFields } from './references.js';
import { entityToStix, type EntityProps } from './to-stix.js';
import type { StixObject } from './stix-validate.js';

export interface StixContext {
  /** The TLP of an object, from its object_marking_refs. */
  tlpOf(o: StixObject): Tlp;
  /** The name of an identity in the bundle, for a report's publisher or a producer's source. */
  identityName(id: string): string | undefined;
  warn(group: string, example: string): void;
}

const MAX_TEXT = 20_000;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : undefined);
const first = (v: unknown): string | undefined => strings(v)?.[0];

const HOST_OBSERVABLES: Record<string, string> = { 'domain-name': 'domain', 'ipv4-addr': 'ip address', 'ipv6-addr': 'ip address', url: 'url' };
const PERSONA_OBSERVABLES: Record<string, string> = { 'email-addr': 'email', 'user-account': 'account' };

/** `[domain-name:value = 'x' OR ipv4-addr:value = 'y']` → the observables compared for equality, in order. */
export function patternObservables(pattern: string): Array<{ type: string; value: string }> {
  const out: Array<{ type: string; value: string }> = [];
  const re = /([a-z0-9-]+):(value|account_login|user_id|display_name)\s*=\s*'((?:[^'\\]|\\.)*)'/g;
  for (const m of pattern.matchAll(re)) out.push({ type: m[1], value: m[3].replace(/\\(.)/g, '$1') });
  return out;
}

/** What an indicator stands for in our model: the hosts or accounts its pattern names, else an INDICATOR (a file hash, a YARA rule …). */
function indicatorKind(o: StixObject): EntityKind {
  const seen = patternObservables(typeof o.pattern === 'string' ? o.pattern : '');
  if (seen.some((s) => HOST_OBSERVABLES[s.type])) return 'HOST';
  if (seen.some((s) => PERSONA_OBSERVABLES[s.type])) return 'PERSONA';
  return 'INDICATOR';
}

/** The kind a STIX object becomes, or null when it is kept raw. */
export function kindOfObject(o: StixObject): EntityKind | null {
  if (typeof o.x_disinfo_kind === 'string') return o.x_disinfo_kind as EntityKind;
  switch (o.type) {
    case 'threat-actor': return strings(o.threat_actor_types)?.includes('nation-state') ? 'STATE_ACTOR' : 'THREAT_GROUP';
    case 'intrusion-set': return 'THREAT_GROUP';
    case 'campaign': return 'CAMPAIGN';
    case 'infrastructure': case 'domain-name': case 'ipv4-addr': case 'ipv6-addr': case 'url': return 'HOST';
    case 'identity': return identityKind(o.identity_class);
    case 'attack-pattern': return 'TECHNIQUE';
    case 'report': return 'SOURCE';
    case 'email-addr': case 'user-account': return 'PERSONA';
    case 'x-narrative': return 'NARRATIVE';
    case 'x-data-asset': return 'DATA_ASSET';
    case 'indicator': return indicatorKind(o);
    default: return kindForStixType(o.type) ?? (isArtifactType(o.type) && str(o.name) ? 'ARTIFACT' : null);
  }
}

/** Our id for an object: the one we exported it with, else its STIX id (valid as ours too). */
export const ourIdOf = (o: StixObject): string => (typeof o.x_disinfo_id === 'string' ? o.x_disinfo_id : o.id);

const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
/** A timestamp as it came when it is a STIX one (precision kept), else normalised to UTC. */
function stamp(v: unknown): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  if (STAMP.test(s)) return s;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** The version to compare on re-import; observables have no `modified`, ours carry x_disinfo_modified. */
export const versionOf = (o: StixObject): string | undefined => stamp(o.modified) ?? stamp(o.x_disinfo_modified);
/** When the object was first made, as its producer says (kept and exported as it came). */
export const createdOf = (o: StixObject): string | undefined => stamp(o.created) ?? stamp(o.x_disinfo_created);

/** The first external_id among the references (ATT&CK's own id comes first: S0605, M0948, A0008). */
const externalIdOf = (refs: Array<Record<string, unknown>>): string | undefined => refs.map((r) => str(r.external_id)).find(Boolean);

/** Kind-specific fields read from the standard STIX properties (objects from other producers). */
function stixFields(o: StixObject, kind: EntityKind, ctx: StixContext): Record<string, unknown> {
  const refs = Array.isArray(o.external_references) ? (o.external_references as Array<Record<string, unknown>>) : [];
  switch (kind) {
    case 'CAMPAIGN': return { firstSeen: o.first_seen, lastSeen: o.last_seen, objective: o.objective };
    case 'TARGET_GROUP': case 'ORGANIZATION': return { sector: first(o.sectors) };
    case 'PERSON': return { role: first(o.roles) };
    case 'TECHNIQUE': {
      const ref = refs.find((r) => str(r.external_id)) ?? refs[0];
      const phases = Array.isArray(o.kill_chain_phases) ? (o.kill_chain_phases as Array<Record<string, unknown>>) : [];
      return {
        framework: str(ref?.source_name) ?? str(phases[0]?.kill_chain_name), externalId: str(ref?.external_id),
        killChainPhases: phases.map((p) => str(p.phase_name)).filter((p): p is string => !!p),
      };
    }
    case 'SOURCE': return {
      title: o.name, published: o.published, sourceType: first(o.report_types) ?? 'report', language: o.lang,
      url: refs.map((r) => str(r.url)).find(Boolean), publisher: typeof o.created_by_ref === 'string' ? ctx.identityName(o.created_by_ref) : undefined,
    };
    case 'HOST': {
      if (o.type === 'infrastructure') return { hostType: first(o.infrastructure_types) };
      if (o.type === 'indicator') {
        const hit = patternObservables(String(o.pattern)).find((s) => HOST_OBSERVABLES[s.type]);
        return { hostType: hit && HOST_OBSERVABLES[hit.type], value: hit?.value };
      }
      return { hostType: HOST_OBSERVABLES[o.type], value: o.value };
    }
    case 'PERSONA': {
      if (o.type === 'user-account') return { platform: o.account_type, handle: str(o.account_login) ?? str(o.user_id), personaType: 'account' };
      if (o.type === 'indicator') {
        const hit = patternObservables(String(o.pattern)).find((s) => PERSONA_OBSERVABLES[s.type]);
        return { platform: hit?.type === 'email-addr' ? 'email' : undefined, handle: hit?.value, personaType: hit && PERSONA_OBSERVABLES[hit.type] };
      }
      return { platform: 'email', handle: o.value, personaType: 'email address' };
    }
    case 'NARRATIVE': return { summary: o.summary };
    case 'DATA_ASSET': return { dataType: o.data_type, isPublic: o.is_public };
    case 'MALWARE': return { externalId: externalIdOf(refs), malwareTypes: strings(o.malware_types), isFamily: typeof o.is_family === 'boolean' ? o.is_family : undefined };
    case 'TOOL': return { externalId: externalIdOf(refs), toolTypes: strings(o.tool_types) };
    case 'VULNERABILITY': case 'COURSE_OF_ACTION': case 'ASSET': case 'DETECTION': return { externalId: externalIdOf(refs) };
    case 'ARTIFACT': return { stixType: o.type, externalId: externalIdOf(refs) };
    case 'LOCATION': return { region: str(o.region), country: str(o.country), city: str(o.city) };
    case 'INDICATOR': return {
      pattern: o.pattern, patternType: str(o.pattern_type), validFrom: stamp(o.valid_from), validUntil: stamp(o.valid_until), indicatorTypes: strings(o.indicator_types),
    };
    default: return {};
  }
}

/** Kind-specific fields from our x_disinfo_* properties (objects we exported). */
function ourFields(o: StixObject, kind: EntityKind): Record<string, unknown> {
  return Object.fromEntries(Object.keys(KIND_FIELDS[kind] ?? {}).map((f) => [f, o[xName(f)]]));
}

function displayName(o: StixObject): string {
  const values = o.type === 'indicator' ? patternObservables(String(o.pattern)).map((s) => s.value) : [];
  return str(o.name) ?? str(o.display_name) ?? str(o.value) ?? str(o.account_login) ?? str(o.user_id) ?? values[0]
    ?? (o.type === 'location' ? str(o.city) ?? str(o.country) ?? str(o.region) : undefined)
    ?? (o.type === 'indicator' ? str(o.pattern)?.slice(0, 200) : undefined) ?? o.id;
}

function aliasesOf(o: StixObject): string[] | undefined {
  if (o.x_disinfo_kind) return strings(o.x_disinfo_aliases);
  // ATT&CK lists software's aliases (the name first) in x_mitre_aliases.
  const aliases = strings(o.aliases) ?? strings(o.x_mitre_aliases)?.filter((a) => a !== o.name) ?? [];
  // An indicator matching several hosts or accounts keeps the others as aliases.
  const values = o.type === 'indicator' ? patternObservables(String(o.pattern)).map((s) => s.value).slice(1, 50) : [];
  const all = [...new Set([...aliases, ...values])];
  return all.length ? all : undefined;
}

/** The entity record for a mapped object (null when the object is kept raw). */
export function entityFromStix(o: StixObject, ctx: StixContext): EntityInput | null {
  const kind = kindOfObject(o);
  if (!kind) return null;
  let description = str(o.description) ?? str(o.x_disinfo_description);
  if (description && description.length > MAX_TEXT) {
    ctx.warn('descriptions cut to 20,000 characters', o.id);
    description = description.slice(0, MAX_TEXT);
  }
  const fields = o.x_disinfo_kind ? ourFields(o, kind) : stixFields(o, kind, ctx);
  const entity: EntityInput = {
    id: ourIdOf(o), kind, name: displayName(o), aliases: aliasesOf(o), description, tlp: ctx.tlpOf(o),
    stixId: o.id, stixCreated: createdOf(o), stixModified: versionOf(o),
  };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) entity[k] = v;
  Object.assign(entity, producerFields(o));
  const metrics = metricsFromStix(o.x_disinfo_metrics);
  if (metrics) entity.metrics = metrics;
  // The rest of what the producer said, compared with our export's view of the record.
  // An object that goes out as another type (an indicator that became a host) keeps nothing of its own type.
  const view = entityToStix(entity as EntityProps);
  if (view.type !== o.type) return entity;
  const { json, dropped } = keptProperties(o, view);
  if (json) entity.keptProperties = json;
  if (dropped.length) ctx.warn('properties left out of keptProperties (over 64 KiB)', `${o.id}: ${dropped.join(', ')}`);
  return entity;
}

/** x_disinfo_metrics (to-stix.ts) back as metric inputs; anything else is left for validation to name. */
export function metricsFromStix(v: unknown): MetricInput[] | undefined {
  if (!Array.isArray(v) || !v.length) return undefined;
  return v.map((m: Record<string, unknown>) => ({ name: m?.name as string, value: m?.value as number, unit: (m?.unit as string | undefined) ?? null, asOf: (m?.as_of as string | undefined) ?? null }));
}
