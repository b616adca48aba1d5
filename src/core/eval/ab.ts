/**
 * A/B comparison of the model with the existing process on the same test rows, and the check of the
 * user's success criterion. Produces the numbers and the plain-words sentences the Compare page shows.
 *
 * Which test is used when (the p-value and the verdict come from it; the confidence interval of the
 * difference is always a seeded paired percentile bootstrap of the metric itself, 2000 resamples):
 *
 * | metric                              | test                                                          |
 * |-------------------------------------|---------------------------------------------------------------|
 * | accuracy, balanced_accuracy, f1     | McNemar on per-row correctness (exact binomial if b + c < 25) |
 * | roc_auc, binary                     | DeLong on the positive-class scores                           |
 * | roc_auc multiclass, log_loss        | paired bootstrap p-value                                      |
 * | mae                                 | paired t-test on absolute errors (+ Wilcoxon reported)        |
 * | rmse, r2                            | paired t-test on squared errors (+ Wilcoxon reported)         |
 *
 * For balanced accuracy and F1, McNemar tests per-row correctness, which is what those metrics reward
 * but not exactly what they average; if the test and the metric point in opposite directions the
 * verdict is "no significant difference" and the message says why. R² compares on squared errors
 * because on the same rows R² is a decreasing function of the mean squared error.
 *
 * A side given only as labels (no probabilities): for ROC AUC its hard labels serve as scores (binary:
 * its AUC is then its balanced accuracy; multiclass: one-hot "probabilities"); log loss cannot be
 * computed from labels, so the comparison falls back to accuracy. Both are said in the message.
 */
import type { Task } from '../models/types.ts';
import { METRICS, type MetricName, type Prediction } from './metrics.ts';
import { countsFromIndices, perRowLoss, prepareCountMetric } from './resampled-metric.ts';
import {
  delongTest,
  mcnemar,
  metricCi,
  pairedBootstrap,
  pairedTTest,
  wilcoxonSignedRank,
  type DeLongResult,
  type McNemarResult,
  type PairedTTestResult,
  type WilcoxonResult,
} from './significance.ts';

export { bestSingleFeatureRule, naiveBaseline } from './baselines.ts';
export type { BaselinePrediction, SingleFeatureRule, SingleFeatureRuleOptions } from './baselines.ts';

export type Verdict = 'better' | 'worse' | 'no-significant-difference';

export interface CompareOptions {
  task: Task;
  metric: MetricName;
  /** True targets of the test rows (class index or value). */
  y: Float64Array;
  /** Classes (classification); ignored for regression. */
  nClasses: number;
  model: Prediction;
  baseline: Prediction;
  /** How to call the baseline in messages (default "the existing process"). */
  baselineName?: string;
  /** Seed of the bootstrap (default 0). */
  seed?: number;
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
  /** Significance level (default 0.05); the CI is at 1 − alpha. */
  alpha?: number;
}

export interface AbResult {
  /** The baseline's display name. */
  baseline: string;
  /** The metric actually compared (differs from `requestedMetric` only in the log-loss-to-accuracy fallback). */
  metric: MetricName;
  requestedMetric: MetricName;
  /** The model's metric value on the test rows. */
  model: number;
  baselineValue: number;
  /** model − baseline in the metric's own units (negative is good for log loss, RMSE, MAE). */
  diff: number;
  /** The same difference signed so that positive always means "the model is better". */
  improvement: number;
  /** Paired bootstrap percentile CI of `diff`. */
  ci: [number, number];
  modelCi: [number, number];
  baselineCi: [number, number];
  confidence: number;
  /** Name of the test behind `pValue`. */
  test: string;
  pValue: number;
  verdict: Verdict;
  message: string;
  /** Caveats also appended to the message (fallbacks, disagreeing tests, few rows). */
  notes: string[];
  n: number;
  details: {
    mcnemar?: McNemarResult;
    delong?: DeLongResult;
    tTest?: PairedTTestResult;
    wilcoxon?: WilcoxonResult;
    bootstrapPValue: number;
    bootstrapResamples: number;
  };
}

