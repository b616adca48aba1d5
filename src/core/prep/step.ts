/**
 * The contract every preprocessing step follows (scikit-learn's fit / transform, on Frames).
 *
 * - `fit(frame, trainRows?, ctx?)` learns statistics from `trainRows` only (every row when omitted);
 *   nothing about other rows may influence the fitted state. That is what keeps validation and test
 *   scores honest, and test/unit/prep/leakage.test.ts checks it.
 * - `transform(frame)` returns a new Frame: the step's columns replaced in place by their outputs,
 *   every other column passed through. It never mutates its input.
 * - `toJSON()` is plain data; `stepFromJSON` (steps.ts) rebuilds a fitted step from it.
 */
import type { Frame } from '../data/frame.ts';
import type { Task } from '../models/types.ts';

export interface FitContext {
  /** Encoded target aligned with the frame's rows (class index or value); needed by target encoding. */
  y?: Float64Array;
  task?: Task;
  nClasses?: number;
  /** Class labels (for naming per-class output columns). */
  classes?: string[];
  seed?: number;
}

export interface TransformOptions {
  /**
   * Give the rows the step was fitted on their out-of-fold encodings (target encoding only). Use it
   * when transforming the training rows to train a model; never for scoring.
   */
  outOfFold?: boolean;
}

export interface PrepStep {
  readonly type: string;
  /** Input columns this step reads. */
  readonly columns: string[];
  fit(frame: Frame, trainRows?: ArrayLike<number>, ctx?: FitContext): void;
  transform(frame: Frame, opts?: TransformOptions): Frame;
  /** For each column this step creates (or rewrites): the input column it came from. */
  derivedFrom(): Record<string, string>;
  toJSON(): StepJSON;
}

export interface StepJSON {
  type: string;
  [key: string]: unknown;
}

export function assertFitted(fitted: boolean, step: string): void {
  if (!fitted) throw new Error(`${step}: transform called before fit`);
}
