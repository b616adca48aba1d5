import { describe, expect, it } from 'vitest';
import { binaryAuc } from '../../../src/core/eval/metrics.ts';
import { regressionPoints, rocCurves, rocPoints, thin } from '../../../src/workers/run-summary.ts';

describe('ROC curves', () => {
  it('walks thresholds from the highest score, one point per distinct score', () => {
    // scikit-learn roc_curve(y, s, drop_intermediate=False) gives the same corners.
    const y = [0, 0, 1, 1];
    const s = [0.1, 0.4, 0.35, 0.8];
    expect(rocPoints(y, s, 1)).toEqual([
      [0, 0],
      [0, 0.5],
      [0.5, 0.5],
      [0.5, 1],
      [1, 1],
    ]);
    // Ties share one threshold: a diagonal step, not a staircase.
    expect(rocPoints([1, 0], [0.5, 0.5], 1)).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(rocPoints([1, 1], [0.2, 0.3], 1)).toEqual([]);
  });

  it('gives one curve for binary and one per class for multiclass, with the metric’s AUC', () => {
    const y = Float64Array.from([0, 1, 2, 1, 0, 2]);
    const proba = Float64Array.from([0.7, 0.2, 0.1, 0.2, 0.5, 0.3, 0.1, 0.1, 0.8, 0.3, 0.4, 0.3, 0.5, 0.3, 0.2, 0.2, 0.3, 0.5]);
    const curves = rocCurves(y, proba, ['a', 'b', 'c']);
    expect(curves.map((c) => c.label)).toEqual(['a', 'b', 'c']);
    const scoresB = Array.from({ length: 6 }, (_, i) => proba[i * 3 + 1]);
    expect(curves[1].auc).toBeCloseTo(binaryAuc(y, scoresB, 1), 12);
    const binary = rocCurves(Float64Array.from([0, 1, 1]), Float64Array.from([0.8, 0.2, 0.3, 0.7, 0.4, 0.6]), ['no', 'yes']);
    expect(binary).toHaveLength(1);
    expect(binary[0].label).toBe('yes');
    expect(binary[0].auc).toBe(1);
  });

  it('thins long curves keeping both ends', () => {
    const pts = Array.from({ length: 1001 }, (_, i) => i);
    const out = thin(pts, 200);
    expect(out).toHaveLength(200);
    expect(out[0]).toBe(0);
    expect(out[199]).toBe(1000);
    expect(thin([1, 2, 3], 200)).toEqual([1, 2, 3]);
  });
});

describe('regressionPoints', () => {
  it('keeps every row of a small test split and samples a large one evenly', () => {
    const small = regressionPoints(Float64Array.from([1, 2, 3]), Float64Array.from([1.5, 2, 2.5]));
    expect(small).toEqual({
      total: 3,
      points: [
        { actual: 1, predicted: 1.5 },
        { actual: 2, predicted: 2 },
        { actual: 3, predicted: 2.5 },
      ],
    });
    const n = 6000;
    const big = regressionPoints(
      Float64Array.from({ length: n }, (_, i) => i),
      Float64Array.from({ length: n }, (_, i) => 2 * i),
    );
    expect(big.total).toBe(n);
    expect(big.points.length).toBe(1500);
    expect(big.points.every((p) => p.predicted === 2 * p.actual)).toBe(true);
  });
});