/** Compares the model with a baseline on the same test rows; see the table at the top of this file. */
export function compareWithBaseline(opts: CompareOptions): AbResult {
  const { task, y } = opts;
  const alpha = opts.alpha ?? 0.05;
  const confidence = 1 - alpha;
  const baselineName = opts.baselineName ?? 'the existing process';
  const nClasses = task === 'regression' ? 0 : opts.nClasses;
  validateInputs(opts, nClasses);
  const requestedMetric = opts.metric;
  let metric = opts.metric;
  let model = opts.model;
  let baseline = opts.baseline;
  const notes: string[] = [];

  if (metric === 'log_loss' && (!model.proba || !baseline.proba)) {
    const who = !baseline.proba && !model.proba ? 'neither side gives them' : `${!baseline.proba ? baselineName : 'the model'} gives only labels`;
    notes.push(`Log loss needs probabilities and ${who}, so the comparison uses accuracy instead.`);
    metric = 'accuracy';
  }
  if (metric === 'roc_auc') {
    if (!baseline.proba) {
      baseline = { values: baseline.values, proba: labelsAsProba(baseline.values, nClasses) };
      notes.push(`${capitalise(baselineName)} gives only labels, so its labels serve as its scores for ROC AUC${task === 'binary' ? ' (its AUC is then its balanced accuracy)' : ''}.`);
    }
    if (!model.proba) {
      model = { values: model.values, proba: labelsAsProba(model.values, nClasses) };
      notes.push('The model gives only labels, so its labels serve as its scores for ROC AUC.');
    }
  }

  const info = METRICS[metric];
  const n = y.length;
  const modelMetric = prepareCountMetric(metric, task, y, model, nClasses);
  const baselineMetric = prepareCountMetric(metric, task, y, baseline, nClasses);
  const counts = new Float64Array(n);
  const boot = pairedBootstrap({
    n,
    seed: opts.seed ?? 0,
    resamples: opts.resamples ?? 2000,
    confidence,
    statistic: (idx) => {
      countsFromIndices(idx, counts);
      return [modelMetric(counts), baselineMetric(counts)];
    },
  });
  const modelValue = boot.a.estimate;
  const baselineValue = boot.b.estimate;
  const diff = modelValue - baselineValue;
  const improvement = info.greaterIsBetter ? diff : -diff;

  // The test, and which side its own statistic favours (+1 model, −1 baseline, 0 neither).
  const details: AbResult['details'] = { bootstrapPValue: boot.pValue, bootstrapResamples: boot.resamples };
  let test: string;
  let pValue: number;
  let testFavours: number;
  if (metric === 'accuracy' || metric === 'balanced_accuracy' || metric === 'f1') {
    const m = mcnemar(y, model.values, baseline.values);
    details.mcnemar = m;
    test = m.exact ? 'McNemar (exact)' : 'McNemar';
    pValue = m.pValue;
    testFavours = Math.sign(m.b - m.c);
  } else if (metric === 'roc_auc' && task === 'binary') {
    const d = delongTest(y, positiveScores(model), positiveScores(baseline), 1);
    details.delong = d;
    test = 'DeLong';
    pValue = d.pValue;
    testFavours = Math.sign(d.diff);
  } else if (metric === 'roc_auc' || metric === 'log_loss') {
    test = 'paired bootstrap';
    pValue = boot.pValue;
    testFavours = Math.sign(improvement);
  } else {
    const lossName = metric === 'mae' ? 'absolute errors' : 'squared errors';
    const lm = perRowLoss(metric, y, model, nClasses);
    const lb = perRowLoss(metric, y, baseline, nClasses);
    const t = pairedTTest(lm, lb, confidence);
    const w = wilcoxonSignedRank(lm, lb);
    details.tTest = t;
    details.wilcoxon = w;
    test = `paired t-test on ${lossName}`;
    pValue = t.pValue;
    testFavours = -Math.sign(t.meanDiff);
    if (pValue < alpha !== w.pValue < alpha) {
      notes.push(`The Wilcoxon signed-rank test on the same ${lossName} ${w.pValue < alpha ? 'finds' : 'does not find'} a significant difference (p ${formatP(w.pValue)}), so the result is less clear-cut than the t-test alone suggests.`);
    }
  }

  let verdict: Verdict = 'no-significant-difference';
  if (pValue < alpha) {
    const metricFavours = Math.sign(improvement);
    if (metricFavours > 0 && testFavours > 0) verdict = 'better';
    else if (metricFavours < 0 && testFavours < 0) verdict = 'worse';
    else {
      notes.push(`${capitalise(test)} and the ${info.label} difference point in opposite directions, so neither side is called better.`);
    }
  }
  if (n < 30) notes.push(`Only ${n} test rows: the comparison has little power.`);

  const message = abMessage({
    verdict,
    baselineName,
    label: info.label,
    greaterIsBetter: info.greaterIsBetter,
    modelValue,
    baselineValue,
    diff,
    ci: boot.diff.ci,
    confidence,
    test,
    pValue,
    notes,
  });
  return {
    baseline: baselineName,
    metric,
    requestedMetric,
    model: modelValue,
    baselineValue,
    diff,
    improvement,
    ci: boot.diff.ci,
    modelCi: boot.a.ci,
    baselineCi: boot.b.ci,
    confidence,
    test,
    pValue,
    verdict,
    message,
    notes,
    n,
    details,
  };
}

function abMessage(p: {
  verdict: Verdict;
  baselineName: string;
  label: string;
  greaterIsBetter: boolean;
  modelValue: number;
  baselineValue: number;
  diff: number;
  ci: [number, number];
  confidence: number;
  test: string;
  pValue: number;
  notes: string[];
}): string {
  const head =
    p.verdict === 'better'
      ? `The model beats ${p.baselineName}`
      : p.verdict === 'worse'
        ? `${capitalise(p.baselineName)} is better`
        : 'No significant difference';
  const dec = decimalsFor(p.modelValue, p.baselineValue, p.diff, p.ci);
  const direction = p.greaterIsBetter ? '' : 'lower is better; ';
  const body =
    `${p.label} ${fixed(p.modelValue, dec)} vs ${fixed(p.baselineValue, dec)} ` +
    `(${direction}${signed(p.diff, dec)}, ${confidenceLabel(p.confidence)} CI ${signed(p.ci[0], dec)} to ${signed(p.ci[1], dec)}; ` +
    `${p.test} p ${formatP(p.pValue)})`;
  const tail = p.notes.length > 0 ? ` ${p.notes.join(' ')}` : '';
  return `${head}: ${body}.${tail}`;
}

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

