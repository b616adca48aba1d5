/**
 * Planning an A/B rollout: how many rows per arm are needed to detect a difference, and what a partial
 * rollout is expected to score.
 *
 * In a live A/B test each arm sees different rows, so these are two-sample (independent) formulas;
 * `sampleSizeMeans` also has the paired version for re-scoring the same rows with both predictors.
 * All use the normal approximation with a two-sided α (default 0.05) and power 1 − β (default 0.8):
 *
 * - proportions (accuracy-type metrics): the two-proportion z-test formula without continuity
 *   correction (Fleiss, Levin & Paik 2003, eq. 4.14):
 *   n = [z_{1−α/2} √(2 p̄ q̄) + z_{1−β} √(p₁q₁ + p₂q₂)]² / (p₁ − p₂)².
 * - means (per-row errors / losses): n = 2 σ² (z_{1−α/2} + z_{1−β})² / Δ² per arm; paired: σ_d² (…)² / Δ².
 * - ROC AUC: Hanley & McNeil (1982) variance of an AUC, V(A) = [A(1−A) + (n₊−1)(Q₁−A²) + (n₋−1)(Q₂−A²)] / (n₊ n₋)
 *   with Q₁ = A/(2−A), Q₂ = 2A²/(1+A), and n₊ = π n, n₋ = (1−π) n for prevalence π; the smallest n with
 *   z_{1−α/2} √(2 V(Ā)) + z_{1−β} √(V(A₁) + V(A₂)) ≤ |A₁ − A₂| (the same shape as the proportions formula).
 *   An approximation (it assumes the exponential-score model of Hanley & McNeil), fine for planning.
 */
import { METRICS, type MetricName } from './metrics.ts';
import { normalQuantile } from './stats.ts';

export interface PowerOptions {
  /** Two-sided significance level (default 0.05). */
  alpha?: number;
  /** Power 1 − β (default 0.8). */
  power?: number;
}

