/**
 * Losses for gradient boosting: baseline (constant starting prediction), per-row gradients and
 * hessians of the loss w.r.t. the raw prediction, and the mean loss (early stopping).
 *
 * Raw predictions and gradients are class-major: raw[k * n + i] is output k of row i (k = 0 only,
 * except multiclass). As in scikit-learn's `_loss` module:
 *   log_loss, binary:    raw = log-odds; g = sigmoid(raw) - y, h = p (1 - p); baseline log-odds of
 *                        the (weighted) positive rate.
 *   log_loss, multiclass: softmax over K raw outputs (one tree per class per iteration);
 *                        g_k = p_k - [y = k], h_k = p_k (1 - p_k); baseline log(prior_k) centred.
 *   squared_error:       half squared error; g = raw - y, h = 1; baseline the (weighted) mean.
 *   absolute_error:      g = sign(raw - y), h = 1; baseline the weighted median, and after each
 *                        tree every leaf is reset to the weighted median of its rows' residuals
 *                        (gradient steps alone would move by +-learning_rate per tree).
 *   quantile (alpha):    pinball loss alpha·max(y − raw, 0) + (1 − alpha)·max(raw − y, 0), whose
 *                        minimiser is the alpha-quantile of y: g = 1 − alpha where raw > y, −alpha
 *                        where raw < y (0 at equality), h = 1; baseline the weighted alpha-percentile,
 *                        and leaves reset to the weighted alpha-percentile of their residuals, as
 *                        absolute_error does with the median (scikit-learn's loss='quantile').
 * Sample weights multiply gradients and hessians.
 */

export type LossName = 'log_loss' | 'squared_error' | 'absolute_error' | 'quantile';

const PROBA_EPS = 1e-15;

export interface GbdtLoss {
  readonly name: LossName;
  /** Raw outputs per row: nClasses for multiclass log loss, else 1. */
  readonly nOutputs: number;
  /** Unweighted squared/absolute error: every hessian is 1, histograms skip them. */
  readonly constantHessian: boolean;
  baseline(y: Float64Array, w: Float64Array | null): Float64Array;
  gradients(y: Float64Array, raw: Float64Array, w: Float64Array | null, g: Float64Array, h: Float64Array): void;
  /** Weighted mean loss. */
  loss(y: Float64Array, raw: Float64Array, w: Float64Array | null): number;
}

/** `alpha`: the quantile of the quantile loss (ignored by the others). */
export function createLoss(name: LossName, nClasses: number, weighted: boolean, alpha = 0.5): GbdtLoss {
  if (name === 'log_loss') return nClasses <= 2 ? new BinaryLogLoss() : new MultinomialLogLoss(nClasses);
  if (name === 'squared_error') return new SquaredError(!weighted);
  if (name === 'quantile') return new QuantileLoss(alpha, !weighted);
  return new AbsoluteError(!weighted);
}

// expFast: exp(x) = 2^(k/32) * exp(r), k = round(32 x / ln 2), |r| <= ln(2)/64, with 2^(k/32) from two
// small tables and exp(r) from its Taylor series to r^5 (relative error ~1e-15 on that range). A
// short polynomial matters more than few operations: V8's Math.exp and long Horner chains are
// latency-bound at 8-13 ns; this is ~3 ns, and gradients need an exp per row per iteration.
const LN2_HI = 0.6931471803691238; // ln 2 with its low 21 bits cleared: k * LN2_HI is exact
const LN2_LO = 1.9082149292705877e-10;
const POW2_MIN = -1074;
const POW2 = Float64Array.from({ length: 1024 - POW2_MIN + 1 }, (_, i) => Math.pow(2, i + POW2_MIN));
const POW2_FRAC = Float64Array.from({ length: 32 }, (_, j) => Math.pow(2, j / 32));

/** exp(x), to within ~1e-14 relative error (Math.exp itself for |x| >= 708 and NaN). */
export function expFast(x: number): number {
  if (!(x > -708 && x < 708)) return Math.exp(x);
  const k = Math.floor(x * (32 * Math.LOG2E) + 0.5);
  const r = x - k * (LN2_HI / 32) - k * (LN2_LO / 32);
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120)))));
  return p * POW2_FRAC[k & 31] * POW2[(k >> 5) - POW2_MIN];
}

export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + exp(x)) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function weightSum(w: Float64Array | null, n: number): number {
  if (!w) return n;
  let s = 0;
  for (let i = 0; i < n; i++) s += w[i];
  return s;
}

class BinaryLogLoss implements GbdtLoss {
  readonly name = 'log_loss';
  readonly nOutputs = 1;
  readonly constantHessian = false;

