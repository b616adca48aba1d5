/** Seeded synthetic FeatureMatrix data sets for model tests. */
import type { FeatureMatrix } from '../../src/core/prep/matrix.ts';
import { Rng } from '../../src/core/util/random.ts';

export function matrix(columns: number[][]): FeatureMatrix {
  return {
    rows: columns[0].length,
    features: columns.map((_, j) => ({ name: `x${j}`, kind: 'numeric' as const, source: `x${j}` })),
    columns: columns.map((c) => Float64Array.from(c)),
  };
}

/** y = sum_j coef[j] * x_j + intercept + noise * N(0, 1), x ~ N(0, 1). */
export function linearData(n: number, coef: number[], intercept: number, noise: number, seed: number): { X: FeatureMatrix; y: Float64Array } {
  const rng = new Rng(seed);
  const cols = coef.map(() => new Array<number>(n));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = intercept;
    coef.forEach((c, j) => {
      const v = rng.normal();
      cols[j][i] = v;
      s += c * v;
    });
    y[i] = s + noise * rng.normal();
  }
  return { X: matrix(cols), y };
}

/** Classes drawn from a softmax over linear scores (K = weights.length classes). */
export function softmaxData(n: number, weights: number[][], seed: number): { X: FeatureMatrix; y: Float64Array } {
  const rng = new Rng(seed);
  const p = weights[0].length;
  const cols = Array.from({ length: p }, () => new Array<number>(n));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: p }, () => rng.normal());
    x.forEach((v, j) => (cols[j][i] = v));
    const z = weights.map((w) => w.reduce((a, wj, j) => a + wj * x[j], 0));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const sum = e.reduce((a, b) => a + b, 0);
    let u = rng.next() * sum;
    let k = 0;
    while (k < e.length - 1 && u > e[k]) u -= e[k++];
    y[i] = k;
  }
  return { X: matrix(cols), y };
}

/** Two interleaved rings-like classes a linear model cannot separate: y = 1 when x0 * x1 > 0 (XOR). */
export function xorData(n: number, seed: number): { X: FeatureMatrix; y: Float64Array } {
  const rng = new Rng(seed);
  const a: number[] = [];
  const b: number[] = [];
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.uniform(-1, 1);
    const v = rng.uniform(-1, 1);
    a.push(u);
    b.push(v);
    y[i] = u * v > 0 ? 1 : 0;
  }
  return { X: matrix([a, b]), y };
}

// The metrics tests check these against scikit-learn; the model tests use the same ones.
export { accuracy as accuracyOf, r2 as r2Of } from '../../src/core/eval/metrics.ts';
