// Results kept per graph version: analyses (clusters, centrality, similar) and the start page's
// ranking are recomputed only after a write, not per request.
import type { Executor } from './executor.js';

/**
 * A store-wide change marker: the number of nodes and of relationships, both read from Neo4j's
 * count store (constant time). Every API write appends audit records in its transaction, so any
 * write moves it; so does a bulk load or a delete.
 */
export async function graphVersion(ex: Executor): Promise<string> {
  const [row] = await ex.read<{ n: number; r: number }>(
    'CALL () { MATCH (n) RETURN count(n) AS n } CALL () { MATCH ()-[r]->() RETURN count(r) AS r } RETURN n, r');
  return `${row.n}:${row.r}`;
}

/** A small LRU of results: bounded, so a stream of different queries cannot grow it. */
export class ResultCache {
  private readonly entries = new Map<string, unknown>();
  constructor(private readonly max: number) {}
  get<T>(key: string): T | undefined {
    const v = this.entries.get(key) as T | undefined;
    if (v !== undefined) { this.entries.delete(key); this.entries.set(key, v); }
    return v;
  }
  set(key: string, value: unknown): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }
  clear(): void { this.entries.clear(); }
}

/** `compute`'s result from `cache`, kept per graph version and `parts` (which must hold everything it depends on: clearance, arguments). */
export async function cachedIn<T extends object>(cache: ResultCache, ex: Executor, parts: unknown[], compute: (version: string) => Promise<T>): Promise<T & { cached: boolean }> {
  const version = await graphVersion(ex);
  const key = JSON.stringify([ex.settings.uri, ex.settings.database, version, ...parts]);
  const hit = cache.get<T>(key);
  if (hit) return { ...hit, cached: true };
  const value = await compute(version);
  cache.set(key, value);
  return { ...value, cached: false };
}
