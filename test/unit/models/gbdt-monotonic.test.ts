/**
 * Monotonic constraints in the GBDT (split and leaf-value constraints, as scikit-learn's monotonic_cst):
 * on data whose true effect of x is non-monotonic (sin), a constrained model's predictions never fall
 * (or rise) along a 100-point grid of x, for every row's individual-conditional-expectation curve,
 * while the unconstrained model's do — so the check can fail.
 */
import { describe, expect, it } from 'vitest';
import { GbdtEstimator } from '../../../src/core/models/gbdt/index.ts';
import { boundedScore, childBounds, monotonicFor } from '../../../src/core/models/gbdt/monotonic.ts';
import type { FeatureMatrix } from '../../../src/core/prep/matrix.ts';
import { Rng } from '../../../src/core/util/random.ts';
import { matrix } from './tree-fixtures.ts';

/** y = sin(3x) + x/2 + z + noise: rising overall in x, with dips; z a free second input, w categorical. */
function wavy(n: number, seed: number): { X: FeatureMatrix; y: Float64Array; x: Float64Array; z: Float64Array; w: Float64Array } {
  const rng = new Rng(seed);
  const x = Float64Array.from({ length: n }, () => rng.next() * 4 - 2);
  const z = Float64Array.from({ length: n }, () => rng.next() * 2 - 1);
  const w = Float64Array.from({ length: n }, () => rng.int(3));
  const y = Float64Array.from({ length: n }, (_, i) => Math.sin(3 * x[i]) + x[i] / 2 + z[i] + (w[i] - 1) * 0.5 + 0.1 * (rng.next() - 0.5));
  return {
    X: matrix([
      ['x', x],
      ['z', z],
      ['w', w, 3],
    ]),
    y,
    x,
    z,
    w,
  };
}

/** Largest drop (for +1) along each row's ICE curve over a 100-point grid of x, and the violations counted. */
async function iceViolations(est: GbdtEstimator, data: ReturnType<typeof wavy>, rows: number, dir: 1 | -1, proba = false): Promise<number> {
  const grid = Array.from({ length: 100 }, (_, k) => -2 + (4 * k) / 99);
  let violations = 0;
  for (let r = 0; r < rows; r++) {
    const xs = Float64Array.from(grid);
    const X = matrix([
      ['x', xs],
      ['z', new Float64Array(100).fill(data.z[r])],
      ['w', new Float64Array(100).fill(data.w[r]), 3],
    ]);
    const p = proba ? await est.predictProba(X) : await est.predict(X);
    const v = proba ? Float64Array.from({ length: 100 }, (_, k) => p[2 * k + 1]) : p;
    for (let k = 1; k < 100; k++) if (dir * (v[k] - v[k - 1]) < -1e-12) violations++;
  }
  return violations;
}

describe('gbdt monotonic constraints', () => {
  it('regression: 0 violations on every ICE curve when x is constrained increasing; many without', async () => {
    const data = wavy(3000, 1);
    const free = new GbdtEstimator('regression', { max_iter: 60, early_stopping: false });
    await free.fit(data.X, data.y, 0, { seed: 1 });
    expect(await iceViolations(free, data, 50, 1)).toBeGreaterThan(100);
    const mono = new GbdtEstimator('regression', { max_iter: 60, early_stopping: false, monotonic_cst: 'x:1' });
    await mono.fit(data.X, data.y, 0, { seed: 1 });
    expect(await iceViolations(mono, data, 200, 1)).toBe(0);
    // Still a useful model: it follows the rising trend and z.
    const pred = await mono.predict(data.X);
    let sse = 0;
    let sst = 0;
    const mean = data.y.reduce((a, b) => a + b, 0) / data.y.length;
    for (let i = 0; i < data.y.length; i++) {
      sse += (data.y[i] - pred[i]) ** 2;
      sst += (data.y[i] - mean) ** 2;
    }
    expect(1 - sse / sst).toBeGreaterThan(0.5);
  });

  it('decreasing, and binary classification on the probability of class 1', async () => {
    const data = wavy(3000, 2);
    const neg = Float64Array.from(data.y, (v) => -v);
    const mono = new GbdtEstimator('regression', { max_iter: 40, early_stopping: false, monotonic_cst: 'x:-1' });
    await mono.fit(data.X, neg, 0, { seed: 2 });
    expect(await iceViolations(mono, data, 100, -1)).toBe(0);
    const yb = Float64Array.from(data.y, (v) => (v > 0 ? 1 : 0));
    const clf = new GbdtEstimator('binary', { max_iter: 40, early_stopping: false, monotonic_cst: 'x:1' });
    await clf.fit(data.X, yb, 2, { seed: 2 });
    expect(await iceViolations(clf, data, 100, 1, true)).toBe(0);
  });

  it('refuses a constraint on a categorical input and on a multiclass task', async () => {
    const data = wavy(300, 3);
    await expect(new GbdtEstimator('regression', { max_iter: 2, monotonic_cst: 'w:1' }).fit(data.X, data.y, 0)).rejects.toThrow(/categorical/);
    const y3 = Float64Array.from(data.y, (v) => (v > 0.5 ? 2 : v > -0.5 ? 1 : 0));
    await expect(new GbdtEstimator('multiclass', { max_iter: 2, monotonic_cst: 'x:1' }).fit(data.X, y3, 3)).rejects.toThrow(/binary classification only/);
  });

  it('helpers: bounds, bounded score, parsing', () => {
    expect(childBounds(1, -Infinity, Infinity, -1, 3)).toEqual({ left: [-Infinity, 1], right: [1, Infinity] });
    expect(childBounds(-1, 0, 10, 4, 2)).toEqual({ left: [3, 10], right: [0, 3] });
    // Unbounded: G²/(H+l2); bounded at v = 1 instead of 2: −(2·(−4)·1 + 2·1) = 6 < 8.
    expect(boundedScore(-4, 2, 0, -Infinity, Infinity)).toBeCloseTo(8, 9);
    expect(boundedScore(-4, 2, 0, -Infinity, 1)).toBeCloseTo(6, 9);
    expect(Array.from(monotonicFor('b:-1,a:1', ['a', 'b', 'c'])!)).toEqual([1, -1, 0]);
    expect(monotonicFor('zzz:1', ['a'])).toBeNull();
    expect(() => monotonicFor('a:2', ['a'])).toThrow(/monotonic_cst/);
  });
});
