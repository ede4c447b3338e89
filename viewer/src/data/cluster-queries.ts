// The coordinated-behaviour queries and mutations the viewer sends (docs/clusters.md): clusters
// of the co-action graph, what ties two entities, and saved clusters (name, annotate, promote).
import { toGraphFilter } from '../state/filters.js';
import type { Entity, Filters, Link } from '../types.js';
import { gql } from './client.js';

export type ClusterMethod = 'LOUVAIN' | 'LEIDEN' | 'WCC';
export type ProjectionPreset = 'DEFAULT' | 'INFRASTRUCTURE' | 'NARRATIVES';
export const CLUSTER_METHODS: ClusterMethod[] = ['LOUVAIN', 'LEIDEN', 'WCC'];
export const PROJECTION_PRESETS: ProjectionPreset[] = ['DEFAULT', 'INFRASTRUCTURE', 'NARRATIVES'];

export interface ClusterFound {
  key: string;
  size: number;
  density: number;
  ties: number;
  confidence: number;
  members: Entity[];
  topShared: Array<{ count: number; entity: Entity }>;
}

export interface ClustersFound { clusters: ClusterFound[]; total: number; nodes: number; ties: number; cached: boolean }

export interface TieFound {
  weight: number;
  confidence: number;
  a: Entity;
  b: Entity;
  shared: Array<{ entity: Entity; links: Link[] }>;
}

export interface SavedCluster {
  id: string;
  name: string;
  note: string | null;
  tlp: string;
  owner: string;
  updatedAt: string;
  members: Entity[];
  campaign: { id: string; name: string } | null;
}

const ENTITY = 'id kind name tlp degree';
const LINK = `id type from { id } to { id } confidence firstSeen lastSeen tlp assertion description
  citations { locator quote source { id name title publisher url } via { id name title publisher url } }`;
const SAVED = `id name note tlp owner updatedAt members { ${ENTITY} } campaign { id name }`;

/**
 * The viewer's filters for an analysis query: the projection decides the kinds, so the kind
 * filter (what the legend shows) is left out; the rest (types, confidence, TLP, time) applies.
 */
function analysisFilter(f: Filters) {
  const { kinds: _kinds, ...rest } = toGraphFilter(f);
  return rest;
}

export async function clusters(preset: ProjectionPreset, method: ClusterMethod, minSize: number, filters: Filters): Promise<ClustersFound> {
  const r = await gql<{ clusters: ClustersFound }>(
    `query Clusters($projection: CoactionProjection, $method: ClusterMethod, $minSize: Int, $filter: GraphFilter) {
       clusters(projection: $projection, method: $method, minSize: $minSize, first: 50, topShared: 3, filter: $filter) {
         total nodes ties cached
         clusters { key size density ties confidence members { ${ENTITY} } topShared { count entity { ${ENTITY} } } }
       }
     }`,
    { projection: { preset }, method, minSize, filter: analysisFilter(filters) });
  return r.clusters;
}

export async function tie(a: string, b: string, preset: ProjectionPreset, filters: Filters): Promise<TieFound> {
  const r = await gql<{ tie: TieFound }>(
    `query Tie($a: ID!, $b: ID!, $projection: CoactionProjection, $filter: GraphFilter) {
       tie(a: $a, b: $b, projection: $projection, filter: $filter) {
         weight confidence a { ${ENTITY} } b { ${ENTITY} }
         shared { entity { ${ENTITY} } links { ${LINK} } }
       }
     }`,
    { a, b, projection: { preset }, filter: analysisFilter(filters) });
  return r.tie;
}

export async function savedClusters(): Promise<SavedCluster[]> {
  const r = await gql<{ savedClusters: SavedCluster[] }>(`{ savedClusters(first: 50) { ${SAVED} } }`);
  return r.savedClusters;
}

export async function saveCluster(name: string, note: string | null, members: string[], preset: ProjectionPreset): Promise<SavedCluster> {
  const r = await gql<{ saveCluster: SavedCluster }>(
    `mutation Save($name: String!, $note: String, $members: [ID!]!, $projection: CoactionProjection) {
       saveCluster(name: $name, note: $note, members: $members, projection: $projection) { ${SAVED} }
     }`,
    { name, note, members, projection: { preset } });
  return r.saveCluster;
}

export async function annotateCluster(id: string, name: string, note: string | null): Promise<SavedCluster> {
  const r = await gql<{ annotateCluster: SavedCluster }>(
    `mutation Annotate($id: ID!, $name: String, $note: String) { annotateCluster(id: $id, name: $name, note: $note) { ${SAVED} } }`,
    { id, name, note });
  return r.annotateCluster;
}

export async function promoteCluster(id: string, campaignId: string, campaignName: string): Promise<{ cluster: SavedCluster; links: number }> {
  const r = await gql<{ promoteCluster: { cluster: SavedCluster; links: number } }>(
    `mutation Promote($id: ID!, $campaignId: ID!, $campaignName: String!) {
       promoteCluster(id: $id, campaignId: $campaignId, campaignName: $campaignName) { links cluster { ${SAVED} } }
     }`,
    { id, campaignId, campaignName });
  return r.promoteCluster;
}
