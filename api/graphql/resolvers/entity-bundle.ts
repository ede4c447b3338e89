// Query.entity in one statement when its selection reaches into `links`: the entity, that page of
// links, their ends and their citations' sources come from api/store/entity-bundle.ts and prime
// the per-request loaders, so the field resolvers below answer without another round trip (the
// answer is the loaders' own: same filter, order and clearance; test/integration/speed-at-l.test.ts).
import { isInterfaceType, type GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.js';
import { entityBundle, type EntityBundleWants } from '../../store/entity-bundle.js';
import type { LinksOfArgs } from '../../store/read-graph.js';
import type { EntityRecord } from '../../store/records.js';
import { argumentsOf, subFields } from '../lookahead.js';
import { LIMITS } from './args.js';
import { entityOrSurvivor } from './resolution.js';

/** What the first `links` selection under this field needs; null when there is none (or its arguments are for the resolver to reject). */
export function entityWants(info: GraphQLResolveInfo): EntityBundleWants | null {
  const fields = subFields(info, info.fieldNodes);
  const linksNode = fields.find((n) => n.name.value === 'links');
  const entityType = info.schema.getType('Entity');
  if (!linksNode || !isInterfaceType(entityType)) return null;
  const args = argumentsOf(entityType.getFields().links, linksNode, info) as (LinksOfArgs & { first?: number }) | null;
  const first = args?.first ?? 100;
  if (!args || !Number.isInteger(first) || first < 1 || first > LIMITS.first) return null;
  const linkFields = new Set(subFields(info, [linksNode]).map((n) => n.name.value));
  return {
    links: { types: args.types ?? null, direction: args.direction ?? 'BOTH', first },
    ends: linkFields.has('from') || linkFields.has('to'),
    sources: linkFields.has('citations') || linkFields.has('sourceCount'),
    degree: fields.some((n) => n.name.value === 'degree'),
  };
}

export async function entityWithLookahead(ctx: Context, id: string, info: GraphQLResolveInfo): Promise<EntityRecord | null> {
  const wants = entityWants(info);
  if (!wants) return entityOrSurvivor(ctx, id);
  const bundle = await entityBundle(ctx.executor, id, wants, ctx.caller.clearance);
  // Not visible, or merged into another: the usual path says which.
  if (!bundle) return entityOrSurvivor(ctx, id);
  const { loaders } = ctx;
  loaders.entity.prime(id, bundle.entity);
  for (const [rid, record] of bundle.related) loaders.entity.prime(rid, record);
  loaders.linksOf(wants.links).prime(id, bundle.links);
  if (bundle.degree !== null) loaders.degree.prime(id, bundle.degree);
  return bundle.entity;
}
