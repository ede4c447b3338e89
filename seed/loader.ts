// Loads a graph file as one transaction: run twice, same counts; a bad record writes nothing.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Executor } from '../api/store/executor.js';
import { countAll, writeBatch, type WriteResult } from '../api/store/write-graph.js';
import { readGraphFile } from './load-file.js';

export const SEED_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'article-graph.json');

export async function loadGraphFile(ex: Executor, file: string, actor = 'loader'): Promise<WriteResult> {
  const graph = readGraphFile(file);
  return writeBatch(ex, graph.entities, graph.links, { actor });
}

/** Loads the seed article's graph when the database holds no entity yet. */
export async function loadSeedIfEmpty(ex: Executor): Promise<WriteResult | null> {
  const { nodes } = await countAll(ex);
  if (nodes > 0) return null;
  return loadGraphFile(ex, SEED_FILE, 'seed');
}
