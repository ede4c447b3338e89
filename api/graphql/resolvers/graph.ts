// Entity, Link and Citation field resolvers: thin, everything through per-request loaders.
import { KIND_LABEL } from '../../../model/model.js';
import type { Context } from '../context.js';
import { linksCitingSource, type LinksOfArgs } from '../../store/read-graph.js';
import type { CitationRecord, EntityRecord, LinkRecord } from '../../store/records.js';
import { corroboration, type CorroborationRecord } from '../../store/corroboration.js';
import type { GraphFilter } from '../../store/filter.js';
import { bounded, LIMITS } from './args.js';

/** A link read without its citations (its parent saw they were not selected) cannot answer them: a bug, not a quiet empty list. */
function withCitations(l: LinkRecord): void {
  if (l.citationsLeftOut) throw new Error(`link ${l.id} was read without its citations`);
}

const entityFields = {
  aliases: (e: EntityRecord) => e.aliases ?? [],
  degree: (e: EntityRecord, _: unknown, ctx: Context) => ctx.loaders.degree.load(e.id),
  links: (e: EntityRecord, args: LinksOfArgs, ctx: Context) => {
    const first = bounded('first', args.first, 100, 1, LIMITS.first);
    return ctx.loaders.linksOf({ ...args, first }).load(e.id);
  },
};

const kindTypes = Object.fromEntries(
  Object.values(KIND_LABEL).map((typeName) => [typeName, entityFields]),
);

export const graphResolvers = {
  Query: {
    corroboration: (_: unknown, args: { first?: number; minSources?: number; filter?: GraphFilter }, ctx: Context) =>
      corroboration(ctx.executor, bounded('first', args.first, 50, 1, LIMITS.first), bounded('minSources', args.minSources, 1, 1, 500), args.filter, ctx.caller.clearance),
  },
  Corroboration: {
    sources: (c: CorroborationRecord, _: unknown, ctx: Context) => ctx.loaders.entity.loadMany(c.sources),
  },
  Entity: {
    __resolveType: (e: EntityRecord) => KIND_LABEL[e.kind],
  },
  ...kindTypes,
  Source: {
    ...entityFields,
    asserts: (e: EntityRecord, args: { first?: number }, ctx: Context) =>
      linksCitingSource(ctx.executor, e.id, bounded('first', args.first, 200, 1, LIMITS.first), ctx.caller.clearance),
  },
  Link: {
    // A citation whose source is above the caller's clearance is left out, not shown as null.
    citations: async (l: LinkRecord, _: unknown, ctx: Context) => {
      withCitations(l);
      const sources = await ctx.loaders.entity.loadMany(l.citations.map((c) => c.source));
      return l.citations.filter((_c, i) => sources[i] && !(sources[i] instanceof Error));
    },
    // Independent sources: distinct Source ids among the citations the caller can see.
    sourceCount: async (l: LinkRecord, _: unknown, ctx: Context) => {
      withCitations(l);
      const ids = [...new Set(l.citations.map((c) => c.source))];
      const sources = await ctx.loaders.entity.loadMany(ids);
      return sources.filter((s) => s && !(s instanceof Error)).length;
    },
    from: (l: LinkRecord, _: unknown, ctx: Context) => ctx.loaders.entity.load(l.from),
    to: (l: LinkRecord, _: unknown, ctx: Context) => ctx.loaders.entity.load(l.to),
  },
  Citation: {
    source: (c: CitationRecord, _: unknown, ctx: Context) => ctx.loaders.entity.load(c.source),
    via: (c: CitationRecord, _: unknown, ctx: Context) => (c.via ? ctx.loaders.entity.load(c.via) : null),
  },
};
