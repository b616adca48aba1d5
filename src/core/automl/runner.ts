/**
 * Where trials run. The experiment talks to a TrialRunner; the page gives it a pool of Web Workers,
 * Node a pool of worker threads, tests an in-process runner. All of them execute `runTrial`.
 */
import { runTrial } from './trial.ts';
import type { TrialContext, TrialResult, TrialSpec } from './types.ts';

export interface TrialRunner {
  /** How many trials can run at once. */
  readonly slots: number;
  /** Hands the data and protocol to every slot; called once before any trial. */
  init(ctx: TrialContext): Promise<void>;
  run(spec: TrialSpec): Promise<TrialResult>;
  /** Stops every running trial at once (their promises reject with an AbortError). */
  cancelAll(): void;
  /** Ends the slots and frees what they hold; `init` starts them again. The experiment calls it once its search is over. */
  close(): Promise<void>;
}

/** Runs trials one at a time on the calling thread (tests, tiny data). */
export class InProcessRunner implements TrialRunner {
  readonly slots = 1;
  private ctx: TrialContext | null = null;
  private controller = new AbortController();

  async init(ctx: TrialContext): Promise<void> {
    this.ctx = ctx;
  }

  async run(spec: TrialSpec): Promise<TrialResult> {
    if (!this.ctx) throw new Error('runner used before init');
    // Yield so that a cancel issued by the caller between trials is seen.
    await new Promise((r) => setTimeout(r, 0));
    return runTrial(this.ctx, spec, this.controller.signal);
  }

  cancelAll(): void {
    this.controller.abort();
    this.controller = new AbortController();
  }

  async close(): Promise<void> {
    this.ctx = null;
  }
}
