// Graph → STIX bundle, as a stream of objects read page by page (by id), so the CLI can write a
// large graph without holding it. The caller's clearance and the GraphFilter apply as in every
// read (filterParams/nodeWhere/linkWhere); Sources come last, once we know which relationships
// cite them (a report's object_refs).
import { randomUUID } from 'node:crypto';
import type { Node, Relationship } from 'neo4j-driver';
import { BadInput } from '../../core/errors.js';
import { LINK_TYPE_NAMES, type EntityKind, type Tlp } from '../../model/model.js';
import type { Executor } from '../store/executor.js';
import { filterParams, linkWhere, nodeWhere, type GraphFilter } from '../store/filter.js';
import { toLink } from '../store/records.js';
import type { GranularTlp } from './import-index.js';
import { keptValue } from './kept.js';
import { markingDefinition } from './mapping.js';
import { redactGranular } from './markings.js';
import { entityStixId, entityToStix, linkStixId, linkToStix, rawAsStix21, type EntityProps } from './to-stix.js';

export interface ExportOptions {
  /** Only these entities (and the links among them); all visible entities when absent. */
  ids?: readonly string[] | null;
  filter?: GraphFilter | null;
  clearance: Tlp;
  /** Also the objects kept raw on import (their validity is their producer's). */
  includeRaw?: boolean | null;
  pageSize?: number;
}

type StixObject = Record<string, unknown>;
interface LinkRow { r: Relationship; from: string; to: string; fromKind: EntityKind; toKind: EntityKind; fromStixId: string | null; toStixId: string | null }

export const newBundleId = (): string => `bundle--${randomUUID()}`;

export async function* exportObjects(ex: Executor, opts: ExportOptions): AsyncGenerator<StixObject> {
  // An export is the producer's record too: revoked and deprecated objects go out unless the filter says otherwise.
  const f = filterParams(opts.clearance, { ...opts.filter, includeRevoked: opts.filter?.includeRevoked ?? true });
  const ids = opts.ids?.length ? [...opts.ids] : null;
  const pageSize = opts.pageSize ?? 2000;
  const tlps = new Set<Tlp>();
  const sources = new Map<string, EntityProps>();
  /** source id → STIX ids of the relationships citing it (its report's object_refs). */
  const citing = new Map<string, string[]>();
  const authors = new Map<string, string>();
  /** AUTHORED_BY links made from a report's created_by_ref: not added to object_refs the producer gave. */
  const fromCreatedBy = new Set<string>();
  const visibleSources = new Set((await ex.read<{ id: string }>('MATCH (s:Source) WHERE s.tlp IN $f.tlps RETURN s.id AS id', { f })).map((r) => r.id));

  for (let after = ''; ;) {
    const page = (await ex.read<{ n: Node }>(
      `MATCH (n:Entity) WHERE n.id > $after AND ${nodeWhere('n')} AND ($ids IS NULL OR n.id IN $ids)
       RETURN n ORDER BY n.id LIMIT $pageSize`, { after, ids, pageSize, f })).map((row) => row.n.properties as EntityProps);
    if (!page.length) break;
    after = page[page.length - 1].id;
    for (const n of page) {
      tlps.add((n.tlp as Tlp | undefined) ?? 'CLEAR');
      if (n.kind === 'SOURCE') sources.set(n.id, n);
      else yield entityToStix(n);
    }
    const links = await ex.read<LinkRow>(
      `UNWIND $page AS id MATCH (a:Entity {id: id})-[r]->(b:Entity)
       WHERE ${linkWhere('r')} AND ${nodeWhere('b')} AND ($ids IS NULL OR b.id IN $ids)
       RETURN r, a.id AS from, b.id AS to, a.kind AS fromKind, b.kind AS toKind, a.stixId AS fromStixId, b.stixId AS toStixId`,
      { page: page.map((n) => n.id), ids, f });
    for (const row of links) {
      const link = { ...row.r.properties, ...toLink(row.r, row.from, row.to) };
      // A citation of a source above the caller's clearance would point at nothing: left out.
      link.citations = link.citations.filter((c) => visibleSources.has(c.source) && (!c.via || visibleSources.has(c.via)));
      const from = entityStixId({ id: row.from, kind: row.fromKind, stixId: row.fromStixId });
      const to = entityStixId({ id: row.to, kind: row.toKind, stixId: row.toStixId });
      const stixId = linkStixId(link);
      const cited = new Set(link.citations.flatMap((c) => (c.via ? [c.source, c.via] : [c.source])));
      if (link.type === 'AUTHORED_BY') {
        if (row.r.properties.stixId == null) fromCreatedBy.add(stixId);
        if (!authors.has(row.from)) authors.set(row.from, to);
        cited.add(row.from);
      }
      for (const id of cited) {
        const list = citing.get(id);
        if (list) list.push(stixId);
        else citing.set(id, [stixId]);
      }
      tlps.add(link.tlp);
      yield linkToStix(link, { from, to });
    }
  }

  // Sources cited but outside the selection (ids, kinds) come too, so that every citation resolves.
  const missing = [...citing.keys()].filter((id) => !sources.has(id) && visibleSources.has(id));
  for (let i = 0; i < missing.length; i += pageSize) {
    const rows = await ex.read<{ n: Node }>('MATCH (n:Source) WHERE n.id IN $ids RETURN n', { ids: missing.slice(i, i + pageSize) });
    for (const { n } of rows) sources.set(n.properties.id as string, n.properties as EntityProps);
  }
  // A report's object_refs go out as they came, less what the caller may not see, then the relationships citing it.
  const given = new Map([...sources.values()].map((s) => [s.id, keptRefs(s.keptProperties)]));
  const hidden = await hiddenRefs(ex, [...new Set([...given.values()].flat())], f.tlps);
  for (const s of sources.values()) {
    tlps.add((s.tlp as Tlp | undefined) ?? 'CLEAR');
    const own = given.get(s.id)!;
    const added = (citing.get(s.id) ?? []).filter((r) => !own.length || !fromCreatedBy.has(r));
    const refs = [...new Set([...own.filter((r) => !hidden.has(r)), ...added])];
    // A report must list something: a source no exported link cites lists itself.
    yield entityToStix(s, { objectRefs: refs.length ? refs : [entityStixId(s)], createdByRef: authors.get(s.id) });
  }
  // Raw objects carry no kind: a filter on kinds leaves them out; `ids` and clearance apply.
  const raw = opts.includeRaw && !f.kinds ? rawObjects(ex, f.tlps, ids, opts.clearance, pageSize) : null;
  if (raw) {
    for await (const { object, tlp } of raw) {
      tlps.add(tlp);
      yield object;
    }
  }
  for (const tlp of tlps) yield markingDefinition(tlp);
}

