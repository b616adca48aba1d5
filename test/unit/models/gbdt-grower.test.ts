import { describe, expect, it } from 'vitest';
import { binMatrix, fitBinMapper } from '../../../src/core/models/trees/binning.ts';
import { TreeGrower, predictBinned, type BinnedTree, type GrowerParams } from '../../../src/core/models/gbdt/grower.ts';
import { regressionTable } from './tree-fixtures.ts';

function grow(params: Partial<GrowerParams>, n = 2000) {
  const { X, y } = regressionTable(n, 4);
  const mapper = fitBinMapper(X, { maxBins: 64 });
  const binned = binMatrix(mapper, X);
  const full: GrowerParams = {
    maxLeafNodes: 31,
    maxDepth: Infinity,
    minSamplesLeaf: 20,
    l2Regularization: 0,
    minHessianToSplit: 1e-3,
    learningRate: 1,
    ...params,
  };
  const grower = new TreeGrower(binned, n, mapper.nBins, mapper.isCategorical, full, true);
  let mean = 0;
  for (const v of y) mean += v / n;
  const g = Float64Array.from(y, (v) => mean - v); // squared error at the mean
  const p = X.columns.length;
  const features = Int32Array.from({ length: p }, (_, i) => i);
  const tree = grower.grow(g, null, null, features, p);
  return { tree, grower, binned, n, g, y, mean };
}

function leaves(tree: BinnedTree): number[] {
  const out: number[] = [];
  for (let i = 0; i < tree.nNodes; i++) if (tree.feature[i] < 0) out.push(i);
  return out;
}

function depths(tree: BinnedTree): number[] {
  const d = new Array(tree.nNodes).fill(0);
  for (let i = 0; i < tree.nNodes; i++) {
    if (tree.feature[i] >= 0) {
      d[tree.left[i]] = d[i] + 1;
      d[tree.right[i]] = d[i] + 1;
    }
  }
  return d;
}

describe('gbdt tree grower', () => {
  it('grows up to max_leaf_nodes leaves, each with >= min_samples_leaf rows, partitioning every row once', () => {
    const { tree, grower, n } = grow({ maxLeafNodes: 15, minSamplesLeaf: 30 });
    const ls = leaves(tree);
    expect(ls.length).toBe(15);
    const seen = new Uint8Array(n);
    for (const id of ls) {
      expect(tree.rowEnd[id] - tree.rowStart[id]).toBeGreaterThanOrEqual(30);
      expect(tree.count[id]).toBe(tree.rowEnd[id] - tree.rowStart[id]);
      for (let q = tree.rowStart[id]; q < tree.rowEnd[id]; q++) seen[grower.rows[q]]++;
    }
    expect(seen.every((v) => v === 1)).toBe(true);
  });

  it('leaf values are the Newton step of their rows and agree with binned prediction', () => {
    const { tree, grower, binned, n, y, mean } = grow({ maxLeafNodes: 8 });
    const out = new Float64Array(n);
    predictBinned(tree, binned, n, out, 0);
    for (const id of leaves(tree)) {
      let s = 0;
      for (let q = tree.rowStart[id]; q < tree.rowEnd[id]; q++) s += y[grower.rows[q]] - mean;
      const m = tree.rowEnd[id] - tree.rowStart[id];
      expect(tree.value[id]).toBeCloseTo(s / m, 8);
      for (let q = tree.rowStart[id]; q < tree.rowEnd[id]; q++) expect(out[grower.rows[q]]).toBe(tree.value[id]);
    }
  });

  it('respects max_depth', () => {
    const { tree } = grow({ maxLeafNodes: 64, maxDepth: 3 });
    expect(Math.max(...depths(tree))).toBeLessThanOrEqual(3);
    expect(leaves(tree).length).toBeLessThanOrEqual(8);
  });

  it('split gains add up to the loss reduction from the root to the leaves', () => {
    const { tree, grower, g } = grow({ maxLeafNodes: 31 });
    const score = (rows: ArrayLike<number>, start: number, end: number): number => {
      let s = 0;
      for (let q = start; q < end; q++) s += g[rows[q]];
      return (s * s) / (end - start);
    };
    let leafScore = 0;
    for (const id of leaves(tree)) leafScore += score(grower.rows, tree.rowStart[id], tree.rowEnd[id]);
    let gains = 0;
    for (let i = 0; i < tree.nNodes; i++)
      if (tree.feature[i] >= 0) {
        expect(tree.gain[i]).toBeGreaterThan(0);
        gains += tree.gain[i];
      }
    expect(gains).toBeCloseTo(
      leafScore -
        score(
          Int32Array.from(g, (_, i) => i),
          0,
          g.length,
        ),
      6,
    );
  });

  it('stays a single leaf when min_samples_leaf makes every split impossible', () => {
    const { tree } = grow({ minSamplesLeaf: 1500 });
    expect(tree.nNodes).toBe(1);
  });

  it('grows on a row subsample only', () => {
    const { X, y } = regressionTable(1000, 4);
    const mapper = fitBinMapper(X, { maxBins: 64 });
    const binned = binMatrix(mapper, X);
    const grower = new TreeGrower(
      binned,
      1000,
      mapper.nBins,
      mapper.isCategorical,
      {
        maxLeafNodes: 8,
        maxDepth: Infinity,
        minSamplesLeaf: 5,
        l2Regularization: 0,
        minHessianToSplit: 1e-3,
        learningRate: 1,
      },
      true,
    );
    const sample = Int32Array.from({ length: 300 }, (_, i) => i * 3);
    const g = Float64Array.from(y, (v) => -v);
    const tree = grower.grow(g, null, sample, Int32Array.of(0, 1, 2, 3), 4);
    let total = 0;
    for (const id of leaves(tree)) {
      for (let q = tree.rowStart[id]; q < tree.rowEnd[id]; q++) expect(grower.rows[q] % 3).toBe(0);
      total += tree.rowEnd[id] - tree.rowStart[id];
    }
    expect(total).toBe(300);
  });
});
