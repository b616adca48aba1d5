/**
 * Split-conformal prediction: intervals (regression) and prediction sets (classification) whose
 * coverage on new rows is at least the level asked for, on one assumption: the new rows are
 * exchangeable with the calibration rows (drawn from the same distribution, in no particular order).
 *
 * Calibration data are the winner's out-of-fold predictions on the search rows (never the test split):
 * each calibration row's nonconformity score (|y − ŷ| for regression, 1 − p(true class) for
 * classification, "LAC") is computed, and for coverage c the threshold is the ⌈(n+1)c⌉-th smallest of
 * the n scores (infinite when that rank passes n). Classification scores that tie (calibrated
 * probabilities are often discrete) are ordered by a second score from the raw probabilities, so a
 * threshold on a tie does not take every tied class in (see calibrateSets). Because the final model is refitted on every search
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
  /**
   * Sets: the tie-break score of each stored order statistic (scores sorted by score, then by this).
   * Absent in bundles made before it existed, which break no ties (every tied class is in the set).
   */
  ties?: number[];
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
  /**
   * Scores 1 − p(true class) of every calibration row, ties broken by the sum of the other classes'
   * raw (uncalibrated) probabilities (see calibrateSets).
   */
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

/** The stored form of sorted scores (see ScoreTable); `ties`, the tie-break scores in the same order. */
export function scoreTable(sorted: ArrayLike<number>, ties?: ArrayLike<number>): ScoreTable {
  const n = sorted.length;
  if (n <= MAX_STORED_SCORES) return ties ? { n, scores: Array.from(sorted), ties: Array.from(ties) } : { n, scores: Array.from(sorted) };
  const scores = new Array<number>(MAX_STORED_SCORES);
  const kept = ties ? new Array<number>(MAX_STORED_SCORES) : undefined;
  for (let j = 1; j <= MAX_STORED_SCORES; j++) {
    const r = Math.ceil((j * n) / MAX_STORED_SCORES) - 1;
    scores[j - 1] = sorted[r];
    if (kept) kept[j - 1] = ties![r];
  }
  return kept ? { n, scores, ties: kept } : { n, scores };
}

/**
 * Where the conformal threshold at coverage c sits in the table: the ⌈(n+1)c⌉-th smallest score, or
 * the smallest stored order statistic at or above it; -1 when that rank is above n (no threshold).
 */
function thresholdIndex(table: ScoreTable, coverage: number): number {
  checkCoverage(coverage);
  const { n, scores } = table;
  // A tiny tolerance: (n+1)·c computed in floating point may land a hair above a whole number.
  const rank = Math.ceil((n + 1) * coverage - 1e-9);
  if (rank > n || n === 0) return -1;
  if (scores.length === n) return rank - 1;
  const M = scores.length;
  // Smallest j with ⌈j·n/M⌉ ≥ rank.
  let j = Math.max(1, Math.floor(((rank - 1) * M) / n));
  while (j < M && Math.ceil((j * n) / M) < rank) j++;
  return j - 1;
}

/**
 * The conformal threshold at coverage c: the ⌈(n+1)c⌉-th smallest score (Infinity when that rank is
 * above n), read from the table (conservatively when it holds order statistics only).
 */
export function threshold(table: ScoreTable, coverage: number): number {
  const j = thresholdIndex(table, coverage);
  return j < 0 ? Infinity : table.scores[j];
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

/**
 * The probability at which a class enters the set at this coverage (LAC: 1 − q̂). A class above it is
 * in the set; one whose score 1 − p equals q̂ exactly is in it when its tie-break score is at most
 * the threshold's (setRule).
 */
export function setCutoff(model: ConformalClassification, coverage = model.coverage): number {
  return 1 - threshold(model.table, coverage);
}

/**
 * What decides a class's membership at a coverage: the score threshold q̂ and its tie-break t. Class k
 * of a row is in the set when 1 − p_k < q̂, or 1 − p_k = q̂ and (the sum of the other classes' raw
 * probabilities) ≤ t (inSet). A table without tie-breaks (older bundles) keeps its rule, p_k ≥ 1 − q̂:
 * `legacy` is then true.
 */
export interface SetRule {
  q: number;
  t: number;
  /** 1 − q̂, the cutoff of a table without tie-breaks. */
  cut: number;
  legacy: boolean;
}

export function setRule(model: ConformalClassification, coverage = model.coverage): SetRule {
  const j = thresholdIndex(model.table, coverage);
  const q = j < 0 ? Infinity : model.table.scores[j];
  const ties = model.table.ties;
  return { q, t: j < 0 || !ties ? Infinity : ties[j], cut: 1 - q, legacy: !ties };
}

/** Class k of row i (rows × K probabilities, calibrated and raw) is in the set under the rule. Engine and runtime both call this. */
export function inSet(rule: SetRule, proba: ArrayLike<number>, raw: ArrayLike<number>, i: number, K: number, k: number): boolean {
  const p = proba[i * K + k];
  if (rule.legacy) return p >= rule.cut;
  const s = 1 - p;
  if (s !== rule.q) return s < rule.q;
  return othersSum(raw, i, K, k) <= rule.t;
}

/** The sum of the probabilities of the classes other than k (row i): the tie-break score. */
function othersSum(p: ArrayLike<number>, i: number, K: number, k: number): number {
  let t = 0;
  for (let j = 0; j < K; j++) if (j !== k) t += p[i * K + j];
  return t;
}

/** Membership of every class in every row's set (rows × K, 1 = in the set); `raw`: the uncalibrated probabilities (default: proba). */
export function predictionSets(
  model: ConformalClassification,
  proba: ArrayLike<number>,
  nClasses: number,
  coverage = model.coverage,
  raw: ArrayLike<number> = proba,
): Uint8Array {
  const rule = setRule(model, coverage);
  const out = new Uint8Array(proba.length);
  const n = proba.length / nClasses;
  for (let i = 0; i < n; i++) for (let k = 0; k < nClasses; k++) out[i * nClasses + k] = inSet(rule, proba, raw, i, nClasses, k) ? 1 : 0;
  return out;
}

// ---------------------------------------------------------------- calibration

function sortedScores(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * LAC calibration from out-of-fold class probabilities (rows × K) and class indices: the score of a
 * row is 1 − p(true class). `raw`, the same rows' probabilities before any calibration (default:
 * proba), breaks ties: a score shared by many rows (a calibrator's top step, or p rounded to exactly
 * 1) would otherwise put every tied class in the set or none, and a threshold landing on such a tie
 * covers far more than asked for (penguins: 260 of 275 calibration rows at p = 1, 93 % covered at
 * 90 %). The tie-break score is the sum of the other classes' raw probabilities, which keeps its
 * resolution where p rounds to 1. Sorting by (score, tie-break) is a total order on the rows, so the
 * guarantee is unchanged: coverage at least c.
 */
export function calibrateSets(
  proba: ArrayLike<number>,
  y: ArrayLike<number>,
  nClasses: number,
  coverage: number,
  raw: ArrayLike<number> = proba,
): ConformalClassification {
  checkCoverage(coverage);
  const n = y.length;
  const scores = new Float64Array(n);
  const ties = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    scores[i] = 1 - proba[i * nClasses + y[i]];
    ties[i] = othersSum(raw, i, nClasses, y[i]);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b] || ties[a] - ties[b]);
  return {
    kind: 'set',
    method: 'lac',
    coverage,
    table: scoreTable(
      Float64Array.from(order, (i) => scores[i]),
      Float64Array.from(order, (i) => ties[i]),
    ),
  };
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
