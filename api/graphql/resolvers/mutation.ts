import type { Context } from '../context.js';
import { requireRole } from '../auth.js';
import { BadInput } from '../../../core/errors.js';
import { auditPage } from '../../store/audit.js';
import { linkById } from '../../store/read-graph.js';
import { addCitation, deleteEntity, removeCitation, writeBatch } from '../../store/write-graph.js';
import type { CitationInput, EntityInput, LinkInput } from '../../../core/validate.js';
import { bounded, LIMITS, notFound } from './args.js';

/** Who the audit trail names: the key's label and id (never the key itself). */
export const actorName = (ctx: Context): string => (ctx.caller.keyId ? `${ctx.caller.name} [key ${ctx.caller.keyId}]` : ctx.caller.name);

/** Drops absent and null fields (citations: a null locator is no locator). */
const compact = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v != null)) as T;

/** What a write runs as: the caller's name for the audit trail, per-item audit, the caller's clearance. */
const writeAs = (ctx: Context) => ({ actor: actorName(ctx), audit: 'items' as const, clearance: ctx.caller.clearance });

export const mutationResolvers = {
  Query: {
    auditLog: (_: unknown, args: { first?: number; after?: string; actor?: string; entityId?: string }, ctx: Context) => {
      requireRole(ctx, 'ADMIN');
      return auditPage(ctx.executor, { ...args, first: bounded('first', args.first, 50, 1, LIMITS.first), clearance: ctx.caller.clearance });
    },
  },
  Mutation: {
    upsertEntities: async (_: unknown, args: { input: EntityInput[] }, ctx: Context) => {
      requireRole(ctx, 'ANALYST');
      bounded('input (count)', args.input.length, 1, 1, LIMITS.batch);
      // Patch semantics: GraphQL leaves absent fields out and keeps explicit nulls, which clear.
      const r = await writeBatch(ctx.executor, args.input, [], writeAs(ctx));
      return { created: r.entitiesCreated, updated: r.entitiesUpdated, unchanged: r.entitiesUnchanged, ids: r.entityIds };
    },
    upsertLinks: async (_: unknown, args: { input: LinkInput[] }, ctx: Context) => {
      requireRole(ctx, 'ANALYST');
      bounded('input (count)', args.input.length, 1, 1, LIMITS.batch);
      const r = await writeBatch(ctx.executor, [], args.input.map((l) => ({ ...l, citations: l.citations.map(compact) })), writeAs(ctx));
      return { created: r.linksCreated, updated: r.linksUpdated, unchanged: r.linksUnchanged, ids: r.linkIds };
    },
    addCitation: async (_: unknown, args: { linkId: string; citation: CitationInput }, ctx: Context) => {
      requireRole(ctx, 'ANALYST');
      const r = await addCitation(ctx.executor, args.linkId, args.citation, actorName(ctx), ctx.caller.clearance);
      if (r.problems.length) {
        throw new BadInput(`Rejected: ${r.problems.join('; ')}`, { problems: r.problems });
      }
      if (!r.found) throw notFound('link', args.linkId);
      const updated = await linkById(ctx.executor, args.linkId, ctx.caller.clearance);
      if (!updated) throw notFound('link', args.linkId);
      return updated;
    },
    removeCitation: async (_: unknown, args: { linkId: string; sourceId: string; locator?: string | null }, ctx: Context) => {
      requireRole(ctx, 'ANALYST');
      const r = await removeCitation(ctx.executor, args.linkId, args.sourceId, args.locator, actorName(ctx), ctx.caller.clearance);
      if (r.outcome === 'noLink') throw notFound('link', args.linkId);
      if (r.outcome === 'noCitation') throw notFound('citation', `${args.sourceId} ${JSON.stringify(args.locator ?? null)} on ${args.linkId}`);
      if (r.outcome === 'last') {
        throw new BadInput('Rejected: the last citation of a link cannot be removed (every link keeps at least one); add another first', { field: 'sourceId' });
      }
      const updated = await linkById(ctx.executor, args.linkId, ctx.caller.clearance);
      if (!updated) throw notFound('link', args.linkId);
      return updated;
    },
    deleteEntity: async (_: unknown, args: { id: string }, ctx: Context) => {
      requireRole(ctx, 'ADMIN');
      const r = await deleteEntity(ctx.executor, args.id, actorName(ctx), ctx.caller.clearance);
      if (!r.deleted) throw notFound('entity', args.id);
      return { id: args.id, ...r };
    },
  },
};
