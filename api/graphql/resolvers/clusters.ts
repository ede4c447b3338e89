// Coordinated-behaviour analysis: clusters, centrality, similar, tie (schema/clusters.graphql).
// Thin: checks the arguments, resolves the projection, calls api/store/clusters.ts.
import { BadInput } from '../../../core/errors.js';
import { resolveProjection, type ProjectionInput } from '../../store/coaction.js';
import {
  centrality, clusters, similar, tie, type CentralityMethod, type ClusterMethod, type ClusterRecord, type RankedRecord, type SimilarRecord,
} from '../../store/clusters.js';
import type { GraphFilter } from '../../store/filter.js';
import { annotateCluster, promoteCluster, saveCluster, savedClusters, type SavedClusterRecord, type Writer } from '../../store/saved-clusters.js';
import { requireRole } from '../auth.js';
import type { Context } from '../context.js';
import { bounded, LIMITS } from './args.js';
import { actorName } from './mutation.js';

interface Common { projection?: ProjectionInput | null; filter?: GraphFilter | null }

const entity = (id: string, ctx: Context) => ctx.loaders.entity.load(id);
const writer = (ctx: Context): Writer => ({ actor: actorName(ctx), keyId: ctx.caller.keyId, clearance: ctx.caller.clearance, admin: ctx.caller.role === 'ADMIN' });

export const clusterResolvers = {
  Query: {
    clusters: (_: unknown, args: Common & { method?: ClusterMethod; minSize?: number; first?: number; topShared?: number }, ctx: Context) =>
      clusters(ctx.executor, {
        projection: resolveProjection(args.projection),
        method: args.method ?? 'LOUVAIN',
        minSize: bounded('minSize', args.minSize, 3, 2, 10_000),
        first: bounded('first', args.first, 20, 1, LIMITS.first),
        topShared: bounded('topShared', args.topShared, 5, 0, 50),
        filter: args.filter,
      }, ctx.caller.clearance),
    centrality: (_: unknown, args: Common & { method?: CentralityMethod; first?: number }, ctx: Context) =>
      centrality(ctx.executor, {
        projection: resolveProjection(args.projection),
        method: args.method ?? 'PAGERANK',
        first: bounded('first', args.first, 20, 1, LIMITS.first),
        filter: args.filter,
      }, ctx.caller.clearance),
    similar: async (_: unknown, args: Common & { id: string; first?: number }, ctx: Context) =>
      (await similar(ctx.executor, {
        id: args.id, projection: resolveProjection(args.projection), first: bounded('first', args.first, 10, 1, 100), filter: args.filter,
      }, ctx.caller.clearance)).items,
    savedClusters: (_: unknown, args: { first?: number }, ctx: Context) =>
      savedClusters(ctx.executor, ctx.caller.clearance, bounded('first', args.first, 50, 1, LIMITS.first)),
    tie: (_: unknown, args: Common & { a: string; b: string }, ctx: Context) => {
      if (args.a === args.b) throw BadInput.field('b', 'must differ from a');
      return tie(ctx.executor, { a: args.a, b: args.b, projection: resolveProjection(args.projection), filter: args.filter }, ctx.caller.clearance);
    },
  },
  Mutation: {
    saveCluster: (_: unknown, args: { name: string; note?: string | null; members: string[]; projection?: ProjectionInput | null }, ctx: Context) => {
      requireRole(ctx, 'ANALYST');
      return saveCluster(ctx.executor, args, writer(ctx));
    },
    annotateCluster: (_: unknown, args: { id: string; name?: string | null; note?: string | null }, ctx: Context) => {
      requireRole(ctx, 'ANALYST');
      return annotateCluster(ctx.executor, args.id, { name: args.name, note: args.note }, writer(ctx));
    },
    promoteCluster: async (_: unknown, args: { id: string; campaignId: string; campaignName: string }, ctx: Context) => {
      requireRole(ctx, 'ANALYST');
      const r = await promoteCluster(ctx.executor, args.id, { id: args.campaignId, name: args.campaignName }, writer(ctx));
      return { cluster: r.cluster, links: r.links, campaign: args.campaignId };
    },
  },
  SavedCluster: {
    members: async (c: SavedClusterRecord, _: unknown, ctx: Context) => (await ctx.loaders.entity.loadMany(c.members)).filter((e) => e && !(e instanceof Error)),
    campaign: (c: SavedClusterRecord, _: unknown, ctx: Context) => (c.campaignId ? entity(c.campaignId, ctx) : null),
  },
  PromotedCluster: { campaign: (r: { campaign: string }, _: unknown, ctx: Context) => entity(r.campaign, ctx) },
  Cluster: {
    members: (c: ClusterRecord, _: unknown, ctx: Context) => c.members.map((id) => entity(id, ctx)),
    topShared: (c: ClusterRecord, _: unknown, ctx: Context) => {
      ctx.loaders.prime(c.shared.map((s) => s.entity));
      return c.shared;
    },
  },
  RankedEntity: { entity: (r: RankedRecord, _: unknown, ctx: Context) => entity(r.id, ctx) },
  SimilarEntity: {
    entity: (r: SimilarRecord, _: unknown, ctx: Context) => entity(r.id, ctx),
  },
  Tie: {
    a: (t: { a: string }, _: unknown, ctx: Context) => entity(t.a, ctx),
    b: (t: { b: string }, _: unknown, ctx: Context) => entity(t.b, ctx),
  },
};