  baseline(y: Float64Array, w: Float64Array | null): Float64Array {
    let pos = 0;
    for (let i = 0; i < y.length; i++) pos += (w ? w[i] : 1) * y[i];
    const p = Math.min(1 - PROBA_EPS, Math.max(PROBA_EPS, pos / weightSum(w, y.length)));
    return Float64Array.of(Math.log(p / (1 - p)));
  }

  gradients(y: Float64Array, raw: Float64Array, w: Float64Array | null, g: Float64Array, h: Float64Array): void {
    const n = y.length;
    // Branch-free sigmoid: exp overflows to Infinity for very negative raw and p becomes exactly 0,
    // which is the right limit; the sign branch of sigmoid() mispredicts on mixed scores.
    if (w) {
      for (let i = 0; i < n; i++) {
        const p = 1 / (1 + expFast(-raw[i]));
        g[i] = w[i] * (p - y[i]);
        h[i] = w[i] * p * (1 - p);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const p = 1 / (1 + expFast(-raw[i]));
        g[i] = p - y[i];
        h[i] = p * (1 - p);
      }
    }
  }

  loss(y: Float64Array, raw: Float64Array, w: Float64Array | null): number {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += (w ? w[i] : 1) * (softplus(raw[i]) - y[i] * raw[i]);
    return s / weightSum(w, y.length);
  }
}

class MultinomialLogLoss implements GbdtLoss {
  readonly name = 'log_loss';
  readonly constantHessian = false;

  constructor(readonly nOutputs: number) {}

  baseline(y: Float64Array, w: Float64Array | null): Float64Array {
    const K = this.nOutputs;
    const counts = new Float64Array(K);
    for (let i = 0; i < y.length; i++) counts[y[i]] += w ? w[i] : 1;
    const total = weightSum(w, y.length);
    const out = new Float64Array(K);
    let mean = 0;
    for (let k = 0; k < K; k++) {
      out[k] = Math.log(Math.min(1 - PROBA_EPS, Math.max(PROBA_EPS, counts[k] / total)));
      mean += out[k] / K;
    }
    for (let k = 0; k < K; k++) out[k] -= mean;
    return out;
  }

  gradients(y: Float64Array, raw: Float64Array, w: Float64Array | null, g: Float64Array, h: Float64Array): void {
    const n = y.length;
    const K = this.nOutputs;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (raw[k * n + i] > max) max = raw[k * n + i];
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const e = expFast(raw[k * n + i] - max);
        g[k * n + i] = e;
        sum += e;
      }
      const wi = w ? w[i] : 1;
      const yi = y[i];
      for (let k = 0; k < K; k++) {
        const p = g[k * n + i] / sum;
        g[k * n + i] = wi * (p - (yi === k ? 1 : 0));
        h[k * n + i] = wi * p * (1 - p);
      }
    }
  }

  loss(y: Float64Array, raw: Float64Array, w: Float64Array | null): number {
    const n = y.length;
    const K = this.nOutputs;
    let s = 0;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (raw[k * n + i] > max) max = raw[k * n + i];
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(raw[k * n + i] - max);
      s += (w ? w[i] : 1) * (max + Math.log(sum) - raw[y[i] * n + i]);
    }
    return s / weightSum(w, n);
  }
}

class SquaredError implements GbdtLoss {
  readonly name = 'squared_error';
  readonly nOutputs = 1;

  constructor(readonly constantHessian: boolean) {}

  baseline(y: Float64Array, w: Float64Array | null): Float64Array {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += (w ? w[i] : 1) * y[i];
    return Float64Array.of(s / weightSum(w, y.length));
  }

  gradients(y: Float64Array, raw: Float64Array, w: Float64Array | null, g: Float64Array, h: Float64Array): void {
    for (let i = 0; i < y.length; i++) {
      const wi = w ? w[i] : 1;
      g[i] = wi * (raw[i] - y[i]);
      h[i] = wi;
    }
  }

  loss(y: Float64Array, raw: Float64Array, w: Float64Array | null): number {
    let s = 0;
    for (let i = 0; i < y.length; i++) {
      const d = raw[i] - y[i];
      s += (w ? w[i] : 1) * 0.5 * d * d;
    }
    return s / weightSum(w, y.length);
  }
}

class AbsoluteError implements GbdtLoss {
  readonly name = 'absolute_error';
  readonly nOutputs = 1;

  constructor(readonly constantHessian: boolean) {}

  baseline(y: Float64Array, w: Float64Array | null): Float64Array {
    const idx = Int32Array.from({ length: y.length }, (_, i) => i);
    return Float64Array.of(weightedMedian(y, w, idx, 0, idx.length, new Float64Array(y.length)));
  }

