/**
 * Asks target-check.worker.ts for the warnings that depend on the chosen target. The worker keeps a
 * copy of the Frame (sent once per dataset); only the latest request's answer is delivered.
 */
import type { Frame } from '../core/data/frame.ts';
import type { Warning } from '../core/data/profile.ts';
import type { TargetCheckRequest, TargetCheckResponse } from '../workers/target-check-protocol.ts';

export class TargetCheckClient {
  #worker: Worker | null = null;
  #frame: Frame | null = null;
  #nextId = 1;
  #pending = new Map<number, { resolve: (w: Warning[]) => void; reject: (e: Error) => void }>();

  #ensure(): Worker {
    if (!this.#worker) {
      const worker = new Worker(new URL('../workers/target-check.worker.ts', import.meta.url), { type: 'module', name: 'sieve-target-check' });
      worker.onmessage = (event: MessageEvent<TargetCheckResponse>) => {
        const message = event.data;
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (!pending) return;
        if (message.type === 'warnings') pending.resolve(message.warnings);
        else pending.reject(new Error(message.message));
      };
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        for (const p of this.#pending.values()) p.reject(new Error('the target check stopped unexpectedly'));
        this.#pending.clear();
        this.#worker?.terminate();
        this.#worker = null;
        this.#frame = null;
      };
      this.#worker = worker;
    }
    return this.#worker;
  }

  /** Warnings for `target` in `frame` (the frame is copied to the worker only when it changes). */
  warnings(frame: Frame, target: string): Promise<Warning[]> {
    const worker = this.#ensure();
    if (this.#frame !== frame) {
      this.#frame = frame;
      this.#post(worker, { type: 'frame', frame });
    }
    const id = this.#nextId++;
    return new Promise<Warning[]>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#post(worker, { type: 'warnings', id, target });
    });
  }

  /**
   * Ends the worker (the Goal step calls this when it closes): its heap, grown by the leakage scan
   * over every row, would otherwise stay for the whole session, beside the run's workers. A later
   * request starts a fresh one.
   */
  dispose(): void {
    for (const p of this.#pending.values()) p.reject(new Error('the target check was closed'));
    this.#pending.clear();
    this.#worker?.terminate();
    this.#worker = null;
    this.#frame = null;
  }

  #post(worker: Worker, message: TargetCheckRequest): void {
    worker.postMessage(message);
  }
}
