/** Small synthetic tables with known structure for the tree learners' tests. */
import type { FeatureMatrix, FeatureSpec } from '../../../src/core/prep/matrix.ts';
import { Rng } from '../../../src/core/util/random.ts';

export interface Table {
  X: FeatureMatrix;
  y: Float64Array;
}

/**
 * Binary target from two numeric features (one with 10% missing values that carry signal), a
 * categorical feature whose levels {1, 3, 4} raise the odds, and two noise features.
 */
export function binaryTable(n: number, seed = 1): Table {
  const rng = new Rng(seed);
  const x0 = new Float64Array(n);
  const x1 = new Float64Array(n);
  const cat = new Float64Array(n);
  const noise = new Float64Array(n);
  const noiseCat = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x0[i] = rng.normal();
    const missing = rng.next() < 0.1;
    x1[i] = missing ? NaN : rng.uniform(-2, 2);
    cat[i] = rng.int(6);
    noise[i] = rng.normal();
    noiseCat[i] = rng.int(4);
    let z = 1.5 * x0[i] + (missing ? 1.5 : x1[i] > 0.5 ? 1 : -1) + (cat[i] === 1 || cat[i] === 3 || cat[i] === 4 ? 1.5 : -1);
    z += 0.3 * rng.normal();
    y[i] = z > 0.2 ? 1 : 0;
  }
  return {
    X: matrix([
      ['x0', x0],
      ['x1', x1],
      ['cat', cat, 6],
      ['noise', noise],
      ['noise_cat', noiseCat, 4],
    ]),
    y,
  };
}

/** Three classes from two numeric features and a categorical one. */
export function multiclassTable(n: number, seed = 2): Table {
  const rng = new Rng(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const c = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = rng.uniform(0, 3);
    b[i] = rng.normal();
    c[i] = rng.int(3);
    const base = Math.floor(a[i]);
    y[i] = rng.next() < 0.9 ? (b[i] > 1 ? c[i] : Math.min(2, base)) : rng.int(3);
  }
  return {
    X: matrix([
      ['a', a],
      ['b', b],
      ['c', c, 3],
    ]),
    y,
  };
}

/** Smooth regression target with an interaction, a step and a categorical offset. */
export function regressionTable(n: number, seed = 3): Table {
  const rng = new Rng(seed);
  const u = new Float64Array(n);
  const v = new Float64Array(n);
  const c = new Float64Array(n);
  const noise = new Float64Array(n);
  const y = new Float64Array(n);
  const offsets = [0, 2, -1, 3];
  for (let i = 0; i < n; i++) {
    u[i] = rng.uniform(-2, 2);
    v[i] = rng.uniform(-2, 2);
    c[i] = rng.int(4);
    noise[i] = rng.normal();
    y[i] = 2 * Math.sin(u[i]) + u[i] * v[i] + (v[i] > 1 ? 2 : 0) + offsets[c[i]] + 0.1 * rng.normal();
  }
  return {
    X: matrix([
      ['u', u],
      ['v', v],
      ['c', c, 4],
      ['noise', noise],
    ]),
    y,
  };
}

export function matrix(cols: ([string, Float64Array] | [string, Float64Array, number])[]): FeatureMatrix {
  const features: FeatureSpec[] = cols.map(([name, , levels]) =>
    levels === undefined ? { name, kind: 'numeric', source: name } : { name, kind: 'categorical', nLevels: levels, source: name },
  );
  return { rows: cols[0][1].length, features, columns: cols.map(([, col]) => col) };
}

export function takeRows(t: Table, rows: ArrayLike<number>): Table {
  const idx = Array.from(rows);
  return {
    X: {
      rows: idx.length,
      features: t.X.features,
      columns: t.X.columns.map((col) => Float64Array.from(idx, (r) => col[r])),
    },
    y: Float64Array.from(idx, (r) => t.y[r]),
  };
}

export function permutation(n: number, seed: number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  return new Rng(seed).shuffle(p);
}
