// Notes on entities, links and investigations: adding and deleting need an ANALYST key (deleting:
// the author's key or an ADMIN); reading is open, within the caller's clearance.
import { requireRole } from '../auth.js';
import type { Context } from '../context.js';
import type { Tlp } from '../../../model/model.js';
import { addNote, deleteNote, notesOn, type NoteWriter } from '../../store/notes.js';
import type { InvestigationRecord } from '../../store/investigations.js';
import { bounded, LIMITS } from './args.js';
import { actorName } from './mutation.js';

function writer(ctx: Context): NoteWriter {
  requireRole(ctx, 'ANALYST');
  return { keyId: ctx.caller.keyId as string, name: ctx.caller.name, admin: ctx.caller.role === 'ADMIN', actor: actorName(ctx), clearance: ctx.caller.clearance };
}

export const noteResolvers = {
  Query: {
    notes: (_: unknown, args: { target: string; first?: number }, ctx: Context) =>
      notesOn(ctx.executor, args.target, ctx.caller.clearance, bounded('first', args.first, 100, 1, LIMITS.first)),
  },
  Mutation: {
    addNote: (_: unknown, args: { target: string; text: string; tlp?: Tlp | null }, ctx: Context) =>
      addNote(ctx.executor, args, writer(ctx)),
    deleteNote: (_: unknown, args: { id: string }, ctx: Context) => deleteNote(ctx.executor, args.id, writer(ctx)),
  },
  Investigation: {
    notes: (inv: InvestigationRecord, _: unknown, ctx: Context) => notesOn(ctx.executor, inv.id, ctx.caller.clearance, 200),
  },
};
