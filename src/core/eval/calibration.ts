/**
 * Probability calibration of a classifier: Platt scaling (binary) / temperature scaling (multiclass),
 * isotonic regression, or none, chosen by cross-fitted log loss on out-of-fold predictions.
 *
 * A calibrator maps the model's probabilities (rows × K, row-major) to calibrated ones. It is fitted on
 * out-of-fold predictions only, never on the test split, and it travels inside the model (FinalModel,
 * the bundle's model.json), so every consumer of the probabilities sees the calibrated ones.
 *
 *   platt (binary):       p' = σ(a · logit(p) + b) on P(class 1)
 *   platt (multiclass):   p' = softmax(log p / T)  (temperature scaling: one parameter, order kept)
 *   isotonic:             a non-decreasing step function, linearly interpolated (scikit-learn's
 *                         IsotonicRegression(out_of_bounds='clip')), on P(class 1) for binary and one
 *                         curve per class (one-vs-rest, rows renormalised) for multiclass
 */
import { logLoss } from './metrics.ts';

export type CalibrationChoice = 'auto' | 'none' | 'platt' | 'isotonic';

export type CalibratorJSON =
  | { method: 'none' }
  | { method: 'platt'; a: number; b: number }
  | { method: 'platt'; temperature: number }
  | { method: 'isotonic'; curves: { x: number[]; y: number[] }[] };

export type CalibrationMethod = CalibratorJSON['method'];

/** Probabilities are kept inside [EPS, 1 - EPS] after calibration (an isotonic step at 0 or 1 would make one surprise infinitely costly). */
const EPS = 1e-4;
const clampP = (p: number) => Math.min(1 - EPS, Math.max(EPS, p));
const logit = (p: number) => {
  const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
  return Math.log(q / (1 - q));
};
const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/**
 * Isotonic regression by pool-adjacent-violators, as scikit-learn's IsotonicRegression(increasing=True,
 * y_min=0, y_max=1): equal x are merged first (weighted mean of y), then adjacent blocks that violate
 * the order are pooled. Returns the breakpoints (x ascending) and fitted values, for interpolation.
 */
export function isotonicFit(x: ArrayLike<number>, y: ArrayLike<number>, w?: ArrayLike<number>): { x: number[]; y: number[] } {
  const n = x.length;
  if (n === 0) return { x: [], y: [] };
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b] || a - b);
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  for (const i of order) {
    const wi = w ? w[i] : 1;
    const last = xs.length - 1;
    if (last >= 0 && xs[last] === x[i]) {
      ys[last] = (ys[last] * ws[last] + y[i] * wi) / (ws[last] + wi);
      ws[last] += wi;
    } else {
      xs.push(x[i]);
      ys.push(y[i]);
      ws.push(wi);
    }
  }
  // Blocks: value, weight, and how many distinct x each covers.
  const val: number[] = [];
  const wt: number[] = [];
  const len: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    val.push(ys[i]);
    wt.push(ws[i]);
    len.push(1);
    while (val.length > 1 && val[val.length - 2] >= val[val.length - 1]) {
      const v = val.pop()!;
      const ww = wt.pop()!;
      const l = len.pop()!;
      const j = val.length - 1;
      // Equal neighbours merge too: the result is the same step function with fewer blocks.
      val[j] = (val[j] * wt[j] + v * ww) / (wt[j] + ww);
      wt[j] += ww;
      len[j] += l;
    }
  }
  const fitted: number[] = [];
  for (let b = 0; b < val.length; b++) for (let k = 0; k < len[b]; k++) fitted.push(Math.min(1, Math.max(0, val[b])));
  // Keep only the first and last x of every constant run: interpolation between them is flat anyway.
  const outX: number[] = [];
  const outY: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const prevSame = i > 0 && fitted[i - 1] === fitted[i];
    const nextSame = i < xs.length - 1 && fitted[i + 1] === fitted[i];
    if (prevSame && nextSame) continue;
    outX.push(xs[i]);
    outY.push(fitted[i]);
  }
  return { x: outX, y: outY };
}

/** The fitted isotonic curve at v: linear between breakpoints, clipped to the ends (numpy.interp). */
export function isotonicPredict(curve: { x: number[]; y: number[] }, v: number): number {
  const { x, y } = curve;
  const n = x.length;
  if (n === 0) return v;
  if (!(v > x[0])) return y[0];
  if (v >= x[n - 1]) return y[n - 1];
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= v) lo = mid;
    else hi = mid;
  }
  const span = x[hi] - x[lo];
  return span > 0 ? y[lo] + ((v - x[lo]) / span) * (y[hi] - y[lo]) : y[hi];
}

