/**
 * The GBDT's quantile (pinball) loss: its gradients, its percentile baseline, and a fitted model whose
 * predictions are the asked-for quantile of a noise that grows with x (so the share of rows below the
 * prediction is alpha everywhere, not only on average).
 */
import { describe, expect, it } from 'vitest';
import { createLoss, weightedPercentile } from '../../../src/core/models/gbdt/loss.ts';
import { GbdtEstimator, readGbdtParams } from '../../../src/core/models/gbdt/index.ts';
import { matrix } from '../../helpers/synthetic.ts';
import { Rng } from '../../../src/core/util/random.ts';

describe('quantile loss', () => {
  it('pinball loss, its gradients and its percentile baseline on a hand-built example', () => {
    const loss = createLoss('quantile', 1, false, 0.9);
    const y = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    // The 0.9 percentile: the smallest value with cumulative weight ≥ 9 of 10 → 9.
    expect([...loss.baseline(y, null)]).toEqual([9]);
    const raw = new Float64Array(10).fill(5);
    // Below 5: 0.1·(5 − y) for y < 5 = 0.1·10 = 1; above: 0.9·(y − 5) = 0.9·15 = 13.5; mean 1.45.
    expect(loss.loss(y, raw, null)).toBeCloseTo(1.45, 12);
    const g = new Float64Array(10);
    const h = new Float64Array(10);
    loss.gradients(y, raw, null, g, h);
    // Prediction above y: 1 − alpha; equal: 0; below: −alpha.
    expect([...g]).toEqual([...new Array(4).fill(1 - 0.9), 0, ...new Array(5).fill(-0.9)]);
    expect([...h]).toEqual(new Array(10).fill(1));
    expect(
      weightedPercentile(
        y,
        Float64Array.from(y, (_, i) => (i === 9 ? 10 : 1)),
        Int32Array.from(y, (_, i) => i),
        0,
        10,
        0.5,
      ),
    ).toBe(10);
  });

  it('fits the 10 % and 90 % quantiles of heteroscedastic noise, and refuses a quantile outside (0, 1)', async () => {
    const rng = new Rng(4);
    const draw = (n: number) => {
      const x = Array.from({ length: n }, () => rng.uniform(0, 10));
      const y = Float64Array.from(x, (v) => v + (0.2 + 0.3 * v) * rng.normal());
      return { X: matrix([x]), x, y };
    };
    const train = draw(4000);
    const test = draw(4000);
    for (const alpha of [0.1, 0.9]) {
      const est = new GbdtEstimator('regression', { loss: 'quantile', quantile: alpha, max_iter: 120, early_stopping: false, learning_rate: 0.1 });
      await est.fit(train.X, train.y, 0, { seed: 1 });
      const q = await est.predict(test.X);
      const below = (keep: (x: number) => boolean) => {
        const idx = test.x.map((v, i) => (keep(v) ? i : -1)).filter((i) => i >= 0);
        return idx.filter((i) => test.y[i] <= q[i]).length / idx.length;
      };
      expect(below(() => true)).toBeGreaterThan(alpha - 0.03);
      expect(below(() => true)).toBeLessThan(alpha + 0.03);
      // Where the noise is small and where it is large alike.
      expect(Math.abs(below((v) => v < 3) - alpha)).toBeLessThan(0.05);
      expect(Math.abs(below((v) => v > 7) - alpha)).toBeLessThan(0.05);
    }
    expect(() => readGbdtParams('regression', { loss: 'quantile', quantile: 1 })).toThrow(/quantile/);
    expect(() => readGbdtParams('binary', { loss: 'quantile' })).toThrow(/loss/);
    expect(readGbdtParams('regression', { loss: 'quantile', quantile: 0.05 })).toMatchObject({ loss: 'quantile', quantile: 0.05 });
  });
});
