/**
 * Split finding on a node's histogram: for every active feature, one pass over its bins.
 *
 * Gain of a split (XGBoost paper eq. 7, scikit-learn's `_split_gain` without the constant 1/2):
 *   GL^2 / (HL + l2) + GR^2 / (HR + l2) - G^2 / (H + l2)
 * A split must leave >= min_samples_leaf rows and >= min_hessian_to_split hessian on each side and
 * have a gain > 0 — more precisely, above GAIN_TIE_TOLERANCE times the children's score: in a node
 * whose rows all have the same gradient every "gain" is rounding noise, and splitting on noise
 * would waste leaves.
 *
 * Numeric features: bins are scanned left to right with missing values sent right (this also
 * tries "all non-missing left, missing right"), then — only when the node has missing values for
 * the feature — right to left with missing values sent left; the better wins (XGBoost's sparsity-
 * aware algorithm 3). A node without missing values for the feature sends future missing values
 * to its larger child.
 *
 * Categorical features (Fisher 1958, as LightGBM and scikit-learn): categories with enough
 * support (hessian >= MIN_CAT_SUPPORT, in row units) are sorted by sum_grad / (sum_hess +
 * MIN_CAT_SUPPORT) and scanned as if ordered, from both ends up to the middle; the missing bin is
 * one more category. Where the other categories go:
 *   - low-support categories present in the node (1..9 rows) go right — the side that keeps at
 *     least half of the categories (scikit-learn's rule);
 *   - categories absent from the node, including codes never seen in training, follow the
 *     missing values: a category the tree knows nothing about is treated like a missing value;
 *   - missing values go where the scan put them when they had enough support, right when they
 *     were too rare (with the other rare categories), and to the larger child when the node has
 *     none.
 */
import type { HistogramLayout } from './histogram.ts';
import { scanNumericBounded, type BoundedBest, type MonotonicConstraints } from './monotonic.ts';

/** LightGBM's cat_smooth / scikit-learn's MIN_CAT_SUPPORT. */
export const MIN_CAT_SUPPORT = 10;

/**
 * A split replaces the best so far only when its gain is larger by this relative margin. Gains that
 * are equal in exact arithmetic (common: pure groups in the first trees of a classifier) differ
 * in their last bits depending on the order rows were summed in; without the margin, shuffling
 * the training rows would change the chosen split. With it, ties go to the first feature and bin.
 */
export const GAIN_TIE_TOLERANCE = 1e-9;

/**
 * The children's score a split must exceed: beats(gain, best) and the noise rule
 * (gain > tolerance * score) rewritten for score = gain + parentScore:
 *   score > parentScore + best + tolerance * |best|   and   score > parentScore / (1 - tolerance).
 */
function scoreBar(parentScore: number, bestGain: number): number {
  const beat = parentScore + bestGain + GAIN_TIE_TOLERANCE * Math.abs(bestGain);
  const noise = parentScore / (1 - GAIN_TIE_TOLERANCE);
  return beat > noise ? beat : noise;
}

/** Best threshold found by a numeric scan (fields are doubles from the start: stable V8 shapes). */
class ScanResult {
  gain = 0.5;
  bin = -1;
  missingLeft = false;
  gl = 0.5;
  hl = 0.5;
  cl = 0.5;
}

/**
 * Left-to-right scan with missing values on the right. With missing values the last real bin may
 * go left too: that is the "non-missing vs missing" split.
 *
 * The acceptance rule — beats(gain, best) and gain > tolerance * score — is, in terms of the
 * children's score GL²/(HL+l2) + GR²/(HR+l2), "score > bar" (scoreBar), and the loop tests it
 * division-free: GL²(HR+l2) + GR²(HL+l2) > bar (HL+l2)(HR+l2). Only a new best costs a division
 * (to raise the bar). An empty bin repeats the previous score, which cannot clear the bar, so it
 * needs no test of its own (a branch that would mispredict on sparse histograms). Module-level
 * functions rather than methods: V8 optimises each small loop on its own.
 */
