/**
 * Target encoding for high-cardinality categorical columns, where one-hot would explode (a column
 * with hundreds of levels): each level becomes the smoothed mean of the target among training rows
 * with that level — P(class k | level) for classification (one column for binary, one per class for
 * multiclass), the mean value for regression.
 *
 * Smoothing (an m-estimate): enc = (sum + m * prior) / (count + m), so a level seen twice stays close
 * to the overall prior instead of memorising two labels. Unseen and missing levels get the prior.
 *
 * Out-of-fold: a row's own target must not feed its own encoding, or the model learns "this feature
 * equals the answer" and collapses on new data. So the training rows are dealt into `folds` (default
 * 5, seeded) and each training row gets the encoding computed from the other folds, prior included
 * (`transform(frame, {outOfFold: true})` on the fitting frame). Scoring uses the encoding from all
 * training rows. The fold statistics are kept only in memory (they are not serialised).
 */
import type { Column, Frame } from '../data/frame.ts';
import type { Task } from '../models/types.ts';
import { Rng } from '../util/random.ts';
import { categoricalView, compareStrings, levelCounts, mapToFittedLevels, numericColumn, replaceColumns, requireColumn } from './columns.ts';
import { assertFitted, type FitContext, type PrepStep, type StepJSON, type TransformOptions } from './step.ts';

export interface TargetEncodeOptions {
  folds: number;
  /** m of the m-estimate: how many pseudo-rows of the prior each level's mean is blended with. */
  smoothing: number;
}

export const DEFAULT_TARGET_ENCODE: TargetEncodeOptions = { folds: 5, smoothing: 10 };

interface TargetEncoding {
  column: string;
  /** Training levels, sorted. */
  levels: string[];
  /** levels.length * width, row-major: the encoding of each level. */
  values: number[];
}

export interface TargetEncodeJSON extends StepJSON {
  type: 'target_encode';
  columns: string[];
  options: TargetEncodeOptions;
  task: Task;
  /** Output columns per input column: 1 (binary, regression) or nClasses. */
  width: number;
  suffixes: string[];
  prior: number[];
  encodings: TargetEncoding[];
}

/** The training rows dealt into folds, and each row's target as `width` numbers. */
interface FoldSetup {
  rows: Int32Array;
  foldOfRow: Int32Array;
  folds: number;
  width: number;
  /** Writes a row's target into `out`. */
  target: (row: number, out: Float64Array) => void;
}

/**
 * Targets as rows of `width` numbers: the one-hot class (multiclass), 1 for the positive class
 * (binary), the value (regression).
 */
function targetWriter(task: Task, y: Float64Array): (row: number, out: Float64Array) => void {
  return (row, out) => {
    out.fill(0);
    const v = y[row];
    if (task === 'multiclass') out[v] = 1;
    else if (task === 'binary') out[0] = v === 1 ? 1 : 0;
    else out[0] = v;
  };
}

/**
 * The prior: over all training rows for the scoring encoding, and over the other folds for each
 * fold's out-of-fold encoding (else a row's own target would reach it through the prior).
 */
function priors({ rows, foldOfRow, folds, width, target }: FoldSetup): { prior: Float64Array; foldPriors: Float64Array[] } {
  const foldSum = new Float64Array(folds * width);
  const foldCount = new Float64Array(folds);
  const t = new Float64Array(width);
  for (const r of rows) {
    target(r, t);
    const f = foldOfRow[r];
    foldCount[f]++;
    for (let k = 0; k < width; k++) foldSum[f * width + k] += t[k];
  }
  const priorExcluding = (skip: number): Float64Array => {
    const p = new Float64Array(width);
    let n = 0;
    for (let f = 0; f < folds; f++) {
      if (f === skip) continue;
      n += foldCount[f];
      for (let k = 0; k < width; k++) p[k] += foldSum[f * width + k];
    }
    for (let k = 0; k < width; k++) p[k] = n > 0 ? p[k] / n : 0;
    return p;
  };
  return { prior: priorExcluding(-1), foldPriors: Array.from({ length: folds }, (_, f) => priorExcluding(f)) };
}