// ---------------------------------------------------------------------------------------------
// Success criterion

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

// ---------------------------------------------------------------------------------------------
// Helpers

/** One-hot probabilities from hard labels. */
export function labelsAsProba(values: Float64Array, nClasses: number): Float64Array {
  const out = new Float64Array(values.length * nClasses);
  for (let i = 0; i < values.length; i++) out[i * nClasses + values[i]] = 1;
  return out;
}

function positiveScores(pred: Prediction): Float64Array {
  const proba = pred.proba as Float64Array;
  return Float64Array.from({ length: pred.values.length }, (_, i) => proba[i * 2 + 1]);
}

function validateInputs(opts: CompareOptions, nClasses: number): void {
  const { task, metric, y, model, baseline } = opts;
  const info = METRICS[metric];
  if (!info) throw new RangeError(`unknown metric "${metric}"`);
  const kind = task === 'regression' ? 'regression' : 'classification';
  if (info.kind !== kind) throw new RangeError(`metric ${metric} is for ${info.kind}, but the task is ${task}`);
  const n = y.length;
  if (n === 0) throw new RangeError('the comparison needs at least one test row');
  for (const [who, p] of [['model', model], ['baseline', baseline]] as const) {
    if (p.values.length !== n) throw new RangeError(`the ${who} gave ${p.values.length} predictions for ${n} test rows`);
    if (p.proba && task !== 'regression' && p.proba.length !== n * nClasses) {
      throw new RangeError(`the ${who}'s probabilities have ${p.proba.length} entries, expected ${n} rows × ${nClasses} classes`);
    }
    for (let i = 0; i < n; i++) {
      const v = p.values[i];
      if (Number.isNaN(v)) throw new RangeError(`the ${who}'s prediction for test row ${i} is missing (NaN)`);
      if (task !== 'regression' && !(Number.isInteger(v) && v >= 0 && v < nClasses)) {
        throw new RangeError(`the ${who}'s prediction for test row ${i} is ${v}, not a class index 0..${nClasses - 1}`);
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (Number.isNaN(v)) throw new RangeError(`the target of test row ${i} is missing (NaN)`);
    if (task !== 'regression' && !(Number.isInteger(v) && v >= 0 && v < nClasses)) {
      throw new RangeError(`the target of test row ${i} is ${v}, not a class index 0..${nClasses - 1}`);
    }
  }
  if (metric === 'roc_auc' && task === 'binary') {
    let pos = 0;
    for (let i = 0; i < n; i++) if (y[i] === 1) pos++;
    if (pos === 0 || pos === n) throw new RangeError('ROC AUC needs both classes among the test rows');
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function confidenceLabel(confidence: number): string {
  return `${Number((confidence * 100).toPrecision(3))} %`;
}

/**
 * Two to four decimals: one significant digit of the CI's half-width (so the interval's ends differ),
 * then more while the two rounded values would imply a different difference than the rounded diff.
 */
function decimalsFor(modelValue: number, baselineValue: number, diff: number, ci: [number, number]): number {
  const halfWidth = Math.abs(ci[1] - ci[0]) / 2;
  const scale = halfWidth > 0 ? halfWidth : Math.abs(diff);
  let dec = scale > 0 && Number.isFinite(scale) ? Math.min(4, Math.max(2, Math.floor(-Math.log10(scale)) + 1)) : 2;
  const consistent = (d: number): boolean =>
    Math.abs(Number(modelValue.toFixed(d)) - Number(baselineValue.toFixed(d)) - Number(diff.toFixed(d))) < 0.5 * 10 ** -d;
  while (dec < 4 && !consistent(dec)) dec++;
  return dec;
}

function decimalsOf(v: number): number {
  const s = String(v);
  const dot = s.indexOf('.');
  return dot < 0 || s.includes('e') ? 0 : s.length - dot - 1;
}

function fixed(v: number, dec: number): string {
  return Number.isFinite(v) ? v.toFixed(dec).replace('-', '−') : String(v);
}

function signed(v: number, dec: number): string {
  const s = fixed(v, dec);
  return v >= 0 && !s.startsWith('−') ? `+${s}` : s;
}

/** "< 0.001", or "= 0.034" with two significant digits (three near 0.05 so 0.0499 never reads 0.05). */
export function formatP(p: number): string {
  if (Number.isNaN(p)) return '= n/a';
  if (p < 0.001) return '< 0.001';
  let s = String(Number(p.toPrecision(2)));
  if (s === '0.05' && p !== 0.05) s = String(Number(p.toPrecision(3)));
  return `= ${s}`;
}
