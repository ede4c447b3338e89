// Model → STIX objects. Standard STIX properties carry what other tools understand; everything
// we hold also travels in x_disinfo_* properties (id, kind, fields, assertion, citations), so that
// importing our own export restores the graph exactly.
import { KIND_FIELDS, type EntityKind, type Tlp } from '../../model/model.js';
import { metricsOf, type Metric } from '../../model/metrics.js';
import type { LinkRecord } from '../store/records.js';
import { stixIdFor } from './ids.js';
import { withKept } from './kept.js';
import { IDENTITY_CLASS, OBSERVABLE_SHAPED, RELATIONSHIP_TYPE, exportStixType, isObservableShaped, killChainName, markingIdFor, xName } from './mapping.js';

/** An entity as stored: the node's properties. */
export type EntityProps = Record<string, unknown> & { id: string; kind: EntityKind; name: string };
/** A link as read (records.ts) plus the relationship's own bookkeeping properties. */
export type LinkProps = LinkRecord & {
  createdAt?: unknown; updatedAt?: unknown; stixId?: unknown; stixCreated?: unknown; stixModified?: unknown; sightingCount?: unknown;
  externalReferences?: unknown; revoked?: unknown; deprecated?: unknown; confidenceDefaulted?: unknown; keptProperties?: unknown;
};

const WITH_ALIASES = new Set(['threat-actor', 'intrusion-set', 'campaign', 'infrastructure', 'attack-pattern', 'malware', 'tool']);

/** STIX timestamps: UTC with milliseconds. */
export function stixTime(value: unknown, fallback = new Date()): string {
  const t = typeof value === 'string' ? Date.parse(value) : NaN;
  return (Number.isNaN(t) ? fallback : new Date(t)).toISOString();
}

export const entityStixId = (n: { id: string; kind: EntityKind; stixId?: unknown }): string => stixIdFor(exportStixType(n), n.id, n.stixId);
export const linkStixId = (l: { id: string; stixId?: unknown }): string => stixIdFor('relationship', l.id, l.stixId);

const isAbsoluteUrl = (v: unknown): v is string => typeof v === 'string' && /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(v);
const nonEmpty = (v: unknown) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);

/** Drops absent values and empty lists: the STIX schemas reject null and `[]`. */
function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => nonEmpty(v)));
}

/** The schemas tie CAPEC and CVE ids to those source names. */
const referenceSource = (externalId: unknown, fallback: string) =>
  /^CAPEC-\d+$/.test(String(externalId)) ? 'capec' : /^CVE-\d{4}-\d+$/.test(String(externalId)) ? 'cve' : fallback;

const parsed = (v: unknown): unknown[] | undefined => {
  if (typeof v !== 'string') return undefined;
  try {
    const x: unknown = JSON.parse(v);
    return Array.isArray(x) && x.length ? x : undefined;
  } catch {
    return undefined;
  }
};

/**
 * What the producer said beside our fields (core/validate.ts PROVENANCE_FIELDS), as it came:
 * external_references and kill_chain_phases whole, revoked, x_mitre_deprecated, x_mitre_platforms,
 * an identity's sectors and roles.
 */
function producerProperties(r: object): Record<string, unknown> {
  const p = r as { externalReferences?: unknown; killChains?: unknown; revoked?: unknown; deprecated?: unknown; platforms?: unknown; sectors?: unknown; roles?: unknown };
  const out = compact({
    external_references: parsed(p.externalReferences), kill_chain_phases: parsed(p.killChains),
    revoked: typeof p.revoked === 'boolean' ? p.revoked : undefined,
    x_mitre_deprecated: typeof p.deprecated === 'boolean' ? p.deprecated : undefined,
    x_mitre_platforms: Array.isArray(p.platforms) ? p.platforms : undefined,
    sectors: Array.isArray(p.sectors) ? p.sectors : undefined, roles: Array.isArray(p.roles) ? p.roles : undefined,
  });
  // Which standard properties are the producer's, so that importing our export keeps them as such.
  const kept = Object.keys(out);
  return kept.length ? { ...out, x_disinfo_kept: kept } : out;
}

