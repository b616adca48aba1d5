import { describe, expect, it } from 'vitest';
import {
  delongTest,
  mcnemar,
  mcnemarFromCounts,
  metricCi,
  midranks,
  pairedBootstrap,
  pairedTTest,
  wilcoxonSignedRank,
  type WilcoxonOptions,
} from '../../../src/core/eval/significance.ts';
import { binaryAuc } from '../../../src/core/eval/metrics.ts';
import { Rng } from '../../../src/core/util/random.ts';
import { sigRef } from './fixtures/scipyReference.ts';

// Reference values: SciPy 1.10.1 and an independent O(m·n) NumPy DeLong (fixtures/scipy_reference.py).

describe('McNemar', () => {
  it('matches exact binomial / continuity-corrected chi-square references', () => {
    for (const [b, c, stat, p] of sigRef.mcnemar) {
      const r = mcnemarFromCounts(b, c);
      expect(r.exact).toBe(b + c < 25);
      expect(r.statistic).toBeCloseTo(stat, 12);
      expect(r.pValue).toBeCloseTo(p, 13);
      expect(Math.abs(r.pValue - p) / p).toBeLessThan(1e-12);
    }
  });

  it('textbook table: b = 10, c = 2 gives exact p = 0.0386', () => {
    // 2 · P(X ≤ 2), X ~ Bin(12, ½) = 2 · 79 / 4096.
    expect(mcnemarFromCounts(10, 2).pValue).toBeCloseTo((2 * 79) / 4096, 15);
  });

  it('counts discordant rows from labels', () => {
    const y = [1, 0, 1, 1, 0, 0, 1, 0];
    const a = [1, 0, 1, 0, 0, 1, 1, 0]; // right on rows 0,1,2,4,6,7
    const b = [0, 0, 1, 1, 1, 1, 0, 0]; // right on rows 1,2,3,7
    const r = mcnemar(y, a, b);
    expect([r.b, r.c]).toEqual([3, 1]); // A only: 0,4,6; B only: 3
    expect(r.pValue).toBeCloseTo(0.625, 14); // 2 · P(X ≤ 1), X ~ Bin(4, ½) = 2 · 5/16
  });

  it('rejects bad counts and mismatched lengths', () => {
    expect(() => mcnemarFromCounts(-1, 2)).toThrow(/whole numbers/);
    expect(() => mcnemar([1, 0], [1], [0, 1])).toThrow(/same number of rows/);
  });
});

describe('DeLong', () => {
  for (const key of ['delong', 'delong2'] as const) {
    it(`matches an independent O(m·n) implementation (${key})`, () => {
      const ref = sigRef[key];
      const r = delongTest(ref.y, ref.s1, ref.s2);
      expect(r.auc1).toBeCloseTo(ref.auc1, 14);
      expect(r.auc2).toBeCloseTo(ref.auc2, 14);
      expect(r.se).toBeCloseTo(ref.se, 13);
      expect(r.z).toBeCloseTo(ref.z, 12);
      expect(r.pValue).toBeCloseTo(ref.p, 12);
      // The AUCs equal the metrics module's.
      expect(r.auc1).toBeCloseTo(binaryAuc(ref.y, ref.s1), 14);
    });
  }

  it('hand-checked tiny example', () => {
    // Positives score 0.9, 0.6; negatives 0.7, 0.1. Model 1: AUC 3/4. Model 2 ranks perfectly: AUC 1.
    const y = [1, 1, 0, 0];
    const r = delongTest(y, [0.9, 0.6, 0.7, 0.1], [0.9, 0.8, 0.7, 0.1]);
    expect(r.auc1).toBe(0.75);
    expect(r.auc2).toBe(1);
    // Components: V10 diff = [0, −0.5] (var 0.125), V01 diff = [−0.5, 0] (var 0.125):
    // se = √(0.125/2 + 0.125/2) = √0.125, z = −0.25 / √0.125 = −1/√2.
    expect(r.se).toBeCloseTo(Math.sqrt(0.125), 15);
    expect(r.z).toBeCloseTo(-Math.SQRT1_2, 15);
  });

  it('identical scores: no difference, p = 1', () => {
    const r = delongTest([0, 1, 0, 1, 1], [0.1, 0.8, 0.3, 0.2, 0.9], [0.1, 0.8, 0.3, 0.2, 0.9]);
    expect(r.diff).toBe(0);
    expect(r.pValue).toBe(1);
  });

  it('needs both classes', () => {
    expect(() => delongTest([1, 1], [0.2, 0.3], [0.1, 0.2])).toThrow(/both classes/);
  });
});

