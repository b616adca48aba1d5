/**
 * Metrics evaluated on bootstrap resamples given as row multiplicities (how many times each row was
 * drawn), so a 2000-resample bootstrap costs O(n) per resample instead of re-sorting the rows for every
 * AUC. Each prepared metric equals `computeMetric` on the materialised resample (checked in
 * test/unit/eval/resampled-metric.test.ts).
 */
import type { Task } from '../models/types.ts';
import { METRICS, type MetricName, type Prediction } from './metrics.ts';

/** A metric bound to fixed labels and predictions; call it with per-row multiplicities. */
export type CountMetric = (counts: Float64Array) => number;

/** Row multiplicities of a bootstrap resample: counts[i] = how often row i appears in idx. */
export function countsFromIndices(idx: Int32Array, counts: Float64Array): Float64Array {
  counts.fill(0);
  for (let i = 0; i < idx.length; i++) counts[idx[i]]++;
  return counts;
}

/** Binds metric `name` to y and pred, precomputing what every resample shares (sort orders, per-row losses). */
export function prepareCountMetric(name: MetricName, task: Task, y: Float64Array, pred: Prediction, nClasses: number): CountMetric {
  if (METRICS[name].needsProba && !pred.proba) throw new Error(`metric ${name} needs class probabilities`);
  switch (name) {
    case 'accuracy': {
      const hit = Float64Array.from(y, (v, i) => (v === pred.values[i] ? 1 : 0));
      return (w) => weightedMean(hit, w);
    }
    case 'balanced_accuracy':
      return balancedAccuracy(y, pred, nClasses);
    case 'f1':
      return macroF1(task, y, pred, nClasses);
    case 'roc_auc':
      return rocAuc(y, pred, nClasses);
    case 'log_loss': {
      const loss = perRowLoss('log_loss', y, pred, nClasses);
      return (w) => weightedMean(loss, w);
    }
    case 'rmse': {
      const sq = perRowLoss('rmse', y, pred, nClasses);
      return (w) => Math.sqrt(weightedMean(sq, w));
    }
    case 'mae': {
      const abs = perRowLoss('mae', y, pred, nClasses);
      return (w) => weightedMean(abs, w);
    }
    case 'r2':
      return r2(y, pred);
  }
}

