/**
 * A pool of worker threads running trials in parallel (one per core by default), for the CLI and
 * benchmarks. Cancelling terminates the threads at once — tree learners run tight synchronous loops,
 * so a message would not be seen until the fit ends — and the next trial starts fresh threads.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { TrialRunner } from '../core/automl/runner.ts';
import type { TrialContext, TrialResult, TrialSpec } from '../core/automl/types.ts';
import { abortError } from '../core/util/abort.ts';

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  busy: boolean;
  pending?: { resolve: (r: TrialResult) => void; reject: (e: Error) => void };
}

export class NodeWorkerPool implements TrialRunner {
  readonly slots: number;
  private workers: Slot[] = [];
  private ctx: TrialContext | null = null;
  private waiting: (() => void)[] = [];

  constructor(slots = Math.max(1, availableParallelism())) {
    this.slots = slots;
  }

  async init(ctx: TrialContext): Promise<void> {
    this.ctx = ctx;
    this.workers = Array.from({ length: this.slots }, () => this.spawn());
    await Promise.all(this.workers.map((w) => w.ready));
  }

  private spawn(): Slot {
    const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
      workerData: { entry: new URL('./trial-worker.ts', import.meta.url).href },
    });
    const slot: Slot = { worker, busy: false, ready: Promise.resolve() };
    slot.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (msg: { type: string }) => {
        if (msg.type === 'ready') {
          worker.off('message', onMessage);
          resolve();
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    worker.on('message', (msg: { type: string; result?: TrialResult; message?: string }) => {
      if (msg.type === 'ready') return;
      const pending = slot.pending;
      slot.pending = undefined;
      slot.busy = false;
      this.waiting.shift()?.();
      if (!pending) return;
      if (msg.type === 'result') pending.resolve(msg.result!);
      else pending.reject(new Error(msg.message));
    });
    worker.on('error', (err) => {
      slot.pending?.reject(err);
      slot.pending = undefined;
    });
    worker.postMessage({ type: 'init', ctx: this.ctx });
    return slot;
  }

  async run(spec: TrialSpec): Promise<TrialResult> {
    let slot = this.workers.find((w) => !w.busy);
    while (!slot) {
      await new Promise<void>((r) => this.waiting.push(r));
      slot = this.workers.find((w) => !w.busy);
    }
    slot.busy = true;
    await slot.ready;
    return new Promise<TrialResult>((resolve, reject) => {
      slot.pending = { resolve, reject };
      slot.worker.postMessage({ type: 'trial', spec });
    });
  }

  cancelAll(): void {
    const abort = (): Error => abortError();
    this.workers = this.workers.map((slot) => {
      if (!slot.busy) return slot;
      slot.pending?.reject(abort());
      slot.pending = undefined;
      void slot.worker.terminate();
      return this.spawn();
    });
    for (const w of this.waiting.splice(0)) w();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
    this.workers = [];
  }
}
