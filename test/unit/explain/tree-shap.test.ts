import { describe, expect, it } from 'vitest';
import { GbdtEstimator } from '../../../src/core/models/gbdt/index.ts';
import type { FeatureMatrix } from '../../../src/core/prep/matrix.ts';
import {
  boostingToShapEnsemble,
  coverFromRows,
  flatTreeToShapTree,
  forestToShapEnsemble,
  type FlatTreeInput,
} from '../../../src/core/explain/tree-adapters.ts';
import { goesLeft, predictTree, treeExpectedValue, treeShap, type ShapEnsemble, type ShapTree } from '../../../src/core/explain/tree-shap.ts';
import { Rng } from '../../../src/core/util/random.ts';

/**
 * Brute-force path-dependent Shapley values: v(S) follows the row at splits on columns in S and
 * averages both children by cover elsewhere; Shapley values by enumerating every subset.
 */
function bruteForceShap(tree: ShapTree, x: number[], d: number): number[] {
  const v = (S: number, node = 0): number => {
    if (tree.left[node] < 0) return tree.value[node];
    const f = tree.feature[node];
    if (S & (1 << f)) return v(S, goesLeft(tree, node, x) ? tree.left[node] : tree.right[node]);
    const l = tree.cover[tree.left[node]];
    const r = tree.cover[tree.right[node]];
    return (l * v(S, tree.left[node]) + r * v(S, tree.right[node])) / (l + r);
  };
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  const phi = new Array<number>(d).fill(0);
  for (let j = 0; j < d; j++) {
    for (let S = 0; S < 1 << d; S++) {
      if (S & (1 << j)) continue;
      let size = 0;
      for (let t = 0; t < d; t++) if (S & (1 << t)) size++;
      const w = (fact(size) * fact(d - size - 1)) / fact(d);
      phi[j] += w * (v(S | (1 << j)) - v(S));
    }
  }
  return phi;
}

/** A random tree of the given depth: repeated columns on a path, some categorical splits, random covers. */
function randomTree(rng: Rng, d: number, maxDepth: number, categorical: Set<number>): ShapTree {
  const left: number[] = [];
  const right: number[] = [];
  const feature: number[] = [];
  const threshold: number[] = [];
  const defaultLeft: number[] = [];
  const value: number[] = [];
  const cover: number[] = [];
  const leftSet: (Set<number> | null)[] = [];
  const isCat: number[] = [];
  const grow = (depth: number, c: number): number => {
    const id = left.length;
    left.push(-1);
    right.push(-1);
    feature.push(-1);
    threshold.push(0);
    defaultLeft.push(rng.int(2));
    value.push(rng.normal() * 3);
    cover.push(c);
    leftSet.push(null);
    isCat.push(0);
    if (depth < maxDepth && (depth < 2 || rng.next() < 0.7)) {
      const f = rng.int(d);
      feature[id] = f;
      if (categorical.has(f)) {
        isCat[id] = 1;
        leftSet[id] = new Set([0, 1, 2, 3].filter(() => rng.next() < 0.5));
      } else threshold[id] = rng.normal();
      const share = 0.1 + 0.8 * rng.next();
      const l = grow(depth + 1, c * share);
      const r = grow(depth + 1, c * (1 - share));
      left[id] = l;
      right[id] = r;
    }
    return id;
  };
  grow(0, 100);
  return {
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    feature: Int32Array.from(feature),
    threshold: Float64Array.from(threshold),
    defaultLeft: Uint8Array.from(defaultLeft),
    value: Float64Array.from(value),
    cover: Float64Array.from(cover),
    isCategoricalSplit: Uint8Array.from(isCat),
    leftSet,
  };
}

function randomRow(rng: Rng, d: number, categorical: Set<number>): number[] {
  return Array.from({ length: d }, (_, j) => (rng.next() < 0.15 ? NaN : categorical.has(j) ? rng.int(4) : rng.normal()));
}

