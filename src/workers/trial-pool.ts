/**
 * The engine's TrialRunner in the browser: a pool of trial Web Workers (one per core, at most 4),
 * owned by the experiment worker. Like the Node pool (src/node/worker-pool.ts): the context goes to
 * every worker once, then one trial per free worker; cancelling terminates the busy workers at once
 * (a tree fit is a tight synchronous loop that would not see a message) and starts fresh ones.
 *
 * Workers are started by `warm()` before any data exists, so that their scripts are parsed and their
 * backends chosen (a GPU self-test, the WASM binary compiled) while the user is still on the Goal form.
 */
import type { TrialRunner } from '../core/automl/runner.ts';
import type { TrialContext, TrialResult, TrialSpec } from '../core/automl/types.ts';
import type { BackendPreferences, BackendReport } from './backend-report.ts';
import type { TrialWorkerRequest, TrialWorkerResponse } from './trial-protocol.ts';
import { abortError } from '../core/util/abort.ts';

interface Slot {
  index: number;
  worker: Worker;
  busy: boolean;
  /** Resolves when the worker holds the current context. */
  ready: Promise<void> | null;
  onReady: (() => void) | null;
  pending: { resolve: (r: TrialResult) => void; reject: (e: Error) => void } | null;
}

export class WebTrialPool implements TrialRunner {
  readonly slots: number;
  #prefs: BackendPreferences;
  #workers: Slot[] = [];
  #ctx: TrialContext | null = null;
  #waiting: (() => void)[] = [];
  #reports: (BackendReport | null)[];
  #onBackend: (reports: BackendReport[]) => void;

  constructor(slots: number, prefs: Omit<BackendPreferences, 'workers'>, onBackend: (reports: BackendReport[]) => void) {
    this.slots = slots;
    this.#prefs = { ...prefs, workers: slots };
    this.#reports = new Array<BackendReport | null>(slots).fill(null);
    this.#onBackend = onBackend;
  }

  /** Starts the workers (no data yet); safe to call more than once. */
  warm(): void {
    if (this.#workers.length === 0) this.#workers = Array.from({ length: this.slots }, (_, i) => this.#spawn(i));
  }

  async init(ctx: TrialContext): Promise<void> {
    this.#ctx = ctx;
    this.warm();
    await Promise.all(this.#workers.map((slot) => this.#sendContext(slot)));
  }

  #spawn(index: number): Slot {
    const worker = new Worker(new URL('./trial.worker.ts', import.meta.url), { type: 'module', name: `sieve-trial-${index + 1}` });
    const slot: Slot = { index, worker, busy: false, ready: null, onReady: null, pending: null };
    worker.onmessage = (event: MessageEvent<TrialWorkerResponse>) => this.#onMessage(slot, event.data);
    // The worker died (out of memory, a script error): its trial fails with the reason and a fresh worker takes its place.
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.#replace(slot, new Error(`a trial worker stopped unexpectedly${event.message ? `: ${event.message}` : ''}`));
    };
    this.#post(slot, { type: 'setup', prefs: this.#prefs });
    return slot;
  }

  #sendContext(slot: Slot): Promise<void> {
    if (!this.#ctx) return Promise.resolve();
    slot.ready = new Promise<void>((resolve) => (slot.onReady = resolve));
    this.#post(slot, { type: 'init', ctx: this.#ctx });
    return slot.ready;
  }

  #onMessage(slot: Slot, message: TrialWorkerResponse): void {
    if (this.#workers[slot.index] !== slot) return; // a terminated worker's late message
    if (message.type === 'backend') {
      this.#reports[slot.index] = message.report;
      this.#onBackend(this.reports);
      return;
    }
    if (message.type === 'ready') {
      slot.onReady?.();
      slot.onReady = null;
      return;
    }
    const pending = slot.pending;
    slot.pending = null;
    slot.busy = false;
    this.#waiting.shift()?.();
    if (!pending) return;
    if (message.type === 'result') pending.resolve(message.result);
    else pending.reject(new Error(message.message));
  }

  /** The backends reported so far, in worker order. */
  get reports(): BackendReport[] {
    return this.#reports.filter((r): r is BackendReport => r !== null);
  }

  async run(spec: TrialSpec): Promise<TrialResult> {
    let slot = this.#workers.find((w) => !w.busy);
    while (!slot) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
      slot = this.#workers.find((w) => !w.busy);
    }
    slot.busy = true;
    const target = slot;
    await target.ready;
    return new Promise<TrialResult>((resolve, reject) => {
      target.pending = { resolve, reject };
      this.#post(target, { type: 'trial', spec });
    });
  }

  cancelAll(): void {
    for (const slot of [...this.#workers]) {
      if (slot.busy) this.#replace(slot, abortError());
    }
    for (const resume of this.#waiting.splice(0)) resume();
  }

  /** Terminates a worker, fails its trial with `reason`, and puts a fresh worker (same context) in its place. */
  #replace(slot: Slot, reason: Error): void {
    if (this.#workers[slot.index] !== slot) return;
    slot.worker.terminate();
    const pending = slot.pending;
    slot.pending = null;
    slot.onReady?.();
    const fresh = this.#spawn(slot.index);
    this.#workers[slot.index] = fresh;
    void this.#sendContext(fresh);
    pending?.reject(reason);
    this.#waiting.shift()?.();
  }

  /** Test hook: every worker destroys its GPU device (a no-op on WASM or CPU). */
  loseDevices(): void {
    for (const slot of this.#workers) this.#post(slot, { type: 'lose-device' });
  }

  async close(): Promise<void> {
    for (const slot of this.#workers) {
      slot.worker.terminate();
      slot.pending?.reject(abortError('the pool was closed'));
      slot.onReady?.();
    }
    this.#workers = [];
    this.#ctx = null;
    for (const resume of this.#waiting.splice(0)) resume();
  }

  #post(slot: Slot, message: TrialWorkerRequest): void {
    slot.worker.postMessage(message);
  }
}
