// Saved investigations: anyone may open them (filtered to their clearance); saving needs an
// ANALYST key, and only the owner's key or an ADMIN may overwrite, rename or delete.
import { requireRole } from '../auth.js';
import type { Context } from '../context.js';
import {
  candidateIds, deleteInvestigation, getInvestigation, hiddenEntityIds, listInvestigations, pruneState, renameInvestigation, saveInvestigation,
  type InvestigationRecord, type InvestigationWriter,
} from '../../store/investigations.js';
import { bounded, LIMITS } from './args.js';
import { actorName } from './mutation.js';

function writer(ctx: Context): InvestigationWriter {
  requireRole(ctx, 'ANALYST');
  return { keyId: ctx.caller.keyId as string, name: ctx.caller.name, admin: ctx.caller.role === 'ADMIN', actor: actorName(ctx), clearance: ctx.caller.clearance };
}

/** For a list: one lookup of hidden ids for all its states, made when the first state is asked for. */
const sharedHidden = new WeakMap<InvestigationRecord, () => Promise<Set<string>>>();

export const investigationResolvers = {
  Query: {
    investigation: (_: unknown, args: { id: string }, ctx: Context) => getInvestigation(ctx.executor, args.id),
    investigations: async (_: unknown, args: { first?: number }, ctx: Context) => {
      const list = await listInvestigations(ctx.executor, bounded('first', args.first, 50, 1, LIMITS.first));
      let hidden: Promise<Set<string>> | null = null;
      const lookup = () => (hidden ??= hiddenEntityIds(ctx.executor,
        list.reduce((ids, inv) => candidateIds(inv.state, ids), new Set<string>()), ctx.caller.clearance));
      for (const inv of list) sharedHidden.set(inv, lookup);
      return list;
    },
  },
  Mutation: {
    saveInvestigation: (_: unknown, args: { input: { id?: string | null; name: string; description?: string | null; state: unknown } }, ctx: Context) =>
      saveInvestigation(ctx.executor, args.input, writer(ctx)),
    renameInvestigation: (_: unknown, args: { id: string; name: string; description?: string | null }, ctx: Context) =>
      renameInvestigation(ctx.executor, args.id, args.name, writer(ctx), args.description),
    deleteInvestigation: (_: unknown, args: { id: string }, ctx: Context) =>
      deleteInvestigation(ctx.executor, args.id, writer(ctx)),
  },
  Investigation: {
    /** Never the saved state as such: what the caller's clearance allows of it. */
    state: async (inv: InvestigationRecord, _: unknown, ctx: Context) => {
      const hidden = await (sharedHidden.get(inv)?.() ?? hiddenEntityIds(ctx.executor, candidateIds(inv.state), ctx.caller.clearance));
      return pruneState(inv.state, hidden);
    },
  },
};
