/**
 * How the conformal intervals or sets did on the test split (rows the calibration never saw):
 * achieved coverage, mean width or set size, and coverage by slice — by decile of predicted value
 * (regression) or by true class (classification). Regression also reports the mean width of plain,
 * non-adaptive split conformal calibrated on the same rows, as the baseline the adaptive widths beat.
 */
import { calibrateIntervals, intervals, predictionSets, type ConformalClassification, type ConformalRegression } from './conformal.ts';

export interface CoverageSlice {
  /** "decile 3 (predicted 12.1 – 15.4)" or the class label. */
  name: string;
  rows: number;
  achieved: number;
  /** Mean width (regression) or set size (classification) in the slice. */
  mean: number;
}

export interface ConformalReport {
  /** 'split' | 'mondrian' (regression) or 'lac' (classification). */
  method: string;
  coverage: number;
  /** Share of test rows whose true value lies in its interval (or whose class is in its set). */
  achieved: number;
  meanWidth?: number;
  /** Mean width of non-adaptive split conformal on the same calibration rows (regression). */
  baselineMeanWidth?: number;
  meanSetSize?: number;
  /** Share of test rows whose set is empty (no class reaches the level) or has several classes. */
  emptyShare?: number;
  ambiguousShare?: number;
  calibrationRows: number;
  testRows: number;
  slices: CoverageSlice[];
}

/** The report for a regression interval model. */
export function reportIntervals(
  model: ConformalRegression,
  calibration: { pred: ArrayLike<number>; y: ArrayLike<number> },
  pred: ArrayLike<number>,
  y: ArrayLike<number>,
  /** CQR: the quantile models' predictions for the test rows. */
  quantiles?: { lo: ArrayLike<number>; hi: ArrayLike<number> },
): ConformalReport {
  const { lower, upper } = intervals(model, pred, model.coverage, quantiles);
  const n = y.length;
  const hit = new Uint8Array(n);
  let widthSum = 0;
  for (let i = 0; i < n; i++) {
    hit[i] = y[i] >= lower[i] && y[i] <= upper[i] ? 1 : 0;
    widthSum += upper[i] - lower[i];
  }
  const base = intervals(calibrateIntervals(calibration.pred, calibration.y, model.coverage, 'split'), pred);
  let baseSum = 0;
  for (let i = 0; i < n; i++) baseSum += base.upper[i] - base.lower[i];
  // Deciles of the predicted value on the test rows.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => pred[a] - pred[b]);
  const slices: CoverageSlice[] = [];
  const parts = Math.min(10, n);
  for (let d = 0; d < parts; d++) {
    const idx = order.slice(Math.floor((d * n) / parts), Math.floor(((d + 1) * n) / parts));
    if (idx.length === 0) continue;
    const fmt = (v: number) => Number(v.toPrecision(4)).toString();
    slices.push({
      name: `decile ${d + 1} (predicted ${fmt(pred[idx[0]])} – ${fmt(pred[idx[idx.length - 1]])})`,
      rows: idx.length,
      achieved: idx.reduce((a, i) => a + hit[i], 0) / idx.length,
      mean: idx.reduce((a, i) => a + (upper[i] - lower[i]), 0) / idx.length,
    });
  }
  return {
    method: model.method,
    coverage: model.coverage,
    achieved: n ? hit.reduce((a, b) => a + b, 0) / n : NaN,
    meanWidth: n ? widthSum / n : NaN,
    baselineMeanWidth: n ? baseSum / n : NaN,
    calibrationRows: model.bins.reduce((a, b) => a + b.n, 0),
    testRows: n,
    slices,
  };
}

/** The report for a classification set model (proba: rows × K; y: class indices; raw: the probabilities before calibration, for ties). */
export function reportSets(
  model: ConformalClassification,
  proba: ArrayLike<number>,
  y: ArrayLike<number>,
  classes: readonly string[],
  raw: ArrayLike<number> = proba,
): ConformalReport {
  const K = classes.length;
  const n = y.length;
  const member = predictionSets(model, proba, K, model.coverage, raw);
  const hits = new Float64Array(K);
  const sizes = new Float64Array(K);
  const counts = new Float64Array(K);
  let hit = 0;
  let size = 0;
  let empty = 0;
  let ambiguous = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += member[i * K + k];
    const c = y[i];
    const inSet = member[i * K + c];
    hit += inSet;
    size += s;
    if (s === 0) empty++;
    if (s > 1) ambiguous++;
    hits[c] += inSet;
    sizes[c] += s;
    counts[c]++;
  }
  return {
    method: model.method,
    coverage: model.coverage,
    achieved: n ? hit / n : NaN,
    meanSetSize: n ? size / n : NaN,
    emptyShare: n ? empty / n : NaN,
    ambiguousShare: n ? ambiguous / n : NaN,
    calibrationRows: model.table.n,
    testRows: n,
    slices: classes.map((name, k) => ({
      name,
      rows: counts[k],
      achieved: counts[k] ? hits[k] / counts[k] : NaN,
      mean: counts[k] ? sizes[k] / counts[k] : NaN,
    })),
  };
}

/** The CLI's `conformal` object: {method, coverage, achieved, meanWidth} or {method, coverage, achieved, meanSetSize}. */
export function conformalSummary(report: ConformalReport): Record<string, number | string> {
  const { method, coverage, achieved } = report;
  return report.meanSetSize !== undefined
    ? { method, coverage, achieved, meanSetSize: report.meanSetSize }
    : { method, coverage, achieved, meanWidth: report.meanWidth!, baselineMeanWidth: report.baselineMeanWidth! };
}