/** A record's own id as its one reference (the producer's references, when kept, replace it). */
const idReference = (externalId: unknown) => (typeof externalId === 'string' && externalId
  ? [{ source_name: referenceSource(externalId, 'external'), external_id: externalId }] : undefined);

/** The standard STIX view of a kind's fields. */
function standardFields(n: EntityProps, type: string, extra: { objectRefs?: string[]; createdByRef?: string }): Record<string, unknown> {
  switch (n.kind) {
    case 'STATE_ACTOR': return { threat_actor_types: ['nation-state'] };
    case 'CAMPAIGN': return {
      first_seen: n.firstSeen ? stixTime(n.firstSeen) : undefined, last_seen: n.lastSeen ? stixTime(n.lastSeen) : undefined, objective: n.objective,
    };
    case 'TARGET_GROUP': case 'ORGANIZATION': case 'PERSON': return { identity_class: IDENTITY_CLASS[n.kind] };
    case 'TECHNIQUE': {
      const phases = Array.isArray(n.killChainPhases) ? (n.killChainPhases as string[]) : [];
      const source = killChainName(n.framework);
      return {
        kill_chain_phases: phases.map((phase_name) => ({ kill_chain_name: source, phase_name })),
        external_references: n.externalId ? [{ source_name: referenceSource(n.externalId, source), external_id: n.externalId }] : undefined,
      };
    }
    case 'PERSONA': return { account_login: n.handle, account_type: n.platform };
    // STIX 2.1 requires is_family; a producer that did not say (ATT&CK's software) names families.
    case 'MALWARE': return { is_family: typeof n.isFamily === 'boolean' ? n.isFamily : true, malware_types: n.malwareTypes, external_references: idReference(n.externalId) };
    case 'TOOL': return { tool_types: n.toolTypes, external_references: idReference(n.externalId) };
    case 'VULNERABILITY': case 'COURSE_OF_ACTION': case 'ASSET': case 'DETECTION': case 'ARTIFACT': return { external_references: idReference(n.externalId) };
    case 'LOCATION': return { region: n.region, country: n.country, city: n.city };
    case 'INDICATOR': return {
      pattern: n.pattern, pattern_type: n.patternType ?? 'stix', indicator_types: n.indicatorTypes,
      valid_from: stixTime(n.validFrom ?? n.stixCreated ?? n.createdAt), valid_until: n.validUntil ? stixTime(n.validUntil) : undefined,
    };
    case 'SOURCE': return {
      published: stixTime(n.published ?? n.createdAt), report_types: n.sourceType ? [n.sourceType] : undefined,
      object_refs: extra.objectRefs, created_by_ref: extra.createdByRef,
      external_references: isAbsoluteUrl(n.url) ? [{ source_name: typeof n.publisher === 'string' ? n.publisher : 'source', url: n.url }] : undefined,
    };
    default: return type === 'x-narrative' ? { summary: n.summary } : {};
  }
}

