// Shared by the STIX tests: the OASIS schemas (skipped when absent), a graph snapshot to compare
// round trips, and a hand-written bundle with every type we map, written after the STIX 2.1 spec.
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../db/launcher.js';
import type { Executor } from '../api/store/executor.js';
import { schemaValidator } from '../api/stix/stix-validate.js';
import { resetGraph } from './helpers.js';

export const SCHEMA_DIR = path.resolve(projectRoot, '..', 'shared', 'stix2-json-schemas');
const haveSchemas = fs.existsSync(path.join(SCHEMA_DIR, 'schemas'));
/** For `it(name, { skip }, …)`: false, or why the schema tests cannot run here. */
export const skipWithoutSchemas: string | false = haveSchemas ? false : `the OASIS STIX schemas are not at ${SCHEMA_DIR}`;
let validator: ((bundle: unknown) => string[]) | undefined;
export const schemaProblems = (bundle: unknown): string[] => (validator ??= schemaValidator(SCHEMA_DIR))(bundle);

export function exampleBundles(): string[] {
  const dir = path.join(SCHEMA_DIR, 'examples');
  if (!fs.existsSync(dir)) return [];
  return [dir, path.join(dir, 'threat-reports')].filter((d) => fs.existsSync(d))
    .flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.json')).map((f) => path.join(d, f)));
}

/** Removes entities and raw STIX objects, keeping API keys (tests call the API with them). */
export const emptyGraph = (ex: Executor): Promise<void> => resetGraph(ex, ['Entity', 'StixRaw']);

const BOOKKEEPING = new Set(['createdAt', 'updatedAt', 'updatedBy', 'stixId', 'stixCreated', 'stixModified']);
const strip = (p: Record<string, unknown>) => Object.fromEntries(Object.entries(p).filter(([k]) => !BOOKKEEPING.has(k)).sort(([a], [b]) => a.localeCompare(b)));

/** Every entity and link with all properties but write bookkeeping, sorted: equal snapshots, same graph. */
export async function snapshot(ex: Executor) {
  const entities = await ex.read<{ p: Record<string, unknown>; labels: string[] }>('MATCH (n:Entity) RETURN properties(n) AS p, labels(n) AS labels ORDER BY n.id');
  const links = await ex.read<{ type: string; from: string; to: string; p: Record<string, unknown> }>(
    'MATCH (a:Entity)-[r]->(b:Entity) RETURN type(r) AS type, a.id AS from, b.id AS to, properties(r) AS p ORDER BY r.id');
  return {
    entities: entities.map((r) => ({ ...strip(r.p), labels: [...r.labels].sort() })),
    links: links.map((r) => ({ type: r.type, from: r.from, to: r.to, ...strip(r.p) })),
  };
}

