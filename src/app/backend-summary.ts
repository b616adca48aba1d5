/**
 * The compute backend of each worker, as the page shows it (the Search step's badge, the model card)
 * and keeps it with the experiment: what a worker reports about itself (workers/backend.ts) is plain
 * data that crosses postMessage and IndexedDB, so its shape belongs to the page.
 */
/** What a worker computes on. */
export type ComputeBackendName = 'webgpu' | 'wasm' | 'cpu';

/** What one worker tells the page about its backend. */
export interface BackendReport {
  backend: ComputeBackendName;
  /** Why this backend, in a sentence: what was tried first and why it was not used. */
  reason: string;
  /** How it runs: 'SIMD, 2 threads', the GPU adapter's name, 'plain JavaScript'. */
  detail: string;
  /** Set when the backend changed during a run (a lost GPU device). */
  changedAt?: number;
  /** WASM threads this worker may use. */
  wasmThreads?: number;
}

/** The compute of a whole run, for the badge: the trial workers' backends and the refit's. */
export interface BackendSummary {
  workers: BackendReport[];
  refit: BackendReport | null;
}

/**
 * During a run the badge keeps every backend a worker used: a worker replaced after a lost device
 * or a cancel reports again, and a change (WebGPU → WASM) must stay visible with its reason.
 */
export function mergeRunBackend(previous: BackendSummary | null, next: BackendSummary): BackendSummary {
  if (!previous) return next;
  const changed = previous.workers.filter((w) => w.changedAt !== undefined);
  const workers = next.workers.map((w) => w);
  for (const c of changed) if (!workers.some((w) => w.changedAt === c.changedAt)) workers.push(c);
  return { workers, refit: next.refit ?? previous.refit };
}