function scanMissingRight(
  hist: Float64Array, o: number, nb: number, hasMissing: boolean, hessSlot: number,
  G: number, H: number, C: number, parentScore: number, minLeaf: number, minHess: number, l2: number, r: ScanResult,
): void {
  let bar = scoreBar(parentScore, r.gain);
  let bestT = -1;
  let bestGL = 0;
  let bestHL = 0;
  let bestCL = 0;
  let bestScore = 0;
  const end = nb - 1 + (hasMissing ? 1 : 0);
  let gl = 0;
  let hl = 0;
  let cl = 0;
  for (let t = 0; t < end; t++) {
    const b = o + 3 * t;
    gl += hist[b];
    hl += hist[b + hessSlot];
    cl += hist[b + 2];
    if (cl < minLeaf || hl < minHess) continue;
    const hr = H - hl;
    if (C - cl < minLeaf || hr < minHess) break;
    const gr = G - gl;
    const dl = hl + l2;
    const dr = hr + l2;
    const num = gl * gl * dr + gr * gr * dl;
    const den = dl * dr;
    if (num <= bar * den) continue;
    bestScore = num / den;
    bar = scoreBar(parentScore, bestScore - parentScore);
    bestT = t;
    bestGL = gl;
    bestHL = hl;
    bestCL = cl;
  }
  if (bestT < 0) return;
  r.gain = bestScore - parentScore;
  r.bin = bestT;
  r.missingLeft = false;
  r.gl = bestGL;
  r.hl = bestHL;
  r.cl = bestCL;
}

/**
 * scanMissingRight for constant hessians (squared/absolute error without weights): the hessian of
 * a side is its row count, so there is one sum less to load and no hessian check (a side with
 * >= min_samples_leaf >= 1 rows has hessian >= 1 > min_hessian_to_split).
 */
function scanMissingRightCounts(
  hist: Float64Array, o: number, nb: number, hasMissing: boolean,
  G: number, C: number, parentScore: number, minLeaf: number, l2: number, r: ScanResult,
): void {
  let bar = scoreBar(parentScore, r.gain);
  let bestT = -1;
  let bestGL = 0;
  let bestCL = 0;
  let bestScore = 0;
  const end = nb - 1 + (hasMissing ? 1 : 0);
  const maxLeft = C - minLeaf;
  let gl = 0;
  let cl = 0;
  for (let t = 0; t < end; t++) {
    const b = o + 3 * t;
    gl += hist[b];
    cl += hist[b + 2];
    if (cl < minLeaf) continue;
    if (cl > maxLeft) break;
    const gr = G - gl;
    const dl = cl + l2;
    const dr = C - cl + l2;
    const num = gl * gl * dr + gr * gr * dl;
    const den = dl * dr;
    if (num <= bar * den) continue;
    bestScore = num / den;
    bar = scoreBar(parentScore, bestScore - parentScore);
    bestT = t;
    bestGL = gl;
    bestCL = cl;
  }
  if (bestT < 0) return;
  r.gain = bestScore - parentScore;
  r.bin = bestT;
  r.missingLeft = false;
  r.gl = bestGL;
  r.hl = bestCL;
  r.cl = bestCL;
}

/** Right-to-left scan with missing values on the left: the left child is bins 0..t plus the missing bin. */
function scanMissingLeft(
  hist: Float64Array, o: number, nb: number, hessSlot: number,
  G: number, H: number, C: number, parentScore: number, minLeaf: number, minHess: number, l2: number, r: ScanResult,
): void {
  let bar = scoreBar(parentScore, r.gain);
  let bestT = -1;
  let bestGL = 0;
  let bestHL = 0;
  let bestCL = 0;
  let bestScore = 0;
  let gr = 0;
  let hr = 0;
  let cr = 0;
  for (let t = nb - 2; t >= 0; t--) {
    const b = o + 3 * (t + 1);
    gr += hist[b];
    hr += hist[b + hessSlot];
    cr += hist[b + 2];
    if (cr < minLeaf || hr < minHess) continue;
    const hl = H - hr;
    const cl = C - cr;
    if (cl < minLeaf || hl < minHess) break;
    const gl = G - gr;
    const dl = hl + l2;
    const dr = hr + l2;
    const num = gl * gl * dr + gr * gr * dl;
    const den = dl * dr;
    if (num <= bar * den) continue;
    bestScore = num / den;
    bar = scoreBar(parentScore, bestScore - parentScore);
    bestT = t;
    bestGL = gl;
    bestHL = hl;
    bestCL = cl;
  }
  if (bestT < 0) return;
  r.gain = bestScore - parentScore;
  r.bin = bestT;
  r.missingLeft = true;
  r.gl = bestGL;
  r.hl = bestHL;
  r.cl = bestCL;
}

