import { describe, expect, it } from 'vitest';
import { binMatrix, fitBinMapper } from '../../../src/core/models/trees/binning.ts';
import { buildHistogram } from '../../../src/core/models/gbdt/histogram.ts';
import { HistogramLayout } from '../../../src/core/models/gbdt/histogram-layout.ts';
import { Splitter, splitLeftTable } from '../../../src/core/models/gbdt/splitting.ts';
import type { FeatureMatrix } from '../../../src/core/prep/matrix.ts';
import { Rng } from '../../../src/core/util/random.ts';
import { matrix } from './tree-fixtures.ts';

function bestSplit(X: FeatureMatrix, g: number[], minSamplesLeaf = 1, l2 = 0) {
  const n = X.rows;
  const mapper = fitBinMapper(X, { maxBins: 255 });
  const binned = binMatrix(mapper, X);
  const layout = new HistogramLayout(mapper.nBins);
  const p = X.columns.length;
  const features = Int32Array.from({ length: p }, (_, i) => i);
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  const hist = new Float64Array(layout.size);
  const gg = Float64Array.from(g);
  const h = new Float64Array(n).fill(1);
  buildHistogram(hist, layout, binned, n, features, p, rows, 0, n, gg, h);
  const splitter = new Splitter(layout, mapper.nBins, mapper.isCategorical, {
    minSamplesLeaf,
    minHessianToSplit: 1e-3,
    l2Regularization: l2,
    constantHessian: false,
  });
  const G = g.reduce((a, b) => a + b, 0);
  return { split: splitter.findBestSplit(hist, features, p, G, n, n), mapper };
}

