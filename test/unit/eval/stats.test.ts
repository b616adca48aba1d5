import { describe, expect, it } from 'vitest';
import {
  betaInc,
  binomialCdf,
  binomialPmf,
  binomialSf,
  chiSquareCdf,
  chiSquareSf,
  erf,
  erfc,
  gammaP,
  gammaQ,
  logGamma,
  normalCdf,
  normalQuantile,
  normalSf,
  normalTwoSidedP,
  quantileSorted,
  studentTCdf,
  studentTQuantile,
  studentTTwoSidedP,
} from '../../../src/core/eval/stats.ts';
import { statsRef } from './fixtures/scipyReference.ts';

// Reference values: SciPy 1.10.1 (fixtures/scipy_reference.py). Relative error, with an absolute floor
// for values that are (nearly) zero.
function expectClose(actual: number, expected: number, rel: number, abs = 1e-300): void {
  const err = Math.abs(actual - expected);
  expect(err <= Math.max(abs, rel * Math.abs(expected)), `${actual} vs ${expected}`).toBe(true);
}

describe('special functions', () => {
  it('log-gamma', () => {
    for (const [x, v] of statsRef.lgamma) expectClose(logGamma(x), v, 1e-13, 1e-15);
    expect(logGamma(1)).toBe(0);
    expect(logGamma(0)).toBe(Infinity);
  });

  it('regularised incomplete gamma P and Q', () => {
    for (const [a, x, p, q] of statsRef.gammainc) {
      expectClose(gammaP(a, x), p, 1e-13);
      expectClose(gammaQ(a, x), q, 1e-13);
    }
    expect(() => gammaP(-1, 1)).toThrow(/a > 0/);
  });

  it('regularised incomplete beta', () => {
    for (const [x, a, b, v] of statsRef.betainc) expectClose(betaInc(x, a, b), v, 1e-13);
    expect(betaInc(0, 2, 3)).toBe(0);
    expect(betaInc(1, 2, 3)).toBe(1);
  });

  it('erf and erfc (published values)', () => {
    // Abramowitz & Stegun table 7.1.
    expectClose(erf(0.5), 0.5204998778130465, 1e-14);
    expectClose(erfc(2), 0.004677734981047266, 1e-14);
    expectClose(erf(-1), -0.8427007929497149, 1e-14);
  });
});

describe('normal distribution', () => {
  it('CDF and survival function, deep into both tails', () => {
    for (const [x, v] of statsRef.ncdf) expectClose(normalCdf(x), v, 1e-13, 1e-310);
    for (const [x, v] of statsRef.nsf) expectClose(normalSf(x), v, 1e-13, 1e-310);
  });

  it('quantile to ~1e-14 (Acklam + Halley step)', () => {
    for (const [p, v] of statsRef.nq) expectClose(normalQuantile(p), v, 1e-13, 1e-15);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(1.5)).toThrow(/0 <= p <= 1/);
  });

  it('quantile inverts the CDF', () => {
    for (const x of [-7, -2.5, -0.1, 0.3, 1.7, 4]) expect(normalQuantile(normalCdf(x))).toBeCloseTo(x, 11);
  });

  it('two-sided p-value', () => {
    expect(normalTwoSidedP(1.959963984540054)).toBeCloseTo(0.05, 14);
    expect(normalTwoSidedP(-1.959963984540054)).toBeCloseTo(0.05, 14);
    expect(normalTwoSidedP(0)).toBe(1);
  });
});

describe('Student t', () => {
  it('CDF for integer and fractional degrees of freedom', () => {
    for (const [t, df, v] of statsRef.tcdf) expectClose(studentTCdf(t, df), v, 1e-12, 1e-300);
  });

  it('quantile (checked by inverting, as SciPy ppf itself is only ~1e-9 accurate)', () => {
    for (const [p, df, v] of statsRef.tq) {
      expectClose(studentTQuantile(p, df), v, 1e-8);
      expectClose(studentTCdf(studentTQuantile(p, df), df), p, 1e-12);
    }
    // Textbook table: t(0.975, 10) = 2.228, t(0.995, 5) = 4.032; full digits from mpmath at 30 digits.
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138851986275, 13);
    expect(studentTQuantile(0.995, 5)).toBeCloseTo(4.032142983555228, 12);
  });

  it('two-sided p-value', () => {
    expect(studentTTwoSidedP(2.228138851986274, 10)).toBeCloseTo(0.05, 13);
    expect(studentTTwoSidedP(Infinity, 3)).toBe(0);
  });
});

describe('chi-square', () => {
  it('CDF and survival function', () => {
    for (const [x, df, c, s] of statsRef.chi) {
      expectClose(chiSquareCdf(x, df), c, 1e-13);
      expectClose(chiSquareSf(x, df), s, 1e-13);
    }
    // Table value: the 95th percentile of chi-square(1) is 3.841459.
    expect(chiSquareSf(3.841458820694124, 1)).toBeCloseTo(0.05, 14);
  });
});

describe('binomial', () => {
  it('exact pmf, CDF and survival function', () => {
    for (const [k, n, p, c, s, pmf] of statsRef.binom) {
      expectClose(binomialCdf(k, n, p), c, 1e-12, 1e-300);
      expectClose(binomialSf(k, n, p), s, 1e-12, 1e-300);
      expectClose(binomialPmf(k, n, p), pmf, 1e-12, 1e-300);
    }
    // Small enough to check by hand: P(X ≤ 1) for Bin(4, ½) = (1 + 4) / 16.
    expect(binomialCdf(1, 4, 0.5)).toBeCloseTo(5 / 16, 15);
  });

  it('rejects a bad n or p', () => {
    expect(() => binomialCdf(1, 2.5, 0.5)).toThrow(/whole number/);
    expect(() => binomialCdf(1, 3, 1.5)).toThrow(/\[0, 1\]/);
  });
});

describe('quantileSorted', () => {
  it('interpolates like numpy', () => {
    const s = Float64Array.from([1, 2, 3, 4]);
    expect(quantileSorted(s, 0.5)).toBe(2.5);
    expect(quantileSorted(s, 0.025)).toBeCloseTo(1.075, 14);
    expect(quantileSorted(s, 1)).toBe(4);
  });
});
