/**
 * Caruana et al. (2004) greedy ensemble selection with replacement, on out-of-fold predictions.
 *
 * Start empty; at each step add (again, possibly) the candidate whose inclusion gives the best metric
 * of the averaged predictions; keep the best prefix. Averaging is over probabilities (classification)
 * or values (regression); the weights are the selection counts.
 *
 * Then Occam's blend (linearShare): the best linear model is mixed into the chosen predictions for as
 * long as out of fold that is not significantly worse.
 */
import { argmaxRows, computeMetric, metricToLoss, type MetricName } from '../eval/metrics.ts';
import { percentileInterval } from '../eval/significance.ts';
import { Rng } from '../util/random.ts';
import type { Task } from '../models/types.ts';

export interface EnsembleCandidate {
  id: number;
  /** Out-of-fold predictions over the same rows: proba (rows*K) for classification, values for regression. */
  oof: Float64Array;
}

export interface EnsembleResult {
  /** Candidate id → weight (summing to 1). */
  weights: Map<number, number>;
  loss: number;
  score: number;
}

export function caruanaEnsemble(
  candidates: EnsembleCandidate[],
  y: Float64Array,
  task: Task,
  nClasses: number,
  metric: MetricName,
  iterations = 25,
): EnsembleResult | null {
  if (candidates.length === 0) return null;
  const len = candidates[0].oof.length;
  const sum = new Float64Array(len);
  const trial = new Float64Array(len);
  const counts = new Map<number, number>();
  let size = 0;
  let bestLoss = Infinity;
  let bestCounts = new Map<number, number>();
  let bestScore = NaN;

  const evaluate = (pred: Float64Array): number => scorePredictions(pred, y, task, nClasses, metric);

  for (let it = 0; it < iterations; it++) {
    let chosen = -1;
    let chosenLoss = Infinity;
    let chosenScore = NaN;
    for (let c = 0; c < candidates.length; c++) {
      const oof = candidates[c].oof;
      for (let i = 0; i < len; i++) trial[i] = (sum[i] + oof[i]) / (size + 1);
      const score = evaluate(trial);
      const loss = metricToLoss(metric, score);
      if (loss < chosenLoss) {
        chosenLoss = loss;
        chosen = c;
        chosenScore = score;
      }
    }
    if (chosen < 0) break;
    const oof = candidates[chosen].oof;
    for (let i = 0; i < len; i++) sum[i] += oof[i];
    size++;
    const id = candidates[chosen].id;
    counts.set(id, (counts.get(id) ?? 0) + 1);
    if (chosenLoss < bestLoss - 1e-12) {
      bestLoss = chosenLoss;
      bestScore = chosenScore;
      bestCounts = new Map(counts);
    }
  }
  const total = [...bestCounts.values()].reduce((a, b) => a + b, 0);
  const weights = new Map<number, number>();
  for (const [id, c] of bestCounts) weights.set(id, c / total);
  return { weights, loss: bestLoss, score: bestScore };
}

export interface LinearShare {
  /** The linear model's weight in the blend, in tenths (0: the chosen predictions stand). */
  share: number;
  /** The blend's out-of-fold score. */
  score: number;
  /** The chosen predictions' out-of-fold score. */
  chosenScore: number;
}

/**
 * Occam's razor after selection. The chosen predictions won on the very out-of-fold rows that picked
 * them among hundreds of trials (and, for an ensemble, fitted its weights), so their lead over a
 * simpler model is inflated — most on small tables, where it is also noisiest. This mixes in a simpler
 * model's predictions (the caller passes the best regularised linear trial's) a tenth at a time, for as
 * long as the blend is not significantly worse out of fold: the 95 % paired bootstrap interval of
 * (blend loss − chosen loss) over the rows still reaches zero. On a large table the interval is
 * narrow and the first tenth usually fails; on a small one a model that is only nominally better
 * gives way to a blend that generalises more predictably.
 */
export function linearShare(
  chosen: Float64Array,
  linear: Float64Array,
  y: Float64Array,
  task: Task,
  nClasses: number,
  metric: MetricName,
  opts: { seed: number; resamples?: number; deadline?: number },
): LinearShare {
  const width = task === 'regression' ? 1 : nClasses;
  const n = y.length;
  const chosenScore = scorePredictions(chosen, y, task, nClasses, metric);
  let result: LinearShare = { share: 0, score: chosenScore, chosenScore };
  // The same resampled rows for every share (paired), the chosen predictions' loss on each computed once.
  const rng = new Rng(opts.seed);
  const resamples = Array.from({ length: opts.resamples ?? 100 }, () => Int32Array.from({ length: n }, () => rng.int(n)));
  const yOn = resamples.map((idx) => Float64Array.from(idx, (i) => y[i]));
  const lossOn = (pred: Float64Array, r: number): number => {
    const idx = resamples[r];
    const p = new Float64Array(idx.length * width);
    for (let i = 0; i < idx.length; i++) for (let k = 0; k < width; k++) p[i * width + k] = pred[idx[i] * width + k];
    return metricToLoss(metric, scorePredictions(p, yOn[r], task, nClasses, metric));
  };
  const chosenLoss = resamples.map((_, r) => lossOn(chosen, r));
  for (let tenth = 1; tenth <= 10; tenth++) {
    if (opts.deadline !== undefined && Date.now() > opts.deadline) break;
    const share = tenth / 10;
    const mix = blendPredictions([
      { weight: 1 - share, pred: chosen },
      { weight: share, pred: linear },
    ]);
    // A resample with one class has no AUC (NaN): it is left out.
    const diffs = resamples.map((_, r) => lossOn(mix, r) - chosenLoss[r]).filter((d) => !Number.isNaN(d));
    if (diffs.length === 0 || percentileInterval(diffs, 0.95)[0] > 0) break;
    result = { share, score: scorePredictions(mix, y, task, nClasses, metric), chosenScore };
  }
  return result;
}

/** The metric of (blended) predictions: probabilities (rows*K) for classification, values for regression. */
export function scorePredictions(pred: Float64Array, y: Float64Array, task: Task, nClasses: number, metric: MetricName): number {
  const prediction = task === 'regression' ? { values: pred } : { values: argmaxRows(pred, nClasses), proba: pred };
  return computeMetric(metric, y, prediction, nClasses, task);
}

/** Weighted average of member predictions (same layout as the members'). */
export function blendPredictions(parts: { weight: number; pred: Float64Array }[]): Float64Array {
  const out = new Float64Array(parts[0].pred.length);
  for (const { weight, pred } of parts) for (let i = 0; i < out.length; i++) out[i] += weight * pred[i];
  return out;
}
