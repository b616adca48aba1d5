import { describe, expect, it } from 'vitest';
import { binMatrix, fitBinMapper } from '../../../src/core/models/trees/binning.ts';
import { leafOfBinnedRow } from '../../../src/core/models/forest/built-tree.ts';
import type { ForestTreeParams } from '../../../src/core/models/forest/params.ts';
import { ForestTreeBuilder } from '../../../src/core/models/forest/tree-builder.ts';
import type { FeatureMatrix } from '../../../src/core/prep/matrix.ts';
import { Rng } from '../../../src/core/util/random.ts';
import { matrix } from './tree-fixtures.ts';

function build(X: FeatureMatrix, y: number[], params: Partial<ForestTreeParams> = {}, weights?: number[]) {
  const n = X.rows;
  const mapper = fitBinMapper(X, { maxBins: 255 });
  const binned = binMatrix(mapper, X);
  const yy = Float64Array.from(y);
  const full: ForestTreeParams = {
    criterion: 'gini',
    nClasses: 2,
    maxDepth: 1,
    minSamplesSplit: 2,
    minSamplesLeaf: 1,
    maxFeatures: X.columns.length,
    extraTrees: false,
    ...params,
  };
  const builder = new ForestTreeBuilder(binned, n, mapper, yy, full);
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  const w = weights ? Float64Array.from(weights) : new Float64Array(n).fill(1);
  const importance = new Float64Array(X.columns.length);
  const splits = new Float64Array(X.columns.length);
  const tree = builder.build(rows, n, w, new Rng(1), importance, splits);
  return { tree, mapper, binned, importance, splits };
}

describe('forest tree builder', () => {
  it('picks the known best gini split, with class frequencies in the leaves', () => {
    const x = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const noise = Float64Array.of(3, 1, 4, 1, 5, 9, 2, 6);
    const y = [0, 0, 0, 1, 1, 1, 1, 1];
    const { tree, importance } = build(
      matrix([
        ['noise', noise],
        ['x', x],
      ]),
      y,
    );
    const t = tree.flat;
    expect(t.feature[0]).toBe(1);
    expect(t.threshold[0]).toBe(3.5);
    expect(Array.from(t.value.slice(2 * t.left[0], 2 * t.left[0] + 2))).toEqual([1, 0]);
    expect(Array.from(t.value.slice(2 * t.right[0], 2 * t.right[0] + 2))).toEqual([0, 1]);
    // Weighted impurity decrease of a perfect split: sum_k w_k^2/W of the children minus the parent's.
    expect(importance[1]).toBeCloseTo(3 + 5 - (9 + 25) / 8, 12);
  });

  it('sends missing values to the side they resemble', () => {
    const x = Float64Array.of(1, 2, 3, 4, 5, 6, NaN, NaN);
    const y = [0, 0, 0, 1, 1, 1, 1, 1];
    const { tree, mapper, binned } = build(matrix([['x', x]]), y);
    expect(tree.flat.missingLeft[0]).toBe(0);
    const leaf = leafOfBinnedRow(tree, mapper.nBins, binned, 8, 6);
    expect(tree.flat.value[2 * leaf + 1]).toBe(1);
    const y2 = [0, 0, 0, 1, 1, 1, 0, 0];
    expect(build(matrix([['x', x]]), y2).tree.flat.missingLeft[0]).toBe(1);
  });

  it('groups categories by their class rate', () => {
    const c = Float64Array.of(0, 0, 1, 1, 2, 2, 3, 3, 4, 4);
    const y = [1, 1, 0, 0, 1, 1, 0, 0, 1, 1];
    const { tree } = build(matrix([['c', c, 6]]), y);
    const left = Array.from(tree.flat.leftCategories[0]!);
    const leftSet = new Set(left);
    // {1, 3} vs {0, 2, 4}, either way round; code 5 never occurs and follows the heavier side.
    const oneThree = leftSet.has(1) && leftSet.has(3) && !leftSet.has(0);
    const others = leftSet.has(0) && leftSet.has(2) && leftSet.has(4) && !leftSet.has(1);
    expect(oneThree || others).toBe(true);
    expect(leftSet.has(5)).toBe(others);
  });

  it('regression uses variance reduction and leaf means', () => {
    const x = Float64Array.of(1, 2, 3, 4, 5, 6);
    const y = [1, 1, 1, 10, 10, 12];
    const { tree } = build(matrix([['x', x]]), y, { criterion: 'squared_error', nClasses: 0 });
    const t = tree.flat;
    expect(t.threshold[0]).toBe(3.5);
    expect(t.value[t.left[0]]).toBe(1);
    expect(t.value[t.right[0]]).toBeCloseTo(32 / 3, 12);
  });

  it('weights count: a heavy row moves the leaf frequencies', () => {
    const x = Float64Array.of(1, 1, 1, 1);
    const { tree } = build(matrix([['x', x]]), [0, 1, 1, 1], {}, [6, 1, 1, 1]);
    expect(Array.from(tree.flat.value.slice(0, 2))).toEqual([6 / 9, 3 / 9]);
  });

  it('extra trees draws a random edge inside the node range and still separates classes', () => {
    const rng = new Rng(3);
    const n = 200;
    const x = Float64Array.from({ length: n }, () => rng.next());
    const y = Array.from(x, (v) => (v > 0.5 ? 1 : 0));
    const { tree } = build(matrix([['x', x]]), y, { extraTrees: true, maxDepth: 30 });
    const t = tree.flat;
    for (let i = 0; i < t.nNodes; i++) {
      if (t.feature[i] >= 0) continue;
      const v = t.value.slice(2 * i, 2 * i + 2);
      expect(Math.max(v[0], v[1])).toBe(1); // grown to purity
    }
  });
});