/** Whether `gain` beats `best` by more than float noise (ties keep the earlier candidate). */
export function beats(gain: number, best: number): boolean {
  return gain > best + GAIN_TIE_TOLERANCE * Math.abs(best);
}

export interface SplitterParams {
  minSamplesLeaf: number;
  minHessianToSplit: number;
  l2Regularization: number;
  /** Hessian is 1 per row: histograms carry no hessian sums, counts stand in for them. */
  constantHessian: boolean;
  /** Per-feature monotonic constraints (monotonic.ts); with them numeric features are scanned under node bounds. */
  monotonic?: MonotonicConstraints;
}

export interface SplitInfo {
  gain: number;
  feature: number;
  isCategorical: boolean;
  /** Numeric split: non-missing bins <= bin go left. Unused (-1) for categorical splits. */
  bin: number;
  missingLeft: boolean;
  /** Categorical split: 1 for each bin (the missing bin nBins[f] included) that goes left. */
  leftBins: Uint8Array | null;
  gradLeft: number;
  hessLeft: number;
  countLeft: number;
  gradRight: number;
  hessRight: number;
  countRight: number;
  /** Under monotonic constraints: the children's bounded values (before shrinkage). */
  valueLeft?: number;
  valueRight?: number;
}

export class Splitter {
  private readonly offsets: Int32Array;
  // Scratch for categorical scans (at most 255 categories + the missing bin).
  private readonly catBin = new Int32Array(256);
  private readonly catValue = new Float64Array(256);
  private readonly catOrder = new Int32Array(256);
  // Best split found so far in the current findBestSplit call.
  private bestGain = 0;
  private bestFeature = -1;
  private bestBin = -1;
  private bestMissingLeft = false;
  private bestIsCat = false;
  private bestGL = 0;
  private bestHL = 0;
  private bestCL = 0;
  private readonly bestCatLeft = new Uint8Array(256);
  private readonly scan = new ScanResult();
  private readonly bounded: BoundedBest = { gain: 0, bin: -1, missingLeft: false, gl: 0, hl: 0, cl: 0, valueLeft: 0, valueRight: 0 };
  private boundedFeature = -1;

  constructor(
    readonly layout: HistogramLayout,
    readonly nBins: Int32Array,
    readonly isCategorical: Uint8Array,
    readonly params: SplitterParams,
  ) {
    this.offsets = layout.offsets;
  }

  /**
   * Best split of a node over the active features, or null when no split has a positive gain.
   * `sumH` must equal `count` when hessians are constant.
   */
  findBestSplit(
    hist: Float64Array,
    features: Int32Array,
    nActive: number,
    sumG: number,
    sumH: number,
    count: number,
    lo = -Infinity,
    hi = Infinity,
  ): SplitInfo | null {
    this.bestGain = 0;
    this.bestFeature = -1;
    this.boundedFeature = -1;
    const parentScore = (sumG * sumG) / (sumH + this.params.l2Regularization);
    const mono = this.params.monotonic;
    for (let a = 0; a < nActive; a++) {
      const f = features[a];
      if (this.isCategorical[f]) this.scanCategorical(hist, f, sumG, sumH, count, parentScore);
      else if (mono) this.scanBounded(hist, f, sumG, sumH, count, lo, hi, mono[f]);
      else this.scanNumeric(hist, f, sumG, sumH, count, parentScore);
    }
    if (this.bestFeature < 0) return null;
    const info = this.makeSplitInfo(sumG, sumH, count);
    if (mono && this.boundedFeature === this.bestFeature) {
      info.valueLeft = this.bounded.valueLeft;
      info.valueRight = this.bounded.valueRight;
    }
    return info;
  }

