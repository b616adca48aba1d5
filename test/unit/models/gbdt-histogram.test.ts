import { describe, expect, it } from 'vitest';
import { binMatrix, fitBinMapper } from '../../../src/core/models/trees/binning.ts';
import { buildHistogram, countBins, subtractHistogram } from '../../../src/core/models/gbdt/histogram.ts';
import { HistogramLayout } from '../../../src/core/models/gbdt/histogram-layout.ts';
import { featureGroups } from '../../../src/core/models/gbdt/histogram-kernels.ts';
import { activeBundles, planBundling } from '../../../src/core/models/gbdt/bundling.ts';
import { matrix } from './tree-fixtures.ts';
import { Rng } from '../../../src/core/util/random.ts';
import { binaryTable } from './tree-fixtures.ts';

function setup(n: number) {
  const { X } = binaryTable(n, 9);
  const mapper = fitBinMapper(X, { maxBins: 32 });
  const binned = binMatrix(mapper, X);
  const layout = new HistogramLayout(mapper.nBins);
  const rng = new Rng(3);
  const g = Float64Array.from({ length: n }, () => rng.normal());
  const h = Float64Array.from({ length: n }, () => rng.next());
  return { X, mapper, binned, layout, g, h, rng };
}

/** The obvious definition: one pass per feature, no grouping. */
function naive(layout: HistogramLayout, binned: Uint8Array, n: number, rows: number[], g: Float64Array, h: Float64Array | null): Float64Array {
  const out = new Float64Array(layout.size);
  for (let f = 0; f < layout.nBins.length; f++) {
    for (const r of rows) {
      const b = 3 * (layout.offsets[f] + binned[f * n + r]);
      out[b] += g[r];
      if (h) out[b + 1] += h[r];
      out[b + 2] += 1;
    }
  }
  return out;
}