const T = '2024-03-01T10:00:00.000Z';
const id = (type: string, n: number) => `${type}--0000000${n}-0000-4000-8000-00000000000${n % 10}`;
export const EVERY = {
  bundle: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
  nationState: id('threat-actor', 1), criminals: id('threat-actor', 2), apt: id('intrusion-set', 1), campaign: id('campaign', 1),
  c2: id('infrastructure', 1), analyst: id('identity', 1), vendor: id('identity', 2), voters: id('identity', 3), diaspora: id('identity', 4),
  phishing: id('attack-pattern', 1), report: id('report', 1), usesRel: id('relationship', 1), attributedRel: id('relationship', 2),
  targetsRel: id('relationship', 3), forbiddenRel: id('relationship', 4), toMalwareRel: id('relationship', 5), indicatesRel: id('relationship', 6),
  sighting: id('sighting', 1), indicator: id('indicator', 1), domain: id('domain-name', 1), ip: id('ipv4-addr', 1), url: id('url', 1),
  email: id('email-addr', 1), account: id('user-account', 1), narrative: id('x-narrative', 1), malware: id('malware', 1), tactic: id('x-mitre-tactic', 1),
  statement: id('marking-definition', 1), customGreen: id('marking-definition', 2),
  tlp1Amber: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', tlp2Red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** One of each object type we map (and some we keep raw), as another producer would write them. */
export function everyTypeBundle(): { type: string; id: string; objects: Array<Record<string, unknown>> } {
  const E = EVERY;
  const sdo = (type: string, oid: string, more: Record<string, unknown>) => ({ type, spec_version: '2.1', id: oid, created: T, modified: T, ...more });
  const sco = (type: string, oid: string, more: Record<string, unknown>) => ({ type, spec_version: '2.1', id: oid, ...more });
  return {
    type: 'bundle', id: E.bundle,
    objects: [
      sdo('relationship', E.usesRel, { relationship_type: 'uses', source_ref: E.campaign, target_ref: E.phishing, confidence: 85, start_time: '2024-01-05T00:00:00Z', stop_time: '2024-02-10T00:00:00Z' }),
      sdo('threat-actor', E.nationState, { name: 'Republic of Examplia', threat_actor_types: ['nation-state'], aliases: ['Examplia'], object_marking_refs: [E.tlp1Amber] }),
      sdo('threat-actor', E.criminals, { name: 'Click Farm Ltd', threat_actor_types: ['criminal'] }),
      sdo('intrusion-set', E.apt, { name: 'APT Example', aliases: ['Example Bear'], description: 'Older text' }),
      sdo('intrusion-set', E.apt, { name: 'APT Example', aliases: ['Example Bear'], description: 'Newer text', modified: '2024-03-02T10:00:00.000Z' }),
      sdo('campaign', E.campaign, { name: 'Operation Mirage', first_seen: '2024-01-01T00:00:00Z', last_seen: '2024-02-28T00:00:00Z', objective: 'Depress turnout', object_marking_refs: [E.tlp2Red] }),
      sdo('infrastructure', E.c2, { name: 'Mirage C2', infrastructure_types: ['command-and-control'], object_marking_refs: [E.customGreen] }),
      sdo('identity', E.analyst, { name: 'Jane Analyst', identity_class: 'individual', roles: ['researcher'] }),
      sdo('identity', E.vendor, { name: 'Example Threat Intel', identity_class: 'organization', sectors: ['technology'] }),
      sdo('identity', E.voters, { name: 'First-time voters', identity_class: 'class' }),
      sdo('identity', E.diaspora, { name: 'Diaspora communities', identity_class: 'group' }),
      sdo('attack-pattern', E.phishing, {
        name: 'Phishing', kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'initial-access' }],
        external_references: [{ source_name: 'mitre-attack', external_id: 'T1566', url: 'https://attack.mitre.org/techniques/T1566' }],
      }),
      sdo('report', E.report, {
        name: 'Mirage report', published: '2024-03-01T00:00:00Z', report_types: ['campaign'], created_by_ref: E.vendor,
        external_references: [{ source_name: 'vendor', url: 'https://intel.example/mirage' }], object_refs: [E.campaign, E.usesRel, E.phishing],
      }),
      sdo('relationship', E.attributedRel, { relationship_type: 'attributed-to', source_ref: E.apt, target_ref: E.nationState, created_by_ref: E.analyst, confidence: 40 }),
      sdo('relationship', E.targetsRel, { relationship_type: 'targets', source_ref: E.campaign, target_ref: E.voters }),
      sdo('relationship', E.forbiddenRel, { relationship_type: 'targets', source_ref: E.campaign, target_ref: E.phishing }),
      sdo('relationship', E.toMalwareRel, { relationship_type: 'uses', source_ref: E.campaign, target_ref: E.malware }),
      sdo('relationship', E.indicatesRel, { relationship_type: 'indicates', source_ref: E.indicator, target_ref: E.campaign, confidence: 90 }),
      sdo('sighting', E.sighting, { sighting_of_ref: E.campaign, where_sighted_refs: [E.vendor], count: 12, first_seen: '2024-02-01T00:00:00Z', last_seen: '2024-02-03T00:00:00Z' }),
      sdo('indicator', E.indicator, { name: 'Mirage landing domain', pattern: "[domain-name:value = 'mirage.example' OR ipv4-addr:value = '203.0.113.9']", pattern_type: 'stix', valid_from: T }),
      sco('domain-name', E.domain, { value: 'news-mirage.example' }),
      sco('ipv4-addr', E.ip, { value: '198.51.100.7' }),
      sco('url', E.url, { value: 'https://news-mirage.example/vote' }),
      sco('email-addr', E.email, { value: 'press@news-mirage.example', display_name: 'Mirage Press' }),
      sco('user-account', E.account, { account_type: 'twitter', account_login: 'mirage_news', display_name: 'Mirage News' }),
      sco('x-narrative', E.narrative, { name: 'Your vote is already counted', summary: 'Claims that voting is pointless', object_marking_refs: [E.statement] }),
      sdo('malware', E.malware, { name: 'MirageRAT', is_family: true }),
      sdo('x-mitre-tactic', E.tactic, { name: 'Initial Access', x_mitre_shortname: 'initial-access' }),
      { type: 'marking-definition', spec_version: '2.1', id: E.statement, created: T, definition_type: 'statement', definition: { statement: 'Copyright Example' } },
      { type: 'marking-definition', spec_version: '2.1', id: E.customGreen, created: T, definition_type: 'tlp', definition: { tlp: 'green' } },
    ],
  };
}
