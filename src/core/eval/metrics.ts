/**
 * Metrics for every task, matching scikit-learn's definitions (checked against hand-computed values and
 * scikit-learn outputs in test/unit/eval/metrics.test.ts).
 *
 * Classification targets are class indices 0..K-1; probabilities are row-major (rows * K).
 */
import type { Task } from '../models/types.ts';

export interface Prediction {
  /** Class index (classification) or value (regression) per row. */
  values: Float64Array;
  /** Row-major class probabilities, classification only. */
  proba?: Float64Array;
}

export type MetricName = 'roc_auc' | 'log_loss' | 'accuracy' | 'balanced_accuracy' | 'f1' | 'rmse' | 'mae' | 'r2';

export interface MetricInfo {
  name: MetricName;
  label: string;
  kind: 'classification' | 'regression';
  greaterIsBetter: boolean;
  /** Needs class probabilities (not only labels). */
  needsProba: boolean;
}

export const METRICS: Record<MetricName, MetricInfo> = {
  roc_auc: { name: 'roc_auc', label: 'ROC AUC', kind: 'classification', greaterIsBetter: true, needsProba: true },
  log_loss: { name: 'log_loss', label: 'log loss', kind: 'classification', greaterIsBetter: false, needsProba: true },
  accuracy: { name: 'accuracy', label: 'accuracy', kind: 'classification', greaterIsBetter: true, needsProba: false },
  balanced_accuracy: { name: 'balanced_accuracy', label: 'balanced accuracy', kind: 'classification', greaterIsBetter: true, needsProba: false },
  f1: { name: 'f1', label: 'F1', kind: 'classification', greaterIsBetter: true, needsProba: false },
  rmse: { name: 'rmse', label: 'RMSE', kind: 'regression', greaterIsBetter: false, needsProba: false },
  mae: { name: 'mae', label: 'MAE', kind: 'regression', greaterIsBetter: false, needsProba: false },
  r2: { name: 'r2', label: 'R²', kind: 'regression', greaterIsBetter: true, needsProba: false },
};

export function isMetricName(name: string): name is MetricName {
  return Object.prototype.hasOwnProperty.call(METRICS, name);
}

export function metricsForTask(task: Task): MetricName[] {
  return task === 'regression' ? ['rmse', 'mae', 'r2'] : ['roc_auc', 'log_loss', 'accuracy', 'balanced_accuracy', 'f1'];
}

export function defaultMetric(task: Task): MetricName {
  return task === 'binary' ? 'roc_auc' : task === 'multiclass' ? 'log_loss' : 'rmse';
}

/** Every metric of the task's kind. */
export function computeMetrics(task: Task, y: Float64Array, pred: Prediction, nClasses: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of metricsForTask(task)) {
    if (METRICS[name].needsProba && !pred.proba) continue;
    out[name] = computeMetric(name, y, pred, nClasses, task);
  }
  return out;
}

export function computeMetric(name: MetricName, y: Float64Array, pred: Prediction, nClasses: number, task: Task): number {
  switch (name) {
    case 'accuracy':
      return accuracy(y, pred.values);
    case 'balanced_accuracy':
      return balancedAccuracy(y, pred.values, nClasses);
    case 'f1':
      return task === 'binary' ? f1Score(y, pred.values) : macroF1(y, pred.values, nClasses);
    case 'roc_auc':
      return rocAuc(y, requireProba(pred, name), nClasses);
    case 'log_loss':
      return logLoss(y, requireProba(pred, name), nClasses);
    case 'rmse':
      return rmse(y, pred.values);
    case 'mae':
      return mae(y, pred.values);
    case 'r2':
      return r2(y, pred.values);
  }
}

function requireProba(pred: Prediction, name: string): Float64Array {
  if (!pred.proba) throw new Error(`metric ${name} needs class probabilities`);
  return pred.proba;
}

/** Turns a metric into a loss to minimise (for the search), whatever its direction. */
export function metricToLoss(name: MetricName, value: number): number {
  return METRICS[name].greaterIsBetter ? -value : value;
}

export function accuracy(y: ArrayLike<number>, pred: ArrayLike<number>, weights?: ArrayLike<number>): number {
  let hit = 0;
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weights ? weights[i] : 1;
    if (y[i] === pred[i]) hit += w;
    total += w;
  }
  return total > 0 ? hit / total : NaN;
}

