/**
 * Caruana et al. (2004) greedy ensemble selection with replacement, on out-of-fold predictions.
 *
 * Start empty; at each step add (again, possibly) the candidate whose inclusion gives the best metric
 * of the averaged predictions; keep the best prefix. Averaging is over probabilities (classification)
 * or values (regression); the weights are the selection counts.
 */
import { argmaxRows, computeMetric, metricToLoss, type MetricName } from '../eval/metrics.ts';
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

  const evaluate = (pred: Float64Array): number => {
    const prediction =
      task === 'regression' ? { values: pred } : { values: argmaxRows(pred, nClasses), proba: pred };
    return computeMetric(metric, y, prediction, nClasses, task);
  };

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

/** Weighted average of member predictions (same layout as the members'). */
export function blendPredictions(parts: { weight: number; pred: Float64Array }[]): Float64Array {
  const out = new Float64Array(parts[0].pred.length);
  for (const { weight, pred } of parts) for (let i = 0; i < out.length; i++) out[i] += weight * pred[i];
  return out;
}
