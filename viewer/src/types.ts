// Shapes of what the API returns, as the viewer uses them. The domain's lists (kinds, link types,
// TLPs, kind-specific fields) come from model/model.ts, the same module the API's schema is
// generated from; Vite bundles it with the viewer.
import { ENTITY_KINDS, LINK_TYPE_NAMES, TLPS, type Assertion, type EntityKind, type LinkType, type Tlp } from '../../model/model.js';

export { KIND_FIELDS, KIND_LABEL } from '../../model/model.js';
export type { Assertion, EntityKind, LinkType, Tlp };
/** Every kind, in the model's order. */
export const KINDS = ENTITY_KINDS;
/** Every link type's name, in the model's order. */
export const LINK_TYPES = LINK_TYPE_NAMES;
export { TLPS };

export interface Entity {
  id: string;
  kind: EntityKind;
  name: string;
  tlp?: Tlp;
  degree?: number;
  aliases?: string[];
  description?: string | null;
  /** Kind-specific fields (country, url, …) arrive through inline fragments. */
  [field: string]: unknown;
}

export interface SourceRef {
  id: string;
  name: string;
  title?: string | null;
  publisher?: string | null;
  url?: string | null;
}

export interface Citation {
  locator: string | null;
  quote: string | null;
  source: SourceRef;
  via: SourceRef | null;
}

export interface Link {
  id: string;
  type: LinkType;
  from: { id: string; name?: string; kind?: EntityKind };
  to: { id: string; name?: string; kind?: EntityKind };
  confidence: number;
  firstSeen: string | null;
  lastSeen: string | null;
  tlp: Tlp;
  assertion: Assertion;
  description: string | null;
  citations: Citation[];
  /** ATTRIBUTED_TO only, and only where the details panel asks for it: DIRECT, PROXY … */
  attributionKind?: string | null;
  /** Typed numeric facts (engagement, accounts removed …), where the details panel asks for them. */
  metrics?: Metric[];
}

export interface Metric { name: string; value: number; unit: string | null; asOf: string | null }

export interface Subgraph {
  nodes: Entity[];
  edges: Link[];
  truncated: boolean;
}

export interface Path {
  nodes: Entity[];
  edges: Link[];
  confidence: number;
  hops: number;
}

export interface Investigation {
  id: string;
  name: string;
  /** What it is about (optional). */
  description?: string | null;
  state: unknown;
  /** The label of the key that saved it first; only that key or an admin may change it. */
  owner: string;
  ownerKeyId: string | null;
  /** The label of the key that changed it last. */
  updatedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Who the viewer's requests run as (the `me` query). */
export interface Caller {
  keyId: string | null;
  name: string;
  role: 'READER' | 'ANALYST' | 'ADMIN';
  clearance: Tlp;
}

export type TimeMode = 'all' | 'asOf' | 'window';

/** What the filter panel holds; the same object drives API queries and the client-side view. */
export interface Filters {
  /** Empty = every kind. */
  kinds: EntityKind[];
  /** Empty = every type. */
  types: LinkType[];
  minConfidence: number;
  tlpMax: Tlp | null;
  includeNegated: boolean;
  /** Also what its producer revoked or deprecated (GraphFilter.includeRevoked): hidden by default. */
  includeRevoked: boolean;
  timeMode: TimeMode;
  asOf: string | null;
  from: string | null;
  to: string | null;
}

export const DEFAULT_FILTERS: Filters = {
  kinds: [], types: [], minConfidence: 0, tlpMax: null, includeNegated: true, includeRevoked: false,
  timeMode: 'all', asOf: null, from: null, to: null,
};
