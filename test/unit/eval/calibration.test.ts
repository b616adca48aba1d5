import { describe, expect, it } from 'vitest';
import {
  applyCalibration,
  chooseCalibration,
  expectedCalibrationError,
  fitCalibrator,
  fitPlatt,
  isotonicFit,
  isotonicPredict,
  reliability,
} from '../../../src/core/eval/calibration.ts';
import { logLoss } from '../../../src/core/eval/metrics.ts';
import { Rng } from '../../../src/core/util/random.ts';

const X = [0.05, 0.1, 0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 0.55, 0.6, 0.7, 0.7, 0.8, 0.9, 0.95];
const Y = [0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1];
const Q = [0, 0.05, 0.08, 0.1, 0.15, 0.25, 0.33, 0.45, 0.52, 0.58, 0.65, 0.7, 0.75, 0.85, 0.97, 1];

describe('isotonic calibration', () => {
  it('matches scikit-learn IsotonicRegression on fixed arrays', () => {
    // Expected values produced once with scikit-learn 1.2.1 (/usr/bin/python3):
    //   IsotonicRegression(out_of_bounds='clip', y_min=0, y_max=1).fit(X, Y).predict(Q)
    const expected = [
      0.0, 0.0, 0.19999999999999998, 0.3333333333333333, 0.3333333333333333, 0.3333333333333333, 0.3333333333333333, 0.41666666666666663, 0.5,
      0.5999999999999999, 0.6666666666666666, 0.6666666666666666, 0.8333333333333333, 1.0, 1.0, 1.0,
    ];
    const curve = isotonicFit(X, Y);
    Q.forEach((q, i) => expect(isotonicPredict(curve, q)).toBeCloseTo(expected[i], 12));
  });

  it('matches scikit-learn with sample weights', () => {
    // Same as above with .fit(X, Y, sample_weight=W).
    const W = [1, 2, 1, 1, 3, 1, 1, 2, 1, 1, 1, 2, 1, 1, 1];
    const expected = [
      0.0, 0.0, 0.15, 0.25, 0.25, 0.4166666666666667, 0.5833333333333334, 0.5833333333333334, 0.5833333333333334, 0.5833333333333334, 0.5833333333333334,
      0.5833333333333334, 0.7916666666666667, 1.0, 1.0, 1.0,
    ];
    const curve = isotonicFit(X, Y, W);
    Q.forEach((q, i) => expect(isotonicPredict(curve, q)).toBeCloseTo(expected[i], 12));
  });

  it('keeps calibrated probabilities off 0 and 1 and rows summing to 1', () => {
    const proba = Float64Array.from(X.flatMap((p) => [1 - p, p]));
    const cal = fitCalibrator('isotonic', proba, Y, 2);
    const out = applyCalibration(cal, proba, 2);
    for (let i = 0; i < X.length; i++) {
      expect(out[i * 2] + out[i * 2 + 1]).toBeCloseTo(1, 12);
      expect(out[i * 2 + 1]).toBeGreaterThan(0);
      expect(out[i * 2 + 1]).toBeLessThan(1);
    }
  });
});

/** Scores that are systematically overconfident: the true probability is σ(z / 3) for a score σ(z). */
function overconfident(n: number, seed: number): { proba: Float64Array; y: Float64Array } {
  const rng = new Rng(seed);
  const proba = new Float64Array(n * 2);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const z = (rng.next() - 0.5) * 12;
    const p = 1 / (1 + Math.exp(-z));
    const truth = 1 / (1 + Math.exp(-z / 3));
    y[i] = rng.next() < truth ? 1 : 0;
    proba[i * 2] = 1 - p;
    proba[i * 2 + 1] = p;
  }
  return { proba, y };
}

describe('Platt scaling and the automatic choice', () => {
  it('recovers the slope of overconfident scores', () => {
    const { proba, y } = overconfident(20000, 3);
    const { a, b } = fitPlatt(
      Float64Array.from({ length: y.length }, (_, i) => proba[i * 2 + 1]),
      y,
    );
    expect(a).toBeGreaterThan(0.28);
    expect(a).toBeLessThan(0.39);
    expect(Math.abs(b)).toBeLessThan(0.1);
  });

  it('chooses a calibration that lowers log loss and ECE on fresh rows of overconfident scores', () => {
    const fit = overconfident(4000, 5);
    const fresh = overconfident(4000, 6);
    const { calibrator, logLoss: scores } = chooseCalibration(fit.proba, fit.y, 2, 'auto', 0);
    expect(calibrator.method).not.toBe('none');
    expect(scores.platt!).toBeLessThan(scores.none!);
    const after = applyCalibration(calibrator, fresh.proba, 2);
    expect(logLoss(fresh.y, after, 2)).toBeLessThan(logLoss(fresh.y, fresh.proba, 2) * 0.9);
    expect(expectedCalibrationError(after, fresh.y, 2)).toBeLessThan(expectedCalibrationError(fresh.proba, fresh.y, 2) / 2);
  });

  it('leaves well-calibrated scores alone', () => {
    const rng = new Rng(9);
    const n = 4000;
    const proba = new Float64Array(n * 2);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = rng.next();
      y[i] = rng.next() < p ? 1 : 0;
      proba[i * 2] = 1 - p;
      proba[i * 2 + 1] = p;
    }
    const { calibrator } = chooseCalibration(proba, y, 2);
    // Platt may find a near-identity map; isotonic's noise costs it log loss on the left-out fifths.
    if (calibrator.method === 'platt' && 'a' in calibrator) expect(Math.abs(calibrator.a - 1)).toBeLessThan(0.15);
    expect(calibrator.method).not.toBe('isotonic');
  });

  it('temperature scaling keeps every row summing to 1 and the argmax unchanged', () => {
    const proba = Float64Array.from([0.7, 0.2, 0.1, 0.1, 0.3, 0.6, 0.34, 0.33, 0.33]);
    const out = applyCalibration({ method: 'platt', temperature: 2 }, proba, 3);
    for (let i = 0; i < 3; i++) {
      const row = [0, 1, 2].map((k) => out[i * 3 + k]);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(row.indexOf(Math.max(...row))).toBe([0, 2, 0][i]);
    }
    // softmax(log p / 2) for the first row: sqrt(p) renormalised.
    const s = Math.sqrt(0.7) + Math.sqrt(0.2) + Math.sqrt(0.1);
    expect(out[0]).toBeCloseTo(Math.sqrt(0.7) / s, 12);
  });
});

describe('reliability and ECE', () => {
  it('bins P(positive) against the share of positives', () => {
    const proba = Float64Array.from([0.95, 0.05, 0.85, 0.15, 0.15, 0.85, 0.05, 0.95].flatMap((q, i) => (i % 2 ? [] : [q, 1 - q])));
    // P(class 1) = 0.05, 0.15, 0.85, 0.95 → bins 0, 1, 8, 9.
    const y = [0, 1, 1, 1];
    const rel = reliability(proba, y, 2);
    expect(rel[0]).toMatchObject({ count: 1, observed: 0 });
    expect(rel[1]).toMatchObject({ count: 1, observed: 1 });
    expect(rel[8].count + rel[9].count).toBe(2);
    // |0 − .05| + |1 − .15| + |1 − .85| + |1 − .95|, over 4.
    expect(expectedCalibrationError(proba, y, 2)).toBeCloseTo((0.05 + 0.85 + 0.15 + 0.05) / 4, 12);
  });
});