describe('paired t-test', () => {
  it('matches scipy.stats.ttest_rel and its t interval', () => {
    const { a, b, t, p, lo, hi } = sigRef.ttest;
    const r = pairedTTest(a, b);
    expect(r.t).toBeCloseTo(t, 12);
    expect(r.pValue).toBeCloseTo(p, 14);
    expect(r.ci[0]).toBeCloseTo(lo, 12);
    expect(r.ci[1]).toBeCloseTo(hi, 12);
    expect(r.df).toBe(a.length - 1);
  });

  it('constant differences: p = 0, identical inputs: p = 1', () => {
    expect(pairedTTest([1, 2, 3], [0, 1, 2]).pValue).toBe(0);
    expect(pairedTTest([1, 2, 3], [1, 2, 3]).pValue).toBe(1);
    expect(() => pairedTTest([1], [2])).toThrow(/at least 2/);
  });
});

describe('Wilcoxon signed-rank', () => {
  const options: Record<string, WilcoxonOptions> = {
    corn_exact: {},
    corn_approx: { exactMaxN: 0 },
    corn_approx_cc: { exactMaxN: 0, correction: true },
    small_exact: {},
    ties_wilcox: {},
    ties_pratt: { zeroMethod: 'pratt' },
    ties_wilcox_cc: { correction: true },
    big: {},
  };
  for (const [name, [d, stat, p]] of Object.entries(sigRef.wilcoxon)) {
    it(`matches scipy.stats.wilcoxon (${name})`, () => {
      const r = wilcoxonSignedRank(d, new Float64Array(d.length), options[name]);
      expect(r.statistic).toBe(stat);
      expect(r.pValue).toBeCloseTo(p, 13);
      expect(r.exact).toBe(name.endsWith('exact'));
    });
  }

  it('Wilcoxon 1945 corn example: exact p = 0.041259765625', () => {
    const d = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75];
    const r = wilcoxonSignedRank(d, new Float64Array(d.length));
    expect(r.wPlus).toBe(96);
    expect(r.wMinus).toBe(24);
    expect(r.pValue).toBe(0.041259765625);
  });

  it('all pairs equal: p = 1', () => {
    expect(wilcoxonSignedRank([1, 2], [1, 2]).pValue).toBe(1);
  });
});

describe('midranks', () => {
  it('averages tied ranks', () => {
    expect(Array.from(midranks([3, 1, 3, 2]))).toEqual([3.5, 1, 3.5, 2]);
  });
});

