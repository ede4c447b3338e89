// Aggregates (cooccurrence, neighbourCounts, counts) and the `truncated` of paged connections.
import type { Context } from '../context.js';
import type { EntityKind } from '../../../model/model.js';
import { cooccurrence, counts, neighbourCounts, type Hop, type TimeBucket } from '../../store/aggregates.js';
import type { GraphFilter } from '../../store/filter.js';
import { bounded, LIMITS } from './args.js';
import { budgetFor } from './limits.js';

interface Page { edges: unknown[]; totalCount: number }
const pageTruncated = (c: Page): boolean => c.edges.length < c.totalCount;

export const aggregateResolvers = {
  Query: {
    cooccurrence: async (_: unknown, args: { kinds: EntityKind[]; via: EntityKind[]; first?: number; filter?: GraphFilter; budgetMs?: number }, ctx: Context) => {
      bounded('kinds (count)', args.kinds.length, 1, 1, 50);
      bounded('via (count)', args.via.length, 1, 1, 50);
      const found = await cooccurrence(ctx.executor, {
        kinds: args.kinds, via: args.via, filter: args.filter, first: bounded('first', args.first, 20, 1, LIMITS.first),
      }, ctx.caller.clearance, budgetFor(ctx, args.budgetMs));
      ctx.loaders.prime(found.pairs.flatMap((p) => [p.a, p.b]));
      return found;
    },
    neighbourCounts: async (_: unknown, args: { ids: string[]; hops: Hop[]; first?: number; filter?: GraphFilter; budgetMs?: number }, ctx: Context) => {
      bounded('ids (count)', args.ids.length, 1, 1, LIMITS.ids);
      bounded('hops (count)', args.hops.length, 1, 1, 3);
      const found = await neighbourCounts(ctx.executor, {
        ids: args.ids, hops: args.hops, filter: args.filter, first: bounded('first', args.first, 20, 1, LIMITS.first),
      }, ctx.caller.clearance, budgetFor(ctx, args.budgetMs));
      ctx.loaders.prime(found.items.map((i) => i.entity));
      return found;
    },
    counts: (_: unknown, args: { filter?: GraphFilter; bucket?: TimeBucket; budgetMs?: number }, ctx: Context) =>
      counts(ctx.executor, args.filter, args.bucket ?? 'YEAR', ctx.caller.clearance, budgetFor(ctx, args.budgetMs)),
  },
  ClaimConnection: { truncated: pageTruncated },
  EntityConnection: { truncated: pageTruncated },
};
