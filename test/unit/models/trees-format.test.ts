import { describe, expect, it } from 'vitest';
import { GbdtEstimator } from '../../../src/core/models/gbdt/index.ts';
import { ForestEstimator } from '../../../src/core/models/forest/index.ts';
import type { FlatTreeJSON } from '../../../src/core/models/trees/flat-tree.ts';
import { flatTreeFromJSON } from '../../../src/core/models/trees/flat-tree.ts';
import { binaryTable, matrix, multiclassTable } from './tree-fixtures.ts';

/** The dependency-free evaluator exactly as documented in trees/flat-tree.ts. */
function evalTree(t: FlatTreeJSON, x: number[]): number[] {
  let node = 0;
  while (t.feature[node] >= 0) {
    const v = x[t.feature[node]];
    const cats = t.leftCategories[node];
    const goLeft = Number.isNaN(v) ? t.missingLeft[node] === 1 : cats ? cats.includes(v) : v <= (t.threshold[node] ?? Infinity);
    node = goLeft ? t.left[node] : t.right[node];
  }
  return t.value.slice(node * t.valueDim, node * t.valueDim + t.valueDim);
}

function rowOf(columns: Float64Array[], i: number): number[] {
  return columns.map((c) => c[i]);
}

describe('flat tree JSON format', () => {
  it('a plain evaluator of the GBDT JSON reproduces predictProba (missing values and categories included)', async () => {
    const t = binaryTable(1200, 12);
    const est = new GbdtEstimator('binary', { max_iter: 20, early_stopping: false });
    await est.fit(t.X, t.y, 2);
    const json = JSON.parse(JSON.stringify(est.toJSON()));
    const state = json.state as { baseline: number[]; trees: FlatTreeJSON[] };
    const proba = await est.predictProba(t.X);
    for (let i = 0; i < 300; i++) {
      let raw = state.baseline[0];
      for (const tree of state.trees) raw += evalTree(tree, rowOf(t.X.columns, i))[0];
      expect(1 / (1 + Math.exp(-raw))).toBeCloseTo(proba[2 * i + 1], 12);
    }
  });

  it('a plain evaluator of the forest JSON reproduces the averaged class probabilities', async () => {
    const t = multiclassTable(600, 3);
    const est = new ForestEstimator('random_forest', 'multiclass', { n_estimators: 10 });
    await est.fit(t.X, t.y, 3);
    const state = JSON.parse(JSON.stringify(est.toJSON())).state as { trees: FlatTreeJSON[] };
    const proba = await est.predictProba(t.X);
    for (let i = 0; i < 200; i++) {
      const sum = [0, 0, 0];
      for (const tree of state.trees) evalTree(tree, rowOf(t.X.columns, i)).forEach((v, k) => (sum[k] += v / state.trees.length));
      for (let k = 0; k < 3; k++) expect(sum[k]).toBeCloseTo(proba[3 * i + k], 12);
    }
  });

  it('unseen category codes follow the missing values', async () => {
    // Codes 0..2 seen in training; code 3 (declared level, never seen) must go where NaN goes.
    const n = 600;
    const c = Float64Array.from({ length: n }, (_, i) => i % 3);
    const y = Float64Array.from(c, (v) => (v === 1 ? 1 : 0));
    const X = matrix([['c', c, 4]]);
    const est = new GbdtEstimator('binary', { max_iter: 5, early_stopping: false, min_samples_leaf: 5 });
    await est.fit(X, y, 2);
    const probe = matrix([['c', Float64Array.of(3, NaN), 4]]);
    const p = await est.predictProba(probe);
    expect(p[1]).toBeCloseTo(p[3], 12);
  });

  it('rejects damaged tree JSON with a clear message', () => {
    const good: FlatTreeJSON = {
      feature: [0, -1, -1],
      threshold: [0.5, 0, 0],
      missingLeft: [1, 0, 0],
      leftCategories: [null, null, null],
      left: [1, -1, -1],
      right: [2, -1, -1],
      value: [0, 1, 2],
      valueDim: 1,
    };
    expect(() => flatTreeFromJSON(good, 1)).not.toThrow();
    expect(() => flatTreeFromJSON({ ...good, left: [0, -1, -1] }, 1)).toThrow(/child indices/);
    expect(() => flatTreeFromJSON({ ...good, value: [1] }, 1)).toThrow(/"value" must have 3/);
    expect(() => flatTreeFromJSON(good, 0)).toThrow(/feature 0/);
  });
});
