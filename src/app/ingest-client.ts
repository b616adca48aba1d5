/**
 * The page's side of CSV ingest: `loadCsv(file)` runs the ingest worker and resolves with the
 * engine's result (profile, notes, delimiter, encoding and the columnar Frame, moved here without a copy).
 *
 * One worker per load: cancelling (AbortSignal) terminates it, which stops the read at once and
 * frees its memory; there is no shared state to clean up between loads.
 */
import type { MemoryEnvironment, MemoryPlan } from '../core/data/memory-plan.ts';
import type { IngestedCsv, IngestErrorInfo, IngestRequest, IngestResponse } from '../workers/ingest-protocol.ts';
import { abortError } from '../core/util/abort.ts';

export type { IngestedCsv } from '../workers/ingest-protocol.ts';

/**
 * Files larger than this are refused before parsing when their size cannot be planned (the head is
 * not a table). Otherwise the memory plan decides: a file whose rows do not fit is read as a sample.
 */
export const MAX_CSV_BYTES = 512 * 1024 * 1024;

export interface IngestProgress {
  bytesRead: number;
  totalBytes: number;
}

export interface LoadCsvOptions {
  signal?: AbortSignal;
  onProgress?: (progress: IngestProgress) => void;
  /** The memory plan, sent before reading (its message says when a sample will be read). */
  onPlan?: (plan: MemoryPlan) => void;
  maxBytes?: number;
  /** Keep at most this many rows, as a seeded sample (the `?maxRows=` page option). */
  maxRows?: number;
  /** Stratify that sample by this column (the target). */
  stratifyBy?: string;
}

/** What this browser says about the device's memory: navigator.deviceMemory, performance.memory (Chromium). */
export function pageMemoryEnvironment(): MemoryEnvironment {
  const env: MemoryEnvironment = {};
  const device = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  if (typeof device === 'number' && device > 0) env.deviceMemoryGB = device;
  const heap = (performance as Performance & { memory?: { jsHeapSizeLimit?: number } }).memory?.jsHeapSizeLimit;
  if (typeof heap === 'number' && heap > 0) env.jsHeapSizeLimit = heap;
  return env;
}

/** A load that failed for a reason the user can act on; `kind`, `line` and `column` come from the engine. */
export class IngestFailure extends Error {
  readonly kind: string;
  readonly line?: number;
  readonly column?: string;

  constructor(info: IngestErrorInfo) {
    super(info.message);
    this.name = 'IngestFailure';
    this.kind = info.kind;
    this.line = info.line;
    this.column = info.column;
  }
}

export function loadCsv(file: Blob, options: LoadCsvOptions = {}): Promise<IngestedCsv> {
  const { signal, onProgress, onPlan, maxBytes = MAX_CSV_BYTES, maxRows, stratifyBy } = options;
  if (signal?.aborted) return Promise.reject(abortError('The CSV load was cancelled.'));

  return new Promise<IngestedCsv>((resolve, reject) => {
    const worker = new Worker(new URL('../workers/ingest.worker.ts', import.meta.url), {
      type: 'module',
      name: 'sieve-ingest',
    });
    const finish = (): void => {
      worker.terminate();
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      finish();
      reject(abortError('The CSV load was cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    worker.onmessage = (event: MessageEvent<IngestResponse>) => {
      const message = event.data;
      if (message.type === 'plan') {
        onPlan?.(message.plan);
      } else if (message.type === 'progress') {
        onProgress?.({ bytesRead: message.bytesRead, totalBytes: message.totalBytes });
      } else if (message.type === 'done') {
        finish();
        resolve(message.result);
      } else {
        finish();
        reject(new IngestFailure(message.error));
      }
    };
    // The worker script itself failed (failed to load, or threw outside the request handler).
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      finish();
      const detail = event.message ? `: ${event.message}` : '';
      reject(new IngestFailure({ kind: 'internal', message: `The CSV reader stopped unexpectedly${detail}` }));
    };
    worker.onmessageerror = () => {
      finish();
      reject(new IngestFailure({ kind: 'internal', message: 'The CSV reader sent a result the page could not read.' }));
    };

    const request: IngestRequest = { type: 'ingest', file, maxBytes, memory: pageMemoryEnvironment(), maxRows, stratifyBy };
    worker.postMessage(request);
  });
}
