/**
 * The page's side of a run: one long-lived experiment worker (which owns the trial workers), started
 * early by `warm()` so that a click on Start finds the workers loaded and their backends chosen.
 * Messages of a run other than the current one (a cancelled run's late events) are ignored.
 */
import type { ExperimentEvent, ProjectDefinition } from '../core/automl/types.ts';
import type { Frame } from '../core/data/frame.ts';
import type { BackendSummary } from '../workers/backend-report.ts';
import type { ExperimentRequest, ExperimentResponse, RunFailureKind, WarmOptions } from '../workers/experiment-protocol.ts';
import type { RunSummary } from '../workers/run-summary.ts';

export interface RunHandlers {
  onEvent: (event: ExperimentEvent) => void;
  onFinished: (summary: RunSummary, model: Blob) => void;
  onFailed: (kind: RunFailureKind, message: string) => void;
}

export class ExperimentClient {
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

  start(runId: string, frame: Frame, def: ProjectDefinition, handlers: RunHandlers): void {
    this.warm();
    this.#runId = runId;
    this.#handlers = handlers;
    this.#post({ type: 'start', runId, frame, def });
  }

  cancel(): void {
    if (this.#runId) this.#post({ type: 'cancel', runId: this.#runId });
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
  }

  #post(message: ExperimentRequest): void {
    this.#worker?.postMessage(message);
  }
}
