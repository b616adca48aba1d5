import { describe, expect, it } from 'vitest';
import { computeMetric, metricsForTask, type Prediction } from '../../../src/core/eval/metrics.ts';
import { countsFromIndices, perRowLoss, prepareCountMetric } from '../../../src/core/eval/resampled-metric.ts';
import type { Task } from '../../../src/core/models/types.ts';
import { Rng } from '../../../src/core/util/random.ts';

function randomCase(task: Task, n: number, rng: Rng): { y: Float64Array; pred: Prediction; k: number } {
  if (task === 'regression') {
    const y = Float64Array.from({ length: n }, () => rng.normal() * 3);
    return { y, pred: { values: Float64Array.from(y, (v) => v + rng.normal()) }, k: 0 };
  }
  const k = task === 'binary' ? 2 : 4;
  const y = Float64Array.from({ length: n }, () => rng.int(k));
  const proba = new Float64Array(n * k);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < k; c++) {
      // Coarse probabilities (tenths) so scores tie, exercising the tie handling of the AUC.
      const v = Math.round((rng.next() + (c === y[i] ? 0.6 : 0)) * 10) / 10 + 0.1;
      proba[i * k + c] = v;
      s += v;
    }
    let best = 0;
    for (let c = 0; c < k; c++) {
      proba[i * k + c] /= s;
      if (proba[i * k + c] > proba[i * k + best]) best = c;
    }
    values[i] = best;
  }
  return { y, pred: { values, proba }, k };
}

function materialise(idx: Int32Array, y: Float64Array, pred: Prediction, k: number): { y: Float64Array; pred: Prediction } {
  const yy = Float64Array.from(idx, (i) => y[i]);
  const values = Float64Array.from(idx, (i) => pred.values[i]);
  if (!pred.proba) return { y: yy, pred: { values } };
  const proba = new Float64Array(idx.length * k);
  idx.forEach((r, t) => proba.set(pred.proba!.subarray(r * k, r * k + k), t * k));
  return { y: yy, pred: { values, proba } };
}

describe('metrics on resample counts equal metrics on the materialised resample', () => {
  for (const task of ['binary', 'multiclass', 'regression'] as Task[]) {
    it(task, () => {
      const rng = new Rng(task.length);
      const n = 120;
      const { y, pred, k } = randomCase(task, n, rng);
      const counts = new Float64Array(n);
      for (const name of metricsForTask(task)) {
        const f = prepareCountMetric(name, task, y, pred, k);
        // The identity resample first, then random ones.
        expect(f(new Float64Array(n).fill(1))).toBeCloseTo(computeMetric(name, y, pred, k, task), 12);
        for (let r = 0; r < 15; r++) {
          const idx = Int32Array.from({ length: n }, () => rng.int(n));
          const m = materialise(idx, y, pred, k);
          expect(f(countsFromIndices(idx, counts)), `${name} resample ${r}`).toBeCloseTo(computeMetric(name, m.y, m.pred, k, task), 12);
        }
      }
    });
  }

  it('AUC of a resample with one class is NaN (the bootstrap skips it)', () => {
    const y = Float64Array.from([0, 1, 1]);
    const f = prepareCountMetric('roc_auc', 'binary', y, { values: y, proba: Float64Array.from([0.9, 0.1, 0.2, 0.8, 0.3, 0.7]) }, 2);
    expect(f(Float64Array.from([0, 2, 1]))).toBeNaN();
  });

  it('per-row losses average to the metric', () => {
    const rng = new Rng(5);
    const { y, pred } = randomCase('regression', 50, rng);
    const sq = perRowLoss('rmse', y, pred, 0);
    expect(Math.sqrt(sq.reduce((a, b) => a + b, 0) / 50)).toBeCloseTo(computeMetric('rmse', y, pred, 0, 'regression'), 12);
    expect(() => perRowLoss('roc_auc', y, pred, 0)).toThrow(/not a mean of per-row losses/);
  });
});