describe('gbdt split finder', () => {
  const x = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, NaN, NaN);

  it('finds the known best numeric split and sends missing values left when they look like the left side', () => {
    const g = [-1, -1, -1, -1, 1, 1, 1, 1, -1, -1];
    const { split } = bestSplit(matrix([['x', x]]), g);
    expect(split).not.toBeNull();
    expect(split!.feature).toBe(0);
    expect(split!.bin).toBe(3); // bins 0..3 hold 1..4
    expect(split!.missingLeft).toBe(true);
    expect(split!.countLeft).toBe(6);
    expect(split!.gradLeft).toBe(-6);
    // GL²/HL + GR²/HR - G²/H = 36/6 + 16/4 - 4/10
    expect(split!.gain).toBeCloseTo(9.6, 12);
  });

  it('sends missing values right when they look like the right side', () => {
    const g = [-1, -1, -1, -1, 1, 1, 1, 1, 1, 1];
    const { split } = bestSplit(matrix([['x', x]]), g);
    expect(split!.bin).toBe(3);
    expect(split!.missingLeft).toBe(false);
    expect(split!.countLeft).toBe(4);
    expect(split!.gain).toBeCloseTo(16 / 4 + 36 / 6 - 4 / 10, 12);
  });

  it('can separate missing from non-missing values alone', () => {
    const g = [1, 1, 1, 1, 1, 1, 1, 1, -3, -3];
    const { split } = bestSplit(matrix([['x', x]]), g);
    // Either form of the same partition: all non-missing on one side, missing on the other.
    expect(split!.countLeft === 8 || split!.countLeft === 2).toBe(true);
    const table = new Uint8Array(256);
    splitLeftTable(split!, 8, table);
    expect(table[8]).toBe(split!.missingLeft ? 1 : 0);
    expect(table[0]).toBe(split!.missingLeft ? 0 : 1);
  });

  it('picks the best feature and respects l2 regularisation in the gain', () => {
    const noise = Float64Array.of(5, 1, 4, 2, 3, 8, 6, 7, 9, 10);
    const g = [-1, -1, -1, -1, 1, 1, 1, 1, -1, -1];
    const { split } = bestSplit(
      matrix([
        ['noise', noise],
        ['x', x],
      ]),
      g,
      1,
      1,
    );
    expect(split!.feature).toBe(1);
    expect(split!.gain).toBeCloseTo(36 / 7 + 16 / 5 - 4 / 11, 12);
  });

  it('respects min_samples_leaf and returns null when no split is allowed or useful', () => {
    const g = [-1, -1, -1, -1, 1, 1, 1, 1, -1, -1];
    const { split } = bestSplit(matrix([['x', x]]), g, 4);
    expect(split!.countLeft).toBeGreaterThanOrEqual(4);
    expect(split!.countRight).toBeGreaterThanOrEqual(4);
    expect(bestSplit(matrix([['x', x]]), g, 6).split).toBeNull();
    expect(bestSplit(matrix([['x', x]]), new Array(10).fill(0.5)).split).toBeNull();
  });

  it('finds a categorical split by sorting categories on their gradient ratio', () => {
    // Codes 0..4 with 10 rows each; 1 and 3 have negative gradients. Code 5 never occurs.
    const codes: number[] = [];
    const g: number[] = [];
    for (let c = 0; c < 5; c++) {
      for (let k = 0; k < 10; k++) {
        codes.push(c);
        g.push(c === 1 || c === 3 ? -1 : 1);
      }
    }
    const { split } = bestSplit(matrix([['c', Float64Array.from(codes), 6]]), g);
    expect(split!.isCategorical).toBe(true);
    const left = split!.leftBins!;
    expect([0, 1, 2, 3, 4].filter((c) => left[c] === 1)).toEqual([1, 3]);
    expect(split!.countLeft).toBe(20);
    expect(split!.gain).toBeCloseTo(400 / 20 + 900 / 30 - 100 / 50, 10);
    // No missing values in the node: future missing values and the unseen code 5 go to the larger side (right).
    expect(split!.missingLeft).toBe(false);
    expect(left[5]).toBe(0);
    expect(left[6]).toBe(0); // missing bin
  });

  it('treats missing values as a category in categorical splits', () => {
    const codes: number[] = [];
    const g: number[] = [];
    for (let c = 0; c < 3; c++)
      for (let k = 0; k < 12; k++) {
        codes.push(c);
        g.push(c === 0 ? -1 : 1);
      }
    for (let k = 0; k < 12; k++) {
      codes.push(NaN);
      g.push(-1);
    }
    const { split } = bestSplit(matrix([['c', Float64Array.from(codes), 3]]), g);
    expect(split!.isCategorical).toBe(true);
    expect(split!.leftBins![0]).toBe(1);
    expect(split!.missingLeft).toBe(true);
    expect(split!.countLeft).toBe(24);
  });

  it('finds the maximum gain over all valid numeric splits (brute force, random data)', () => {
    const rng = new Rng(17);
    for (let trial = 0; trial < 80; trial++) {
      const n = 30 + rng.int(300);
      const p = 1 + rng.int(3);
      const cols: [string, Float64Array][] = [];
      for (let j = 0; j < p; j++) {
        const levels = 2 + rng.int(12);
        cols.push([`f${j}`, Float64Array.from({ length: n }, () => (rng.next() < 0.15 ? NaN : rng.int(levels)))]);
      }
      const X = matrix(cols);
      const g = Array.from({ length: n }, () => rng.normal() + (rng.next() < 0.5 ? 1 : 0));
      // Half the trials with constant hessians (squared error): histograms without hessian sums.
      const constantHessian = trial % 2 === 0;
      const h = Float64Array.from({ length: n }, () => (constantHessian ? 1 : 0.05 + rng.next()));
      const minLeaf = 1 + rng.int(15);
      const l2 = rng.next() < 0.5 ? 0 : rng.next() * 3;
      const mapper = fitBinMapper(X, { maxBins: 255 });
      const binned = binMatrix(mapper, X);
      const layout = new HistogramLayout(mapper.nBins);
      const features = Int32Array.from({ length: p }, (_, i) => i);
      const rows = Int32Array.from({ length: n }, (_, i) => i);
      const hist = new Float64Array(layout.size);
      const gg = Float64Array.from(g);
      buildHistogram(hist, layout, binned, n, features, p, rows, 0, n, gg, constantHessian ? null : h);
      const G = g.reduce((a, b) => a + b, 0);
      const H = h.reduce((a, b) => a + b, 0);
      const splitter = new Splitter(layout, mapper.nBins, mapper.isCategorical, {
        minSamplesLeaf: minLeaf,
        minHessianToSplit: 1e-3,
        l2Regularization: l2,
        constantHessian,
      });
      const split = splitter.findBestSplit(hist, features, p, G, H, n);
      // Brute force over rows: every feature, threshold and side for the missing values.
      let best = 0;
      for (let f = 0; f < p; f++) {
        const nb = mapper.nBins[f];
        for (let t = -1; t < nb; t++) {
          for (const missLeft of [false, true]) {
            let gl = 0;
            let hl = 0;
            let cl = 0;
            for (let i = 0; i < n; i++) {
              const b = binned[f * n + i];
              if (b === nb ? missLeft : b <= t) {
                gl += g[i];
                hl += h[i];
                cl++;
              }
            }
            if (cl < minLeaf || n - cl < minLeaf || hl < 1e-3 || H - hl < 1e-3) continue;
            const gain = (gl * gl) / (hl + l2) + ((G - gl) * (G - gl)) / (H - hl + l2) - (G * G) / (H + l2);
            best = Math.max(best, gain);
          }
        }
      }
      if (best <= 1e-9) {
        expect(split === null || split.gain < 1e-6).toBe(true);
      } else {
        expect(split).not.toBeNull();
        expect(split!.gain).toBeCloseTo(best, 8);
        expect(split!.countLeft).toBeGreaterThanOrEqual(minLeaf);
        expect(split!.countRight).toBeGreaterThanOrEqual(minLeaf);
      }
    }
  });
});