describe('paired bootstrap', () => {
  const meanOf = (x: Float64Array, idx: Int32Array): number => {
    let s = 0;
    for (let i = 0; i < idx.length; i++) s += x[idx[i]];
    return s / idx.length;
  };

  it('is reproducible for a seed and reports the full-sample estimates', () => {
    const rng = new Rng(1);
    const a = Float64Array.from({ length: 50 }, () => rng.normal());
    const b = Float64Array.from(a, (v) => v + 0.3 + 0.5 * rng.normal());
    const run = (seed: number) => pairedBootstrap({ n: 50, seed, statistic: (idx) => [meanOf(a, idx), meanOf(b, idx)] });
    const r1 = run(7);
    expect(run(7)).toEqual(r1);
    expect(run(8).diff.ci).not.toEqual(r1.diff.ci);
    expect(r1.a.estimate).toBeCloseTo(a.reduce((s, v) => s + v, 0) / 50, 14);
    expect(r1.resamples).toBe(2000);
    expect(r1.diff.ci[0]).toBeLessThan(r1.diff.estimate);
    expect(r1.diff.ci[1]).toBeGreaterThan(r1.diff.estimate);
  });

  it('95 % CI of a paired difference covers the true difference about 95 % of the time', () => {
    const sims = 200;
    const n = 80;
    const trueDiff = 0.25;
    let covered = 0;
    const rng = new Rng(2024);
    for (let s = 0; s < sims; s++) {
      const shared = Float64Array.from({ length: n }, () => rng.normal());
      const a = Float64Array.from(shared, (v) => v + trueDiff + 0.7 * rng.normal());
      const b = Float64Array.from(shared, (v) => v + 0.7 * rng.normal());
      const r = pairedBootstrap({ n, seed: s, resamples: 1000, statistic: (idx) => [meanOf(a, idx), meanOf(b, idx)] });
      if (r.diff.ci[0] <= trueDiff && trueDiff <= r.diff.ci[1]) covered++;
    }
    const coverage = covered / sims;
    expect(coverage).toBeGreaterThanOrEqual(0.9);
    expect(coverage).toBeLessThanOrEqual(0.99);
  });

  it('p-value: small for a clear difference, 1 for identical statistics, and never exactly 0', () => {
    const rng = new Rng(3);
    const a = Float64Array.from({ length: 200 }, () => rng.normal() + 1);
    const b = Float64Array.from({ length: 200 }, () => rng.normal());
    const clear = pairedBootstrap({ n: 200, seed: 1, statistic: (idx) => [meanOf(a, idx), meanOf(b, idx)] });
    expect(clear.pValue).toBeGreaterThan(0);
    expect(clear.pValue).toBeLessThan(0.002);
    const same = pairedBootstrap({ n: 200, seed: 1, statistic: (idx) => [meanOf(a, idx), meanOf(a, idx)] });
    expect(same.pValue).toBe(1);
  });

  it('agrees with the paired t-test on a moderate difference', () => {
    const rng = new Rng(11);
    const n = 150;
    const a = Float64Array.from({ length: n }, () => rng.normal());
    const b = Float64Array.from(a, (v) => v - 0.15 + rng.normal());
    const boot = pairedBootstrap({ n, seed: 5, resamples: 4000, statistic: (idx) => [meanOf(a, idx), meanOf(b, idx)] });
    const t = pairedTTest(a, b);
    expect(Math.abs(boot.pValue - t.pValue)).toBeLessThan(0.03);
    expect(boot.diff.ci[0]).toBeCloseTo(t.ci[0], 1);
    expect(boot.diff.ci[1]).toBeCloseTo(t.ci[1], 1);
  });

  it('skips resamples where the statistic is NaN', () => {
    const r = pairedBootstrap({ n: 5, seed: 1, resamples: 100, statistic: (idx) => (idx[0] === 0 ? [NaN, 0] : [1, 0]) });
    expect(r.skipped).toBeGreaterThan(0);
    expect(r.resamples + r.skipped).toBe(100);
  });

  it('metricCi gives one statistic its interval', () => {
    const rng = new Rng(4);
    const x = Float64Array.from({ length: 400 }, () => rng.normal() * 2 + 5);
    const r = metricCi({ n: 400, seed: 9, statistic: (idx) => meanOf(x, idx) });
    // Normal theory: mean ± 1.96 · 2 / √400 = ± 0.196.
    expect(r.ci[1] - r.ci[0]).toBeGreaterThan(0.33);
    expect(r.ci[1] - r.ci[0]).toBeLessThan(0.46);
    expect(r.ci[0]).toBeLessThan(r.estimate);
    expect(() => metricCi({ n: 0, seed: 1, statistic: () => 0 })).toThrow(/at least one row/);
  });
});
