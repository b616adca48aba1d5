import { describe, expect, it } from 'vitest';
import type { Prediction } from '../../../src/core/eval/metrics.ts';
import { partialDependence, quantileGrid } from '../../../src/core/explain/partial-dependence.ts';
import { Rng } from '../../../src/core/util/random.ts';

describe('partialDependence', () => {
  const rng = new Rng(1);
  const n = 1000;
  const x0 = Float64Array.from({ length: n }, () => rng.uniform(0, 10));
  const x1 = Float64Array.from({ length: n }, () => rng.normal());
  const city = Float64Array.from({ length: n }, () => rng.int(3));
  // f = 2·x0 + x1² + 5·[city = 2]
  const predict = async (cols: Float64Array[]): Promise<Prediction> => ({
    values: Float64Array.from({ length: cols[0].length }, (_, i) => 2 * cols[0][i] + cols[1][i] ** 2 + (cols[2][i] === 2 ? 5 : 0)),
  });

  it('an additive model: PD(x0) = 2·g + the mean of the other terms over the sampled rows', async () => {
    const pd = await partialDependence({ predict, columns: [x0, x1, city], feature: 0, names: ['x0', 'x1', 'city'], sampleRows: n, seed: 1 });
    expect(pd.feature).toBe('x0');
    expect(pd.grid).toHaveLength(20);
    let rest = 0;
    for (let i = 0; i < n; i++) rest += x1[i] ** 2 + (city[i] === 2 ? 5 : 0);
    rest /= n;
    pd.grid.forEach((g, k) => expect(pd.values[k]).toBeCloseTo(2 * g + rest, 10));
    // Grid: quantiles from the 5th to the 95th percentile, increasing.
    expect(pd.grid[0]).toBeGreaterThan(0.2);
    expect(pd.grid[19]).toBeLessThan(9.8);
    for (let k = 1; k < 20; k++) expect(pd.grid[k]).toBeGreaterThan(pd.grid[k - 1]);
  });

  it('categorical column: one point per level; row sampling is seeded', async () => {
    const pd = await partialDependence({ predict, columns: [x0, x1, city], feature: 2, categorical: true, sampleRows: 200, seed: 2 });
    expect(pd.grid).toEqual([0, 1, 2]);
    expect(pd.values[2] - pd.values[0]).toBeCloseTo(5, 10);
    expect(pd.values[1]).toBeCloseTo(pd.values[0], 10);
    const again = await partialDependence({ predict, columns: [x0, x1, city], feature: 2, categorical: true, sampleRows: 200, seed: 2 });
    expect(again).toEqual(pd);
  });

  it('classification: the positive-class probability', async () => {
    const proba = async (cols: Float64Array[]): Promise<Prediction> => {
      const m = cols[0].length;
      const p = new Float64Array(2 * m);
      for (let i = 0; i < m; i++) {
        p[2 * i + 1] = cols[0][i] > 5 ? 0.9 : 0.2;
        p[2 * i] = 1 - p[2 * i + 1];
      }
      return { values: new Float64Array(m), proba: p };
    };
    const pd = await partialDependence({ predict: proba, columns: [x0], feature: 0, grid: [1, 9], nClasses: 2 });
    expect(pd.values[0]).toBeCloseTo(0.2, 12);
    expect(pd.values[1]).toBeCloseTo(0.9, 12);
    expect(pd.targetClass).toBe(1);
  });

  it('quantile grid: few distinct values are used as they are; missing values are ignored', () => {
    expect(quantileGrid(Float64Array.from([3, 1, NaN, 1, 2]), 20)).toEqual([1, 2, 3]);
    expect(quantileGrid(Float64Array.from([NaN]), 20)).toEqual([]);
  });

  it('rejects a feature index that is not a column', async () => {
    await expect(partialDependence({ predict, columns: [x0], feature: 3 })).rejects.toThrow(/feature index 3 is not a column/);
  });
});
