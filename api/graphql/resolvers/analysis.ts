import type { Context } from '../context.js';
import type { EntityKind } from '../../../model/model.js';
import { claims, decodeCursor, entityPage, type ClaimFilter, type EntityFilter } from '../../store/browse.js';
import type { EntityRecord } from '../../store/records.js';
import { bounded, LIMITS } from './args.js';
import { budgetOf, searchOverlap, searchPaths, searchTimeline, type OverlapArgs, type PathQueryArgs, type TimelineArgs } from './limits.js';

export const analysisResolvers = {
  Query: {
    paths: async (_: unknown, args: PathQueryArgs, ctx: Context) => (await searchPaths(args, ctx)).paths,
    overlap: async (_: unknown, args: OverlapArgs, ctx: Context) => (await searchOverlap(args, ctx)).results,
    timeline: async (_: unknown, args: TimelineArgs, ctx: Context) => (await searchTimeline(args, ctx)).events,
    claims: (_: unknown, args: { filter?: ClaimFilter; first?: number; after?: string; budgetMs?: number }, ctx: Context) =>
      claims(ctx.executor, args.filter, bounded('first', args.first, 50, 1, LIMITS.first), decodeCursor(args.after), ctx.caller.clearance,
        budgetOf(ctx, args.budgetMs)),
    entities: async (_: unknown, args: { kind?: EntityKind; filter?: EntityFilter; first?: number; after?: string }, ctx: Context) => {
      const page = await entityPage(ctx.executor, args.kind ?? null, args.filter,
        bounded('first', args.first, 50, 1, LIMITS.first), decodeCursor(args.after), ctx.caller.clearance);
      ctx.loaders.prime(page.edges.map((e) => e.node));
      return page;
    },
    source: async (_: unknown, args: { id: string }, ctx: Context) => {
      const e: EntityRecord | null = await ctx.loaders.entity.load(args.id);
      return e?.kind === 'SOURCE' ? e : null;
    },
  },
  TimelineEvent: {
    sources: (ev: { sources: string[] }, _: unknown, ctx: Context) =>
      ctx.loaders.entity.loadMany(ev.sources).then((list) => list.filter((e) => e && !(e instanceof Error))),
  },
  Claim: {
    sources: (c: { sources: string[] }, _: unknown, ctx: Context) =>
      ctx.loaders.entity.loadMany(c.sources).then((list) => list.filter((e) => e && !(e instanceof Error))),
  },
};