/** Platt's a, b by Newton's method on the log loss of σ(a·z + b), z = logit(p). */
export function fitPlatt(p: ArrayLike<number>, pos: ArrayLike<number>): { a: number; b: number } {
  const n = p.length;
  const z = Float64Array.from(p, logit);
  let a = 1;
  let b = 0;
  const loss = (aa: number, bb: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const q = clampP(sigmoid(aa * z[i] + bb));
      s -= pos[i] ? Math.log(q) : Math.log(1 - q);
    }
    return s;
  };
  let current = loss(a, b);
  for (let it = 0; it < 50; it++) {
    let ga = 0,
      gb = 0,
      haa = 0,
      hab = 0,
      hbb = 0;
    for (let i = 0; i < n; i++) {
      const q = sigmoid(a * z[i] + b);
      const r = q - (pos[i] ? 1 : 0);
      const h = Math.max(q * (1 - q), 1e-12);
      ga += r * z[i];
      gb += r;
      haa += h * z[i] * z[i];
      hab += h * z[i];
      hbb += h;
    }
    // A tiny ridge keeps the step finite when the scores separate the classes.
    haa += 1e-9 * n;
    hbb += 1e-9 * n;
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    let step = 1;
    let improved = false;
    for (let k = 0; k < 30; k++) {
      const next = loss(a - step * da, b - step * db);
      if (next <= current) {
        a -= step * da;
        b -= step * db;
        improved = current - next > 1e-10 * Math.max(1, current);
        current = next;
        break;
      }
      step /= 2;
    }
    if (!improved) break;
  }
  return { a, b };
}

/** Temperature T > 0 minimising the log loss of softmax(log p / T), by golden-section search on log T. */
export function fitTemperature(proba: Float64Array, y: ArrayLike<number>, K: number): number {
  const loss = (t: number) => logLoss(y, applyCalibration({ method: 'platt', temperature: t }, proba, K), K);
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  let c = hi - g * (hi - lo);
  let d = lo + g * (hi - lo);
  let fc = loss(Math.exp(c));
  let fd = loss(Math.exp(d));
  for (let it = 0; it < 40; it++) {
    if (fc < fd) {
      hi = d;
      d = c;
      fd = fc;
      c = hi - g * (hi - lo);
      fc = loss(Math.exp(c));
    } else {
      lo = c;
      c = d;
      fc = fd;
      d = lo + g * (hi - lo);
      fd = loss(Math.exp(d));
    }
  }
  return Math.exp((lo + hi) / 2);
}

/** Fits one calibrator of the given method on probabilities (rows × K) and class indices. */
export function fitCalibrator(method: CalibrationMethod, proba: Float64Array, y: ArrayLike<number>, K: number): CalibratorJSON {
  if (method === 'none') return { method: 'none' };
  const n = y.length;
  if (method === 'platt') {
    if (K === 2) {
      const p1 = Float64Array.from({ length: n }, (_, i) => proba[i * 2 + 1]);
      return {
        method: 'platt',
        ...fitPlatt(
          p1,
          Float64Array.from(y, (v) => (v === 1 ? 1 : 0)),
        ),
      };
    }
    return { method: 'platt', temperature: fitTemperature(proba, y, K) };
  }
  const classes = K === 2 ? [1] : Array.from({ length: K }, (_, k) => k);
  return {
    method: 'isotonic',
    curves: classes.map((k) =>
      isotonicFit(
        Float64Array.from({ length: n }, (_, i) => proba[i * K + k]),
        Float64Array.from(y, (v) => (v === k ? 1 : 0)),
      ),
    ),
  };
}

/** Calibrated probabilities (a new array; the input is left alone). */
export function applyCalibration(cal: CalibratorJSON | undefined, proba: Float64Array, K: number): Float64Array {
  if (!cal || cal.method === 'none') return proba;
  const n = proba.length / K;
  const out = new Float64Array(proba.length);
  if (cal.method === 'platt' && 'a' in cal) {
    for (let i = 0; i < n; i++) {
      const q = clampP(sigmoid(cal.a * logit(proba[i * 2 + 1]) + cal.b));
      out[i * 2] = 1 - q;
      out[i * 2 + 1] = q;
    }
    return out;
  }
  if (cal.method === 'platt') {
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, Math.log(Math.max(proba[i * K + k], 1e-300)) / cal.temperature);
      let sum = 0;
      for (let k = 0; k < K; k++) sum += out[i * K + k] = Math.exp(Math.log(Math.max(proba[i * K + k], 1e-300)) / cal.temperature - max);
      for (let k = 0; k < K; k++) out[i * K + k] /= sum;
    }
    return out;
  }
  if (K === 2) {
    for (let i = 0; i < n; i++) {
      const q = clampP(isotonicPredict(cal.curves[0], proba[i * 2 + 1]));
      out[i * 2] = 1 - q;
      out[i * 2 + 1] = q;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let k = 0; k < K; k++) sum += out[i * K + k] = clampP(isotonicPredict(cal.curves[k], proba[i * K + k]));
    for (let k = 0; k < K; k++) out[i * K + k] /= sum;
  }
  return out;
}

