/**
 * The drift check of a bundle (core/drift): rows scored with the model, compared with the training
 * profile model.json carries. A monitor adds batches (a CSV read in parts, or requests to serve.mjs)
 * and reports at any time; with a window it keeps only the last `window` batches (serve.mjs: the
 * last N requests), dropping the oldest batch's counts as a new one comes in.
 */
import { checkDrift, type DriftReport } from '../../drift/check.ts';
import { addFrame, emptyCounts, mergeCounts, type DriftCounts } from '../../drift/counts.ts';
import type { DriftProfile } from '../../drift/profile.ts';
import type { Frame } from '../../data/frame.ts';
import { rowsToFrame } from './rows-to-frame.ts';
import type { InputSchema, Prediction } from './types.ts';

export class DriftMonitor {
  readonly #profile: DriftProfile;
  readonly #schema: InputSchema;
  readonly #classes: string[];
  readonly #window: number;
  readonly #total: DriftCounts;
  readonly #batches: DriftCounts[] = [];
  #requests = 0;

  constructor(profile: DriftProfile, schema: InputSchema, classes: string[], window = Infinity) {
    this.#profile = profile;
    this.#schema = schema;
    this.#classes = classes;
    this.#window = window;
    this.#total = emptyCounts(profile);
  }

  /** Batches added (requests, for serve.mjs), whether still in the window or not. */
  get batches(): number {
    return this.#requests;
  }

  /**
   * Adds one batch of input rows and, optionally, the predictions made for them (predict's or
   * score's output, null for rows that could not be scored: those rows are left out everywhere).
   */
  add(rows: readonly unknown[], predictions?: readonly (Prediction | null)[]): void {
    const list = predictions ? rows.filter((_, i) => predictions[i] !== null && predictions[i] !== undefined) : rows;
    const scored = predictions?.filter((p): p is Prediction => p !== null && p !== undefined);
    this.addFrame(rowsToFrame(list, this.#schema, 0).frame, scored);
  }

  /** The same for rows already in a Frame (the engine's and the page's path). */
  addFrame(frame: Frame, predictions?: readonly Prediction[]): void {
    const counts = emptyCounts(this.#profile);
    addFrame(this.#profile, counts, frame, predictions ? this.#numbers(predictions) : undefined);
    mergeCounts(this.#total, counts);
    this.#requests++;
    if (Number.isFinite(this.#window)) {
      this.#batches.push(counts);
      while (this.#batches.length > this.#window) mergeCounts(this.#total, this.#batches.shift()!, -1);
    }
  }

  report(): DriftReport {
    return checkDrift(this.#profile, this.#total);
  }

  #numbers(predictions: readonly Prediction[]): { values: Float64Array; proba?: Float64Array; classes: string[] } {
    const n = predictions.length;
    const classes = this.#classes;
    if (classes.length === 0) return { values: Float64Array.from(predictions, (p) => ('value' in p ? p.value : NaN)), classes };
    const values = new Float64Array(n);
    const index = new Map(classes.map((c, i) => [c, i]));
    if (classes.length === 2) {
      const proba = new Float64Array(n * 2);
      predictions.forEach((p, i) => {
        if (!('label' in p)) return;
        values[i] = index.get(p.label) ?? 0;
        proba[i * 2] = p.probabilities[classes[0]];
        proba[i * 2 + 1] = p.probabilities[classes[1]];
      });
      return { values, proba, classes };
    }
    predictions.forEach((p, i) => (values[i] = 'label' in p ? (index.get(p.label) ?? NaN) : NaN));
    return { values, classes };
  }
}
