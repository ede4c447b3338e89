import type { Context } from '../context.js';
import type { EntityKind } from '../../../model/model.js';
import { overlap, timeline } from '../../store/analysis.js';
import { claims, decodeCursor, entityPage, type ClaimFilter, type EntityFilter } from '../../store/browse.js';
import type { GraphFilter } from '../../store/filter.js';
import type { EntityRecord } from '../../store/records.js';
import { bounded, LIMITS } from './args.js';
import { budgetOf, searchPaths, type PathQueryArgs } from './limits.js';

interface OverlapArgs { ids: string[]; via?: EntityKind[]; kinds?: EntityKind[]; filter?: GraphFilter; first?: number }

export const analysisResolvers = {
  Query: {
    paths: async (_: unknown, args: PathQueryArgs, ctx: Context) => (await searchPaths(args, ctx)).paths,
    overlap: async (_: unknown, args: OverlapArgs, ctx: Context) => {
      bounded('ids (count)', args.ids.length, 1, 1, 20);
      const found = await overlap(ctx.executor, { ...args, first: bounded('first', args.first, 50, 1, 500) }, ctx.caller.clearance);
      ctx.loaders.prime(found.flatMap((o) => [...o.between, ...o.shared]));
      return found;
    },
    timeline: (_: unknown, args: { id: string; from?: string; to?: string }, ctx: Context) =>
      // The window's bounds as given: a bare day is the whole day, as in every GraphFilter (model/filter-rules.ts).
      timeline(ctx.executor, args.id, args.from ?? null, args.to ?? null, ctx.caller.clearance),
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
