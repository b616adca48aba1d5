/**
 * Split-conformal prediction: intervals (regression) and prediction sets (classification) whose
 * coverage on new rows is at least the level asked for, on one assumption: the new rows are
 * exchangeable with the calibration rows (drawn from the same distribution, in no particular order).
 *
 * Calibration data are the winner's out-of-fold predictions on the search rows (never the test split):
 * each calibration row's nonconformity score (|y − ŷ| for regression, 1 − p(true class) for
 * classification, "LAC") is computed, and for coverage c the threshold is the ⌈(n+1)c⌉-th smallest of
 * the n scores (infinite when that rank passes n). Because the final model is refitted on every search
 * row while the out-of-fold predictions came from models fitted on a share of them, the scores are if
 * anything a little pessimistic: coverage errs above c, never below (in expectation).
 *
 * Regression widths adapt to how hard a row is by Mondrian conformal on the predicted value: the
 * calibration rows are cut into bins of predicted value (quantiles, ≥ MIN_BIN_ROWS rows a bin), and
 * each bin gets its own threshold, so coverage holds within every bin as well as overall. Whether
 * that or one global threshold ("split") is used is decided on the calibration rows alone, by a
 * two-fold cross-check of mean width (both are valid; Mondrian is kept when ≥ 3 % narrower).
 *
 * Stored compactly: each bin keeps its sorted scores, or above MAX_STORED_SCORES of them the order
 * statistics at ranks ⌈j·n/M⌉ (j = 1..M); a threshold is then read at the smallest stored rank at
 * or above the one needed, which only ever widens (coverage errs up by at most 1/M). The engine and
 * the bundle's runtime read intervals and sets through the same functions below, so they agree exactly.
 */

import type { FittedModelJSON } from '../models/fitted-model.ts';

/** Scores stored per bin at most (order statistics beyond: see above). */
export const MAX_STORED_SCORES = 400;
/** Fewest calibration rows a Mondrian bin may have. */
export const MIN_BIN_ROWS = 250;
/** At most this many Mondrian bins. */
export const MAX_BINS = 8;

export interface ScoreTable {
  /** Calibration scores in the bin. */
  n: number;
  /** Sorted scores (n ≤ MAX_STORED_SCORES), or the order statistics at ranks ⌈j·n/M⌉, j = 1..M. */
  scores: number[];
}

export interface ConformalRegression {
  kind: 'interval';
  /** 'split': one threshold; 'mondrian': one per bin of predicted value; 'cqr': see ConformalQuantile. */
  method: 'split' | 'mondrian' | 'cqr';
  /** The coverage the user picked (predict's default). */
  coverage: number;
  /** Upper edges of the predicted-value bins but the last (ascending; [] for split). */
  edges: number[];
  bins: ScoreTable[];
}

export interface ConformalClassification {
  kind: 'set';
  method: 'lac';
  coverage: number;
  /** Scores 1 − p(true class) of every calibration row. */
  table: ScoreTable;
}

/**
 * Conformalised quantile regression (automl/cqr.ts): two quantile GBDTs (pipeline and estimator, as
 * FittedModelJSON) give [lo, hi]; the one score table (max(lo − y, y − hi)) widens both ends.
 */
export interface ConformalQuantile extends ConformalRegression {
  method: 'cqr';
  /** The quantiles the two models predict. */
  alphas: [number, number];
  lower: FittedModelJSON;
  upper: FittedModelJSON;
}

export type Conformal = ConformalRegression | ConformalClassification;

/** The stored form of sorted scores (see ScoreTable). */
export function scoreTable(sorted: ArrayLike<number>): ScoreTable {
  const n = sorted.length;
  if (n <= MAX_STORED_SCORES) return { n, scores: Array.from(sorted) };
  const scores = new Array<number>(MAX_STORED_SCORES);
  for (let j = 1; j <= MAX_STORED_SCORES; j++) scores[j - 1] = sorted[Math.ceil((j * n) / MAX_STORED_SCORES) - 1];
  return { n, scores };
}

/**
 * The conformal threshold at coverage c: the ⌈(n+1)c⌉-th smallest score (Infinity when that rank is
 * above n), read from the table (conservatively when it holds order statistics only).
 */
export function threshold(table: ScoreTable, coverage: number): number {
  checkCoverage(coverage);
  const { n, scores } = table;
  // A tiny tolerance: (n+1)·c computed in floating point may land a hair above a whole number.
  const rank = Math.ceil((n + 1) * coverage - 1e-9);
  if (rank > n || n === 0) return Infinity;
  if (scores.length === n) return scores[rank - 1];
  const M = scores.length;
  // Smallest j with ⌈j·n/M⌉ ≥ rank.
  let j = Math.max(1, Math.floor(((rank - 1) * M) / n));
  while (j < M && Math.ceil((j * n) / M) < rank) j++;
  return scores[j - 1];
}

export function checkCoverage(coverage: number): void {
  if (!(coverage > 0 && coverage < 1)) throw new RangeError(`coverage must be a number between 0 and 1 (e.g. 0.9), got ${String(coverage)}`);
}

