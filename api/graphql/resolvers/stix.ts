// STIX 2.1 import and export over GraphQL (docs/stix.md); the command-line tools share the code.
import { requireRole } from '../auth.js';
import type { Context } from '../context.js';
import { BadInput } from '../../../core/errors.js';
import type { GraphFilter } from '../../store/filter.js';
import { memorySource } from '../../stix/bundle-stream.js';
import { exportBundle } from '../../stix/stix-export.js';
import { importStix } from '../../stix/stix-import.js';
import { StixFormatError } from '../../stix/stix-validate.js';
import { bounded, LIMITS } from './args.js';
import { actorName } from './mutation.js';

export const stixResolvers = {
  Query: {
    exportStix: (_: unknown, args: { ids?: string[] | null; filter?: GraphFilter | null; includeRaw?: boolean | null }, ctx: Context) => {
      if (args.ids) bounded('ids (count)', args.ids.length, 0, 0, LIMITS.ids);
      return exportBundle(ctx.executor, { ids: args.ids, filter: args.filter, includeRaw: args.includeRaw, clearance: ctx.caller.clearance });
    },
  },
  Mutation: {
    importStix: async (_: unknown, args: { bundle: unknown; defaultConfidence?: number | null }, ctx: Context) => {
      requireRole(ctx, 'ANALYST');
      try {
        // All or nothing: the bundle (at most the request body limit) is written in one transaction,
        // raw objects included, within the caller's clearance.
        const { report } = await importStix(ctx.executor, memorySource(args.bundle), {
          defaultConfidence: args.defaultConfidence, actor: actorName(ctx), atomic: true, progress: false, clearance: ctx.caller.clearance,
        });
        return report;
      } catch (e) {
        if (!(e instanceof StixFormatError)) throw e;
        throw new BadInput(`Rejected: malformed STIX bundle; nothing was written. ${e.message}`, { index: e.index, objectId: e.objectId });
      }
    },
  },
};