export interface CalibrationChoiceResult {
  calibrator: CalibratorJSON;
  /** Cross-fitted out-of-fold log loss of each method tried. */
  logLoss: Partial<Record<CalibrationMethod, number>>;
}

/**
 * Chooses the calibration by cross-fitted log loss on out-of-fold predictions: each method is fitted
 * on four fifths of the rows and scored on the fifth left out (so isotonic's flexibility is not
 * rewarded for memorising), 'none' scored as is. A method must beat 'none' by 0.1 % to be chosen;
 * the winner is then refitted on every row. `choice` other than 'auto' fits that method directly.
 */
export function chooseCalibration(proba: Float64Array, y: ArrayLike<number>, K: number, choice: CalibrationChoice = 'auto', seed = 0): CalibrationChoiceResult {
  if (choice !== 'auto') return { calibrator: fitCalibrator(choice, proba, y, K), logLoss: {} };
  const n = y.length;
  // Too few rows for a fifth to say anything: leave the probabilities alone.
  if (n < 50) return { calibrator: { method: 'none' }, logLoss: {} };
  const scores: Partial<Record<CalibrationMethod, number>> = { none: logLoss(y, proba, K) };
  for (const method of ['platt', 'isotonic'] as const) scores[method] = logLoss(y, crossFitted(method, proba, y, K, seed), K);
  let best: CalibrationMethod = 'none';
  for (const m of ['platt', 'isotonic'] as const) if (scores[m]! < scores[best]! * 0.999) best = m;
  return { calibrator: fitCalibrator(best, proba, y, K), logLoss: scores };
}

/**
 * The probabilities calibrated by `method` out of fold: each fifth of the rows by a calibrator fitted
 * on the other four (seeded interleaving: row i goes to fold (i + seed) mod 5, the rows' order being
 * the data's, not the label's). What a calibrator does to rows it never saw, as on new data: the
 * method's choice is scored on these, and conformal sets are calibrated on them.
 */
export function crossFitted(method: CalibrationMethod, proba: Float64Array, y: ArrayLike<number>, K: number, seed = 0): Float64Array {
  if (method === 'none') return proba;
  const n = y.length;
  const cross = new Float64Array(proba.length);
  for (let f = 0; f < 5; f++) {
    const trainIdx: number[] = [];
    const testIdx: number[] = [];
    for (let i = 0; i < n; i++) ((i + seed) % 5 === f ? testIdx : trainIdx).push(i);
    if (testIdx.length === 0) continue;
    const cal = fitCalibrator(
      method,
      gather(proba, trainIdx, K),
      trainIdx.map((i) => y[i]),
      K,
    );
    const applied = applyCalibration(cal, gather(proba, testIdx, K), K);
    testIdx.forEach((i, j) => {
      for (let k = 0; k < K; k++) cross[i * K + k] = applied[j * K + k];
    });
  }
  return cross;
}

function gather(proba: Float64Array, idx: number[], K: number): Float64Array {
  const out = new Float64Array(idx.length * K);
  idx.forEach((i, j) => {
    for (let k = 0; k < K; k++) out[j * K + k] = proba[i * K + k];
  });
  return out;
}

export interface ReliabilityBin {
  lo: number;
  hi: number;
  count: number;
  /** Mean predicted probability in the bin. */
  predicted: number;
  /** Observed frequency in the bin. */
  observed: number;
}

/**
 * Reliability diagram in `bins` equal-width bins: for binary tasks of P(positive) against the share of
 * positives, for multiclass of the top class's probability against how often it is right.
 */
export function reliability(proba: Float64Array, y: ArrayLike<number>, K: number, positive = 1, bins = 10): ReliabilityBin[] {
  const n = y.length;
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  const count = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    let p: number;
    let hit: number;
    if (K === 2) {
      p = proba[i * 2 + positive];
      hit = y[i] === positive ? 1 : 0;
    } else {
      let best = 0;
      for (let k = 1; k < K; k++) if (proba[i * K + k] > proba[i * K + best]) best = k;
      p = proba[i * K + best];
      hit = y[i] === best ? 1 : 0;
    }
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    sumP[b] += p;
    sumY[b] += hit;
    count[b]++;
  }
  return Array.from({ length: bins }, (_, b) => ({
    lo: b / bins,
    hi: (b + 1) / bins,
    count: count[b],
    predicted: count[b] ? sumP[b] / count[b] : NaN,
    observed: count[b] ? sumY[b] / count[b] : NaN,
  }));
}

/** Expected calibration error: the count-weighted mean |observed − predicted| over the reliability bins. */
export function expectedCalibrationError(proba: Float64Array, y: ArrayLike<number>, K: number, positive = 1, bins = 10): number {
  const rel = reliability(proba, y, K, positive, bins);
  const n = y.length;
  let s = 0;
  for (const b of rel) if (b.count) s += (b.count / n) * Math.abs(b.observed - b.predicted);
  return s;
}
