// Per-request DataLoaders: every entity, degree and links-of lookup in one GraphQL response
// is batched into one query per kind of lookup.
import DataLoader from 'dataloader';
import type { Tlp } from '../../model/model.js';
import type { Executor } from '../store/executor.js';
import { degrees, entitiesByIds, linksOfMany, type LinksOfArgs } from '../store/read-graph.js';
import type { EntityRecord, LinkRecord } from '../store/records.js';

export interface Loaders {
  entity: DataLoader<string, EntityRecord | null>;
  degree: DataLoader<string, number>;
  linksOf(args: LinksOfArgs): DataLoader<string, LinkRecord[]>;
  /** Makes entities already read by a query available without another round trip. */
  prime(entities: EntityRecord[]): void;
}

export function createLoaders(ex: Executor, clearance: Tlp): Loaders {
  const entity = new DataLoader<string, EntityRecord | null>(async (ids) => {
    const found = await entitiesByIds(ex, ids, clearance);
    return ids.map((id) => found.get(id) ?? null);
  });
  const degree = new DataLoader<string, number>((ids) => degrees(ex, ids, clearance));
  const linksLoaders = new Map<string, DataLoader<string, LinkRecord[]>>();
  return {
    entity,
    degree,
    linksOf(args) {
      const key = JSON.stringify([args.types ?? null, args.direction ?? 'BOTH', args.first ?? 100]);
      let loader = linksLoaders.get(key);
      if (!loader) {
        loader = new DataLoader((ids) => linksOfMany(ex, ids, args, clearance));
        linksLoaders.set(key, loader);
      }
      return loader;
    },
    prime(entities) {
      for (const e of entities) entity.prime(e.id, e);
    },
  };
}