const keptRefs = (kept: unknown): string[] => {
  const refs = keptValue(kept, 'object_refs');
  return Array.isArray(refs) ? refs.filter((r): r is string => typeof r === 'string') : [];
};

/**
 * Which of a report's object_refs the caller may not see: entities, links or raw objects stored
 * above the clearance. A ref to an object the database does not hold stays (the report said it).
 */
async function hiddenRefs(ex: Executor, refs: string[], tlps: Tlp[]): Promise<Set<string>> {
  if (!refs.length) return new Set();
  // Links are found through each type's id constraint (types from the model, never from input).
  const linkQueries = LINK_TYPE_NAMES.map((t) => `MATCH ()-[r:${t}]->() WHERE r.id IN $refs AND NOT coalesce(r.tlp, "CLEAR") IN $tlps RETURN r.id AS id`);
  const rows = await ex.read<{ id: string }>(
    [`MATCH (n:Entity) WHERE n.id IN $refs AND NOT coalesce(n.tlp, "CLEAR") IN $tlps RETURN n.stixId AS id`,
      `MATCH (n:Entity) WHERE n.id IN $refs AND NOT coalesce(n.tlp, "CLEAR") IN $tlps RETURN n.id AS id`,
      `MATCH (r:StixRaw) WHERE r.id IN $refs AND NOT coalesce(r.tlp, "CLEAR") IN $tlps RETURN r.id AS id`, ...linkQueries].join(' UNION '),
    { refs, tlps });
  return new Set(rows.map((r) => r.id));
}

/**
 * Raw objects within the caller's clearance (and `ids` when given), each without the parts its
 * granular markings put above that clearance.
 */
async function* rawObjects(ex: Executor, tlpsSeen: Tlp[], ids: string[] | null, clearance: Tlp, pageSize: number): AsyncGenerator<{ object: StixObject; tlp: Tlp }> {
  for (let after = ''; ;) {
    const rows = await ex.read<{ id: string; json: string; tlp: Tlp; granular: string | null }>(
      `MATCH (r:StixRaw) WHERE r.id > $after AND coalesce(r.tlp, "CLEAR") IN $tlps AND ($ids IS NULL OR r.id IN $ids)
       RETURN r.id AS id, r.json AS json, coalesce(r.tlp, "CLEAR") AS tlp, r.granular AS granular ORDER BY r.id LIMIT $pageSize`,
      { after, tlps: tlpsSeen, ids, pageSize });
    if (!rows.length) return;
    after = rows[rows.length - 1].id;
    for (const row of rows) {
      const granular = row.granular ? JSON.parse(row.granular) as GranularTlp[] : legacyGranular(JSON.parse(row.json) as StixObject);
      // The filter's tlpMax narrows like a lower clearance.
      const { object } = redactGranular(JSON.parse(row.json) as StixObject, granular, tlpsSeen[tlpsSeen.length - 1] ?? clearance);
      // STIX 2.0 input goes out as valid 2.1.
      yield { object: rawAsStix21(object), tlp: row.tlp };
    }
  }
}

/** Raw objects stored before granular markings were read: every granular marking counts as RED (never leak). */
function legacyGranular(o: StixObject): GranularTlp[] {
  const markings = (o.granular_markings as Array<{ selectors?: unknown }> | undefined) ?? [];
  return markings.map((g) => ({ tlp: 'RED', selectors: Array.isArray(g.selectors) ? g.selectors.filter((x): x is string => typeof x === 'string') : [] }));
}

/** The whole bundle in memory (the API); `limit` caps its size, pointing larger exports to the CLI. */
export async function exportBundle(ex: Executor, opts: ExportOptions, limit = 100_000): Promise<StixObject> {
  const objects: StixObject[] = [];
  for await (const o of exportObjects(ex, opts)) {
    if (objects.length >= limit) {
      throw new BadInput(`The export has more than ${limit} objects; narrow it (ids, filter) or use \`npm run export\`.`);
    }
    objects.push(o);
  }
  // The schema wants at least one object when `objects` is present.
  return objects.length ? { type: 'bundle', id: newBundleId(), objects } : { type: 'bundle', id: newBundleId() };
}
