// The page's side of the layout worker (graph/fcose.worker.ts): one worker, started on first use
// and kept; a newer layout ends the one in flight (its answer would be stale anyway) by ending
// the worker, since fcose cannot be interrupted. A worker that cannot start or fails is reported
// as an error, and layouts.ts then runs fcose on the page as before.
import type { FcoseAnswer, FcoseJob } from './fcose-job.js';

/** 'auto': the worker above WORKER_ABOVE nodes; 'always' / 'never' for tests and comparisons. */
export type WorkerMode = 'auto' | 'always' | 'never';

/**
 * Below this many nodes fcose takes well under a second on the page, less than starting the
 * worker (it loads its own Cytoscape), so small graphs stay on the page.
 */
export const WORKER_ABOVE = 150;

let mode: WorkerMode = 'auto';
let broken = false;
/** Layouts the worker answered (tests check a big layout really ran off the page). */
let answers = 0;
let worker: Worker | null = null;
let pending: { generation: number; resolve: (a: FcoseAnswer | null) => void; reject: (e: Error) => void } | null = null;

/** Sets where fcose runs (when given) and says how it is set and how many answers came back. */
export function layoutWorker(m?: WorkerMode): { mode: WorkerMode; answers: number; broken: boolean } {
  if (m) mode = m;
  return { mode, answers, broken };
}

export function useWorker(nodeCount: number): boolean {
  if (broken || typeof Worker === 'undefined' || mode === 'never') return false;
  return mode === 'always' || nodeCount > WORKER_ABOVE;
}

function settle(fn: (p: NonNullable<typeof pending>) => void): void {
  const p = pending;
  pending = null;
  if (p) fn(p);
}

function start(): Worker {
  const w = new Worker(new URL('./fcose.worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (e: MessageEvent<FcoseAnswer & { error?: string }>) => {
    if (!pending || e.data.generation !== pending.generation) return;
    const { error } = e.data;
    if (!error) answers++;
    settle((p) => (error ? p.reject(new Error(`layout worker: ${error}`)) : p.resolve(e.data)));
  };
  // A worker that cannot load (or dies) is not tried again this session.
  w.onerror = (e) => {
    e.preventDefault();
    broken = true;
    stop();
    settle((p) => p.reject(new Error(`layout worker: ${e.message || 'failed to start'}`)));
  };
  return w;
}

function stop(): void {
  worker?.terminate();
  worker = null;
}

/** Ends the layout in flight, if any: its promise resolves to null. */
export function cancelWorkerLayout(): void {
  if (!pending) return;
  stop();
  settle((p) => p.resolve(null));
}

/** Runs fcose in the worker; null when a newer layout (or cancelWorkerLayout) took its place. */
export function fcoseInWorker(job: FcoseJob): Promise<FcoseAnswer | null> {
  cancelWorkerLayout();
  return new Promise((resolve, reject) => {
    pending = { generation: job.generation, resolve, reject };
    try {
      worker ??= start();
      worker.postMessage(job, [job.x.buffer, job.y.buffer, job.ow.buffer, job.oh.buffer, job.boxes.buffer]);
    } catch (e) {
      broken = true;
      stop();
      settle((p) => p.reject(e as Error));
    }
  });
}
