import { describe, expect, it } from 'vitest';
import {
  accuracy,
  argmaxRows,
  balancedAccuracy,
  computeMetrics,
  confusionMatrix,
  f1Score,
  logLoss,
  macroF1,
  mae,
  r2,
  rmse,
  rocAuc,
} from '../../../src/core/eval/metrics.ts';

// Expected values computed with scikit-learn 1.2.1 on the same inputs (see the commit message).
const yBin = Float64Array.from([0, 1, 1, 0, 1, 0, 1, 1, 0, 0]);
const pPos = [0.1, 0.8, 0.35, 0.35, 0.9, 0.2, 0.6, 0.4, 0.7, 0.05];
const probaBin = Float64Array.from(pPos.flatMap((p) => [1 - p, p]));
const predBin = Float64Array.from(pPos.map((p) => (p >= 0.5 ? 1 : 0)));

describe('classification metrics match scikit-learn', () => {
  it('binary', () => {
    expect(rocAuc(yBin, probaBin, 2)).toBeCloseTo(0.86, 12);
    expect(logLoss(yBin, probaBin, 2)).toBeCloseTo(0.48199956288888357, 12);
    expect(accuracy(yBin, predBin)).toBeCloseTo(0.7, 12);
    expect(balancedAccuracy(yBin, predBin, 2)).toBeCloseTo(0.7, 12);
    expect(f1Score(yBin, predBin)).toBeCloseTo(0.6666666666666665, 12);
  });

  it('ties in scores get average ranks', () => {
    // Two tied scores across the classes: AUC counts the pair as one half.
    expect(rocAuc(Float64Array.from([0, 1]), Float64Array.from([0.5, 0.5, 0.5, 0.5]), 2)).toBe(0.5);
  });

  it('multiclass (macro one-vs-rest AUC, macro F1)', () => {
    const y = Float64Array.from([0, 1, 2, 2, 1, 0, 2, 1]);
    const P = Float64Array.from([0.7, 0.2, 0.1, 0.2, 0.5, 0.3, 0.1, 0.3, 0.6, 0.3, 0.3, 0.4, 0.5, 0.4, 0.1, 0.6, 0.3, 0.1, 0.2, 0.2, 0.6, 0.1, 0.8, 0.1]);
    const pred = argmaxRows(P, 3);
    expect(rocAuc(y, P, 3)).toBeCloseTo(1.0, 12);
    expect(logLoss(y, P, 3)).toBeCloseTo(0.5797530013573962, 12);
    expect(macroF1(y, pred, 3)).toBeCloseTo(0.8666666666666667, 12);
    expect(balancedAccuracy(y, pred, 3)).toBeCloseTo(0.8888888888888888, 12);
    expect(confusionMatrix(y, pred, 3)).toEqual([
      [2, 0, 0],
      [1, 2, 0],
      [0, 0, 3],
    ]);
  });

  it('computeMetrics returns every metric of the task', () => {
    const m = computeMetrics('binary', yBin, { values: predBin, proba: probaBin }, 2);
    expect(Object.keys(m).sort()).toEqual(['accuracy', 'balanced_accuracy', 'f1', 'log_loss', 'roc_auc']);
  });
});

describe('regression metrics match scikit-learn', () => {
  const y = [3.0, -0.5, 2.0, 7.0];
  const p = [2.5, 0.0, 2.0, 8.0];
  it('rmse, mae, r2', () => {
    expect(rmse(y, p)).toBeCloseTo(0.6123724356957945, 12);
    expect(mae(y, p)).toBeCloseTo(0.5, 12);
    expect(r2(y, p)).toBeCloseTo(0.9486081370449679, 12);
  });
});