describe('treeShap', () => {
  it('one split by hand', () => {
    // x0 ≤ 0.5 → 0 (cover 3) else 4 (cover 1): E = 1; a row going right gets φ0 = 4 − 1 = 3.
    const tree: ShapTree = {
      left: Int32Array.from([1, -1, -1]),
      right: Int32Array.from([2, -1, -1]),
      feature: Int32Array.from([0, -1, -1]),
      threshold: Float64Array.from([0.5, 0, 0]),
      defaultLeft: Uint8Array.from([1, 0, 0]),
      value: Float64Array.from([0, 0, 4]),
      cover: Float64Array.from([4, 3, 1]),
    };
    const r = treeShap({ trees: [tree] }, [0.9, 123], 2);
    expect(r.base).toBe(1);
    expect(r.values).toEqual([3, 0]);
    expect(r.prediction).toBe(4);
    // Missing goes left: φ0 = 0 − 1.
    expect(treeShap({ trees: [tree] }, [NaN, 0], 2).values).toEqual([-1, 0]);
  });

  it('two columns by hand: an AND tree', () => {
    // x0 ≤ 0 → 0 else (x1 ≤ 0 → 0 else 1), equal covers. For x = (1, 1): v(∅) = 1/4, v({0}) = 1/2,
    // v({1}) = (0 + 1)/2 = 1/2, v({0, 1}) = 1, so φ0 = ½(1/2 − 1/4) + ½(1 − 1/2) = 3/8 = φ1 (an AND is symmetric).
    const tree: ShapTree = {
      left: Int32Array.from([1, -1, 3, -1, -1]),
      right: Int32Array.from([2, -1, 4, -1, -1]),
      feature: Int32Array.from([0, -1, 1, -1, -1]),
      threshold: Float64Array.from([0, 0, 0, 0, 0]),
      defaultLeft: new Uint8Array(5),
      value: Float64Array.from([0, 0, 0, 0, 1]),
      cover: Float64Array.from([4, 2, 2, 1, 1]),
    };
    const r = treeShap({ trees: [tree] }, [1, 1], 2);
    expect(r.base).toBeCloseTo(0.25, 15);
    expect(r.values[0]).toBeCloseTo(0.375, 15);
    expect(r.values[1]).toBeCloseTo(0.375, 15);
  });

  it('matches brute-force Shapley values on random trees (repeated columns, categorical, missing)', () => {
    const rng = new Rng(42);
    const d = 5;
    const categorical = new Set([3]);
    for (let t = 0; t < 40; t++) {
      const tree = randomTree(rng, d, 2 + (t % 5), categorical);
      for (let r = 0; r < 5; r++) {
        const x = randomRow(rng, d, categorical);
        const res = treeShap({ trees: [tree] }, x, d);
        const exact = bruteForceShap(tree, x, d);
        for (let j = 0; j < d; j++) expect(res.values[j]).toBeCloseTo(exact[j], 10);
        // Efficiency: exact for a tree.
        const sum = res.values.reduce((a, b) => a + b, 0);
        expect(res.base + sum).toBeCloseTo(predictTree(tree, x), 10);
      }
    }
  });

  it('ensembles add up: base + Σ values = baseScore + scale · Σ trees', () => {
    const rng = new Rng(7);
    const d = 8;
    const trees = Array.from({ length: 25 }, () => randomTree(rng, d, 6, new Set()));
    const model: ShapEnsemble = { trees, baseScore: -0.7, scale: 0.1 };
    for (let r = 0; r < 20; r++) {
      const x = randomRow(rng, d, new Set());
      const res = treeShap(model, x, d);
      const direct = -0.7 + 0.1 * trees.reduce((s, t) => s + predictTree(t, x), 0);
      expect(res.prediction).toBeCloseTo(direct, 12);
      expect(res.base + res.values.reduce((a, b) => a + b, 0)).toBeCloseTo(direct, 10);
      expect(res.base).toBeCloseTo(-0.7 + 0.1 * trees.reduce((s, t) => s + treeExpectedValue(t), 0), 12);
    }
  });

  it('rejects a tree that splits on a column the row does not have', () => {
    const tree: ShapTree = {
      left: Int32Array.from([1, -1, -1]),
      right: Int32Array.from([2, -1, -1]),
      feature: Int32Array.from([5, -1, -1]),
      threshold: new Float64Array(3),
      defaultLeft: new Uint8Array(3),
      value: new Float64Array(3),
      cover: Float64Array.from([2, 1, 1]),
    };
    expect(() => treeShap({ trees: [tree] }, [0, 0], 2)).toThrow(/splits on column 5, but there are 2 columns/);
  });
});

