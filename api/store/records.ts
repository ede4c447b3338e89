// Converts Neo4j nodes and relationships into the plain objects resolvers return.
import type { Node, Relationship } from 'neo4j-driver';
import type { Assertion, AttributionKind, EntityKind, LinkType, Tlp } from '../../model/model.js';
import { metricsOf, type Metric } from '../../model/metrics.js';

export interface EntityRecord {
  id: string;
  kind: EntityKind;
  name: string;
  aliases: string[];
  description?: string | null;
  tlp: Tlp;
  [field: string]: unknown;
}

export interface CitationRecord {
  source: string;
  locator: string | null;
  quote: string | null;
  via: string | null;
  /** The confidence its writer gave (links stored before citations carried one: the link's); toLink always sets it. */
  confidence?: number;
}

export interface LinkRecord {
  id: string;
  type: LinkType;
  from: string;
  to: string;
  confidence: number;
  firstSeen: string | null;
  lastSeen: string | null;
  description: string | null;
  tlp: Tlp;
  assertion: Assertion;
  citations: CitationRecord[];
  /** ATTRIBUTED_TO: how the actor is responsible, when said. */
  attributionKind?: AttributionKind | null;
  metrics?: Metric[];
  /** Read without its citations (LINK_RETURN_LEAN): `citations` is empty and must not be answered. */
  citationsLeftOut?: true;
}

/** Properties kept for storage only (search text, citation arrays). */
const HIDDEN = new Set(['aliasText', 'nameKey', 'aliasKeyText']);

export function toEntity(node: Node): EntityRecord {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node.properties)) if (!HIDDEN.has(k)) out[k] = v;
  out.aliases ??= [];
  out.tlp ??= 'CLEAR';
  return out as EntityRecord;
}

/** A relationship's citation arrays are stored side by side; '' stands for null (lists cannot hold null). */
export function toLink(rel: Relationship, from: string, to: string): LinkRecord {
  const p = rel.properties as Record<string, unknown>;
  const sources = (p.citeSources as string[] | undefined) ?? [];
  const locators = (p.citeLocators as string[] | undefined) ?? [];
  const quotes = (p.citeQuotes as string[] | undefined) ?? [];
  const vias = (p.citeVias as string[] | undefined) ?? [];
  const confidences = (p.citeConfidences as number[] | undefined) ?? [];
  return {
    id: p.id as string,
    type: rel.type as LinkType,
    from,
    to,
    confidence: p.confidence as number,
    firstSeen: (p.firstSeen as string | undefined) ?? null,
    lastSeen: (p.lastSeen as string | undefined) ?? null,
    description: (p.description as string | undefined) ?? null,
    tlp: ((p.tlp as Tlp | undefined) ?? 'CLEAR'),
    assertion: ((p.assertion as Assertion | undefined) ?? 'AFFIRMED'),
    citations: sources.map((source, i) => ({ source, locator: locators[i] || null, quote: quotes[i] || null, via: vias[i] || null, confidence: confidences[i] ?? (p.confidence as number) })),
    attributionKind: (p.attributionKind as AttributionKind | undefined) ?? null,
    metrics: metricsOf(p),
  };
}

/** The Cypher projection every link query returns, so that toLink can read it. */
export const LINK_RETURN = 'r AS r, startNode(r).id AS from, endNode(r).id AS to';

/**
 * LINK_RETURN without the citation arrays, for answers that do not show citations: a link's
 * citations (sources, locators, quotes, vias, confidences) are most of what it stores, and reading,
 * sending and decoding them was a third of a depth-2 neighbourhood's time at L.
 */
export const LINK_RETURN_LEAN = "[k IN keys(r) WHERE NOT k STARTS WITH 'cite' | [k, r[k]]] AS props, type(r) AS type, startNode(r).id AS from, endNode(r).id AS to";

export function linksFromRows(rows: Array<Record<string, unknown>>): LinkRecord[] {
  return rows.map((row) => (row.r === undefined ? leanLink(row) : toLink(row.r as Relationship, row.from as string, row.to as string)));
}

function leanLink(row: Record<string, unknown>): LinkRecord {
  const properties = Object.fromEntries(row.props as Array<[string, unknown]>);
  return { ...toLink({ properties, type: row.type } as unknown as Relationship, row.from as string, row.to as string), citationsLeftOut: true };
}
