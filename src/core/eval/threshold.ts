/**
 * Decision thresholds for a binary classifier: what its mistakes cost at a threshold, the threshold
 * that minimises the expected cost (or meets an operating target at the best value of the other
 * quantity), the cost-vs-threshold curve, and bootstrap intervals of the cost and of a target's
 * achieved value.
 *
 * `p` is P(positive) per row, `pos` 1 where the row's true class is the positive one. A row is flagged
 * (predicted positive) when p ≥ threshold.
 */
import { Rng } from '../util/random.ts';
import { percentileInterval } from './significance.ts';

/** What each outcome costs, in the user's own unit. `tp` is the value of a true positive (a gain). */
export interface Costs {
  fp: number;
  fn: number;
  tp?: number;
}

export type TargetKind = 'recall' | 'precision' | 'flag-rate';

/** An operating target: recall ≥ value, precision ≥ value, or at most value (a share) of rows flagged. */
export interface OperatingTarget {
  kind: TargetKind;
  value: number;
}

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export function confusionAt(p: ArrayLike<number>, pos: ArrayLike<number>, threshold: number): Confusion {
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < p.length; i++) {
    const flagged = p[i] >= threshold;
    if (pos[i]) flagged ? c.tp++ : c.fn++;
    else flagged ? c.fp++ : c.tn++;
  }
  return c;
}

/** Expected cost per 1,000 cases of a confusion matrix (a true positive's value counts as a negative cost). */
export function costPer1000(c: Confusion, costs: Costs): number {
  const n = c.tp + c.fp + c.tn + c.fn;
  if (n === 0) return NaN;
  return (1000 * (costs.fp * c.fp + costs.fn * c.fn - (costs.tp ?? 0) * c.tp)) / n;
}

export function targetValue(c: Confusion, kind: TargetKind): number {
  if (kind === 'recall') return c.tp + c.fn ? c.tp / (c.tp + c.fn) : NaN;
  if (kind === 'precision') return c.tp + c.fp ? c.tp / (c.tp + c.fp) : NaN;
  const n = c.tp + c.fp + c.tn + c.fn;
  return n ? (c.tp + c.fp) / n : NaN;
}

/** Whether a target's achieved value meets it (≥ for recall and precision, ≤ for the flag rate). */
export function meetsTarget(value: number, target: OperatingTarget): boolean {
  return target.kind === 'flag-rate' ? value <= target.value + 1e-12 : value >= target.value - 1e-12;
}

/**
 * Every distinct cut, from flagging nothing to flagging every row: the confusion at each, and a
 * threshold that produces it (halfway between the lowest flagged score and the highest unflagged one).
 */
function cuts(p: ArrayLike<number>, pos: ArrayLike<number>): { threshold: number; c: Confusion }[] {
  const n = p.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[b] - p[a]);
  let P = 0;
  for (let i = 0; i < n; i++) if (pos[i]) P++;
  const out: { threshold: number; c: Confusion }[] = [];
  let tp = 0;
  let fp = 0;
  const top = n ? p[order[0]] : 1;
  // Flag nothing: a threshold above every score.
  out.push({ threshold: top < 1 ? (top + 1) / 2 : top + 1e-9, c: { tp: 0, fp: 0, tn: n - P, fn: P } });
  for (let j = 0; j < n;) {
    const v = p[order[j]];
    while (j < n && p[order[j]] === v) {
      if (pos[order[j]]) tp++;
      else fp++;
      j++;
    }
    const next = j < n ? p[order[j]] : 0;
    // Halfway to the next score down (it must stay above it), or half of the lowest score.
    const mid = j < n ? (v + next) / 2 : v / 2;
    out.push({ threshold: j < n && !(mid > next) ? v : mid, c: { tp, fp, tn: n - P - fp, fn: P - tp } });
  }
  return out;
}

export interface TunedThreshold {
  threshold: number;
  confusion: Confusion;
  /** Expected cost per 1,000 cases at the threshold (when costs are given). */
  costPer1000?: number;
  /** The target's value at the threshold and whether it is met (when a target is given). */
  achieved?: number;
  met?: boolean;
}