describe('tree adapters', () => {
  // x0 ≤ 1.5 → (x1 ∈ {0, 2} → 10 else 20) else (threshold null: every non-missing value left → 30, missing → 40).
  const json: FlatTreeInput = {
    feature: [0, 1, 0, -1, -1, -1, -1],
    threshold: [1.5, 0, null, 0, 0, 0, 0],
    missingLeft: [1, 0, 0, 0, 0, 0, 0],
    leftCategories: [null, [0, 2], null, null, null, null, null],
    left: [1, 3, 5, -1, -1, -1, -1],
    right: [2, 4, 6, -1, -1, -1, -1],
    value: [0, 0, 0, 10, 20, 30, 40],
    valueDim: 1,
  };
  const rows = [Float64Array.from([1, 1, 1, 2, 5, NaN, 9, 0]), Float64Array.from([0, 1, 2, 3, 0, 0, 0, 1])];

  it('converts the flat JSON format and counts covers from rows', () => {
    const tree = flatTreeToShapTree(json, { coverRows: rows });
    // Rows 0, 1, 2, 7 and 5 (missing → left) go left; there x1 ∈ {0, 2} (rows 0, 2, 5) goes left, rows 1
    // and 7 right. Rows 3, 4, 6 go right, where the null threshold sends every non-missing value left.
    expect(Array.from(tree.cover)).toEqual([8, 5, 3, 3, 2, 3, 0]);
    expect(predictTree(tree, [1, 2])).toBe(10);
    expect(predictTree(tree, [1, 7])).toBe(20);
    expect(predictTree(tree, [1e9, 0])).toBe(30);
    expect(predictTree(tree, [NaN, 1])).toBe(20);
    expect(coverFromRows(tree, rows)).toEqual(tree.cover);
    expect(() => flatTreeToShapTree(json)).toThrow(/needs node covers/);
  });

  it('a child no training row reached (cover 0) is handled exactly', () => {
    const tree = flatTreeToShapTree(json, { coverRows: rows });
    for (const x of [
      [7, 0],
      [NaN, 2],
      [1, 1],
      [3, NaN],
    ]) {
      const res = treeShap({ trees: [tree] }, x, 2);
      const exact = bruteForceShap(tree, x, 2);
      expect(res.values[0]).toBeCloseTo(exact[0], 12);
      expect(res.values[1]).toBeCloseTo(exact[1], 12);
      expect(res.base + res.values[0] + res.values[1]).toBeCloseTo(predictTree(tree, x), 12);
    }
  });

  it('forest of class-frequency trees: picks the class and averages', () => {
    const twoClass: FlatTreeInput = { ...json, valueDim: 2, value: [0, 0, 0, 10, 20, 30, 40].flatMap((v) => [v / 100, 1 - v / 100]) };
    const model = forestToShapEnsemble([twoClass, twoClass], { valueIndex: 1, coverRows: rows });
    const res = treeShap(model, [1, 1], 2);
    expect(res.prediction).toBeCloseTo(0.8, 15);
    expect(res.base + res.values[0] + res.values[1]).toBeCloseTo(0.8, 14);
  });

  it('explains a fitted GBDT exactly in raw units', async () => {
    const rng = new Rng(3);
    const n = 400;
    const cols = [
      Float64Array.from({ length: n }, () => rng.normal()),
      Float64Array.from({ length: n }, () => rng.int(4)),
      Float64Array.from({ length: n }, () => (rng.next() < 0.1 ? NaN : rng.normal())),
    ];
    const y = Float64Array.from(
      { length: n },
      (_, i) => 2 * cols[0][i] + (cols[1][i] === 2 ? 3 : 0) + (Number.isNaN(cols[2][i]) ? 1 : cols[2][i]) + 0.1 * rng.normal(),
    );
    const X: FeatureMatrix = {
      rows: n,
      columns: cols,
      features: [
        { name: 'a', kind: 'numeric', source: 'a' },
        { name: 'b', kind: 'categorical', nLevels: 4, source: 'b' },
        { name: 'c', kind: 'numeric', source: 'c' },
      ],
    };
    const est = new GbdtEstimator('regression', { max_iter: 30, max_leaf_nodes: 8 });
    await est.fit(X, y, 0, { seed: 1 });
    const state = est.toJSON().state as { nOutputs: number; baseline: number[]; trees: FlatTreeInput[] };
    const model = boostingToShapEnsemble(state, { coverRows: cols });
    const test: FeatureMatrix = { ...X, rows: 10, columns: cols.map((c) => c.slice(0, 10)) };
    const pred = await est.predict(test);
    for (let i = 0; i < 10; i++) {
      const x = cols.map((c) => c[i]);
      const res = treeShap(model, x, 3);
      expect(res.prediction).toBeCloseTo(pred[i], 10);
      expect(res.base + res.values.reduce((a, b) => a + b, 0)).toBeCloseTo(pred[i], 10);
    }
    // The base is the mean training prediction (covers counted on the training rows).
    const all = await est.predict(X);
    expect(
      treeShap(
        model,
        cols.map((c) => c[0]),
        3,
      ).base,
    ).toBeCloseTo(all.reduce((a, b) => a + b, 0) / n, 8);
  });
});
