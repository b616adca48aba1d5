import { describe, expect, it } from 'vitest';
import { createLoss, expFast, weightedMedian, type LossName } from '../../../src/core/models/gbdt/loss.ts';
import { Rng } from '../../../src/core/util/random.ts';

/** Total (not mean) weighted loss, from the mean the loss object reports. */
function total(name: LossName, K: number, y: Float64Array, raw: Float64Array, w: Float64Array): number {
  const loss = createLoss(name, K, true);
  const sw = w.reduce((a, b) => a + b, 0);
  return loss.loss(y, raw, w) * sw;
}

describe('gbdt losses', () => {
  const rng = new Rng(11);
  const n = 7;
  const w = Float64Array.from({ length: n }, () => 0.5 + rng.next());

  const cases: [LossName, number, () => number][] = [
    ['log_loss', 2, () => rng.int(2)],
    ['log_loss', 3, () => rng.int(3)],
    ['squared_error', 1, () => rng.normal() * 3],
  ];
  for (const [name, K, draw] of cases) {
    it(`${name} (K=${K}): gradients and hessians match finite differences of the loss`, () => {
      const y = Float64Array.from({ length: n }, draw);
      const outputs = createLoss(name, K, true).nOutputs;
      const raw = Float64Array.from({ length: n * outputs }, () => rng.normal());
      const g = new Float64Array(n * outputs);
      const h = new Float64Array(n * outputs);
      createLoss(name, K, true).gradients(y, raw, w, g, h);
      const eps = 1e-5;
      for (let j = 0; j < raw.length; j++) {
        const plus = raw.slice();
        const minus = raw.slice();
        plus[j] += eps;
        minus[j] -= eps;
        const numGrad = (total(name, K, y, plus, w) - total(name, K, y, minus, w)) / (2 * eps);
        expect(g[j]).toBeCloseTo(numGrad, 6);
        // Hessian (diagonal) = derivative of the gradient.
        const gp = new Float64Array(n * outputs);
        const gm = new Float64Array(n * outputs);
        const scratch = new Float64Array(n * outputs);
        createLoss(name, K, true).gradients(y, plus, w, gp, scratch);
        createLoss(name, K, true).gradients(y, minus, w, gm, scratch);
        expect(h[j]).toBeCloseTo((gp[j] - gm[j]) / (2 * eps), 5);
      }
    });
  }

  it('absolute_error: gradient is the weighted sign of the residual', () => {
    const y = Float64Array.of(1, 2, 3);
    const raw = Float64Array.of(2, 2, 0);
    const g = new Float64Array(3);
    const h = new Float64Array(3);
    createLoss('absolute_error', 1, true).gradients(y, raw, Float64Array.of(2, 1, 3), g, h);
    expect(Array.from(g)).toEqual([2, 0, -3]);
    expect(Array.from(h)).toEqual([2, 1, 3]);
  });

  it('baselines: log-odds, centred log priors, mean, median', () => {
    const yb = Float64Array.of(1, 0, 0, 0);
    expect(createLoss('log_loss', 2, false).baseline(yb, null)[0]).toBeCloseTo(Math.log(1 / 3), 12);
    const wb = Float64Array.of(3, 1, 1, 1);
    expect(createLoss('log_loss', 2, true).baseline(yb, wb)[0]).toBeCloseTo(0, 12);
    const ym = Float64Array.of(0, 1, 1, 2, 2, 2);
    const bm = createLoss('log_loss', 3, false).baseline(ym, null);
    const softmax = Array.from(bm, (v) => Math.exp(v));
    const s = softmax.reduce((a, b) => a + b, 0);
    expect(softmax.map((v) => v / s)).toEqual([1 / 6, 2 / 6, 3 / 6].map((v) => expect.closeTo(v, 12)));
    expect(bm.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
    expect(createLoss('squared_error', 1, false).baseline(Float64Array.of(1, 2, 6), null)[0]).toBe(3);
    expect(createLoss('absolute_error', 1, false).baseline(Float64Array.of(1, 2, 60), null)[0]).toBe(2);
  });

  it('weighted median: the first value whose cumulative weight reaches half', () => {
    const v = Float64Array.of(5, 1, 3, 100);
    const rows = Int32Array.of(0, 1, 2, 3);
    expect(weightedMedian(v, Float64Array.of(1, 1, 1, 10), rows, 0, 4, new Float64Array(4))).toBe(100);
    expect(weightedMedian(v, Float64Array.of(1, 5, 1, 1), rows, 0, 4, new Float64Array(4))).toBe(1);
  });

  it('expFast agrees with Math.exp to ~1e-14 relative error over the whole range', () => {
    let worst = 0;
    for (let i = 0; i <= 200000; i++) {
      const x = -745 + (1455 * i) / 200000;
      const ref = Math.exp(x);
      const got = expFast(x);
      if (ref === 0 || !Number.isFinite(ref)) expect(got).toBe(ref);
      else worst = Math.max(worst, Math.abs(got - ref) / ref);
    }
    expect(worst).toBeLessThan(1e-14);
    expect(Number.isNaN(expFast(NaN))).toBe(true);
  });
});