function zs(opts: PowerOptions): { za: number; zb: number } {
  const alpha = opts.alpha ?? 0.05;
  const power = opts.power ?? 0.8;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be between 0 and 1 (got ${alpha})`);
  if (!(power > 0 && power < 1)) throw new RangeError(`power must be between 0 and 1 (got ${power})`);
  return { za: normalQuantile(1 - alpha / 2), zb: normalQuantile(power) };
}

/**
 * Rows per arm for a two-sided two-proportion z-test to detect p1 vs p2 (e.g. accuracy 0.81 vs 0.87).
 * Infinity when p1 = p2 (no difference can be detected).
 */
export function sampleSizeTwoProportions(p1: number, p2: number, opts: PowerOptions = {}): number {
  for (const p of [p1, p2]) if (!(p >= 0 && p <= 1)) throw new RangeError(`proportions must be in [0, 1] (got ${p})`);
  const { za, zb } = zs(opts);
  const delta = Math.abs(p1 - p2);
  if (delta === 0) return Infinity;
  const pBar = (p1 + p2) / 2;
  const root = za * Math.sqrt(2 * pBar * (1 - pBar)) + zb * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return Math.ceil((root * root) / (delta * delta));
}

export interface MeansPowerOptions extends PowerOptions {
  /** The difference in means to detect (e.g. mean absolute error 4.1 − 3.2). */
  diff: number;
  /** Two-sample: the SD of the per-row values in each arm. Paired: the SD of the per-row differences. */
  sd: number;
  /** Paired design (the same rows scored by both), default false. */
  paired?: boolean;
}

/** Rows per arm (two-sample) or pairs (paired) for a two-sided z-test of a difference in means. */
export function sampleSizeMeans(opts: MeansPowerOptions): number {
  const { za, zb } = zs(opts);
  if (!(opts.sd >= 0)) throw new RangeError(`sd must be >= 0 (got ${opts.sd})`);
  const delta = Math.abs(opts.diff);
  if (delta === 0) return Infinity;
  const factor = opts.paired ? 1 : 2;
  return Math.ceil((factor * opts.sd * opts.sd * (za + zb) ** 2) / (delta * delta));
}

/** Hanley & McNeil (1982) variance of an empirical ROC AUC with nPos positive and nNeg negative rows. */
export function hanleyMcNeilVariance(auc: number, nPos: number, nNeg: number): number {
  if (!(auc >= 0 && auc <= 1)) throw new RangeError(`AUC must be in [0, 1] (got ${auc})`);
  if (!(nPos > 0 && nNeg > 0)) throw new RangeError(`need positive and negative rows (got ${nPos} and ${nNeg})`);
  const q1 = auc / (2 - auc);
  const q2 = (2 * auc * auc) / (1 + auc);
  return (auc * (1 - auc) + (nPos - 1) * (q1 - auc * auc) + (nNeg - 1) * (q2 - auc * auc)) / (nPos * nNeg);
}

export interface AucPowerOptions extends PowerOptions {
  auc1: number;
  auc2: number;
  /** Share of positive rows, 0 < prevalence < 1. */
  prevalence: number;
}

/** Rows per arm to detect auc1 vs auc2 (independent arms) by the Hanley–McNeil variance; see the file comment. */
export function sampleSizeAuc(opts: AucPowerOptions): number {
  const { za, zb } = zs(opts);
  const { auc1, auc2, prevalence } = opts;
  if (!(prevalence > 0 && prevalence < 1)) throw new RangeError(`prevalence must be between 0 and 1 (got ${prevalence})`);
  const delta = Math.abs(auc1 - auc2);
  if (delta === 0) return Infinity;
  const aBar = (auc1 + auc2) / 2;
  const enough = (n: number): boolean => {
    const nPos = prevalence * n;
    const nNeg = (1 - prevalence) * n;
    const v0 = hanleyMcNeilVariance(aBar, nPos, nNeg);
    const v1 = hanleyMcNeilVariance(auc1, nPos, nNeg) + hanleyMcNeilVariance(auc2, nPos, nNeg);
    return za * Math.sqrt(2 * v0) + zb * Math.sqrt(v1) <= delta;
  };
  // The left side falls monotonically with n: double to bracket, then bisect on whole numbers.
  let lo = Math.ceil(2 / Math.min(prevalence, 1 - prevalence)); // at least ~2 rows of each class
  if (enough(lo)) return lo;
  let hi = lo * 2;
  while (!enough(hi)) {
    lo = hi;
    hi *= 2;
    if (hi > 1e12) return Infinity;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (enough(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

export interface MetricPowerOptions extends PowerOptions {
  metric: MetricName;
  modelValue: number;
  baselineValue: number;
  /** ROC AUC only: the share of positive rows. */
  prevalence?: number;
  /**
   * Log loss, MAE, RMSE, R²: SD of the per-row loss (log loss per row, absolute error for MAE, squared
   * error for RMSE and R²), e.g. pooled over the two predictors' test rows.
   */
  lossSd?: number;
  /** R² only: the variance of the target, to turn an R² difference into a squared-error difference. */
  targetVariance?: number;
}

export interface MetricPowerResult {
  /** Rows per arm (Infinity when the two values are equal). */
  perArm: number;
  method: 'two-proportion z-test' | 'difference in means' | 'Hanley–McNeil AUC';
  note: string;
}

/**
 * Rows per arm to detect the observed difference between the model and the baseline on `metric`:
 * proportions for accuracy (and, approximately, balanced accuracy and F1), Hanley–McNeil for ROC AUC,
 * difference in mean per-row loss for log loss, MAE, RMSE (on squared errors) and R².
 */
export function sampleSizeForMetric(opts: MetricPowerOptions): MetricPowerResult {
  const { metric, modelValue, baselineValue } = opts;
  switch (metric) {
    case 'accuracy':
    case 'balanced_accuracy':
    case 'f1':
      return {
        perArm: sampleSizeTwoProportions(modelValue, baselineValue, opts),
        method: 'two-proportion z-test',
        note:
          metric === 'accuracy'
            ? 'Accuracy is a proportion of correct rows.'
            : `${METRICS[metric].label} is treated as if it were a proportion of correct rows (an approximation).`,
      };
    case 'roc_auc': {
      if (opts.prevalence === undefined) throw new RangeError('sample size for ROC AUC needs the prevalence (share of positive rows)');
      return {
        perArm: sampleSizeAuc({ ...opts, auc1: modelValue, auc2: baselineValue, prevalence: opts.prevalence }),
        method: 'Hanley–McNeil AUC',
        note: 'Uses the Hanley–McNeil (1982) approximation of the variance of an AUC.',
      };
    }
    case 'log_loss':
    case 'mae':
    case 'rmse':
    case 'r2': {
      if (opts.lossSd === undefined) throw new RangeError(`sample size for ${METRICS[metric].label} needs lossSd, the SD of the per-row loss`);
      let diff = modelValue - baselineValue;
      let unit = METRICS[metric].label;
      if (metric === 'rmse') {
        diff = modelValue ** 2 - baselineValue ** 2;
        unit = 'mean squared error';
      } else if (metric === 'r2') {
        if (opts.targetVariance === undefined) throw new RangeError('sample size for R² needs targetVariance, the variance of the target');
        diff = (baselineValue - modelValue) * opts.targetVariance;
        unit = 'mean squared error';
      }
      return {
        perArm: sampleSizeMeans({ ...opts, diff, sd: opts.lossSd }),
        method: 'difference in means',
        note: `Treats the ${unit} as a mean of independent per-row losses (two-sample z-test).`,
      };
    }
  }
}

/**
 * Expected metric of a mixed rollout that sends a share `split` (0..1) of the rows to the model and
 * the rest to the baseline, for the traffic-split slider.
 *
 * Exact in expectation (rows assigned at random) for metrics that are means of per-row losses:
 * accuracy, log loss, MAE (linear in split); RMSE mixes the mean squared errors, so
 * √(s·m² + (1−s)·b²); R² is linear because it is linear in the mean squared error on the same rows;
 * balanced accuracy is linear because each class's recall is. Approximations (linear interpolation):
 * F1 (a ratio of counts) and ROC AUC, whose mixed value also depends on how the two predictors' scores
 * rank against each other across arms — linear is right only if their scores are on a common scale.
 */
export function mixedRolloutMetric(split: number, modelValue: number, baselineValue: number, metric: MetricName = 'accuracy'): number {
  if (!(split >= 0 && split <= 1)) throw new RangeError(`rollout split must be between 0 and 1 (got ${split})`);
  if (metric === 'rmse') return Math.sqrt(split * modelValue ** 2 + (1 - split) * baselineValue ** 2);
  return split * modelValue + (1 - split) * baselineValue;
}

/** Whether `mixedRolloutMetric` is exact in expectation for this metric (false: an approximation). */
export function mixedRolloutIsExact(metric: MetricName): boolean {
  return metric !== 'roc_auc' && metric !== 'f1';
}
