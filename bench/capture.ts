// "Raw driver" baseline: the exact Cypher statements (and parameters) our API sends for a request
// are recorded once, then replayed straight through the Executor (neo4j-driver) with no GraphQL,
// HTTP or JSON in between. Statements the API sent concurrently (DataLoader batches resolved in
// the same tick) are replayed concurrently, so the replay keeps the API's round-trip shape.
import type { RecordShape } from 'neo4j-driver';
import type { Executor, Params } from '../api/store/executor.js';

export interface Statement { cypher: string; params: Params }
export type Replay = Statement[][];

/** Wraps an executor so that its reads are recorded in groups of overlapping calls. */
export function recordingExecutor(ex: Executor): { executor: Executor; take: () => Replay } {
  let groups: Replay = [];
  let inFlight = 0;
  const executor = Object.create(ex) as Executor;
  const recorded = async <R>(cypher: string, params: Params, run: () => Promise<R>): Promise<R> => {
    if (inFlight === 0 || groups.length === 0) groups.push([]);
    groups[groups.length - 1].push({ cypher, params });
    inFlight++;
    try {
      return await run();
    } finally {
      inFlight--;
    }
  };
  executor.read = <T extends RecordShape = RecordShape>(cypher: string, params: Params = {}): Promise<T[]> =>
    recorded(cypher, params, () => ex.read<T>(cypher, params));
  // Budgeted queries (neighborhood, paths, claims …) read through readUntil: without it here their
  // raw baseline replayed nothing and showed 0.01 ms.
  executor.readUntil = <T extends RecordShape = RecordShape>(cypher: string, params: Params, timeoutMs: number, fetchSize?: number) =>
    recorded(cypher, params, () => ex.readUntil<T>(cypher, params, timeoutMs, fetchSize));
  return { executor, take: () => { const g = groups; groups = []; return g; } };
}

export async function replay(ex: Executor, statements: Replay): Promise<void> {
  for (const group of statements) await Promise.all(group.map((s) => ex.read(s.cypher, s.params)));
}
