/**
 * The user's success criterion ("ROC AUC ≥ 0.85"), checked on the test rows with the metric's
 * bootstrap confidence interval, which says whether more test rows are needed to be sure.
 */
import type { Task } from '../models/types.ts';
import { METRICS, type MetricName, type Prediction } from './metrics.ts';
import { countsFromIndices, prepareCountMetric } from './resampled-metric.ts';
import { metricCi } from './significance.ts';
import { confidenceLabel, decimalsOf, fixed } from './ab-text.ts';

export interface MetricWithCiOptions {
  task: Task;
  metric: MetricName;
  y: Float64Array;
  nClasses: number;
  prediction: Prediction;
  seed?: number;
  /** Default 2000. */
  resamples?: number;
  /** Default 0.95. */
  confidence?: number;
}

/**
 * One predictor's metric on the test rows with its percentile bootstrap CI (e.g. for
 * `successCriterion` when there is no baseline). Resamples where the metric is undefined (an AUC on
 * rows of one class) are skipped.
 */
export function metricWithCi(opts: MetricWithCiOptions): { value: number; ci: [number, number] } {
  const nClasses = opts.task === 'regression' ? 0 : opts.nClasses;
  const n = opts.y.length;
  if (opts.prediction.values.length !== n) throw new RangeError(`the prediction has ${opts.prediction.values.length} rows for ${n} test rows`);
  const f = prepareCountMetric(opts.metric, opts.task, opts.y, opts.prediction, nClasses);
  const counts = new Float64Array(n);
  const r = metricCi({
    n,
    seed: opts.seed ?? 0,
    resamples: opts.resamples ?? 2000,
    confidence: opts.confidence,
    statistic: (idx) => f(countsFromIndices(idx, counts)),
  });
  return { value: r.estimate, ci: r.ci };
}

export interface SuccessCriterionOptions {
  metric: MetricName;
  threshold: number;
  /** The model's value on the test rows. */
  value: number;
  /** Its confidence interval (e.g. `metricCi` or `AbResult.modelCi`), if known. */
  ci?: [number, number];
  /** Confidence level of `ci` (default 0.95), for the message. */
  confidence?: number;
}

export interface SuccessCriterionResult {
  metric: MetricName;
  threshold: number;
  value: number;
  ci?: [number, number];
  /** The point value meets the threshold (≥ for greater-is-better metrics, ≤ for losses). */
  met: boolean;
  /** 'met' / 'not met' when the whole CI is on one side of the threshold; 'uncertain' when it straddles it or is unknown. */
  ciVerdict: 'met' | 'not met' | 'uncertain';
  message: string;
}

/**
 * Checks "metric ≥ threshold" (or "≤" for log loss, RMSE, MAE), e.g.
 * "ROC AUC 0.92 ≥ 0.85: met; 95 % CI 0.91–0.93".
 */
export function successCriterion(opts: SuccessCriterionOptions): SuccessCriterionResult {
  const { metric, threshold, value, ci } = opts;
  const info = METRICS[metric];
  if (!Number.isFinite(threshold)) throw new RangeError(`success criterion threshold must be a number (got ${threshold})`);
  const good = (v: number): boolean => (info.greaterIsBetter ? v >= threshold : v <= threshold);
  const met = good(value);
  let ciVerdict: SuccessCriterionResult['ciVerdict'] = 'uncertain';
  if (ci && good(ci[0]) && good(ci[1])) ciVerdict = 'met';
  else if (ci && !good(ci[0]) && !good(ci[1])) ciVerdict = 'not met';
  // Enough decimals that the value and the threshold never print the same when they differ.
  let dec = Math.max(2, decimalsOf(threshold));
  while (dec < 6 && value !== threshold && fixed(value, dec) === fixed(threshold, dec)) dec++;
  const op = met ? (info.greaterIsBetter ? '≥' : '≤') : info.greaterIsBetter ? '<' : '>';
  let message = `${info.label} ${fixed(value, dec)} ${op} ${fixed(threshold, dec)}: ${met ? 'met' : 'not met'}`;
  if (ci) {
    message += `; ${confidenceLabel(opts.confidence ?? 0.95)} CI ${fixed(ci[0], dec)}–${fixed(ci[1], dec)}`;
    if (ciVerdict === 'uncertain') message += ', which crosses the threshold, so more test rows are needed to be sure';
  }
  return { metric, threshold, value, ci, met, ciVerdict, message };
}
