/**
 * A/B comparison of the model with the existing process on the same test rows: the numbers and the
 * plain-words sentence the Compare page shows (worded in ab-text.ts). The check of the user's success
 * criterion is success-criterion.ts, re-exported here with the baselines (baselines.ts).
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
import { abMessage, capitalise, formatP, type Verdict } from './ab-text.ts';
import {
  delongTest,
  mcnemar,
  pairedBootstrap,
  pairedTTest,
  wilcoxonSignedRank,
  type DeLongResult,
  type McNemarResult,
  type PairedTTestResult,
  type WilcoxonResult,
} from './significance.ts';

export { formatP } from './ab-text.ts';
export { metricWithCi, successCriterion } from './success-criterion.ts';
export type { SuccessCriterionResult } from './success-criterion.ts';

export type { Verdict } from './ab-text.ts';

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

/** Better or worse only when the test is significant and it and the metric favour the same side. */
function verdictOf(significant: boolean, metricFavours: number, testFavours: number, onDisagreement: () => void): Verdict {
  if (!significant) return 'no-significant-difference';
  if (metricFavours > 0 && testFavours > 0) return 'better';
  if (metricFavours < 0 && testFavours < 0) return 'worse';
  onDisagreement();
  return 'no-significant-difference';
}

/** Compares the model with a baseline on the same test rows; see the table at the top of this file. */
export function compareWithBaseline(opts: CompareOptions): AbResult {
  const { task, y } = opts;
  const alpha = opts.alpha ?? 0.05;
  const confidence = 1 - alpha;
  const baselineName = opts.baselineName ?? 'the existing process';
  const nClasses = task === 'regression' ? 0 : opts.nClasses;
  validateInputs(opts, nClasses);
  const notes: string[] = [];
  const { metric, model, baseline } = comparableSides(opts, nClasses, baselineName, notes);

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

  const details: AbResult['details'] = { bootstrapPValue: boot.pValue, bootstrapResamples: boot.resamples };
  const sides = { task, metric, y, nClasses, model, baseline, alpha, confidence };
  const { test, pValue, testFavours } = runTest(sides, boot.pValue, improvement, details, notes);

  const verdict = verdictOf(pValue < alpha, Math.sign(improvement), testFavours, () =>
    notes.push(`${capitalise(test)} and the ${info.label} difference point in opposite directions, so neither side is called better.`),
  );
  if (n < 30) notes.push(`Only ${n} test rows: the comparison has little power.`);

  const ci = boot.diff.ci;
  const message = abMessage({
    verdict,
    baselineName,
    label: info.label,
    greaterIsBetter: info.greaterIsBetter,
    modelValue,
    baselineValue,
    diff,
    ci,
    confidence,
    test,
    pValue,
    notes,
  });
  return {
    baseline: baselineName,
    metric,
    requestedMetric: opts.metric,
    model: modelValue,
    baselineValue,
    diff,
    improvement,
    ci,
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

/**
 * The metric and the two predictions as compared: log loss falls back to accuracy when a side has
 * no probabilities, and for ROC AUC a side's labels serve as its scores. Each fallback adds a note.
 */
function comparableSides(
  opts: CompareOptions,
  nClasses: number,
  baselineName: string,
  notes: string[],
): { metric: MetricName; model: Prediction; baseline: Prediction } {
  let metric = opts.metric;
  let model = opts.model;
  let baseline = opts.baseline;
  if (metric === 'log_loss' && (!model.proba || !baseline.proba)) {
    const who = !baseline.proba && !model.proba ? 'neither side gives them' : `${!baseline.proba ? baselineName : 'the model'} gives only labels`;
    notes.push(`Log loss needs probabilities and ${who}, so the comparison uses accuracy instead.`);
    metric = 'accuracy';
  }
  if (metric === 'roc_auc') {
    if (!baseline.proba) {
      baseline = { values: baseline.values, proba: labelsAsProba(baseline.values, nClasses) };
      notes.push(
        `${capitalise(baselineName)} gives only labels, so its labels serve as its scores for ROC AUC${opts.task === 'binary' ? ' (its AUC is then its balanced accuracy)' : ''}.`,
      );
    }
    if (!model.proba) {
      model = { values: model.values, proba: labelsAsProba(model.values, nClasses) };
      notes.push('The model gives only labels, so its labels serve as its scores for ROC AUC.');
    }
  }
  return { metric, model, baseline };
}

interface Sides {
  task: Task;
  metric: MetricName;
  y: Float64Array;
  nClasses: number;
  model: Prediction;
  baseline: Prediction;
  alpha: number;
  confidence: number;
}

/**
 * The metric's test (the table at the top of this file): its name, p-value and which side its own
 * statistic favours (+1 model, −1 baseline, 0 neither). Fills `details`; a disagreeing Wilcoxon adds a note.
 */
function runTest(
  s: Sides,
  bootstrapPValue: number,
  improvement: number,
  details: AbResult['details'],
  notes: string[],
): { test: string; pValue: number; testFavours: number } {
  const { metric, y, model, baseline } = s;
  if (metric === 'accuracy' || metric === 'balanced_accuracy' || metric === 'f1') {
    const m = mcnemar(y, model.values, baseline.values);
    details.mcnemar = m;
    return { test: m.exact ? 'McNemar (exact)' : 'McNemar', pValue: m.pValue, testFavours: Math.sign(m.b - m.c) };
  }
  if (metric === 'roc_auc' && s.task === 'binary') {
    const d = delongTest(y, positiveScores(model), positiveScores(baseline), 1);
    details.delong = d;
    return { test: 'DeLong', pValue: d.pValue, testFavours: Math.sign(d.diff) };
  }
  if (metric === 'roc_auc' || metric === 'log_loss') return { test: 'paired bootstrap', pValue: bootstrapPValue, testFavours: Math.sign(improvement) };
  const lossName = metric === 'mae' ? 'absolute errors' : 'squared errors';
  const lm = perRowLoss(metric, y, model, s.nClasses);
  const lb = perRowLoss(metric, y, baseline, s.nClasses);
  const t = pairedTTest(lm, lb, s.confidence);
  const w = wilcoxonSignedRank(lm, lb);
  details.tTest = t;
  details.wilcoxon = w;
  const alpha = s.alpha;
  if (t.pValue < alpha !== w.pValue < alpha) {
    notes.push(
      `The Wilcoxon signed-rank test on the same ${lossName} ${w.pValue < alpha ? 'finds' : 'does not find'} a significant difference (p ${formatP(w.pValue)}), so the result is less clear-cut than the t-test alone suggests.`,
    );
  }
  return { test: `paired t-test on ${lossName}`, pValue: t.pValue, testFavours: -Math.sign(t.meanDiff) };
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
  for (const [who, p] of [
    ['model', model],
    ['baseline', baseline],
  ] as const) {
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
