/**
 * Cancellation, deadlines and cooperative yielding for every family's fit loop.
 *
 * Fits run synchronous typed-array loops; an AbortSignal fired from another task (a worker message,
 * a timer) only becomes visible when the event loop runs, so the loop yields now and then. Yielding
 * every iteration would cost ~1-4 ms per iteration in browsers (timer clamping), so it yields only
 * when YIELD_EVERY_MS has passed since the last yield.
 */
import type { FitOptions } from '../types.ts';
import { abortError } from '../../util/abort.ts';

const YIELD_EVERY_MS = 25;

export class FitControl {
  private lastYield = Date.now();

  constructor(
    private readonly opts: FitOptions,
    private readonly what: string,
  ) {}

  /** Throws an AbortError when the signal has fired. */
  throwIfAborted(): void {
    if (this.opts.signal?.aborted) throw abortError(`${this.what} was aborted`);
  }

  /** True once the deadline has passed: the caller stops and keeps what it has. */
  pastDeadline(): boolean {
    return this.opts.deadline !== undefined && Date.now() >= this.opts.deadline;
  }

  /** Lets timers and messages run (so a pending abort is seen), at most every YIELD_EVERY_MS. */
  async maybeYield(): Promise<void> {
    const now = Date.now();
    if (now - this.lastYield < YIELD_EVERY_MS) return;
    await yieldToEventLoop();
    this.lastYield = Date.now();
    this.throwIfAborted();
  }
}

export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (cb: () => void) => unknown };
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => g.setImmediate!(resolve));
  return new Promise((resolve) => setTimeout(resolve, 0));
}
