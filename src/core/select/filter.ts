/**
 * Filter statistics for feature selection, computed on training rows only:
 * - mutual information between each feature and the target (both discretised into quantile bins;
 *   categorical features by level), with a permutation baseline so "no information" means "no more
 *   than a shuffled copy of the feature would show";
 * - redundancy: pairs of numeric features whose absolute Pearson correlation is at least a threshold.
 */
import { Rng } from '../util/random.ts';

export interface FilterColumn {
  name: string;
  /** Numeric values (NaN missing) or categorical codes as doubles (NaN missing). */
  values: Float64Array;
  categorical: boolean;
}

/** Quantile-bin codes (missing gets its own bin). */
export function discretise(values: Float64Array, categorical: boolean, bins = 16): { codes: Int32Array; k: number } {
  const n = values.length;
  const codes = new Int32Array(n);
  if (categorical) {
    const map = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const v = values[i];
      const key = Number.isNaN(v) ? -1 : v;
      let c = map.get(key);
      if (c === undefined) map.set(key, (c = map.size));
      codes[i] = c;
    }
    return { codes, k: Math.max(1, map.size) };
  }
  const finite = Array.from(values)
    .filter((v) => !Number.isNaN(v))
    .sort((a, b) => a - b);
  const edges: number[] = [];
  for (let b = 1; b < bins; b++) {
    const e = finite[Math.floor((b * finite.length) / bins)];
    if (e !== undefined && (edges.length === 0 || e > edges[edges.length - 1])) edges.push(e);
  }
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (Number.isNaN(v)) codes[i] = edges.length + 1;
    else {
      let lo = 0;
      let hi = edges.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (v < edges[mid]) hi = mid;
        else lo = mid + 1;
      }
      codes[i] = lo;
    }
  }
  return { codes, k: edges.length + 2 };
}

/** Plug-in mutual information (nats) between two discrete codings. */
export function mutualInformation(a: Int32Array, ka: number, b: Int32Array, kb: number): number {
  const n = a.length;
  const joint = new Float64Array(ka * kb);
  const pa = new Float64Array(ka);
  const pb = new Float64Array(kb);
  for (let i = 0; i < n; i++) {
    joint[a[i] * kb + b[i]]++;
    pa[a[i]]++;
    pb[b[i]]++;
  }
  let mi = 0;
  for (let x = 0; x < ka; x++) {
    for (let y = 0; y < kb; y++) {
      const j = joint[x * kb + y];
      if (j > 0) mi += (j / n) * Math.log((j * n) / (pa[x] * pb[y]));
    }
  }
  return Math.max(0, mi);
}

export interface MiScore {
  name: string;
  mi: number;
  /** MI of a shuffled copy of the feature (the plug-in estimator's bias at this sample size). */
  baseline: number;
}

export function mutualInformationScores(columns: FilterColumn[], target: Float64Array, targetCategorical: boolean, seed: number): MiScore[] {
  const t = discretise(target, targetCategorical);
  const rng = new Rng(seed);
  return columns.map((col) => {
    const d = discretise(col.values, col.categorical);
    const mi = mutualInformation(d.codes, d.k, t.codes, t.k);
    const shuffled = rng.shuffle(Int32Array.from(d.codes));
    const baseline = mutualInformation(shuffled, d.k, t.codes, t.k);
    return { name: col.name, mi, baseline };
  });
}

export interface RedundantPair {
  a: string;
  b: string;
  correlation: number;
}

/** Numeric pairs with |Pearson r| ≥ threshold (pairwise-complete rows). */
export function redundantPairs(columns: FilterColumn[], threshold = 0.98): RedundantPair[] {
  const numeric = columns.filter((c) => !c.categorical);
  const out: RedundantPair[] = [];
  for (let i = 0; i < numeric.length; i++) {
    for (let j = i + 1; j < numeric.length; j++) {
      const r = pearson(numeric[i].values, numeric[j].values);
      if (Math.abs(r) >= threshold) out.push({ a: numeric[i].name, b: numeric[j].name, correlation: r });
    }
  }
  return out;
}

export function pearson(x: Float64Array, y: Float64Array): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    n++;
    sx += x[i];
    sy += y[i];
  }
  if (n < 3) return 0;
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}
