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
 * Numeric features: the two scans of numeric-scan.ts (missing values right, then left), or under
 * monotonic constraints the bounded scan of monotonic.ts. A node without missing values for the
 * feature sends future missing values to its larger child.
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
import type { HistogramLayout } from './histogram-layout.ts';
import { scanNumericBounded, type BoundedBest, type MonotonicConstraints } from './monotonic.ts';
import { ScanInput, ScanResult, scanMissingLeft, scanMissingRight, scanMissingRightCounts } from './numeric-scan.ts';
import { GAIN_TIE_TOLERANCE, beats } from '../trees/gain-ties.ts';

/** LightGBM's cat_smooth / scikit-learn's MIN_CAT_SUPPORT. */
export const MIN_CAT_SUPPORT = 10;

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
  /** The scans' parameter object: fit fields set here, node fields per node, feature fields per feature. */
  private readonly input = new ScanInput();
  private readonly bounded: BoundedBest = { gain: 0, bin: -1, missingLeft: false, gl: 0, hl: 0, cl: 0, valueLeft: 0, valueRight: 0 };
  private boundedFeature = -1;

  constructor(
    readonly layout: HistogramLayout,
    readonly nBins: Int32Array,
    readonly isCategorical: Uint8Array,
    readonly params: SplitterParams,
  ) {
    this.offsets = layout.offsets;
    const input = this.input;
    input.hessSlot = params.constantHessian ? 2 : 1;
    input.minLeaf = params.minSamplesLeaf;
    input.minHess = params.minHessianToSplit;
    input.l2 = params.l2Regularization;
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
    const input = this.input;
    input.hist = hist;
    input.sumG = sumG;
    input.sumH = sumH;
    input.count = count;
    input.parentScore = (sumG * sumG) / (sumH + this.params.l2Regularization);
    const mono = this.params.monotonic;
    for (let a = 0; a < nActive; a++) {
      const f = features[a];
      const o = 3 * this.offsets[f];
      const nb = this.nBins[f];
      input.offset = o;
      input.nBins = nb;
      input.hasMissing = hist[o + 3 * nb + 2] > 0;
      if (this.isCategorical[f]) this.scanCategorical(f);
      else if (mono) this.scanBounded(f, lo, hi, mono[f]);
      else this.scanNumeric(f);
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
  private scanBounded(f: number, lo: number, hi: number, cst: number): void {
    const best = this.bounded;
    best.gain = this.bestGain;
    if (!scanNumericBounded(this.input, lo, hi, cst, best)) return;
    const C = this.input.count;
    this.bestGain = best.gain;
    this.bestFeature = f;
    this.boundedFeature = f;
    this.bestIsCat = false;
    this.bestBin = best.bin;
    this.bestMissingLeft = this.input.hasMissing ? best.missingLeft : best.cl > C - best.cl;
    this.bestGL = best.gl;
    this.bestHL = best.hl;
    this.bestCL = best.cl;
  }

  /** Numeric feature: both scans of numeric-scan.ts, then the missing-value direction. */
  private scanNumeric(f: number): void {
    const input = this.input;
    const r = this.scan;
    r.gain = this.bestGain;
    r.bin = -1;
    if (this.params.constantHessian) scanMissingRightCounts(input, r);
    else scanMissingRight(input, r);
    if (input.hasMissing) scanMissingLeft(input, r);
    if (r.bin < 0) return;
    const C = input.count;
    this.bestGain = r.gain;
    this.bestFeature = f;
    this.bestIsCat = false;
    this.bestBin = r.bin;
    // No missing values here: future ones (prediction) go to the larger child.
    this.bestMissingLeft = input.hasMissing ? r.missingLeft : r.cl > C - r.cl;
    this.bestGL = r.gl;
    this.bestHL = r.hl;
    this.bestCL = r.cl;
  }

  /**
   * Categorical feature: the categories with enough support, sorted by their smoothed mean
   * gradient, scanned from both ends up to the middle (see the file comment).
   */
  private scanCategorical(f: number): void {
    const { hist, offset: o, nBins: nb, hessSlot, sumG: G, sumH: H, count: C, parentScore, minLeaf, minHess, l2 } = this.input;
    const { catBin, catOrder } = this;
    const n = this.sortedCategories();
    if (n <= 1) return;
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
        if (cl < minLeaf || hl < minHess) continue;
        const hr = H - hl;
        if (C - cl < minLeaf || hr < minHess) break;
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
    this.bestGain = bestGain;
    this.bestFeature = f;
    this.bestIsCat = true;
    this.bestBin = -1;
    this.bestMissingLeft = this.placeMissingAndAbsent(n, bestCL);
    this.bestGL = bestGL;
    this.bestHL = bestHL;
    this.bestCL = bestCL;
  }

  /**
   * The current feature's categories with enough support in catBin[0..n), their smoothed values in
   * catValue and catOrder sorting them by value; returns n.
   */
  private sortedCategories(): number {
    const { hist, offset: o, nBins: nb, hessSlot, sumH: H, count: C } = this.input;
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
    return n;
  }

  /**
   * Where missing values go for the categorical split in bestCatLeft (see the file comment), then
   * absent categories follow them; returns missingLeft. `n` categories were scanned, `cl` rows go left.
   */
  private placeMissingAndAbsent(n: number, cl: number): boolean {
    const { hist, offset: o, nBins: nb, hasMissing, count: C } = this.input;
    const left = this.bestCatLeft;
    let missingInScan = false;
    for (let k = 0; k < n; k++) if (this.catBin[k] === nb) missingInScan = true;
    let missingLeft: boolean;
    if (missingInScan) missingLeft = left[nb] === 1;
    else if (hasMissing) missingLeft = false;
    else missingLeft = cl > C - cl;
    left[nb] = missingLeft ? 1 : 0;
    for (let bin = 0; bin < nb; bin++) if (hist[o + 3 * bin + 2] === 0) left[bin] = missingLeft ? 1 : 0;
    return missingLeft;
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