export function entityToStix(n: EntityProps, extra: { objectRefs?: string[]; createdByRef?: string } = {}): Record<string, unknown> {
  const type = exportStixType(n);
  const observable = isObservableShaped(type);
  // Versions travel as they came: an imported object keeps its producer's created/modified
  // (a local edit moves stixModified on); a local one has our write times.
  const created = typeof n.stixCreated === 'string' ? n.stixCreated : stixTime(n.createdAt);
  const modified = typeof n.stixModified === 'string' ? n.stixModified : stixTime(n.updatedAt, new Date(created));
  const ours: Record<string, unknown> = { x_disinfo_id: n.id, x_disinfo_kind: n.kind, x_disinfo_aliases: n.aliases, x_disinfo_metrics: metricsToStix(metricsOf(n)) };
  for (const field of Object.keys(KIND_FIELDS[n.kind] ?? {})) ours[xName(field)] = n[field];
  // A report's object_refs are the exporter's to fill (what the caller may see); the rest as kept.
  return withKept(compact({
    type, spec_version: '2.1', id: entityStixId(n),
    ...(observable
      ? {
        display_name: type === 'user-account' ? n.name : undefined, name: type === 'user-account' ? undefined : n.name,
        // A producer's custom object (ATT&CK's) keeps its description where it was; only the versions move.
        ...(OBSERVABLE_SHAPED.has(type) ? { x_disinfo_description: n.description } : { description: n.description }),
        x_disinfo_created: created, x_disinfo_modified: modified,
      }
      : { created, modified, name: n.name, description: n.description }),
    aliases: WITH_ALIASES.has(type) ? n.aliases : undefined,
    ...standardFields(n, type, extra),
    ...producerProperties(n),
    object_marking_refs: [markingIdFor((n.tlp as Tlp | undefined) ?? 'CLEAR')],
    ...ours,
  }), n.keptProperties, extra.objectRefs ? ['object_refs'] : []);
}

/** A link as a relationship; `ends` are the STIX ids of its two entities. */
export function linkToStix(l: LinkProps, ends: { from: string; to: string }): Record<string, unknown> {
  const created = typeof l.stixCreated === 'string' ? l.stixCreated : stixTime(l.createdAt);
  const modified = typeof l.stixModified === 'string' ? l.stixModified : stixTime(l.updatedAt, new Date(created));
  // STIX wants stop_time later than start_time; an equal lastSeen travels as ours only.
  const stopTime = l.lastSeen && (!l.firstSeen || Date.parse(l.lastSeen) > Date.parse(l.firstSeen)) ? stixTime(l.lastSeen) : undefined;
  return withKept(compact({
    type: 'relationship', spec_version: '2.1', id: linkStixId(l), created, modified,
    relationship_type: RELATIONSHIP_TYPE[l.type], source_ref: ends.from, target_ref: ends.to,
    // A confidence the producer did not give (the import's default) is not invented on the way out.
    confidence: l.confidenceDefaulted === true ? undefined : l.confidence, description: l.description,
    start_time: l.firstSeen ? stixTime(l.firstSeen) : undefined, stop_time: stopTime,
    ...producerProperties(l),
    object_marking_refs: [markingIdFor(l.tlp)],
    x_disinfo_id: l.id, x_disinfo_type: l.type, x_disinfo_assertion: l.assertion,
    x_disinfo_citations: l.citations.map((c) => compact({ source: c.source, locator: c.locator, quote: c.quote, via: c.via })),
    x_disinfo_last_seen: l.lastSeen && !stopTime ? stixTime(l.lastSeen) : undefined,
    x_disinfo_sighting_count: l.sightingCount,
    x_disinfo_attribution_kind: l.attributionKind ?? undefined,
    x_disinfo_metrics: metricsToStix(l.metrics ?? []),
  }), l.keptProperties);
}

/** Metrics travel as x_disinfo_metrics: [{name, value, unit, as_of}] (STIX property names are snake case). */
function metricsToStix(metrics: readonly Metric[]): Array<Record<string, unknown>> | undefined {
  return metrics.length ? metrics.map((m) => compact({ name: m.name, value: m.value, unit: m.unit, as_of: m.asOf })) : undefined;
}

/**
 * A raw object as STIX 2.1. An object without `spec_version` came as STIX 2.0: it gains
 * `spec_version: "2.1"` and what 2.1 requires that 2.0 did not have (malware's `is_family`,
 * an indicator's `pattern_type`), with the defaults the mapped export uses; nothing else changes.
 */
export function rawAsStix21(o: Record<string, unknown>): Record<string, unknown> {
  if (o.spec_version !== undefined) return o;
  const out: Record<string, unknown> = { ...o, spec_version: '2.1' };
  if (o.type === 'malware' && typeof o.is_family !== 'boolean') out.is_family = true;
  if (o.type === 'indicator' && o.pattern_type === undefined) out.pattern_type = 'stix';
  return out;
}
