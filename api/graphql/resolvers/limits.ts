// Time budgets: pathSearch (paths with what the search covered) and the `budgetMs` argument.
import type { Context } from '../context.js';
import { BadInput } from '../../../core/errors.js';
import type { EntityKind } from '../../../model/model.js';
import { overlap, timeline } from '../../store/analysis.js';
import { Budget } from '../../store/budget.js';
import type { GraphFilter } from '../../store/filter.js';
import { pathSearch, type PathArgs } from '../../store/paths.js';
import { DEFAULT_PATH_HUB_DEGREE, DEFAULT_PATH_READ_BUDGET, MAX_PATH_READ_BUDGET } from '../../store/paths-bidirectional.js';
import { bounded, LIMITS } from './args.js';

export interface PathQueryArgs { from: string; to?: string; toKind?: EntityKind; maxHops?: number; filter?: GraphFilter; limit?: number; budgetMs?: number; hubDegree?: number; readBudget?: number }

/** A request's budget: at least 1 ms; above the server's maximum it is capped to it. */
export function budgetOf(ctx: Context, budgetMs: number | null | undefined): number {
  if (budgetMs !== undefined && budgetMs !== null && (!Number.isInteger(budgetMs) || budgetMs < 1)) {
    throw new BadInput(`budgetMs must be a positive integer (milliseconds), got ${budgetMs}`, { field: 'budgetMs' });
  }
  return ctx.executor.budgetMs(budgetMs);
}

/** The budget of a request that reads within one (checked as budgetOf), starting now. */
export const budgetFor = (ctx: Context, budgetMs: number | null | undefined): Budget => new Budget(budgetOf(ctx, budgetMs));

export interface OverlapArgs { ids: string[]; via?: EntityKind[]; kinds?: EntityKind[]; filter?: GraphFilter; first?: number; budgetMs?: number }
export interface TimelineArgs { id: string; from?: string; to?: string; budgetMs?: number }

/** overlap and overlapSearch: the arguments checked once. */
export async function searchOverlap(args: OverlapArgs, ctx: Context) {
  bounded('ids (count)', args.ids.length, 1, 1, 20);
  const found = await overlap(ctx.executor, { ...args, first: bounded('first', args.first, 50, 1, 500) }, ctx.caller.clearance,
    budgetFor(ctx, args.budgetMs));
  ctx.loaders.prime(found.results.flatMap((o) => [...o.between, ...o.shared]));
  return found;
}

/** timeline and timelineSearch. The window's bounds as given: a bare day is the whole day, as in every GraphFilter (model/filter-rules.ts). */
export const searchTimeline = (args: TimelineArgs, ctx: Context) =>
  timeline(ctx.executor, args.id, args.from ?? null, args.to ?? null, ctx.caller.clearance, budgetFor(ctx, args.budgetMs));

/** Checks paths' arguments once for paths and pathSearch, and runs the search. */
export async function searchPaths(args: PathQueryArgs, ctx: Context) {
  if (!args.to && !args.toKind) {
    throw new BadInput('paths needs `to` or `toKind`', { field: 'to' });
  }
  const pathArgs: PathArgs = {
    from: args.from, to: args.to, toKind: args.toKind, filter: args.filter,
    maxHops: bounded('maxHops', args.maxHops, 4, 1, LIMITS.maxHops),
    limit: bounded('limit', args.limit, 5, 1, 50),
    hubDegree: bounded('hubDegree', args.hubDegree, DEFAULT_PATH_HUB_DEGREE, 1, 10_000_000),
    readBudget: bounded('readBudget', args.readBudget, DEFAULT_PATH_READ_BUDGET, 1, MAX_PATH_READ_BUDGET),
  };
  const found = await pathSearch(ctx.executor, pathArgs, ctx.caller.clearance, budgetOf(ctx, args.budgetMs));
  ctx.loaders.prime(found.paths.flatMap((p) => p.nodes));
  return found;
}

export const limitResolvers = {
  Query: {
    pathSearch: (_: unknown, args: PathQueryArgs, ctx: Context) => searchPaths(args, ctx),
    overlapSearch: (_: unknown, args: OverlapArgs, ctx: Context) => searchOverlap(args, ctx),
    timelineSearch: (_: unknown, args: TimelineArgs, ctx: Context) => searchTimeline(args, ctx),
  },
};
