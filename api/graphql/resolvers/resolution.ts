// Entity resolution in the API (docs/resolution.md): thin checks of arguments and roles, then the store.
import type { Context } from '../context.js';
import { requireRole } from '../auth.js';
import { isEntityKind, type EntityKind } from '../../../model/model.js';
import { BadInput } from '../../../core/errors.js';
import { decodeCursor, encodeCursor } from '../../store/browse.js';
import { mergeCandidates, type Candidate } from '../../store/resolution-candidates.js';
import { judgeCandidate, listJudgements, type Verdict } from '../../store/resolution-judgements.js';
import { mergeEntities, mergeRecords, resolveMergedIds, unmergeEntities } from '../../store/resolution-merge.js';
import type { EntityRecord } from '../../store/records.js';
import { bounded, LIMITS, notFound } from './args.js';
import { actorName } from './mutation.js';

/** An entity by id; the id of a merged entity answers its survivor, saying so (resolvedFrom). */
export async function entityOrSurvivor(ctx: Context, id: string): Promise<EntityRecord | null> {
  const found = await ctx.loaders.entity.load(id);
  if (found) return found;
  const moved = (await resolveMergedIds(ctx.executor, [id], ctx.caller.clearance)).get(id);
  if (!moved) return null;
  const survivor = await ctx.loaders.entity.load(moved.survivor);
  return survivor ? { ...survivor, resolvedFrom: id } : null;
}

const candidateCursor = (c: Candidate) => encodeCursor(`${c.score}|${c.a}|${c.b}`);

export const resolutionResolvers = {
  Query: {
    mergeCandidates: async (_: unknown, args: { kind?: EntityKind | null; minScore?: number | null; first?: number; after?: string | null }, ctx: Context) => {
      const first = bounded('first', args.first, 50, 1, LIMITS.first);
      const minScore = args.minScore ?? 0.5;
      if (!(minScore >= 0 && minScore <= 1)) throw BadInput.field('minScore', `must be from 0 to 1, got ${minScore}`);
      if (args.kind != null && !isEntityKind(args.kind)) throw BadInput.field('kind', 'unknown entity kind');
      const all = await mergeCandidates(ctx.executor, { kind: args.kind ?? null, minScore, clearance: ctx.caller.clearance });
      let start = 0;
      if (args.after != null) {
        const key = decodeCursor(args.after);
        // Not a cursor this query gave: say so rather than guess a place.
        if (key === null || key.split('|').length !== 3) throw BadInput.field('after', 'not a cursor from mergeCandidates');
        const at = all.findIndex((c) => `${c.score}|${c.a}|${c.b}` === key);
        // A pair judged or merged since the cursor was given: continue after where it would sort.
        if (at >= 0) start = at + 1;
        else {
          const [s, a, b] = key.split('|');
          const score = Number(s);
          start = all.findIndex((c) => c.score < score || (c.score === score && (c.a > a || (c.a === a && c.b > b))));
          if (start < 0) start = all.length;
        }
      }
      const page = all.slice(start, start + first);
      const ids = [...new Set(page.flatMap((c) => [c.a, c.b]))];
      const entities = await ctx.loaders.entity.loadMany(ids);
      const byId = new Map(ids.map((id, i) => [id, entities[i]]));
      const edges = page.map((c) => ({ cursor: candidateCursor(c), node: { ...c, a: byId.get(c.a), b: byId.get(c.b) } }));
      return { edges, totalCount: all.length, pageInfo: { hasNextPage: start + first < all.length, endCursor: edges.at(-1)?.cursor ?? null } };
    },
    merges: (_: unknown, args: { entityId?: string | null; first?: number }, ctx: Context) =>
      mergeRecords(ctx.executor, { entityId: args.entityId ?? null, first: bounded('first', args.first, 50, 1, LIMITS.first), clearance: ctx.caller.clearance }),
    judgements: (_: unknown, __: unknown, ctx: Context) => listJudgements(ctx.executor, ctx.caller.clearance),
  },
  Mutation: {
    mergeEntities: async (_: unknown, args: { into: string; from: string[]; reason?: string | null }, ctx: Context) => {
      requireRole(ctx, 'ANALYST');
      const r = await mergeEntities(ctx.executor, args, actorName(ctx), ctx.caller.clearance);
      ctx.loaders.entity.clear(r.into);
      const entity = await ctx.loaders.entity.load(r.into);
      if (!entity) throw notFound('entity', r.into);
      return { ...r, entity };
    },
    unmergeEntities: async (_: unknown, args: { mergeId: string }, ctx: Context) => {
      requireRole(ctx, 'ANALYST');
      const r = await unmergeEntities(ctx.executor, args.mergeId, actorName(ctx), ctx.caller.clearance);
      const restored = (await ctx.loaders.entity.loadMany(r.restored)).filter((e): e is EntityRecord => !!e && !(e instanceof Error));
      return { mergeId: r.mergeId, restored, linksRestored: r.linksRestored };
    },
    judgeCandidate: (_: unknown, args: { a: string; b: string; verdict: Verdict; note?: string | null }, ctx: Context) => {
      requireRole(ctx, 'ANALYST');
      return judgeCandidate(ctx.executor, args, actorName(ctx), ctx.caller.clearance);
    },
  },
};
