/**
 * The search behind bestSingleFeatureRule (baselines.ts): the best one-column split of the training
 * rows (a decision stump), numeric (a rounded threshold) or categorical (a set of levels), with a
 * direction for missing values, scored by Gini impurity or squared error.
 */
import type { Task } from '../models/types.ts';

export interface StumpSplit {
  column: number;
  kind: 'numeric' | 'categorical';
  threshold: number;
  leftSet: Set<number>;
  /** Categories seen in training (others follow the missing direction). */
  seen: Set<number>;
  missingLeft: boolean;
  missingSeen: boolean;
  impurity: number;
}

export function goesLeft(split: StumpSplit, v: number): boolean {
  if (Number.isNaN(v)) return split.missingLeft;
  if (split.kind === 'numeric') return v <= split.threshold;
  if (!split.seen.has(v)) return split.missingLeft;
  return split.leftSet.has(v);
}

export interface Leaf {
  value: number;
  proba?: Float64Array;
}

/** Sufficient statistics of the target for a set of rows: class counts, or [count, sum, sum of squares]. */
export class TargetStats {
  readonly width: number;
  constructor(
    readonly task: Task,
    readonly y: Float64Array,
    readonly nClasses: number,
  ) {
    this.width = task === 'regression' ? 3 : nClasses + 1;
  }
  empty(): Float64Array {
    return new Float64Array(this.width);
  }
  add(acc: Float64Array, row: number, sign = 1): void {
    const v = this.y[row];
    if (this.task === 'regression') {
      acc[0] += sign;
      acc[1] += sign * v;
      acc[2] += sign * v * v;
    } else {
      acc[0] += sign;
      acc[1 + v] += sign;
    }
  }
  total(): Float64Array {
    const acc = this.empty();
    for (let i = 0; i < this.y.length; i++) this.add(acc, i);
    return acc;
  }
  /** Count-weighted impurity: n · Gini, or the sum of squared errors around the mean. */
  impurity(acc: Float64Array): number {
    const n = acc[0];
    if (n <= 0) return 0;
    if (this.task === 'regression') return Math.max(0, acc[2] - (acc[1] * acc[1]) / n);
    let sq = 0;
    for (let k = 0; k < this.nClasses; k++) sq += acc[1 + k] * acc[1 + k];
    return n - sq / n;
  }
  leaf(acc: Float64Array): Leaf {
    const n = acc[0];
    if (this.task === 'regression') return { value: n > 0 ? acc[1] / n : 0 };
    const K = this.nClasses;
    const proba = new Float64Array(K);
    let best = 0;
    for (let k = 0; k < K; k++) {
      proba[k] = (acc[1 + k] + 1) / (n + K);
      if (acc[1 + k] > acc[1 + best]) best = k;
    }
    return { value: best, proba };
  }
  /** For ordering categories: mean target (regression) or share of class 1 (binary). */
  order(acc: Float64Array): number {
    if (acc[0] === 0) return 0;
    return this.task === 'regression' ? acc[1] / acc[0] : acc[2] / acc[0];
  }
}

function plus(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  return out;
}

function minus(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] - b[i];
  return out;
}

/** Best of the two missing-value placements for one left/right partition of the non-missing rows. */
function scorePartition(
  stats: TargetStats,
  left: Float64Array,
  right: Float64Array,
  missing: Float64Array,
  minLeaf: number,
): { impurity: number; missingLeft: boolean } | null {
  let best: { impurity: number; missingLeft: boolean } | null = null;
  for (const missingLeft of missing[0] > 0 ? [true, false] : [left[0] >= right[0]]) {
    const l = missingLeft ? plus(left, missing) : left;
    const r = missingLeft ? right : plus(right, missing);
    if (l[0] < minLeaf || r[0] < minLeaf) continue;
    const impurity = stats.impurity(l) + stats.impurity(r);
    if (!best || impurity < best.impurity) best = { impurity, missingLeft };
  }
  return best;
}

export function bestNumericSplit(col: Float64Array, stats: TargetStats, minLeaf: number): Omit<StumpSplit, 'column'> | null {
  const present: number[] = [];
  const missing = stats.empty();
  for (let i = 0; i < col.length; i++) {
    if (Number.isNaN(col[i])) stats.add(missing, i);
    else present.push(i);
  }
  present.sort((a, b) => col[a] - col[b]);
  const all = stats.empty();
  for (const i of present) stats.add(all, i);
  const left = stats.empty();
  let best: Omit<StumpSplit, 'column'> | null = null;
  for (let t = 0; t < present.length - 1; t++) {
    stats.add(left, present[t]);
    const a = col[present[t]];
    const b = col[present[t + 1]];
    if (a === b) continue;
    const scored = scorePartition(stats, left, minus(all, left), missing, minLeaf);
    if (!scored || (best && scored.impurity >= best.impurity - 1e-12)) continue;
    const threshold = roundThreshold(a, b);
    best = {
      kind: 'numeric',
      threshold,
      leftSet: new Set(),
      seen: new Set(),
      missingLeft: scored.missingLeft,
      missingSeen: missing[0] > 0,
      impurity: scored.impurity,
    };
  }
  return best;
}

/**
 * The number with the fewest significant digits in [a, b), so the rule reads "Age ≤ 12.5" rather than
 * "Age ≤ 12.4999999": any threshold in [a, b) splits the training rows the same way.
 */
export function roundThreshold(a: number, b: number): number {
  const mid = a + (b - a) / 2;
  for (let digits = 1; digits <= 17; digits++) {
    const t = Number(mid.toPrecision(digits));
    if (t >= a && t < b) return t;
  }
  return a;
}

export function bestCategoricalSplit(col: Float64Array, stats: TargetStats, minLeaf: number): Omit<StumpSplit, 'column'> | null {
  const byLevel = new Map<number, Float64Array>();
  const missing = stats.empty();
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (Number.isNaN(v)) {
      stats.add(missing, i);
      continue;
    }
    let acc = byLevel.get(v);
    if (!acc) byLevel.set(v, (acc = stats.empty()));
    stats.add(acc, i);
  }
  const levels = [...byLevel.keys()];
  if (levels.length < 2) return null;
  const all = stats.empty();
  for (const acc of byLevel.values()) for (let k = 0; k < all.length; k++) all[k] += acc[k];
  // Candidate left sets: prefixes of the levels ordered by target (optimal for regression and binary,
  // Fisher 1958 / Breiman et al. 1984), or each single level for multiclass.
  const candidates: number[][] = [];
  if (stats.task === 'multiclass') {
    for (const l of levels) candidates.push([l]);
  } else {
    levels.sort((a, b) => stats.order(byLevel.get(a)!) - stats.order(byLevel.get(b)!) || a - b);
    for (let t = 1; t < levels.length; t++) candidates.push(levels.slice(0, t));
  }
  let best: Omit<StumpSplit, 'column'> | null = null;
  for (const set of candidates) {
    const left = stats.empty();
    for (const l of set) for (let k = 0; k < left.length; k++) left[k] += byLevel.get(l)![k];
    const scored = scorePartition(stats, left, minus(all, left), missing, minLeaf);
    if (!scored || (best && scored.impurity >= best.impurity - 1e-12)) continue;
    best = {
      kind: 'categorical',
      threshold: NaN,
      leftSet: new Set(set),
      seen: new Set(levels),
      missingLeft: scored.missingLeft,
      missingSeen: missing[0] > 0,
      impurity: scored.impurity,
    };
  }
  return best;
}