  /** A numeric feature under monotonic constraints (monotonic.ts): bounded values, ordered children. */
  private scanBounded(hist: Float64Array, f: number, G: number, H: number, C: number, lo: number, hi: number, cst: number): void {
    const { minSamplesLeaf, minHessianToSplit, l2Regularization: l2, constantHessian } = this.params;
    const o = 3 * this.offsets[f];
    const nb = this.nBins[f];
    const best = this.bounded;
    best.gain = this.bestGain;
    if (!scanNumericBounded(hist, o, nb, constantHessian ? 2 : 1, G, H, C, lo, hi, cst, minSamplesLeaf, minHessianToSplit, l2, GAIN_TIE_TOLERANCE, best)) return;
    const missingCount = hist[o + 3 * nb + 2];
    this.bestGain = best.gain;
    this.bestFeature = f;
    this.boundedFeature = f;
    this.bestIsCat = false;
    this.bestBin = best.bin;
    this.bestMissingLeft = missingCount > 0 ? best.missingLeft : best.cl > C - best.cl;
    this.bestGL = best.gl;
    this.bestHL = best.hl;
    this.bestCL = best.cl;
  }

  /** Numeric feature: both scans (scanRight / scanLeft below), then the missing-value direction. */
  private scanNumeric(hist: Float64Array, f: number, G: number, H: number, C: number, parentScore: number): void {
    const { minSamplesLeaf, minHessianToSplit, l2Regularization: l2, constantHessian } = this.params;
    const o = 3 * this.offsets[f];
    const nb = this.nBins[f];
    const hessSlot = constantHessian ? 2 : 1;
    const missingCount = hist[o + 3 * nb + 2];
    const r = this.scan;
    r.gain = this.bestGain;
    r.bin = -1;
    if (constantHessian) scanMissingRightCounts(hist, o, nb, missingCount > 0, G, C, parentScore, minSamplesLeaf, l2, r);
    else scanMissingRight(hist, o, nb, missingCount > 0, hessSlot, G, H, C, parentScore, minSamplesLeaf, minHessianToSplit, l2, r);
    if (missingCount > 0) scanMissingLeft(hist, o, nb, hessSlot, G, H, C, parentScore, minSamplesLeaf, minHessianToSplit, l2, r);
    if (r.bin < 0) return;
    this.bestGain = r.gain;
    this.bestFeature = f;
    this.bestIsCat = false;
    this.bestBin = r.bin;
    // No missing values here: future ones (prediction) go to the larger child.
    this.bestMissingLeft = missingCount > 0 ? r.missingLeft : r.cl > C - r.cl;
    this.bestGL = r.gl;
    this.bestHL = r.hl;
    this.bestCL = r.cl;
  }

