/** Sign constraints in the linear family (sign_cst): the monotonic effect of a numeric input. */
import { describe, expect, it } from 'vitest';
import { LinearEstimator } from '../../../src/core/models/linear/index.ts';
import { linearData } from '../../helpers/synthetic.ts';
import { useWasmBackend } from './tf-setup.ts';

useWasmBackend();

describe('linear sign constraints', () => {
  it('keeps a constrained coefficient on its side (0 where the data say otherwise) and leaves the others free', async () => {
    // True coefficients 2, −3, 0.5 on x0, x1, x2.
    const { X, y } = linearData(400, [2, -3, 0.5], 10, 0.1, 1);
    const names = X.features.map((f) => f.name);
    const est = new LinearEstimator('regression', { alpha: 1e-6, tol: 1e-6, sign_cst: `${names[1]}:1,${names[0]}:1` });
    await est.fit(X, y, 0);
    const { coef } = est.coefficients();
    // (x0 absorbs a little of what x1 may no longer explain.)
    expect(Math.abs(coef[0] - 2)).toBeLessThan(0.2);
    // x1 pulls down but may not: its coefficient sits at the bound.
    expect(coef[1]).toBe(0);
    expect(coef[2]).toBeGreaterThan(0);
    const decreasing = new LinearEstimator('regression', { alpha: 1e-6, tol: 1e-6, sign_cst: `${names[0]}:-1` });
    await decreasing.fit(X, y, 0);
    expect(decreasing.coefficients().coef[0]).toBe(0);
    expect(Math.abs(decreasing.coefficients().coef[1] + 3)).toBeLessThan(0.2);
  });

  it('refuses a multiclass task', async () => {
    const { X } = linearData(60, [1, 1], 0, 0.1, 3);
    const y = Float64Array.from({ length: 60 }, (_, i) => i % 3);
    await expect(new LinearEstimator('multiclass', { sign_cst: `${X.features[0].name}:1` }).fit(X, y, 3)).rejects.toThrow(/binary classification only/);
  });
});
