/**
 * The forest's split criteria, written as scores to maximise over the per-node statistics
 * [rows, weight, per-class weights] (classification) or [rows, weight, sum w*y, sum w*y^2]
 * (regression); the children's score minus the parent's is the weighted impurity decrease.
 *   gini:          sum_k w_k^2 / W            entropy: sum_k w_k ln w_k - W ln W
 *   squared_error: (sum w y)^2 / W
 * Module-level functions of the criterion code, so the split scans call them without a lookup.
 */
import type { Criterion, ForestTreeParams } from './params.ts';

export const CRIT_GINI = 0;
export const CRIT_ENTROPY = 1;
export const CRIT_SQUARED = 2;

/**
 * How a node's (or a bin's) statistics are laid out, shared by the tree builder and the split search:
 * [rows, weight, classes...] for classification, [rows, weight, sum wy, sum wy^2] for regression.
 */
export function statsLayout(params: ForestTreeParams): { nClasses: number; crit: number; stride: number } {
  return { nClasses: params.nClasses, crit: criterionCode(params.criterion), stride: params.nClasses > 0 ? params.nClasses + 2 : 4 };
}

export function criterionCode(criterion: Criterion): number {
  return criterion === 'gini' ? CRIT_GINI : criterion === 'entropy' ? CRIT_ENTROPY : CRIT_SQUARED;
}

function xlogx(x: number): number {
  return x > 0 ? x * Math.log(x) : 0;
}

/** Whether a node needs no split: weightless, one class, or (regression) a constant target. */
export function isPure(stats: Float64Array, nClasses: number): boolean {
  const W = stats[1];
  if (!(W > 0)) return true;
  if (nClasses > 0) {
    for (let k = 0; k < nClasses; k++) if (stats[2 + k] > 0) return stats[2 + k] >= W * (1 - 1e-12);
    return true;
  }
  const variance = stats[3] / W - (stats[2] / W) ** 2;
  const scale = Math.abs(stats[3] / W) || 1;
  return variance <= 1e-12 * scale;
}

/** Score (negative weighted impurity, up to terms that cancel) of the stats at `off`. */
export function nodeScore(crit: number, nClasses: number, a: Float64Array, off: number): number {
  const W = a[off + 1];
  if (!(W > 0)) return 0;
  if (crit === CRIT_SQUARED) return (a[off + 2] * a[off + 2]) / W;
  let s = 0;
  if (crit === CRIT_GINI) {
    for (let k = 0; k < nClasses; k++) s += a[off + 2 + k] * a[off + 2 + k];
    return s / W;
  }
  for (let k = 0; k < nClasses; k++) s += xlogx(a[off + 2 + k]);
  return s - xlogx(W);
}

/**
 * Score of a split: f(leftStats) + f(totals - leftStats), or -Infinity when a side has fewer than
 * `minLeaf` rows or no weight.
 */
export function splitScore(crit: number, nClasses: number, minLeaf: number, leftStats: Float64Array, totals: Float64Array): number {
  const cl = leftStats[0];
  const cr = totals[0] - cl;
  if (cl < minLeaf || cr < minLeaf) return -Infinity;
  const wl = leftStats[1];
  const wr = totals[1] - wl;
  if (!(wl > 0) || !(wr > 1e-12 * totals[1])) return -Infinity;
  if (crit === CRIT_SQUARED) {
    const sr = totals[2] - leftStats[2];
    return (leftStats[2] * leftStats[2]) / wl + (sr * sr) / wr;
  }
  if (crit === CRIT_GINI) {
    let sl = 0;
    let sr = 0;
    for (let k = 0; k < nClasses; k++) {
      const l = leftStats[2 + k];
      const r = totals[2 + k] - l;
      sl += l * l;
      sr += r * r;
    }
    return sl / wl + sr / wr;
  }
  let s = 0;
  for (let k = 0; k < nClasses; k++) s += xlogx(leftStats[2 + k]) + xlogx(totals[2 + k] - leftStats[2 + k]);
  return s - xlogx(wl) - xlogx(wr);
}