/** Index of the Mondrian bin a predicted value falls in. */
export function binOf(edges: readonly number[], value: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (value <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Half-widths of the interval per bin at a coverage (what predict reads per row). */
export function halfWidths(model: ConformalRegression, coverage = model.coverage): number[] {
  return model.bins.map((b) => threshold(b, coverage));
}

/**
 * [lo, hi] for every prediction. CQR needs `quantiles`, the two quantile models' predictions for the
 * same rows: [lo − q̂, hi + q̂], widened to hold the point prediction (which only adds coverage).
 */
export function intervals(
  model: ConformalRegression,
  predictions: ArrayLike<number>,
  coverage = model.coverage,
  quantiles?: { lo: ArrayLike<number>; hi: ArrayLike<number> },
): { lower: Float64Array; upper: Float64Array } {
  const q = halfWidths(model, coverage);
  const n = predictions.length;
  const lower = new Float64Array(n);
  const upper = new Float64Array(n);
  if (model.method === 'cqr') {
    if (!quantiles) throw new Error("conformalised quantile regression needs the quantile models' predictions");
    const h = q[0];
    for (let i = 0; i < n; i++) {
      const p = predictions[i];
      lower[i] = Math.min(quantiles.lo[i] - h, p);
      upper[i] = Math.max(quantiles.hi[i] + h, p);
    }
    return { lower, upper };
  }
  for (let i = 0; i < n; i++) {
    const h = q[model.edges.length ? binOf(model.edges, predictions[i]) : 0];
    lower[i] = predictions[i] - h;
    upper[i] = predictions[i] + h;
  }
  return { lower, upper };
}

/** The lowest probability a class needs to be in a set at this coverage (LAC: p ≥ 1 − q̂). */
export function setCutoff(model: ConformalClassification, coverage = model.coverage): number {
  return 1 - threshold(model.table, coverage);
}

/** Membership of every class in every row's set (rows × K, 1 = in the set). */
export function predictionSets(model: ConformalClassification, proba: ArrayLike<number>, coverage = model.coverage): Uint8Array {
  const cut = setCutoff(model, coverage);
  const out = new Uint8Array(proba.length);
  for (let i = 0; i < proba.length; i++) out[i] = proba[i] >= cut ? 1 : 0;
  return out;
}

// ---------------------------------------------------------------- calibration

function sortedScores(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** LAC calibration from out-of-fold class probabilities (rows × K) and class indices. */
export function calibrateSets(proba: ArrayLike<number>, y: ArrayLike<number>, nClasses: number, coverage: number): ConformalClassification {
  checkCoverage(coverage);
  const scores = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) scores[i] = 1 - proba[i * nClasses + y[i]];
  return { kind: 'set', method: 'lac', coverage, table: scoreTable(sortedScores(scores)) };
}

/**
 * Interval calibration from out-of-fold predictions and targets: Mondrian bins of predicted value when
 * the cross-check finds them narrower, else one split-conformal threshold. `forceMethod` for tests
 * and the baseline.
 */
export function calibrateIntervals(pred: ArrayLike<number>, y: ArrayLike<number>, coverage: number, forceMethod?: 'split' | 'mondrian'): ConformalRegression {
  checkCoverage(coverage);
  const n = y.length;
  const residual = new Float64Array(n);
  for (let i = 0; i < n; i++) residual[i] = Math.abs(y[i] - pred[i]);
  const split: ConformalRegression = { kind: 'interval', method: 'split', coverage, edges: [], bins: [scoreTable(sortedScores(residual))] };
  const nBins = Math.min(MAX_BINS, Math.floor(n / MIN_BIN_ROWS));
  if (forceMethod === 'split' || (nBins < 2 && forceMethod !== 'mondrian')) return split;
  const mondrian = mondrianFit(pred, residual, Math.max(2, nBins), coverage);
  if (forceMethod === 'mondrian') return mondrian;
  return crossCheckWidth(pred, residual, Math.max(2, nBins), coverage) ? mondrian : split;
}

function mondrianFit(pred: ArrayLike<number>, residual: Float64Array, nBins: number, coverage: number): ConformalRegression {
  const n = pred.length;
  const sorted = sortedScores(pred);
  const edges: number[] = [];
  for (let b = 1; b < nBins; b++) {
    const e = sorted[Math.floor((b * n) / nBins) - 1];
    if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
  }
  const groups: number[][] = Array.from({ length: edges.length + 1 }, () => []);
  for (let i = 0; i < n; i++) groups[binOf(edges, pred[i])].push(residual[i]);
  return { kind: 'interval', method: 'mondrian', coverage, edges, bins: groups.map((g) => scoreTable(sortedScores(g))) };
}

/**
 * True when Mondrian bins give narrower intervals than one threshold, judged out of sample: fit both
 * on one half of the calibration rows (alternating), measure mean width on the other, both ways.
 */
function crossCheckWidth(pred: ArrayLike<number>, residual: Float64Array, nBins: number, coverage: number): boolean {
  let widthSplit = 0;
  let widthMondrian = 0;
  for (let half = 0; half < 2; half++) {
    const fitIdx: number[] = [];
    const evalIdx: number[] = [];
    for (let i = 0; i < pred.length; i++) (i % 2 === half ? fitIdx : evalIdx).push(i);
    const p = fitIdx.map((i) => pred[i]);
    const r = Float64Array.from(fitIdx, (i) => residual[i]);
    const globalQ = threshold(scoreTable(sortedScores(r)), coverage);
    const m = mondrianFit(p, r, Math.max(2, Math.floor(nBins / 2)), coverage);
    const q = halfWidths(m);
    for (const i of evalIdx) {
      widthSplit += globalQ;
      widthMondrian += q[binOf(m.edges, pred[i])];
    }
  }
  // A 3 % margin: under constant noise the two tie up to chance, and one threshold is the simpler model.
  return Number.isFinite(widthMondrian) && widthMondrian < 0.97 * widthSplit;
}