/**
 * The threshold minimising the expected cost (ties: the one flagging fewer rows), or — with a target —
 * the one meeting it at the best value of the other quantity: recall ≥ R at the highest precision,
 * precision ≥ P at the highest recall, at most F flagged at the highest recall. A target no cut meets
 * gives the cut closest to it (`met: false`).
 */
export function tuneThreshold(p: ArrayLike<number>, pos: ArrayLike<number>, goal: { costs: Costs } | { target: OperatingTarget }): TunedThreshold {
  const all = cuts(p, pos);
  if ('costs' in goal) {
    let best = all[0];
    let bestCost = costPer1000(best.c, goal.costs);
    for (const cut of all) {
      const cost = costPer1000(cut.c, goal.costs);
      if (cost < bestCost - 1e-9) {
        best = cut;
        bestCost = cost;
      }
    }
    return { threshold: best.threshold, confusion: best.c, costPer1000: bestCost };
  }
  const { target } = goal;
  const other = (c: Confusion) => (target.kind === 'recall' ? targetValue(c, 'precision') : targetValue(c, 'recall'));
  let best: { threshold: number; c: Confusion } | null = null;
  for (const cut of all) {
    const v = targetValue(cut.c, target.kind);
    if (!Number.isFinite(v) || !meetsTarget(v, target)) continue;
    const o = other(cut.c);
    // Ties on the other quantity: the cut that flags fewer rows (a higher threshold).
    if (!best || (Number.isFinite(o) && !(other(best.c) >= o))) best = cut;
  }
  if (!best) {
    // Nothing meets it: the cut whose value comes closest.
    let gap = Infinity;
    for (const cut of all) {
      const v = targetValue(cut.c, target.kind);
      if (Number.isFinite(v) && Math.abs(v - target.value) < gap) {
        gap = Math.abs(v - target.value);
        best = cut;
      }
    }
    best ??= all[0];
  }
  const achieved = targetValue(best.c, target.kind);
  return { threshold: best.threshold, confusion: best.c, achieved, met: meetsTarget(achieved, target) };
}

/** Expected cost per 1,000 cases at `points` evenly spaced thresholds in [0, 1]. */
export function costCurve(p: ArrayLike<number>, pos: ArrayLike<number>, costs: Costs, points = 101): { threshold: number; costPer1000: number }[] {
  const out: { threshold: number; costPer1000: number }[] = [];
  // Sorted once; each threshold's confusion is a binary search.
  const sorted = Float64Array.from(p).sort();
  const posSorted = Float64Array.from(
    Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[a] - p[b]),
    (i) => (pos[i] ? 1 : 0),
  );
  const cumPos = new Float64Array(sorted.length + 1);
  for (let i = 0; i < sorted.length; i++) cumPos[i + 1] = cumPos[i] + posSorted[i];
  const n = sorted.length;
  const P = cumPos[n];
  for (let j = 0; j < points; j++) {
    const t = j / (points - 1);
    // Rows below t are not flagged: the first index with value ≥ t.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    const fn = cumPos[lo];
    const tn = lo - fn;
    const tp = P - fn;
    const fp = n - lo - tp;
    out.push({ threshold: t, costPer1000: costPer1000({ tp, fp, tn, fn }, costs) });
  }
  return out;
}

/** Percentile bootstrap interval (95 %) of a statistic of the confusion matrix at a fixed threshold, resampling rows. */
export function bootstrapAtThreshold(
  p: ArrayLike<number>,
  pos: ArrayLike<number>,
  threshold: number,
  stat: (c: Confusion) => number,
  opts: { seed?: number; resamples?: number; confidence?: number } = {},
): [number, number] {
  const n = p.length;
  if (n === 0) return [NaN, NaN];
  // Each row is one of four outcomes: resampling rows is resampling outcome counts.
  const outcome = new Uint8Array(n);
  for (let i = 0; i < n; i++) outcome[i] = (p[i] >= threshold ? 2 : 0) + (pos[i] ? 1 : 0);
  const rng = new Rng(opts.seed ?? 0);
  const values: number[] = [];
  for (let r = 0; r < (opts.resamples ?? 1000); r++) {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) counts[outcome[rng.int(n)]]++;
    const v = stat({ tn: counts[0], fn: counts[1], fp: counts[2], tp: counts[3] });
    if (Number.isFinite(v)) values.push(v);
  }
  return percentileInterval(values, opts.confidence ?? 0.95);
}
