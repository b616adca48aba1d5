/**
 * Seeded train/test splits and k-fold cross-validation, stratified by class for classification so
 * every fold keeps the class balance (scikit-learn's StratifiedShuffleSplit / StratifiedKFold idea).
 */
import { Rng, range } from '../util/random.ts';

export interface SplitOptions {
  testSize: number;
  seed: number;
  stratify: boolean;
}

export interface Split {
  train: Int32Array;
  test: Int32Array;
}

export interface Fold {
  train: Int32Array;
  valid: Int32Array;
}

/** Row indices grouped by class (stratify) or one group of all rows, each group shuffled. */
function shuffledGroups(y: ArrayLike<number>, stratify: boolean, rng: Rng): number[][] {
  if (!stratify) return [Array.from(rng.shuffle(range(y.length)))];
  const groups = new Map<number, number[]>();
  for (let i = 0; i < y.length; i++) {
    let g = groups.get(y[i]);
    if (!g) groups.set(y[i], (g = []));
    g.push(i);
  }
  return [...groups.keys()].sort((a, b) => a - b).map((k) => rng.shuffle(groups.get(k)!));
}

/**
 * Holds out round(testSize * n) rows. Stratified: each class contributes its share (largest remainders
 * decide the rounding), so tiny classes still appear on both sides when they can.
 */
export function trainTestSplit(y: ArrayLike<number>, opts: SplitOptions): Split {
  const n = y.length;
  if (!(opts.testSize > 0 && opts.testSize < 1)) throw new Error(`test size must be between 0 and 1, got ${opts.testSize}`);
  const nTest = Math.max(1, Math.min(n - 1, Math.round(opts.testSize * n)));
  const rng = new Rng(opts.seed);
  const groups = shuffledGroups(y, opts.stratify, rng);
  const exact = groups.map((g) => (g.length * nTest) / n);
  const take = exact.map(Math.floor);
  let remaining = nTest - take.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (remaining <= 0) break;
    if (take[i] < groups[i].length) {
      take[i]++;
      remaining--;
    }
  }
  const test: number[] = [];
  const train: number[] = [];
  groups.forEach((g, gi) => {
    for (let t = 0; t < g.length; t++) (t < take[gi] ? test : train).push(g[t]);
  });
  return { train: Int32Array.from(train.sort((a, b) => a - b)), test: Int32Array.from(test.sort((a, b) => a - b)) };
}

/** k folds; stratified folds deal each class's shuffled rows round-robin so class shares match. */
export function kFold(y: ArrayLike<number>, opts: { k: number; seed: number; stratify: boolean }): Fold[] {
  const n = y.length;
  const k = Math.floor(opts.k);
  if (k < 2 || k > n) throw new Error(`k-fold needs 2 <= k <= rows (${n}), got ${opts.k}`);
  const rng = new Rng(opts.seed);
  const foldOf = new Int32Array(n);
  let next = 0;
  for (const g of shuffledGroups(y, opts.stratify, rng)) {
    for (const row of g) {
      foldOf[row] = next;
      next = (next + 1) % k;
    }
  }
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const train: number[] = [];
    const valid: number[] = [];
    for (let i = 0; i < n; i++) (foldOf[i] === f ? valid : train).push(i);
    folds.push({ train: Int32Array.from(train), valid: Int32Array.from(valid) });
  }
  return folds;
}

/** A stratified subsample of `size` rows from `rows` (for successive halving on rows). */
export function subsampleRows(rows: Int32Array, y: ArrayLike<number>, size: number, seed: number, stratify: boolean): Int32Array {
  if (size >= rows.length) return rows;
  const local = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) local[i] = y[rows[i]];
  const { test } = trainTestSplit(local, { testSize: size / rows.length, seed, stratify });
  return Int32Array.from(test, (i) => rows[i]);
}

/** Up to `max` positions of 0..n-1, evenly strided from a seeded offset (all when n ≤ max). */
export function samplePositions(n: number, max: number, seed: number): Int32Array {
  if (n <= max) return Int32Array.from({ length: n }, (_, i) => i);
  const step = n / max;
  const offset = (seed % 997) / 997;
  return Int32Array.from({ length: max }, (_, i) => Math.min(n - 1, Math.floor((i + offset) * step)));
}
