/**
 * The GBDT's scans of one numeric feature's histogram, and the parameter object they share.
 *
 * Numeric features: bins are scanned left to right with missing values sent right (this also
 * tries "all non-missing left, missing right"), then — only when the node has missing values for
 * the feature — right to left with missing values sent left; the better wins (XGBoost's sparsity-
 * aware algorithm 3). splitting.ts decides where missing values go when the node has none.
 *
 * These loops run once per feature per node, over every bin: the hottest code of a fit after the
 * histogram kernels. They are module-level functions rather than methods so V8 optimises each small
 * loop on its own, and they read their inputs from one ScanInput that the Splitter owns and refills
 * (per node, then per feature) rather than from a dozen positional numbers or an object built per call.
 */
import { GAIN_TIE_TOLERANCE } from '../trees/gain-ties.ts';

/**
 * What a scan of one feature needs. The Splitter owns one and sets the node fields once per node
 * and the feature fields once per feature, so no object is allocated in the scan. Fields are
 * initialised with their final kinds (doubles as 0.5) so V8 keeps one stable shape.
 */
export class ScanInput {
  // Per node.
  hist: Float64Array = new Float64Array(0);
  /** The node's sums of gradients and hessians, and its row count. */
  sumG = 0.5;
  sumH = 0.5;
  count = 0.5;
  /** The node's score G² / (H + l2). */
  parentScore = 0.5;
  // Per feature.
  /** Index of the feature's first bin in `hist` (3 values per bin). */
  offset = 0;
  /** The feature's real bins; its missing bin is bin nBins. */
  nBins = 0;
  hasMissing = false;
  // Per fit.
  /** 1 where the histogram carries hessian sums, 2 (the count slot) when hessians are constant. */
  hessSlot = 1;
  minLeaf = 0.5;
  minHess = 0.5;
  l2 = 0.5;
}

/** Best threshold found by a numeric scan (fields are doubles from the start: stable V8 shapes). */
export class ScanResult {
  gain = 0.5;
  bin = -1;
  missingLeft = false;
  gl = 0.5;
  hl = 0.5;
  cl = 0.5;
}

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

/**
 * Left-to-right scan with missing values on the right. With missing values the last real bin may
 * go left too: that is the "non-missing vs missing" split.
 *
 * The acceptance rule — beats(gain, best) and gain > tolerance * score — is, in terms of the
 * children's score GL²/(HL+l2) + GR²/(HR+l2), "score > bar" (scoreBar), and the loop tests it
 * division-free: GL²(HR+l2) + GR²(HL+l2) > bar (HL+l2)(HR+l2). Only a new best costs a division
 * (to raise the bar). An empty bin repeats the previous score, which cannot clear the bar, so it
 * needs no test of its own (a branch that would mispredict on sparse histograms).
 */
export function scanMissingRight(s: ScanInput, r: ScanResult): void {
  const { hist, offset: o, nBins: nb, hasMissing, hessSlot, sumG: G, sumH: H, count: C, parentScore, minLeaf, minHess, l2 } = s;
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
export function scanMissingRightCounts(s: ScanInput, r: ScanResult): void {
  const { hist, offset: o, nBins: nb, hasMissing, sumG: G, count: C, parentScore, minLeaf, l2 } = s;
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
export function scanMissingLeft(s: ScanInput, r: ScanResult): void {
  const { hist, offset: o, nBins: nb, hessSlot, sumG: G, sumH: H, count: C, parentScore, minLeaf, minHess, l2 } = s;
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