/** Mean per-class recall over the classes present in the resample. */
function balancedAccuracy(y: Float64Array, pred: Prediction, nClasses: number): CountMetric {
  const n = y.length;
  return (w) => {
    const support = new Float64Array(nClasses);
    const hits = new Float64Array(nClasses);
    for (let i = 0; i < n; i++) {
      if (w[i] === 0) continue;
      support[y[i]] += w[i];
      if (y[i] === pred.values[i]) hits[y[i]] += w[i];
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
  };
}

/** F1 of class 1 (binary), or the mean F1 over the classes present (multiclass). */
function macroF1(task: Task, y: Float64Array, pred: Prediction, nClasses: number): CountMetric {
  const n = y.length;
  return (w) => {
    // Per-class true positives, predicted and actual counts give every class's F1 in one pass.
    const tp = new Float64Array(nClasses);
    const predicted = new Float64Array(nClasses);
    const actual = new Float64Array(nClasses);
    for (let i = 0; i < n; i++) {
      if (w[i] === 0) continue;
      actual[y[i]] += w[i];
      predicted[pred.values[i]] += w[i];
      if (y[i] === pred.values[i]) tp[y[i]] += w[i];
    }
    const f1 = (k: number): number => (tp[k] === 0 ? 0 : (2 * tp[k]) / (predicted[k] + actual[k]));
    if (task === 'binary') return f1(1);
    let sum = 0;
    let present = 0;
    for (let k = 0; k < nClasses; k++) {
      if (actual[k] > 0 || predicted[k] > 0) {
        sum += f1(k);
        present++;
      }
    }
    return present > 0 ? sum / present : NaN;
  };
}

/** AUC of class 1 (binary), or the mean one-vs-rest AUC over the classes it is defined for. */
function rocAuc(y: Float64Array, pred: Prediction, nClasses: number): CountMetric {
  const n = y.length;
  const proba = pred.proba as Float64Array;
  if (nClasses === 2) {
    const auc = prepareWeightedAuc(
      y,
      Float64Array.from({ length: n }, (_, i) => proba[i * 2 + 1]),
      1,
    );
    return auc;
  }
  const perClass: CountMetric[] = [];
  for (let k = 0; k < nClasses; k++) {
    perClass.push(
      prepareWeightedAuc(
        y,
        Float64Array.from({ length: n }, (_, i) => proba[i * nClasses + k]),
        k,
      ),
    );
  }
  return (w) => {
    let sum = 0;
    let counted = 0;
    for (const auc of perClass) {
      const a = auc(w);
      if (!Number.isNaN(a)) {
        sum += a;
        counted++;
      }
    }
    return counted > 0 ? sum / counted : NaN;
  };
}

/** R² with the resample's own weighted mean as the reference. */
function r2(y: Float64Array, pred: Prediction): CountMetric {
  const n = y.length;
  return (w) => {
    let total = 0;
    let sy = 0;
    for (let i = 0; i < n; i++) {
      total += w[i];
      sy += w[i] * y[i];
    }
    const m = sy / total;
    let ssRes = 0;
    let ssTot = 0;
    for (let i = 0; i < n; i++) {
      if (w[i] === 0) continue;
      ssRes += w[i] * (y[i] - pred.values[i]) ** 2;
      ssTot += w[i] * (y[i] - m) ** 2;
    }
    if (ssTot === 0) return ssRes === 0 ? 1 : 0;
    return 1 - ssRes / ssTot;
  };
}

/**
 * The per-row loss whose mean is the metric (or, for RMSE and R², whose mean decides it): log loss per
 * row (clipped and renormalised like metrics.ts), squared error for RMSE and R², absolute error for MAE,
 * 0/1 error for accuracy.
 */
export function perRowLoss(name: MetricName, y: Float64Array, pred: Prediction, nClasses: number): Float64Array {
  const n = y.length;
  const out = new Float64Array(n);
  switch (name) {
    case 'log_loss': {
      const proba = pred.proba;
      if (!proba) throw new Error('metric log_loss needs class probabilities');
      const eps = 1e-15;
      for (let i = 0; i < n; i++) {
        let rowSum = 0;
        for (let k = 0; k < nClasses; k++) rowSum += Math.min(1 - eps, Math.max(eps, proba[i * nClasses + k]));
        out[i] = -Math.log(Math.min(1 - eps, Math.max(eps, proba[i * nClasses + y[i]])) / rowSum);
      }
      return out;
    }
    case 'rmse':
    case 'r2':
      for (let i = 0; i < n; i++) out[i] = (y[i] - pred.values[i]) ** 2;
      return out;
    case 'mae':
      for (let i = 0; i < n; i++) out[i] = Math.abs(y[i] - pred.values[i]);
      return out;
    case 'accuracy':
      for (let i = 0; i < n; i++) out[i] = y[i] === pred.values[i] ? 0 : 1;
      return out;
    default:
      throw new Error(`metric ${name} is not a mean of per-row losses`);
  }
}

/**
 * Weighted AUC of `scores` for y === positive: rows are sorted once; each resample walks the groups of
 * tied scores in ascending order, adding pos(group) · (neg below + ½ neg(group)).
 */
function prepareWeightedAuc(y: Float64Array, scores: Float64Array, positive: number): CountMetric {
  const n = y.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  // Group boundaries of tied scores, fixed for every resample.
  const groupEnd = new Int32Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    for (let t = i; t <= j; t++) groupEnd[t] = j;
    i = j + 1;
  }
  const isPos = Uint8Array.from(order, (r) => (y[r] === positive ? 1 : 0));
  return (w) => {
    let negBelow = 0;
    let num = 0;
    let totalPos = 0;
    let t = 0;
    while (t < n) {
      const end = groupEnd[t];
      let pos = 0;
      let neg = 0;
      for (let u = t; u <= end; u++) {
        const wu = w[order[u]];
        if (isPos[u]) pos += wu;
        else neg += wu;
      }
      num += pos * (negBelow + 0.5 * neg);
      negBelow += neg;
      totalPos += pos;
      t = end + 1;
    }
    if (totalPos === 0 || negBelow === 0) return NaN;
    return num / (totalPos * negBelow);
  };
}

function weightedMean(x: Float64Array, w: Float64Array): number {
  let s = 0;
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    s += w[i] * x[i];
    total += w[i];
  }
  return total > 0 ? s / total : NaN;
}