/**
 * Per-level target sums and counts of one column (`idx`: level per row, -1 when missing or unseen):
 * over all training rows, and for each fold over every other fold.
 */
function levelStatistics(
  { rows, foldOfRow, folds, width, target }: FoldSetup,
  idx: ArrayLike<number>,
  L: number,
): { totalSum: Float64Array; totalCount: Float64Array; outOfFold: { sum: Float64Array; count: Float64Array }[] } {
  const t = new Float64Array(width);
  const sums = new Float64Array(folds * L * width);
  const counts = new Float64Array(folds * L);
  for (const r of rows) {
    const l = idx[r];
    if (l < 0) continue;
    const f = foldOfRow[r];
    target(r, t);
    counts[f * L + l]++;
    for (let k = 0; k < width; k++) sums[(f * L + l) * width + k] += t[k];
  }
  const totalSum = new Float64Array(L * width);
  const totalCount = new Float64Array(L);
  for (let f = 0; f < folds; f++) {
    for (let l = 0; l < L; l++) {
      totalCount[l] += counts[f * L + l];
      for (let k = 0; k < width; k++) totalSum[l * width + k] += sums[(f * L + l) * width + k];
    }
  }
  const outOfFold = Array.from({ length: folds }, (_, f) => {
    const sum = new Float64Array(L * width);
    const count = new Float64Array(L);
    for (let l = 0; l < L; l++) {
      count[l] = totalCount[l] - counts[f * L + l];
      for (let k = 0; k < width; k++) sum[l * width + k] = totalSum[l * width + k] - sums[(f * L + l) * width + k];
    }
    return { sum, count };
  });
  return { totalSum, totalCount, outOfFold };
}

/** What out-of-fold encoding needs, for the frame the step was fitted on. */
interface OutOfFoldState {
  frameRows: number;
  /** fold per frame row, -1 for rows outside training. */
  foldOfRow: Int32Array;
  /** [fold][column] → encoding per level, row-major like TargetEncoding.values. */
  foldValues: Float64Array[][];
  /** [fold] → the prior over the other folds (for unseen levels and smoothing). */
  foldPriors: Float64Array[];
}

export class TargetEncoder implements PrepStep {
  readonly type = 'target_encode';
  private task: Task = 'regression';
  private width = 1;
  private suffixes: string[] = [];
  private prior: number[] = [];
  private encodings: TargetEncoding[] = [];
  private oof: OutOfFoldState | null = null;
  private fitted = false;

  constructor(
    readonly columns: string[],
    readonly options: TargetEncodeOptions = DEFAULT_TARGET_ENCODE,
  ) {
    if (!(options.folds >= 2)) throw new Error(`target encoding needs at least 2 folds, got ${options.folds}`);
    if (!(options.smoothing >= 0)) throw new Error(`target encoding smoothing must be >= 0, got ${options.smoothing}`);
  }

  fit(frame: Frame, trainRows?: ArrayLike<number>, ctx: FitContext = {}): void {
    const { y, task } = ctx;
    if (!y || !task) throw new Error('target encoding needs the target (ctx.y and ctx.task) to fit');
    const rows = trainRows ? Int32Array.from(trainRows) : Int32Array.from({ length: frame.rows }, (_, i) => i);
    this.task = task;
    const nClasses = ctx.nClasses ?? 2;
    this.width = task === 'multiclass' ? nClasses : 1;
    this.suffixes = task === 'multiclass' ? Array.from({ length: nClasses }, (_, k) => `__te=${ctx.classes?.[k] ?? k}`) : ['__te'];

    // Deal training rows into folds: a seeded shuffle, then round-robin.
    const order = new Rng(ctx.seed ?? 0).shuffle(Int32Array.from(rows));
    const foldOfRow = new Int32Array(frame.rows).fill(-1);
    order.forEach((r, i) => (foldOfRow[r] = i % this.options.folds));
    const setup: FoldSetup = { rows, foldOfRow, folds: this.options.folds, width: this.width, target: targetWriter(task, y) };

    const { prior, foldPriors } = priors(setup);
    this.prior = Array.from(prior);
    this.encodings = [];
    const foldValues: Float64Array[][] = Array.from({ length: setup.folds }, () => []);
    for (const name of this.columns) {
      const col = requireColumn(frame, name, 'target encoding');
      const levels = [...levelCounts(col, rows).keys()].sort(compareStrings);
      const idx = mapToFittedLevels(col, levels, -1);
      const { totalSum, totalCount, outOfFold } = levelStatistics(setup, idx, levels.length);
      this.encodings.push({ column: name, levels, values: Array.from(this.smooth(totalSum, totalCount, levels.length, prior)) });
      for (let f = 0; f < setup.folds; f++) foldValues[f].push(this.smooth(outOfFold[f].sum, outOfFold[f].count, levels.length, foldPriors[f]));
    }
    this.oof = { frameRows: frame.rows, foldOfRow, foldValues, foldPriors };
    this.fitted = true;
  }

