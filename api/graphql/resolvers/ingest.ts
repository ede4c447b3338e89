// Report ingest and draft review (docs/ingest.md): thin, the work is in api/ingest/.
import { requireRole } from '../auth.js';
import type { Context } from '../context.js';
import { ingestReport, type DraftContent, type ReportInput } from '../../ingest/ingest.js';
import { reviewDraft, type ReviewAction, type ReviewDecision } from '../../ingest/review.js';
import { getDraft, listDrafts, sourceText, type DraftRecord, type DraftViewer } from '../../store/drafts.js';
import { bounded, LIMITS } from './args.js';
import { actorName } from './mutation.js';

function viewer(ctx: Context): DraftViewer {
  requireRole(ctx, 'ANALYST');
  const c = ctx.caller;
  return { keyId: c.keyId, admin: c.role === 'ADMIN', clearance: c.clearance, actor: actorName(ctx), name: c.name };
}

const content = (d: DraftRecord) => d.content as DraftContent;

export const ingestResolvers = {
  Query: {
    drafts: (_: unknown, args: { first?: number }, ctx: Context) =>
      listDrafts(ctx.executor, bounded('first', args.first, 50, 1, LIMITS.first), viewer(ctx)),
    draft: (_: unknown, args: { id: string }, ctx: Context) => getDraft(ctx.executor, args.id, viewer(ctx)),
    sourceParagraphs: (_: unknown, args: { sourceId: string }, ctx: Context) => sourceText(ctx.executor, args.sourceId, ctx.caller.clearance),
  },
  Mutation: {
    ingestReport: (_: unknown, args: { input: ReportInput }, ctx: Context) => ingestReport(ctx.executor, args.input, viewer(ctx)),
    reviewDraft: (_: unknown, args: { id: string; decisions?: ReviewDecision[] | null; all?: ReviewAction | null }, ctx: Context) =>
      reviewDraft(ctx.executor, args.id, args.decisions ?? [], args.all ?? null, viewer(ctx)),
  },
  Draft: {
    language: (d: DraftRecord) => content(d).language,
    paragraphs: (d: DraftRecord) => content(d).paragraphs,
    leftOut: (d: DraftRecord) => content(d).leftOut,
    entities: (d: DraftRecord) => content(d).entities,
    links: (d: DraftRecord) => content(d).links,
    pending: (d: DraftRecord) => content(d).entities.filter((e) => e.status === 'PENDING').length + content(d).links.filter((l) => l.status === 'PENDING').length,
  },
};
