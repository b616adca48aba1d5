import { describe, expect, it } from 'vitest';
import { accuracy, rmse } from '../../../src/core/eval/metrics.ts';
import {
  hanleyMcNeilVariance,
  mixedRolloutIsExact,
  mixedRolloutMetric,
  sampleSizeAuc,
  sampleSizeForMetric,
  sampleSizeMeans,
  sampleSizeTwoProportions,
} from '../../../src/core/eval/power.ts';
import { Rng } from '../../../src/core/util/random.ts';

describe('sample size: proportions', () => {
  it('textbook: 0.6 vs 0.8, α 0.05, power 0.8 → 82 per group (Fleiss, no continuity correction)', () => {
    // [1.96 √(2·0.7·0.3) + 0.8416 √(0.24 + 0.16)]² / 0.2² = 81.2 → 82.
    expect(sampleSizeTwoProportions(0.6, 0.8)).toBe(82);
    expect(sampleSizeTwoProportions(0.8, 0.6)).toBe(82);
  });

  it('more power or a smaller α needs more rows; equal proportions need infinitely many', () => {
    expect(sampleSizeTwoProportions(0.81, 0.87, { power: 0.9 })).toBeGreaterThan(sampleSizeTwoProportions(0.81, 0.87));
    expect(sampleSizeTwoProportions(0.81, 0.87, { alpha: 0.01 })).toBeGreaterThan(sampleSizeTwoProportions(0.81, 0.87));
    expect(sampleSizeTwoProportions(0.5, 0.5)).toBe(Infinity);
    expect(() => sampleSizeTwoProportions(1.2, 0.5)).toThrow(/\[0, 1\]/);
  });
});

describe('sample size: means', () => {
  it('textbook: Δ = 0.5 σ needs 63 per group (two-sample), 32 pairs (paired)', () => {
    // 2 (1.96 + 0.8416)² / 0.25 = 62.8; paired: 31.4.
    expect(sampleSizeMeans({ diff: 0.5, sd: 1 })).toBe(63);
    expect(sampleSizeMeans({ diff: -5, sd: 10, paired: true })).toBe(32);
  });
});

describe('sample size: AUC (Hanley–McNeil)', () => {
  it('variance formula by hand: A = 0.9, 50 + 50 rows', () => {
    const q1 = 0.9 / 1.1;
    const q2 = (2 * 0.81) / 1.9;
    const v = (0.9 * 0.1 + 49 * (q1 - 0.81) + 49 * (q2 - 0.81)) / 2500;
    expect(hanleyMcNeilVariance(0.9, 50, 50)).toBeCloseTo(v, 15);
    // SE ≈ 0.032 for A = 0.9 with 50 rows of each class.
    expect(Math.sqrt(v)).toBeCloseTo(0.032, 3);
  });

  it('returns the smallest n that reaches the power', () => {
    const opts = { auc1: 0.85, auc2: 0.8, prevalence: 0.3 };
    const n = sampleSizeAuc(opts);
    const lhs = (m: number): number => {
      const v0 = hanleyMcNeilVariance(0.825, 0.3 * m, 0.7 * m);
      const v1 = hanleyMcNeilVariance(0.85, 0.3 * m, 0.7 * m) + hanleyMcNeilVariance(0.8, 0.3 * m, 0.7 * m);
      return 1.959963984540054 * Math.sqrt(2 * v0) + 0.8416212335729143 * Math.sqrt(v1);
    };
    expect(lhs(n)).toBeLessThanOrEqual(0.05 + 1e-12);
    expect(lhs(n - 1)).toBeGreaterThan(0.05);
    expect(n).toBeGreaterThan(500);
    expect(sampleSizeAuc({ ...opts, auc1: 0.95 })).toBeLessThan(n);
  });
});

describe('sampleSizeForMetric', () => {
  it('picks the formula for the metric', () => {
    expect(sampleSizeForMetric({ metric: 'accuracy', modelValue: 0.8, baselineValue: 0.6 })).toMatchObject({ perArm: 82, method: 'two-proportion z-test' });
    expect(sampleSizeForMetric({ metric: 'roc_auc', modelValue: 0.85, baselineValue: 0.8, prevalence: 0.3 }).method).toBe('Hanley–McNeil AUC');
    expect(sampleSizeForMetric({ metric: 'mae', modelValue: 3, baselineValue: 3.5, lossSd: 1 }).perArm).toBe(63);
    // RMSE compares mean squared errors: 2² − 3² = −5 with SD 10 → 2 · 100 · 7.849 / 25 → 63.
    expect(sampleSizeForMetric({ metric: 'rmse', modelValue: 2, baselineValue: 3, lossSd: 10 }).perArm).toBe(63);
    expect(() => sampleSizeForMetric({ metric: 'roc_auc', modelValue: 0.9, baselineValue: 0.8 })).toThrow(/prevalence/);
    expect(() => sampleSizeForMetric({ metric: 'log_loss', modelValue: 0.3, baselineValue: 0.4 })).toThrow(/lossSd/);
  });
});

describe('mixedRolloutMetric', () => {
  it('linear for accuracy-type and mean-error metrics', () => {
    expect(mixedRolloutMetric(0, 0.9, 0.8)).toBe(0.8);
    expect(mixedRolloutMetric(1, 0.9, 0.8)).toBe(0.9);
    expect(mixedRolloutMetric(0.25, 0.9, 0.8, 'mae')).toBeCloseTo(0.825, 15);
    expect(() => mixedRolloutMetric(1.5, 1, 1)).toThrow(/between 0 and 1/);
    expect(mixedRolloutIsExact('accuracy')).toBe(true);
    expect(mixedRolloutIsExact('roc_auc')).toBe(false);
  });

  it('matches a simulated rollout (accuracy and RMSE)', () => {
    const rng = new Rng(9);
    const n = 200_000;
    const split = 0.3;
    const y = Float64Array.from({ length: n }, () => rng.int(2));
    const modelRight = 0.9;
    const baseRight = 0.75;
    const yr = Float64Array.from({ length: n }, () => rng.normal() * 5);
    const mixedLabels = new Float64Array(n);
    const mixedValues = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const toModel = rng.next() < split;
      mixedLabels[i] = rng.next() < (toModel ? modelRight : baseRight) ? y[i] : 1 - y[i];
      mixedValues[i] = yr[i] + rng.normal() * (toModel ? 1 : 3);
    }
    expect(accuracy(y, mixedLabels)).toBeCloseTo(mixedRolloutMetric(split, modelRight, baseRight), 2);
    expect(rmse(yr, mixedValues)).toBeCloseTo(mixedRolloutMetric(split, 1, 3, 'rmse'), 2);
  });
});