/** Mean recall over the classes present in y (scikit-learn's balanced_accuracy_score). */
export function balancedAccuracy(y: ArrayLike<number>, pred: ArrayLike<number>, nClasses: number): number {
  const support = new Float64Array(nClasses);
  const hits = new Float64Array(nClasses);
  for (let i = 0; i < y.length; i++) {
    support[y[i]]++;
    if (y[i] === pred[i]) hits[y[i]]++;
  }
  let sum = 0;
  let present = 0;
  for (let k = 0; k < nClasses; k++) {
    if (support[k] > 0) {
      sum += hits[k] / support[k];
      present++;
    }
  }
  return present > 0 ? sum / present : NaN;
}

/** F1 of the positive class (index 1). */
export function f1Score(y: ArrayLike<number>, pred: ArrayLike<number>, positive = 1): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < y.length; i++) {
    const t = y[i] === positive;
    const p = pred[i] === positive;
    if (t && p) tp++;
    else if (p) fp++;
    else if (t) fn++;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/** Unweighted mean of per-class F1 over the classes present in y or pred. */
export function macroF1(y: ArrayLike<number>, pred: ArrayLike<number>, nClasses: number): number {
  let sum = 0;
  let present = 0;
  for (let k = 0; k < nClasses; k++) {
    let seen = false;
    for (let i = 0; i < y.length && !seen; i++) seen = y[i] === k || pred[i] === k;
    if (!seen) continue;
    sum += f1Score(y, pred, k);
    present++;
  }
  return present > 0 ? sum / present : NaN;
}

/**
 * ROC AUC by the rank statistic (Mann–Whitney U with average ranks for ties), equal to the area under
 * scikit-learn's ROC curve. Multiclass: macro average of one-vs-rest AUCs.
 */
export function rocAuc(y: ArrayLike<number>, proba: Float64Array, nClasses: number): number {
  const n = y.length;
  if (nClasses === 2) {
    const scores = new Float64Array(n);
    for (let i = 0; i < n; i++) scores[i] = proba[i * 2 + 1];
    return binaryAuc(y, scores, 1);
  }
  let sum = 0;
  let counted = 0;
  const scores = new Float64Array(n);
  for (let k = 0; k < nClasses; k++) {
    for (let i = 0; i < n; i++) scores[i] = proba[i * nClasses + k];
    const auc = binaryAuc(y, scores, k);
    if (!Number.isNaN(auc)) {
      sum += auc;
      counted++;
    }
  }
  return counted > 0 ? sum / counted : NaN;
}

/** AUC of `scores` for separating rows with y === positive from the rest; NaN when one side is empty. */
export function binaryAuc(y: ArrayLike<number>, scores: ArrayLike<number>, positive = 1): number {
  const n = y.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0;
  let nPos = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) {
      if (y[order[t]] === positive) {
        rankSumPos += avgRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Mean cross-entropy, probabilities clipped to [1e-15, 1 - 1e-15] like scikit-learn. */
export function logLoss(y: ArrayLike<number>, proba: Float64Array, nClasses: number): number {
  const eps = 1e-15;
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    // scikit-learn renormalises each row after clipping.
    let rowSum = 0;
    for (let k = 0; k < nClasses; k++) rowSum += Math.min(1 - eps, Math.max(eps, proba[i * nClasses + k]));
    const p = Math.min(1 - eps, Math.max(eps, proba[i * nClasses + y[i]])) / rowSum;
    sum -= Math.log(p);
  }
  return sum / y.length;
}

export function rmse(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i] - pred[i]) ** 2;
  return Math.sqrt(s / y.length);
}

export function mae(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += Math.abs(y[i] - pred[i]);
  return s / y.length;
}

export function r2(y: ArrayLike<number>, pred: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i];
  mean /= y.length;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < y.length; i++) {
    ssRes += (y[i] - pred[i]) ** 2;
    ssTot += (y[i] - mean) ** 2;
  }
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

/** Class index with the highest probability per row (ties: the lower index, like numpy argmax). */
export function argmaxRows(proba: Float64Array, nClasses: number): Float64Array {
  const rows = proba.length / nClasses;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let k = 1; k < nClasses; k++) if (proba[i * nClasses + k] > proba[i * nClasses + best]) best = k;
    out[i] = best;
  }
  return out;
}

/** Confusion matrix: counts[true][pred]. */
export function confusionMatrix(y: ArrayLike<number>, pred: ArrayLike<number>, nClasses: number): number[][] {
  const m = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  for (let i = 0; i < y.length; i++) m[y[i]][pred[i]]++;
  return m;
}
