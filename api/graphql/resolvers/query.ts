import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.js';
import type { EntityKind } from '../../../model/model.js';
import type { GraphFilter } from '../../store/filter.js';
import { DEFAULT_HUB_DEGREE } from '../../store/neighborhood.js';
import { cachedNeighborhood } from '../../store/neighborhood-cache.js';
import { searchPage, stats, type SearchHitRecord } from '../../store/read-graph.js';
import { topEntities } from '../../store/top-entities.js';
import { selectsCitations } from '../lookahead.js';
import { bounded, LIMITS } from './args.js';
import { budgetFor } from './limits.js';
import { entityWithLookahead } from './entity-bundle.js';

interface SearchArgs { text: string; kinds?: EntityKind[]; first?: number; offset?: number; includeRevoked?: boolean | null }

const MATCHES = ['EXACT', 'PREFIX', 'TEXT'] as const;
const asHit = (h: SearchHitRecord) => ({ entity: h.entity, score: h.score, match: MATCHES[h.tier] ?? 'TEXT' });
const searchOptions = (args: SearchArgs, ctx: Context, facets: boolean) => ({
  kinds: args.kinds?.length ? args.kinds : null,
  first: bounded('first', args.first, 20, 1, 100),
  offset: bounded('offset', args.offset, 0, 0, 10_000),
  clearance: ctx.caller.clearance,
  includeRevoked: args.includeRevoked === true,
  facets,
});

export const queryResolvers = {
  Query: {
    // The id of a merged entity answers its survivor, with resolvedFrom (docs/resolution.md).
    // With its links in the selection, one statement reads the entity, the links, their ends and sources.
    entity: (_: unknown, args: { id: string }, ctx: Context, info: GraphQLResolveInfo) => entityWithLookahead(ctx, args.id, info),
    search: async (_: unknown, args: SearchArgs, ctx: Context) => {
      const page = await searchPage(ctx.executor, args.text, searchOptions(args, ctx, false));
      ctx.loaders.prime(page.hits.map((h) => h.entity));
      return page.hits.map(asHit);
    },
    searchResults: async (_: unknown, args: SearchArgs, ctx: Context) => {
      const opts = searchOptions(args, ctx, true);
      const page = await searchPage(ctx.executor, args.text, opts);
      ctx.loaders.prime([...page.hits, ...page.byKind.map((f) => f.best)].map((h) => h.entity));
      return {
        hits: page.hits.map(asHit), total: page.total, hasMore: opts.offset + page.hits.length < page.total,
        byKind: page.byKind.map((f) => ({ ...f, best: asHit(f.best) })),
      };
    },
    neighborhood: async (
      _: unknown, args: { ids: string[]; depth?: number; filter?: GraphFilter; limit?: number; offset?: number; hubDegree?: number; budgetMs?: number },
      ctx: Context, info: GraphQLResolveInfo,
    ) => {
      const depth = bounded('depth', args.depth, 1, 1, LIMITS.depth);
      const limit = bounded('limit', args.limit, 500, 1, LIMITS.limit);
      const offset = bounded('offset', args.offset, 0, 0, 1_000_000);
      const hubDegree = bounded('hubDegree', args.hubDegree, DEFAULT_HUB_DEGREE, 1, 10_000_000);
      bounded('ids (count)', args.ids.length, 1, 1, LIMITS.ids);
      const sub = await cachedNeighborhood(ctx.executor, {
        ids: args.ids, depth, filter: args.filter, limit, clearance: ctx.caller.clearance, offset, hubDegree,
        withCitations: selectsCitations(info, 'edges'),
      }, budgetFor(ctx, args.budgetMs), { budgetAsked: args.budgetMs != null });
      ctx.loaders.prime(sub.nodes);
      return sub;
    },
    topEntities: async (_: unknown, args: { kinds?: EntityKind[]; first?: number }, ctx: Context) =>
      topEntities(ctx.executor, args.kinds?.length ? args.kinds : null, bounded('first', args.first, 15, 1, 100), ctx.caller.clearance),
    stats: (_: unknown, __: unknown, ctx: Context) => stats(ctx.executor, ctx.caller.clearance),
    me: (_: unknown, __: unknown, ctx: Context) => ctx.caller,
  },
};
