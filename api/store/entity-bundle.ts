// One entity with one page of its links, the entities at their other ends and their citations'
// sources, in a single Cypher statement. The GraphQL `entity` query asks for this when its
// selection reaches into `links` (api/graphql/lookahead.ts): the same answer as the per-field
// loaders (entity, then its links, then their ends and sources: three dependent round trips), in one.
import type { Node, Relationship } from 'neo4j-driver';
import type { Tlp } from '../../model/model.js';
import type { Executor } from './executor.js';
import { filterParams, linkWhere, nodeWhere } from './filter.js';
import { linkPattern, type LinksOfArgs } from './read-graph.js';
import { toEntity, toLink, type EntityRecord, type LinkRecord } from './records.js';

export interface EntityBundleWants {
  /** The page of links to read, with the arguments of the `links` field. */
  links: LinksOfArgs & { first: number };
  /** The entities at the links' other ends (Link.from / Link.to selected). */
  ends: boolean;
  /** The citations' sources and vias (Link.citations or Link.sourceCount selected). */
  sources: boolean;
  /** The entity's visible degree (Entity.degree selected). */
  degree: boolean;
}

export interface EntityBundle {
  entity: EntityRecord;
  links: LinkRecord[];
  /**
   * Every entity the links name (ends, sources, vias, as asked) → its record, or null when the
   * caller may not see it: the loaders are primed with both, so nothing is read again.
   */
  related: Map<string, EntityRecord | null>;
  degree: number | null;
}

/** null when the entity does not exist or is above the caller's clearance. */
export async function entityBundle(ex: Executor, id: string, wants: EntityBundleWants, clearance: Tlp): Promise<EntityBundle | null> {
  // The same filter and order as linksOfMany, so the page is the one the links loader would read.
  const f = filterParams(clearance, { types: wants.links.types });
  const rows = await ex.read<{
    a: Node; rels: Array<{ r: Relationship; from: string; to: string }>; others: Node[]; cited: Node[]; citedIds: string[]; degree: number | null;
  }>(
    `MATCH (a:Entity {id: $id}) WHERE ${nodeWhere('a', false)}
     CALL (a) {
       MATCH ${linkPattern(wants.links.direction).replace('(b)', '(b:Entity)')} WHERE ${linkWhere('r')} AND ${nodeWhere('b', false)}
       WITH r, b ORDER BY r.confidence DESC, r.id LIMIT $first
       // An aggregate always gives one row, so an entity without links is still answered.
       RETURN collect({r: r, from: startNode(r).id, to: endNode(r).id}) AS rels, collect(DISTINCT b) AS others
     }
     WITH a, rels, CASE WHEN $ends THEN others ELSE [] END AS others,
       CASE WHEN $sources THEN reduce(ids = [], x IN rels | ids + coalesce(x.r.citeSources, []) + coalesce(x.r.citeVias, [])) ELSE [] END AS citedIds
     CALL (citedIds) {
       UNWIND citedIds AS sid
       WITH DISTINCT sid WHERE sid <> ''
       MATCH (s:Entity {id: sid}) WHERE ${nodeWhere('s', false)}
       RETURN collect(s) AS cited
     }
     RETURN a, rels, others, cited, citedIds,
       CASE WHEN $degree THEN COUNT { (a)-[d]-(o:Entity) WHERE d.tlp IN $f.tlps AND o.tlp IN $f.tlps } END AS degree`,
    { id, f, first: wants.links.first, ends: wants.ends, sources: wants.sources, degree: wants.degree },
  );
  const row = rows[0];
  if (!row) return null;
  const entity = toEntity(row.a);
  const related = new Map<string, EntityRecord | null>();
  for (const n of [...row.others, ...row.cited]) related.set(n.properties.id as string, toEntity(n));
  // Named but not visible (or gone): primed as null, as the entity loader would answer.
  for (const sid of row.citedIds) if (sid && !related.has(sid)) related.set(sid, null);
  related.delete(entity.id);
  return {
    entity,
    links: row.rels.map((x) => toLink(x.r, x.from, x.to)),
    related,
    degree: row.degree === null || row.degree === undefined ? null : Number(row.degree),
  };
}