describe('gbdt histograms', () => {
  it('builds the per-bin gradient, hessian and count sums', () => {
    const n = 500;
    const { binned, layout, g, h } = setup(n);
    const rows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 !== 0);
    const features = Int32Array.from({ length: layout.nBins.length }, (_, i) => i);
    const hist = new Float64Array(layout.size).fill(123); // stale values must be cleared
    buildHistogram(hist, layout, binned, n, features, features.length, rows, 0, rows.length, g, h);
    const ref = naive(layout, binned, n, Array.from(rows), g, h);
    for (let i = 0; i < ref.length; i++) expect(hist[i]).toBeCloseTo(ref[i], 10);
    // Every feature's counts add up to the rows.
    for (let f = 0; f < layout.nBins.length; f++) {
      let c = 0;
      for (let b = layout.offsets[f]; b < layout.offsets[f + 1]; b++) c += hist[3 * b + 2];
      expect(c).toBe(rows.length);
    }
  });

  it('parent minus the smaller child equals the sibling built directly (subtraction trick)', () => {
    const n = 800;
    const { binned, layout, g, h, rng } = setup(n);
    const all = Int32Array.from({ length: n }, (_, i) => i);
    const leftRows: number[] = [];
    const rightRows: number[] = [];
    for (let i = 0; i < n; i++) (rng.next() < 0.3 ? leftRows : rightRows).push(i);
    const features = Int32Array.from({ length: layout.nBins.length }, (_, i) => i);
    for (const hess of [h, null]) {
      const parent = new Float64Array(layout.size);
      buildHistogram(parent, layout, binned, n, features, features.length, all, 0, n, g, hess);
      const left = new Float64Array(layout.size);
      const lrows = Int32Array.from(leftRows);
      buildHistogram(left, layout, binned, n, features, features.length, lrows, 0, lrows.length, g, hess);
      subtractHistogram(parent, left, layout, features, features.length);
      const direct = new Float64Array(layout.size);
      const rrows = Int32Array.from(rightRows);
      buildHistogram(direct, layout, binned, n, features, features.length, rrows, 0, rrows.length, g, hess);
      for (let i = 0; i < direct.length; i++) expect(parent[i]).toBeCloseTo(direct[i], 9);
    }
  });

  it('touches only the active features when columns are subsampled', () => {
    const n = 300;
    const { binned, layout, g, h } = setup(n);
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const features = Int32Array.of(1, 3, 0, 0, 0);
    const hist = new Float64Array(layout.size).fill(-7);
    buildHistogram(hist, layout, binned, n, features, 2, rows, 0, n, g, h);
    for (const f of [0, 2, 4]) {
      for (let i = 3 * layout.offsets[f]; i < 3 * layout.offsets[f + 1]; i++) expect(hist[i]).toBe(-7);
    }
    const ref = naive(layout, binned, n, Array.from(rows), g, h);
    for (const f of [1, 3]) {
      for (let i = 3 * layout.offsets[f]; i < 3 * layout.offsets[f + 1]; i++) expect(hist[i]).toBeCloseTo(ref[i], 10);
    }
  });
  it('with known counts (the root over all rows) gives the same histogram without counting', () => {
    const n = 700;
    const { binned, layout, g, h } = setup(n);
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const features = Int32Array.from({ length: layout.nBins.length }, (_, i) => i);
    const counts = countBins(layout, binned, n, rows, 0, n);
    for (const hess of [h, null]) {
      const direct = new Float64Array(layout.size);
      buildHistogram(direct, layout, binned, n, features, features.length, rows, 0, n, g, hess);
      const known = new Float64Array(layout.size).fill(5);
      buildHistogram(known, layout, binned, n, features, features.length, rows, 0, n, g, hess, counts);
      for (let i = 0; i < direct.length; i++) expect(known[i]).toBeCloseTo(direct[i], 10);
    }
  });

  it('groups features in fours, then a three and/or a two, never a lone feature unless only one', () => {
    expect(featureGroups(1)).toEqual([1]);
    expect(featureGroups(4)).toEqual([4]);
    expect(featureGroups(5)).toEqual([3, 2]);
    expect(featureGroups(9)).toEqual([4, 3, 2]);
    expect(featureGroups(14)).toEqual([4, 4, 4, 2]);
    expect(featureGroups(15)).toEqual([4, 4, 4, 3]);
    for (let n = 1; n <= 40; n++) {
      const g = featureGroups(n);
      expect(g.reduce((a, b) => a + b, 0)).toBe(n);
      if (n > 1) expect(g).not.toContain(1);
    }
  });

  it('bundled low-cardinality features give the same per-feature histograms', () => {
    const n = 3000;
    const rng = new Rng(8);
    const X = matrix([
      ['a', Float64Array.from({ length: n }, () => rng.int(3)), 3],
      ['wide', Float64Array.from({ length: n }, () => rng.normal())],
      ['b', Float64Array.from({ length: n }, () => (rng.next() < 0.1 ? NaN : rng.int(7))), 7],
      ['c', Float64Array.from({ length: n }, () => rng.int(12))],
      ['d', Float64Array.from({ length: n }, () => rng.int(2)), 2],
    ]);
    const mapper = fitBinMapper(X, { maxBins: 255 });
    const binned = binMatrix(mapper, X);
    const layout = new HistogramLayout(mapper.nBins);
    const plan = planBundling(binned, n, layout)!;
    expect(plan).not.toBeNull();
    expect(plan.nColumns).toBeLessThan(5);
    for (const col of plan.columnFeatures) {
      expect(col.reduce((acc, f) => acc * (mapper.nBins[f] + 1), 1)).toBeLessThanOrEqual(256);
    }
    const g = Float64Array.from({ length: n }, () => rng.normal());
    const h = Float64Array.from({ length: n }, () => rng.next());
    const rows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => i % 5 !== 1);
    const counts = countBins(layout, binned, n, rows, 0, rows.length);
    for (const active of [
      [0, 1, 2, 3, 4],
      [2, 3],
    ]) {
      const features = Int32Array.from(active);
      const bundles = activeBundles(plan, features, features.length);
      for (const [hess, known] of [
        [h, null],
        [null, null],
        [h, counts],
        [null, counts],
      ] as const) {
        const plain = new Float64Array(layout.size);
        buildHistogram(plain, layout, binned, n, features, features.length, rows, 0, rows.length, g, hess, known);
        const bundled = new Float64Array(layout.size + plan.scratchSize).fill(9);
        buildHistogram(bundled, layout, binned, n, features, features.length, rows, 0, rows.length, g, hess, known, bundles);
        for (const f of active) {
          for (let i = 3 * layout.offsets[f]; i < 3 * layout.offsets[f + 1]; i++) expect(bundled[i]).toBeCloseTo(plain[i], 9);
        }
      }
    }
  });
});
