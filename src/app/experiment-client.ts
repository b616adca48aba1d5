/**
 * The page's side of a run: one long-lived experiment worker (which owns the trial workers), started
 * early by `warm()` so that a click on Start finds the workers loaded and their backends chosen.
 * Messages of a run other than the current one (a cancelled run's late events) are ignored.
 * The same worker explains single rows of the last model (`explain`).
 */
import type { ExperimentEvent, ProjectDefinition } from '../core/automl/types.ts';
import type { Frame } from '../core/data/frame.ts';
import type { BackendSummary } from './backend-summary.ts';
import type { ChampionSpec, ExperimentRequest, ExperimentResponse, RunFailureKind, WarmOptions } from '../workers/experiment-protocol.ts';
import type { ExplainedRow, RunSummary } from './run-results.ts';

export interface RunHandlers {
  onEvent: (event: ExperimentEvent) => void;
  onFinished: (summary: RunSummary, model: Blob) => void;
  onFailed: (kind: RunFailureKind, message: string) => void;
}

export interface ExplainRequest {
  /** Names the model: the runId that made it. */
  key: string;
  /** Frame row to explain. */
  row: number;
  background: Int32Array;
  seed: number;
}

interface PendingExplain {
  request: ExplainRequest;
  load: () => Promise<{ frame: Frame; model: Blob }>;
  loaded: boolean;
  resolve: (row: ExplainedRow) => void;
  reject: (err: Error) => void;
}

export class ExperimentClient {
  #explains = new Map<number, PendingExplain>();
  #nextRequest = 1;
  #worker: Worker | null = null;
  #runId: string | null = null;
  #handlers: RunHandlers | null = null;
  #onBackend: (backend: BackendSummary) => void;
  #options: WarmOptions;

  constructor(options: WarmOptions, onBackend: (backend: BackendSummary) => void) {
    this.#options = options;
    this.#onBackend = onBackend;
  }

  get running(): boolean {
    return this.#runId !== null;
  }

  /** Starts the experiment worker and its trial workers (idempotent). */
  warm(): void {
    if (this.#worker) return;
    const worker = new Worker(new URL('../workers/experiment.worker.ts', import.meta.url), { type: 'module', name: 'sieve-experiment' });
    worker.onmessage = (event: MessageEvent<ExperimentResponse>) => this.#onMessage(event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.#crash(`The search stopped unexpectedly${event.message ? `: ${event.message}` : ''}.`);
    };
    worker.onmessageerror = () => this.#crash('The search sent a message the page could not read.');
    this.#worker = worker;
    this.#post({ type: 'warm', options: this.#options });
  }

  /**
   * `startedAt`: when the user pressed Start (the budget counts from there); `champion`: a previously
   * exported model to compare the winner with (instead of the naive baseline).
   */
  start(runId: string, frame: Frame, def: ProjectDefinition, startedAt: number, handlers: RunHandlers, champion?: ChampionSpec): void {
    this.warm();
    this.#runId = runId;
    this.#handlers = handlers;
    this.#post({ type: 'start', runId, frame, def, startedAt, ...(champion ? { champion } : {}) });
  }

  cancel(): void {
    if (this.#runId) this.#post({ type: 'cancel', runId: this.#runId });
  }

  /**
   * Why the model predicts what it does for one row. `load` gives the saved model and the frame, asked
   * for only when the worker does not hold that model (after a reload).
   */
  explain(request: ExplainRequest, load: () => Promise<{ frame: Frame; model: Blob }>): Promise<ExplainedRow> {
    this.warm();
    return new Promise((resolve, reject) => {
      const requestId = this.#nextRequest++;
      this.#explains.set(requestId, { request, load, loaded: false, resolve, reject });
      this.#post({ type: 'explain', requestId, ...request });
    });
  }

  async #explainFailed(requestId: number, needsModel: boolean, message: string): Promise<void> {
    const pending = this.#explains.get(requestId);
    if (!pending) return;
    if (!needsModel || pending.loaded) {
      this.#explains.delete(requestId);
      pending.reject(new Error(message));
      return;
    }
    pending.loaded = true;
    try {
      const load = await pending.load();
      this.#post({ type: 'explain', requestId, ...pending.request, load });
    } catch (err) {
      this.#explains.delete(requestId);
      pending.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Test hook (only wired up with ?gpu=software): every trial worker loses its GPU device. */
  loseGpuDevice(): void {
    this.#post({ type: 'lose-device' });
  }

  #onMessage(message: ExperimentResponse): void {
    if (message.type === 'backend') {
      this.#onBackend(message.backend);
      return;
    }
    if (message.type === 'explained') {
      const pending = this.#explains.get(message.requestId);
      this.#explains.delete(message.requestId);
      pending?.resolve(message.explanation);
      return;
    }
    if (message.type === 'explain-failed') {
      void this.#explainFailed(message.requestId, message.needsModel, message.message);
      return;
    }
    if (message.runId !== this.#runId || !this.#handlers) return;
    const handlers = this.#handlers;
    if (message.type === 'event') {
      handlers.onEvent(message.event);
      return;
    }
    this.#runId = null;
    this.#handlers = null;
    if (message.type === 'finished') handlers.onFinished(message.summary, message.model);
    else handlers.onFailed(message.kind, message.message);
  }

  /** The worker itself died: fail the run in progress and start afresh on the next warm(). */
  #crash(message: string): void {
    this.#worker?.terminate();
    this.#worker = null;
    const handlers = this.#handlers;
    this.#runId = null;
    this.#handlers = null;
    handlers?.onFailed('internal', message);
    const explains = [...this.#explains.values()];
    this.#explains.clear();
    for (const pending of explains) pending.reject(new Error(message));
  }

  #post(message: ExperimentRequest): void {
    this.#worker?.postMessage(message);
  }
}
