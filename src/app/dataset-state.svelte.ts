/**
 * The Data step's state: the dataset in use, a load in progress, and the last load error.
 * A failed or cancelled load never replaces the dataset loaded before it.
 *
 * `$state.raw`: the profile and Frame are replaced whole, never mutated, so deep proxies would only
 * cost time (the Frame's typed arrays can hold millions of values).
 */
import { IngestFailure, loadCsv, type IngestedCsv } from './ingest-client.ts';
import { isAbort } from '../core/util/abort.ts';
import { fetchSample, type SampleDataset } from './samples.ts';
import type { MemoryPlan } from '../core/data/memory-plan.ts';
import { MAX_STRATA } from '../core/data/reservoir.ts';
import { errorMessage } from '../core/util/error-message.ts';

export interface LoadedDataset extends IngestedCsv {
  fileName: string;
  fileSize: number;
  /** The file itself, kept so that it can be saved (IndexedDB) and re-read after a reload. */
  file: Blob;
  /** The memory plan it was read by (absent when the head was not a table). */
  memoryPlan?: MemoryPlan;
}

export interface LoadingState {
  fileName: string;
  bytesRead: number;
  totalBytes: number;
  /** Said before reading when the file's rows will not all fit: the sample's numbers (memory-plan.ts). */
  planMessage?: string;
}

/**
 * `?maxRows=N` in the page's address: read at most N rows, as a seeded sample (a smaller limit than
 * the device's; for tests and for a quick look at a big file). Undefined when absent or not a count.
 */
export function maxRowsFromLocation(search: string): number | undefined {
  const v = new URLSearchParams(search).get('maxRows');
  if (v === null || !/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n >= 1 ? n : undefined;
}

/** A sample being read again, stratified by the chosen target (`DatasetState.stratify`). */
export interface StratifyingState {
  target: string;
  bytesRead: number;
  totalBytes: number;
}

/**
 * Whether choosing `target` should re-read the dataset's sample stratified by it: the file was read
 * as a sample (before any target was known, so uniformly, or stratified by another column), and the
 * target has few enough values to be classes (a continuous column is sampled uniformly anyway).
 */
export function needsStratifiedSample(dataset: LoadedDataset, target: string): boolean {
  if (!dataset.sample || dataset.sample.stratifiedBy === target) return false;
  const column = dataset.profile.columns.find((c) => c.name === target);
  return column !== undefined && column.distinct <= MAX_STRATA;
}

export interface LoadError {
  fileName: string;
  /** The engine's IngestError kind ('empty', 'binary', ...), 'fetch' for a sample that could not be fetched, 'internal' otherwise. */
  kind: string;
  message: string;
  line?: number;
  column?: string;
}

class DatasetState {
  dataset = $state.raw<LoadedDataset | null>(null);
  loading = $state.raw<LoadingState | null>(null);
  error = $state.raw<LoadError | null>(null);
  /** The sample being re-read stratified by the target, while it is. */
  stratifying = $state.raw<StratifyingState | null>(null);
  /** Why the last stratified re-read failed (the uniform sample stays in use). */
  stratifyError = $state.raw<string | null>(null);
  #controller: AbortController | null = null;
  #stratifyController: AbortController | null = null;

  /** Parse a File in the ingest worker; a load already running is cancelled first. */
  async loadFile(file: File): Promise<void> {
    await this.#run(file.name, file.size, async () => file);
  }

  async loadSample(sample: SampleDataset): Promise<void> {
    await this.#run(sample.file, 0, (signal) => fetchSample(sample, signal));
  }

  cancel(): void {
    this.#controller?.abort();
  }

  /**
   * Reads the dataset's file again as a sample of the same size stratified by `target`, so each class
   * keeps its share of the whole file (the first read could not: the target was not chosen yet). The
   * sample in use stays until the new one is ready; a newer choice or load supersedes this one.
   */
  async stratify(target: string): Promise<void> {
    const dataset = this.dataset;
    if (!dataset?.sample || !needsStratifiedSample(dataset, target)) return;
    this.#stratifyController?.abort();
    const controller = new AbortController();
    this.#stratifyController = controller;
    this.stratifying = { target, bytesRead: 0, totalBytes: dataset.fileSize };
    this.stratifyError = null;
    try {
      const result = await loadCsv(dataset.file, {
        signal: controller.signal,
        maxRows: dataset.sample.keptRows,
        stratifyBy: target,
        onProgress: (p) => {
          if (this.#stratifyController === controller) this.stratifying = { target, ...p };
        },
      });
      if (this.#stratifyController !== controller || this.dataset !== dataset) return;
      this.dataset = { ...result, fileName: dataset.fileName, fileSize: dataset.fileSize, file: dataset.file, memoryPlan: dataset.memoryPlan };
    } catch (err) {
      if (isAbort(err) || this.#stratifyController !== controller) return;
      this.stratifyError = `The sample could not be re-read stratified by the target (${errorMessage(err)}); the uniform sample stays in use.`;
    } finally {
      if (this.#stratifyController === controller) {
        this.#stratifyController = null;
        this.stratifying = null;
      }
    }
  }

  dismissError(): void {
    this.error = null;
  }

  async #run(fileName: string, size: number, getFile: (signal: AbortSignal) => Promise<File>): Promise<void> {
    this.#controller?.abort();
    this.#stratifyController?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.loading = { fileName, bytesRead: 0, totalBytes: size };
    try {
      let file: File;
      try {
        file = await getFile(controller.signal);
      } catch (err) {
        if (isAbort(err)) throw err;
        throw new IngestFailure({ kind: 'fetch', message: errorMessage(err) });
      }
      this.loading = { fileName, bytesRead: 0, totalBytes: file.size };
      let planMessage: string | undefined;
      let memoryPlan: MemoryPlan | undefined;
      const result = await loadCsv(file, {
        signal: controller.signal,
        maxRows: typeof location === 'undefined' ? undefined : maxRowsFromLocation(location.search),
        onPlan: (plan) => {
          memoryPlan = plan;
          planMessage = plan.message ?? undefined;
          if (this.#controller === controller && this.loading) this.loading = { ...this.loading, planMessage };
        },
        onProgress: (p) => {
          if (this.#controller === controller) this.loading = { fileName, ...p, planMessage };
        },
      });
      if (this.#controller !== controller) return;
      this.dataset = { ...result, fileName: file.name, fileSize: file.size, file, memoryPlan };
      this.error = null;
    } catch (err) {
      // A cancelled load, or one superseded by a newer load, leaves no trace.
      if (isAbort(err) || this.#controller !== controller) return;
      this.error = toLoadError(fileName, err);
    } finally {
      if (this.#controller === controller) {
        this.#controller = null;
        this.loading = null;
      }
    }
  }
}

function toLoadError(fileName: string, err: unknown): LoadError {
  if (err instanceof IngestFailure) {
    return { fileName, kind: err.kind, message: err.message, line: err.line, column: err.column };
  }
  return { fileName, kind: 'internal', message: errorMessage(err) };
}

export const datasetState = new DatasetState();
