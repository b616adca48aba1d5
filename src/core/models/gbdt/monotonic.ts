/**
 * Monotonic constraints for the GBDT, the way scikit-learn's `monotonic_cst` and LightGBM's basic
 * method work:
 *
 *   - Split constraint: on a feature constrained increasing (+1), a split is allowed only when the left
 *     child's value is ≤ the right child's (≥ for decreasing, −1); values are the Newton steps
 *     −G / (H + l2), clipped to the node's bounds.
 *   - Leaf-value constraint: every node carries bounds [lo, hi] on its value; after a split on a
 *     constrained feature the children get [lo, mid] and [mid, hi] (mid = the mean of the two values,
 *     sides swapped for decreasing), after any other split they inherit the parent's bounds; leaf values
 *     are clipped to them. Together this makes every tree — and so their sum — monotonic in the feature.
 *
 * Gains under bounds are computed from the bounded values (score of a side with value v:
 * −(2 G v + (H + l2) v²), which is G² / (H + l2) at the unbounded optimum), for every numeric feature,
 * so that constrained and free features compete on the same footing. Missing values go to either side
 * as usual: the constraint is over the feature's values, not over "missing".
 */
import type { ScanInput } from './numeric-scan.ts';
import { GAIN_TIE_TOLERANCE } from '../trees/gain-ties.ts';

/** Per-feature constraint: +1 increasing, −1 decreasing, 0 free; null when no feature is constrained. */
export type MonotonicConstraints = Int8Array | null;

export const clampValue = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

/** Score of one side at its bounded Newton value (the unbounded formula's G²/(H+l2) when inside). */
export function boundedScore(g: number, h: number, l2: number, lo: number, hi: number): number {
  const v = clampValue(-g / (h + l2 + 1e-15), lo, hi);
  return -(2 * g * v + (h + l2) * v * v);
}

export interface BoundedBest {
  gain: number;
  bin: number;
  missingLeft: boolean;
  gl: number;
  hl: number;
  cl: number;
  valueLeft: number;
  valueRight: number;
}

/**
 * Both scans of a numeric feature (missing right, then — with missing values — missing left) under a
 * node's bounds [lo, hi] and the feature's constraint `cst`; the histogram, node sums and limits come
 * from `s` (numeric-scan.ts). Updates `best` when a split beats best.gain.
 */
export function scanNumericBounded(s: ScanInput, lo: number, hi: number, cst: number, best: BoundedBest): boolean {
  const { hist, offset: o, nBins: nb, hasMissing, hessSlot, sumG: G, sumH: H, count: C, minLeaf, minHess, l2 } = s;
  const tolerance = GAIN_TIE_TOLERANCE;
  const parentScore = boundedScore(G, H, l2, lo, hi);
  let found = false;
  const consider = (t: number, gl: number, hl: number, cl: number, missingLeft: boolean): void => {
    const gr = G - gl;
    const hr = H - hl;
    const vl = clampValue(-gl / (hl + l2 + 1e-15), lo, hi);
    const vr = clampValue(-gr / (hr + l2 + 1e-15), lo, hi);
    if ((cst > 0 && vl > vr) || (cst < 0 && vl < vr)) return;
    const score = -(2 * gl * vl + (hl + l2) * vl * vl) - (2 * gr * vr + (hr + l2) * vr * vr);
    const gain = score - parentScore;
    if (!(gain > best.gain + tolerance * Math.abs(best.gain)) || !(gain > tolerance * Math.abs(score))) return;
    best.gain = gain;
    best.bin = t;
    best.missingLeft = missingLeft;
    best.gl = gl;
    best.hl = hl;
    best.cl = cl;
    best.valueLeft = vl;
    best.valueRight = vr;
    found = true;
  };
  // Missing values right: left = bins 0..t.
  let gl = 0;
  let hl = 0;
  let cl = 0;
  const end = nb - 1 + (hasMissing ? 1 : 0);
  for (let t = 0; t < end; t++) {
    const b = o + 3 * t;
    gl += hist[b];
    hl += hist[b + hessSlot];
    cl += hist[b + 2];
    if (cl < minLeaf || hl < minHess) continue;
    if (C - cl < minLeaf || H - hl < minHess) break;
    consider(t, gl, hl, cl, false);
  }
  if (hasMissing) {
    // Missing values left: the right child is bins t+1..nb-1.
    let gr = 0;
    let hr = 0;
    let cr = 0;
    for (let t = nb - 2; t >= 0; t--) {
      const b = o + 3 * (t + 1);
      gr += hist[b];
      hr += hist[b + hessSlot];
      cr += hist[b + 2];
      if (cr < minLeaf || hr < minHess) continue;
      if (C - cr < minLeaf || H - hr < minHess) break;
      consider(t, G - gr, H - hr, C - cr, true);
    }
  }
  return found;
}

/** The children's bounds after a split (see the file comment). */
export function childBounds(cst: number, lo: number, hi: number, valueLeft: number, valueRight: number): { left: [number, number]; right: [number, number] } {
  if (cst === 0) return { left: [lo, hi], right: [lo, hi] };
  const mid = (valueLeft + valueRight) / 2;
  return cst > 0 ? { left: [lo, mid], right: [mid, hi] } : { left: [mid, hi], right: [lo, mid] };
}

/** `name:+1,other:-1` (the gbdt parameter `monotonic_cst`) → per-feature constraints over `names`. */
export function monotonicFor(spec: string | null | undefined, names: string[], label = 'gbdt: monotonic_cst'): MonotonicConstraints {
  if (!spec) return null;
  const byName = new Map<string, number>();
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const i = part.lastIndexOf(':');
    const dir = Number(part.slice(i + 1));
    if (i <= 0 || (dir !== 1 && dir !== -1)) throw new Error(`${label} takes "column:1,other:-1", got "${part}"`);
    byName.set(part.slice(0, i), dir);
  }
  const out = new Int8Array(names.length);
  let any = false;
  names.forEach((n, j) => {
    const d = byName.get(n);
    if (d) {
      out[j] = d;
      any = true;
    }
  });
  return any ? out : null;
}