  gradients(y: Float64Array, raw: Float64Array, w: Float64Array | null, g: Float64Array, h: Float64Array): void {
    for (let i = 0; i < y.length; i++) {
      const wi = w ? w[i] : 1;
      const d = raw[i] - y[i];
      g[i] = wi * (d > 0 ? 1 : d < 0 ? -1 : 0);
      h[i] = wi;
    }
  }

  loss(y: Float64Array, raw: Float64Array, w: Float64Array | null): number {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += (w ? w[i] : 1) * Math.abs(raw[i] - y[i]);
    return s / weightSum(w, y.length);
  }
}

class QuantileLoss implements GbdtLoss {
  readonly name = 'quantile';
  readonly nOutputs = 1;

  constructor(
    readonly alpha: number,
    readonly constantHessian: boolean,
  ) {}

  baseline(y: Float64Array, w: Float64Array | null): Float64Array {
    const idx = Int32Array.from({ length: y.length }, (_, i) => i);
    return Float64Array.of(weightedPercentile(y, w, idx, 0, idx.length, this.alpha));
  }

  gradients(y: Float64Array, raw: Float64Array, w: Float64Array | null, g: Float64Array, h: Float64Array): void {
    const a = this.alpha;
    for (let i = 0; i < y.length; i++) {
      const wi = w ? w[i] : 1;
      const d = raw[i] - y[i];
      g[i] = wi * (d > 0 ? 1 - a : d < 0 ? -a : 0);
      h[i] = wi;
    }
  }

  loss(y: Float64Array, raw: Float64Array, w: Float64Array | null): number {
    const a = this.alpha;
    let s = 0;
    for (let i = 0; i < y.length; i++) {
      const d = y[i] - raw[i];
      s += (w ? w[i] : 1) * (d > 0 ? a * d : (a - 1) * d);
    }
    return s / weightSum(w, y.length);
  }
}

/**
 * Weighted q-percentile of values[rows[start..end)] (scikit-learn's `_weighted_percentile`: the
 * smallest value whose cumulative weight reaches q times the total; unit weights without w).
 */
export function weightedPercentile(values: Float64Array, w: Float64Array | null, rows: Int32Array, start: number, end: number, q: number): number {
  const m = end - start;
  if (m === 0) return 0;
  const order = Array.from({ length: m }, (_, k) => rows[start + k]).sort((a, b) => values[a] - values[b]);
  let total = 0;
  for (const r of order) total += w ? w[r] : 1;
  let acc = 0;
  for (const r of order) {
    acc += w ? w[r] : 1;
    if (acc >= q * total) return values[r];
  }
  return values[order[m - 1]];
}

/**
 * Weighted median of values[rows[start..end)] (scikit-learn's `_weighted_percentile` at 50: the
 * smallest value whose cumulative weight reaches half the total). `scratch` needs end-start slots.
 */
export function weightedMedian(values: Float64Array, w: Float64Array | null, rows: Int32Array, start: number, end: number, scratch: Float64Array): number {
  const m = end - start;
  if (m === 0) return 0;
  if (!w) {
    const s = scratch.subarray(0, m);
    for (let k = 0; k < m; k++) s[k] = values[rows[start + k]];
    s.sort();
    return m % 2 === 1 ? s[(m - 1) >> 1] : 0.5 * (s[m / 2 - 1] + s[m / 2]);
  }
  const order = Array.from({ length: m }, (_, k) => rows[start + k]).sort((a, b) => values[a] - values[b]);
  let total = 0;
  for (const r of order) total += w[r];
  let acc = 0;
  for (const r of order) {
    acc += w[r];
    if (acc >= total / 2) return values[r];
  }
  return values[order[m - 1]];
}

/**
 * Absolute error: after a tree is grown, each leaf becomes learning_rate * the weighted median of
 * its rows' residuals y - raw (raw before this tree), the optimal constant for that leaf.
 */
export function setLeavesToMedianResidual(
  tree: { rowStart: Int32Array; rowEnd: Int32Array; value: Float64Array },
  leafIds: number[],
  rows: Int32Array,
  y: Float64Array,
  raw: Float64Array,
  w: Float64Array | null,
  learningRate: number,
  /** The quantile loss's alpha: leaves become that percentile of the residuals instead of the median. */
  alpha?: number,
): void {
  const residual = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) residual[i] = y[i] - raw[i];
  const scratch = new Float64Array(y.length);
  for (const id of leafIds) {
    const s = tree.rowStart[id];
    const e = tree.rowEnd[id];
    tree.value[id] =
      learningRate * (alpha === undefined ? weightedMedian(residual, w, rows, s, e, scratch) : weightedPercentile(residual, w, rows, s, e, alpha));
  }
}
