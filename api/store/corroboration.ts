// Corroboration: links by the number of independent sources the caller can see among their citations.
import type { Tlp } from '../../model/model.js';
import type { Executor } from './executor.js';
import { filterParams, linkWhere, nodeWhere, type GraphFilter } from './filter.js';
import { linksFromRows, type LinkRecord } from './records.js';

export interface CorroborationRecord {
  link: LinkRecord;
  /** Distinct Source ids among the link's citations that the caller can see. */
  sourceCount: number;
  sources: string[];
}

/**
 * The links the filter keeps, most sources first (then higher confidence, then id). A source counts
 * once however many citations (locators) the link has from it, and only when the caller can see it
 * (and the filter's tlpMax keeps it); `via` adds no source: a document read through another is
 * still one source.
 */
export async function corroboration(
  ex: Executor, first: number, minSources: number, filter: GraphFilter | null | undefined, clearance: Tlp,
): Promise<CorroborationRecord[]> {
  const f = filterParams(clearance, filter);
  const rows = await ex.read<Record<string, unknown> & { sources: string[] }>(
    `MATCH (a:Entity)-[r]->(b:Entity)
     WHERE ${linkWhere('r')} AND ${nodeWhere('a')} AND ${nodeWhere('b')}
     WITH a, r, b, [x IN reduce(s = [], x IN r.citeSources | CASE WHEN x IN s THEN s ELSE s + x END)
                    WHERE EXISTS { MATCH (s:Entity {id: x}) WHERE s.tlp IN $f.tlps }] AS sources
     WHERE size(sources) >= $min
     RETURN r AS r, a.id AS from, b.id AS to, sources
     ORDER BY size(sources) DESC, r.confidence DESC, r.id LIMIT $first`,
    { f, min: minSources, first });
  const links = linksFromRows(rows);
  return rows.map((row, i) => ({ link: links[i], sourceCount: row.sources.length, sources: row.sources }));
}
