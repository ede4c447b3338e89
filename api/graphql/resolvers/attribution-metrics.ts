// lookup(kind, name), metricRanking, and the metrics of entities and links.
import type { Context } from '../context.js';
import { KIND_LABEL, type EntityKind } from '../../../model/model.js';
import { metricsOf } from '../../../model/metrics.js';
import type { GraphFilter } from '../../store/filter.js';
import { lookup } from '../../store/lookup.js';
import { metricRanking } from '../../store/metric-ranking.js';
import type { LinkRecord } from '../../store/records.js';
import { bounded, LIMITS } from './args.js';
import { budgetFor } from './limits.js';

/** Entity.metrics, on every kind's type: read from the stored properties (model/metrics.ts). */
const kindMetrics = Object.fromEntries(Object.values(KIND_LABEL).map((typeName) => [typeName, { metrics: (e: Record<string, unknown>) => metricsOf(e) }]));

export const attributionMetricResolvers = {
  ...kindMetrics,
  Query: {
    lookup: async (_: unknown, args: { kind: EntityKind; name: string }, ctx: Context) => {
      const found = await lookup(ctx.executor, args.kind, args.name, ctx.caller.clearance);
      if (found) ctx.loaders.prime([found]);
      return found;
    },
    metricRanking: async (_: unknown, args: { name: string; kinds?: EntityKind[]; first?: number; ascending?: boolean; filter?: GraphFilter; budgetMs?: number }, ctx: Context) => {
      const found = await metricRanking(ctx.executor, { ...args, first: bounded('first', args.first, 20, 1, LIMITS.first) }, ctx.caller.clearance,
        budgetFor(ctx, args.budgetMs));
      ctx.loaders.prime(found.items.map((i) => i.entity));
      return found;
    },
  },
  Link: {
    metrics: (l: LinkRecord) => l.metrics ?? [],
  },
};

