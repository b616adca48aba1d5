import { describe, expect, it } from 'vitest';
import type { Prediction } from '../../../src/core/eval/metrics.ts';
import { permutationImportance } from '../../../src/core/explain/permutation-importance.ts';
import { GbdtEstimator } from '../../../src/core/models/gbdt/index.ts';
import type { FeatureMatrix } from '../../../src/core/prep/matrix.ts';
import { Rng } from '../../../src/core/util/random.ts';

function matrix(cols: Float64Array[]): FeatureMatrix {
  return { rows: cols[0].length, columns: cols, features: cols.map((_, j) => ({ name: `x${j}`, kind: 'numeric' as const, source: `x${j}` })) };
}

describe('permutationImportance', () => {
  it('a column the model ignores scores exactly 0; the one it uses scores high (RMSE, lower is better)', async () => {
    const rng = new Rng(1);
    const n = 300;
    const signal = Float64Array.from({ length: n }, () => rng.normal());
    const noise = Float64Array.from({ length: n }, () => rng.normal());
    const y = Float64Array.from(signal, (v) => 3 * v + 0.1 * rng.normal());
    const predict = async (cols: Float64Array[]): Promise<Prediction> => ({ values: Float64Array.from(cols[0], (v) => 3 * v) });
    const imp = await permutationImportance({
      predict,
      columns: [signal, noise],
      names: ['signal', 'noise'],
      y,
      metric: 'rmse',
      task: 'regression',
      nClasses: 0,
      seed: 1,
    });
    expect(imp.map((r) => r.feature)).toEqual(['signal', 'noise']);
    // Shuffling a standard-normal input of a 3·x model costs about 3·√2 ≈ 4.2 RMSE.
    expect(imp[0].mean).toBeGreaterThan(3.5);
    expect(imp[0].std).toBeGreaterThan(0);
    expect(imp[0].drops).toHaveLength(5);
    expect(imp[1]).toMatchObject({ feature: 'noise', index: 1, mean: 0, std: 0 });
  });

  it('a fitted GBDT classifier: the informative column ranks first, pure noise near 0 (ROC AUC)', async () => {
    const rng = new Rng(2);
    const make = (n: number) => {
      const cols = [0, 1, 2].map(() => Float64Array.from({ length: n }, () => rng.normal()));
      const y = Float64Array.from({ length: n }, (_, i) => (2 * cols[0][i] + 0.5 * cols[1][i] + rng.normal() > 0 ? 1 : 0));
      return { cols, y };
    };
    const train = make(600);
    const test = make(400);
    const est = new GbdtEstimator('binary', { max_iter: 40, max_leaf_nodes: 8 });
    await est.fit(matrix(train.cols), train.y, 2, { seed: 1 });
    const predict = async (cols: Float64Array[]): Promise<Prediction> => {
      const proba = await est.predictProba!(matrix(cols));
      return { values: Float64Array.from({ length: cols[0].length }, (_, i) => (proba[2 * i + 1] >= 0.5 ? 1 : 0)), proba };
    };
    const imp = await permutationImportance({
      predict,
      columns: test.cols,
      names: ['strong', 'weak', 'noise'],
      y: test.y,
      metric: 'roc_auc',
      task: 'binary',
      nClasses: 2,
      seed: 3,
    });
    expect(imp.map((r) => r.feature)).toEqual(['strong', 'weak', 'noise']);
    expect(imp[0].mean).toBeGreaterThan(0.2);
    expect(Math.abs(imp[2].mean)).toBeLessThan(0.02);
    // Reproducible for a seed.
    const again = await permutationImportance({
      predict,
      columns: test.cols,
      names: ['strong', 'weak', 'noise'],
      y: test.y,
      metric: 'roc_auc',
      task: 'binary',
      nClasses: 2,
      seed: 3,
    });
    expect(again).toEqual(imp);
  });

  it('explains mismatched inputs', async () => {
    const predict = async (): Promise<Prediction> => ({ values: new Float64Array(2) });
    await expect(
      permutationImportance({ predict, columns: [new Float64Array(2)], names: ['a'], y: new Float64Array(3), metric: 'mae', task: 'regression', nClasses: 0 }),
    ).rejects.toThrow(/3 targets for 2 rows/);
  });
});
