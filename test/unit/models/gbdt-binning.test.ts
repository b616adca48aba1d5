import { describe, expect, it } from 'vitest';
import { binMatrix, binValue, fitBinMapper, numericThresholds } from '../../../src/core/models/trees/binning.ts';
import { Rng } from '../../../src/core/util/random.ts';
import { matrix } from './tree-fixtures.ts';

describe('gbdt binning', () => {
  it('uses midpoints between distinct values when there are few of them', () => {
    const thr = numericThresholds(Float64Array.of(3, 1, 2, 2, 10, 1), 255);
    expect(Array.from(thr)).toEqual([1.5, 2.5, 6.5]);
  });

  it('uses midpoint quantiles when there are more distinct values than bins (numpy "midpoint")', () => {
    const values = Float64Array.from({ length: 101 }, (_, i) => i * 0.5 + 0.25); // not integers: sort path
    const thr = numericThresholds(values.slice(), 4);
    // numpy.percentile(values, [25, 50, 75], method="midpoint") on 101 evenly spaced values
    expect(Array.from(thr)).toEqual([12.75, 25.25, 37.75]);
  });

  it('counts integer columns to the same thresholds as sorting them', () => {
    const rng = new Rng(5);
    for (let trial = 0; trial < 50; trial++) {
      const range = 1 + rng.int(trial % 2 ? 30 : 2000);
      const ints = Float64Array.from({ length: 1 + rng.int(3000) }, () => Math.floor(rng.next() ** 2 * range));
      const maxBins = 2 + rng.int(60);
      const counted = numericThresholds(ints.slice(), maxBins);
      const sorted = numericThresholds(
        Float64Array.from(ints, (v) => v + 0.5),
        maxBins,
      ).map((v) => v - 0.5);
      expect(Array.from(counted)).toEqual(Array.from(sorted));
    }
  });

  it('keeps at most max_bins bins, merges repeated edges, and bins values consistently', () => {
    const rng = new Rng(1);
    const n = 5000;
    const col = Float64Array.from({ length: n }, () => (rng.next() < 0.3 ? 0 : rng.normal()));
    col[7] = NaN;
    col[99] = NaN;
    const X = matrix([['x', col]]);
    const mapper = fitBinMapper(X, { maxBins: 16 });
    const thr = mapper.thresholds[0];
    expect(mapper.nBins[0]).toBe(thr.length + 1);
    expect(mapper.nBins[0]).toBeLessThanOrEqual(16);
    for (let i = 1; i < thr.length; i++) expect(thr[i]).toBeGreaterThan(thr[i - 1]);
    expect(mapper.hasMissing[0]).toBe(1);
    const binned = binMatrix(mapper, X);
    for (let i = 0; i < n; i++) {
      const b = binned[i];
      if (Number.isNaN(col[i])) {
        expect(b).toBe(mapper.nBins[0]); // the missing bin is one past the last real bin
        continue;
      }
      expect(b).toBe(binValue(mapper, 0, col[i]));
      if (b > 0) expect(col[i]).toBeGreaterThan(thr[b - 1]);
      if (b < thr.length) expect(col[i]).toBeLessThanOrEqual(thr[b]);
    }
    // Each quantile bin holds roughly n / bins rows, except the heavy zero.
    const counts = new Array(mapper.nBins[0] + 1).fill(0);
    for (const b of binned) counts[b]++;
    expect(Math.max(...counts)).toBeLessThan(0.35 * n);
  });

  it('maps categorical codes to bins and invalid codes to the missing bin', () => {
    const X = matrix([['c', Float64Array.of(0, 2, 2, NaN, 1, 7, 2.5, -1), 4]]);
    const mapper = fitBinMapper(X, { maxBins: 255 });
    expect(mapper.isCategorical[0]).toBe(1);
    expect(mapper.nBins[0]).toBe(4);
    expect(Array.from(binMatrix(mapper, X))).toEqual([0, 2, 2, 4, 1, 4, 4, 4]);
  });

  it('gives the most frequent levels their own bins when there are more levels than bins', () => {
    const codes: number[] = [];
    for (let c = 0; c < 10; c++) for (let k = 0; k < (c === 3 || c === 8 ? 50 : c + 1); k++) codes.push(c);
    const X = matrix([['c', Float64Array.from(codes), 10]]);
    const mapper = fitBinMapper(X, { maxBins: 4 });
    const c2b = mapper.codeToBin[0]!;
    expect(mapper.nBins[0]).toBe(4);
    // 3 and 8 (50 rows each) and 9 (10 rows) keep a bin each, in code order; the rest share bin 3.
    expect(c2b[3]).toBe(0);
    expect(c2b[8]).toBe(1);
    expect(c2b[9]).toBe(2);
    for (const c of [0, 1, 2, 4, 5, 6, 7]) expect(c2b[c]).toBe(3);
  });

  it('handles an all-missing feature with one empty bin', () => {
    const X = matrix([['m', Float64Array.of(NaN, NaN, NaN)]]);
    const mapper = fitBinMapper(X, { maxBins: 255 });
    expect(mapper.nBins[0]).toBe(1);
    expect(Array.from(binMatrix(mapper, X))).toEqual([1, 1, 1]);
  });

  it('rejects max_bins outside 2..255', () => {
    const X = matrix([['x', Float64Array.of(1, 2)]]);
    expect(() => fitBinMapper(X, { maxBins: 256 })).toThrow(/max_bins.*256/);
    expect(() => fitBinMapper(X, { maxBins: 1 })).toThrow(/max_bins/);
  });

  it('bins integer columns through a lookup table exactly as the binary search does', () => {
    const rng = new Rng(4);
    for (const range of [10, 300, 5000]) {
      const col = Float64Array.from({ length: 4000 }, () => (rng.next() < 0.05 ? NaN : Math.floor(rng.next() ** 3 * range) - 50));
      const X = matrix([['i', col]]);
      const mapper = fitBinMapper(X, { maxBins: 32 });
      const binned = binMatrix(mapper, X);
      for (let i = 0; i < col.length; i++) expect(binned[i]).toBe(binValue(mapper, 0, col[i]));
      // Values outside the fitted range (predict-time data) too.
      const probe = Float64Array.of(-1e6, -51, range + 10, 1e9, NaN);
      const pb = binMatrix(mapper, matrix([['i', probe]]));
      for (let i = 0; i < probe.length; i++) expect(pb[i]).toBe(binValue(mapper, 0, probe[i]));
    }
  });
});
