import { describe, expect, it } from 'vitest';
import { GbdtEstimator } from '../../../src/core/models/gbdt/index.ts';
import { ForestEstimator } from '../../../src/core/models/forest/index.ts';
import type { FlatTreeJSON } from '../../../src/core/models/trees/flat-tree.ts';
import { flatTreeFromJSON, TreeEnsemblePredictor } from '../../../src/core/models/trees/flat-tree.ts';
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

/** A seeded random tree over `p` features (the first `nCat` categorical, codes up to maxCode), depth ≤ 7. */
function randomTree(rand: () => number, p: number, nCat: number, maxCode: number, valueDim: number): FlatTreeJSON {
  const t: FlatTreeJSON = { feature: [], threshold: [], missingLeft: [], leftCategories: [], left: [], right: [], value: [], valueDim };
  const grow = (depth: number): number => {
    const id = t.feature.length;
    t.feature.push(-1);
    t.threshold.push(0);
    t.missingLeft.push(0);
    t.leftCategories.push(null);
    t.left.push(-1);
    t.right.push(-1);
    for (let j = 0; j < valueDim; j++) t.value.push(rand() * 2 - 1);
    if (depth >= 7 || (depth > 0 && rand() < 0.25)) return id;
    const f = Math.floor(rand() * p);
    t.feature[id] = f;
    t.missingLeft[id] = rand() < 0.5 ? 1 : 0;
    if (f < nCat) {
      // Some nodes list no code, some only codes below 32 (kept inline), some codes up to maxCode.
      const top = rand() < 0.5 ? Math.min(31, maxCode) : maxCode;
      const codes: number[] = [];
      for (let c = 0; c <= top; c++) if (rand() < 0.4) codes.push(c);
      t.leftCategories[id] = codes;
    } else t.threshold[id] = rand() < 0.1 ? null : Math.round((rand() * 4 - 2) * 8) / 8;
    t.left[id] = grow(depth + 1);
    t.right[id] = grow(depth + 1);
    return id;
  };
  grow(0);
  return t;
}

describe('TreeEnsemblePredictor', () => {
  it('sums exactly what the documented evaluator gives, tree by tree in order, on awkward values', () => {
    let s = 12345;
    const rand = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (const [maxCode, valueDim, nOutputs] of [
      [20, 1, 1],
      [70, 1, 3],
      [40, 3, 1],
    ] as const) {
      const p = 5;
      const nCat = 2;
      const trees = Array.from({ length: 30 }, () => randomTree(rand, p, nCat, maxCode, valueDim));
      // Rows: thresholds hit exactly, NaN, ±Infinity, codes inside and outside the lists, non-codes.
      const pick = [NaN, Infinity, -Infinity, -1, 2.5, 31, 32, 33, maxCode, maxCode + 1, 1e10, 0, 0.125, -0.125];
      const n = 2500;
      const columns = Array.from({ length: p }, (_, j) =>
        Float64Array.from({ length: n }, () =>
          rand() < 0.3 ? pick[Math.floor(rand() * pick.length)] : j < nCat ? Math.floor(rand() * (maxCode + 2)) : Math.round((rand() * 4 - 2) * 8) / 8,
        ),
      );
      const X = { rows: n, features: columns.map((_, j) => ({ name: `f${j}`, kind: 'numeric' as const, source: `f${j}` })), columns };
      const dims = nOutputs * valueDim;
      const offsets = Int32Array.from(trees, (_, t) => (t % nOutputs) * valueDim);
      const init = Float64Array.from({ length: dims }, (_, k) => k / 7);
      const scale = 0.37;
      const got = new TreeEnsemblePredictor(
        trees.map((t) => flatTreeFromJSON(t, p)),
        offsets,
        dims,
      ).predict(X, init, scale);
      const want = new Float64Array(n * dims);
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < dims; k++) want[i * dims + k] = init[k];
        trees.forEach((t, ti) => {
          const v = evalTree(t, rowOf(columns, i));
          for (let j = 0; j < valueDim; j++) want[i * dims + offsets[ti] + j] += scale * v[j];
        });
      }
      expect(Array.from(got)).toEqual(Array.from(want));
    }
  });
});
