/** What a worker tells the page about its compute backend (plain data: it crosses postMessage and IndexedDB). */
export type ComputeBackendName = 'webgpu' | 'wasm' | 'cpu';

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

export interface BackendPreferences {
  /** Trial workers running side by side (WASM threads per worker = cores / workers). */
  workers: number;
  /** Try WebGPU at all (the experiment worker's final refit does not). */
  gpu: boolean;
  /** Accept a software (fallback) WebGPU adapter: for tests of the GPU path only, it is slow. */
  allowSoftwareGpu: boolean;
}

/** The compute of a whole run, for the badge: the trial workers' backends and the refit's. */
export interface BackendSummary {
  workers: BackendReport[];
  refit: BackendReport | null;
}