  private smooth(sum: Float64Array, count: Float64Array, L: number, prior: ArrayLike<number>): Float64Array {
    const m = this.options.smoothing;
    const out = new Float64Array(L * this.width);
    for (let l = 0; l < L; l++) {
      for (let k = 0; k < this.width; k++) {
        const denom = count[l] + m;
        out[l * this.width + k] = denom > 0 ? (sum[l * this.width + k] + m * prior[k]) / denom : prior[k];
      }
    }
    return out;
  }

  transform(frame: Frame, opts: TransformOptions = {}): Frame {
    assertFitted(this.fitted, 'target encoding');
    let oof: OutOfFoldState | null = null;
    if (opts.outOfFold) {
      if (!this.oof) throw new Error('target encoding: out-of-fold encodings exist only on a freshly fitted step (not after fromJSON)');
      if (this.oof.frameRows !== frame.rows) {
        throw new Error(`target encoding: out-of-fold transform needs the frame it was fitted on (${this.oof.frameRows} rows, got ${frame.rows})`);
      }
      oof = this.oof;
    }
    const colIndex = new Map(this.encodings.map((e, j) => [e.column, j]));
    return replaceColumns(frame, new Set(this.columns), (col) => this.encode(col, colIndex.get(col.name)!, oof));
  }

  private encode(col: Column, j: number, oof: OutOfFoldState | null): Column[] {
    const e = this.encodings[j];
    const idx = mapToFittedLevels(col, e.levels, -1);
    const n = categoricalView(col).codes.length;
    const W = this.width;
    const outs = Array.from({ length: W }, () => new Float64Array(n));
    for (let i = 0; i < n; i++) {
      const l = idx[i];
      const fold = oof ? oof.foldOfRow[i] : -1;
      const table = fold >= 0 ? oof!.foldValues[fold][j] : e.values;
      const prior = fold >= 0 ? oof!.foldPriors[fold] : this.prior;
      for (let k = 0; k < W; k++) outs[k][i] = l < 0 ? prior[k] : table[l * W + k];
    }
    return this.suffixes.map((s, k) => numericColumn(col.name + s, outs[k]));
  }

  derivedFrom(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const c of this.columns) for (const s of this.suffixes) out[c + s] = c;
    return out;
  }

  toJSON(): TargetEncodeJSON {
    return {
      type: 'target_encode',
      columns: this.columns,
      options: this.options,
      task: this.task,
      width: this.width,
      suffixes: this.suffixes,
      prior: this.prior,
      encodings: this.encodings,
    };
  }

  static fromJSON(json: TargetEncodeJSON): TargetEncoder {
    const step = new TargetEncoder(json.columns, json.options);
    step.task = json.task;
    step.width = json.width;
    step.suffixes = [...json.suffixes];
    step.prior = [...json.prior];
    step.encodings = json.encodings.map((e) => ({ column: e.column, levels: [...e.levels], values: [...e.values] }));
    step.fitted = true;
    return step;
  }
}