  private scanCategorical(hist: Float64Array, f: number, G: number, H: number, C: number, parentScore: number): void {
    const { minSamplesLeaf, minHessianToSplit, l2Regularization: l2, constantHessian } = this.params;
    const o = 3 * this.offsets[f];
    const nb = this.nBins[f];
    const hessSlot = constantHessian ? 2 : 1;
    const { catBin, catValue, catOrder } = this;
    // Hessian -> "row units", so the support threshold means rows for every loss.
    const supportFactor = H > 0 ? C / H : 0;
    let n = 0;
    for (let bin = 0; bin <= nb; bin++) {
      const b = o + 3 * bin;
      const hb = hist[b + hessSlot];
      if (hist[b + 2] > 0 && hb * supportFactor >= MIN_CAT_SUPPORT) {
        catBin[n] = bin;
        catValue[n] = hist[b] / (hb + MIN_CAT_SUPPORT);
        catOrder[n] = n;
        n++;
      }
    }
    if (n <= 1) return;
    // Insertion sort of the (few) categories by value; ties keep bin order, so results are stable.
    for (let i = 1; i < n; i++) {
      const idx = catOrder[i];
      const v = catValue[idx];
      let j = i - 1;
      while (j >= 0 && catValue[catOrder[j]] > v) {
        catOrder[j + 1] = catOrder[j];
        j--;
      }
      catOrder[j + 1] = idx;
    }
    let bestGain = this.bestGain;
    let bestDirection = 0;
    let bestI = -1;
    let bestGL = 0;
    let bestHL = 0;
    let bestCL = 0;
    for (let direction = 1; direction >= -1; direction -= 2) {
      const middle = direction === 1 ? (n + 1) >> 1 : ((n + 1) >> 1) - 1;
      let gl = 0;
      let hl = 0;
      let cl = 0;
      for (let i = 0; i < middle; i++) {
        const bin = catBin[catOrder[direction === 1 ? i : n - 1 - i]];
        const b = o + 3 * bin;
        gl += hist[b];
        hl += hist[b + hessSlot];
        cl += hist[b + 2];
        if (cl < minSamplesLeaf || hl < minHessianToSplit) continue;
        const hr = H - hl;
        if (C - cl < minSamplesLeaf || hr < minHessianToSplit) break;
        const gr = G - gl;
        const score = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2);
        const gain = score - parentScore;
        if (beats(gain, bestGain) && gain > GAIN_TIE_TOLERANCE * score) {
          bestGain = gain;
          bestDirection = direction;
          bestI = i;
          bestGL = gl;
          bestHL = hl;
          bestCL = cl;
        }
      }
    }
    if (bestI < 0) return;
    const left = this.bestCatLeft;
    left.fill(0, 0, nb + 1);
    for (let i = 0; i <= bestI; i++) left[catBin[catOrder[bestDirection === 1 ? i : n - 1 - i]]] = 1;
    // Where missing values go (see the file comment), then absent categories follow them.
    const missingCount = hist[o + 3 * nb + 2];
    let missingInScan = false;
    for (let k = 0; k < n; k++) if (catBin[k] === nb) missingInScan = true;
    let missingLeft: boolean;
    if (missingInScan) missingLeft = left[nb] === 1;
    else if (missingCount > 0) missingLeft = false;
    else missingLeft = bestCL > C - bestCL;
    left[nb] = missingLeft ? 1 : 0;
    for (let bin = 0; bin < nb; bin++) if (hist[o + 3 * bin + 2] === 0) left[bin] = missingLeft ? 1 : 0;
    this.bestGain = bestGain;
    this.bestFeature = f;
    this.bestIsCat = true;
    this.bestBin = -1;
    this.bestMissingLeft = missingLeft;
    this.bestGL = bestGL;
    this.bestHL = bestHL;
    this.bestCL = bestCL;
  }

  private makeSplitInfo(G: number, H: number, C: number): SplitInfo {
    const f = this.bestFeature;
    return {
      gain: this.bestGain,
      feature: f,
      isCategorical: this.bestIsCat,
      bin: this.bestBin,
      missingLeft: this.bestMissingLeft,
      leftBins: this.bestIsCat ? this.bestCatLeft.slice(0, this.nBins[f] + 1) : null,
      gradLeft: this.bestGL,
      hessLeft: this.bestHL,
      countLeft: this.bestCL,
      gradRight: G - this.bestGL,
      hessRight: H - this.bestHL,
      countRight: C - this.bestCL,
    };
  }
}

/**
 * Lookup table bin -> goes left (1) for a split, over all 256 possible bin codes: the partition
 * and binned prediction then need no branches on split kind.
 */
export function splitLeftTable(split: SplitInfo, nBinsOfFeature: number, out: Uint8Array): void {
  out.fill(0);
  if (split.leftBins) {
    out.set(split.leftBins);
  } else {
    for (let b = 0; b <= split.bin; b++) out[b] = 1;
    out[nBinsOfFeature] = split.missingLeft ? 1 : 0;
  }
}
