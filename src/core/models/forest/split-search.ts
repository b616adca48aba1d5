/**
 * The split search of one forest-tree node: draws features at random without replacement until
 * max_features of them vary in the node (features constant in the node do not count, as in
 * scikit-learn); for each, one pass over the node's rows fills a per-bin histogram of
 * [rows, weight, per-class weights] (classification) or [rows, weight, sum w*y, sum w*y^2]
 * (regression), touching only the bins that occur, so small deep nodes cost O(rows) rather than
 * O(bins). The best split found is left in the public best* fields for tree-builder.ts.
 *
 * Random forest: every boundary between occurring bins is tried, with missing values sent left and
 * right (as in GBDT). Extra trees: one random boundary per feature, uniform among the bin edges in
 * the node's range (in quantile space, whereas scikit-learn draws uniformly in raw-value space), and
 * for categorical features a random half of the occurring categories; missing values go to the
 * better side.
 * Categorical features (random forest): categories sorted by the node's mean target (regression),
 * positive-class rate (binary) or rate of the node's majority class (multiclass), then scanned as
 * ordered; the missing bin is one more category. Categories absent from the node — including codes
 * never seen in training — follow the missing values; with no missing values in the node, both go
 * to the heavier child.
 */
import type { Rng } from '../../util/random.ts';
import type { BinMapper } from '../trees/binning.ts';
import { GAIN_TIE_TOLERANCE } from '../trees/gain-ties.ts';
import { splitScore, statsLayout } from './criteria.ts';
import type { ForestTreeParams } from './params.ts';

export class ForestSplitSearch {
  /** Values per bin: [rows, weight, classes...] or [rows, weight, sum wy, sum wy^2]. */
  private readonly stride: number;
  private readonly crit: number;
  private readonly nClasses: number;
  private readonly hist: Float64Array;
  private readonly touched = new Int32Array(256);
  private readonly order = new Int32Array(256);
  private readonly orderValue = new Float64Array(256);
  private readonly features: Int32Array;
  private readonly left: Float64Array;
  private readonly missingLeftStats: Float64Array;
  private readonly catScratch = new Uint8Array(256);
  // Best split of the node being examined.
  bestScore = -Infinity;
  bestFeature = -1;
  bestBin = -1;
  bestMissingLeft = false;
  bestIsCat = false;
  /** Categorical best split: 1 for each bin (missing bin included) that goes left. */
  readonly bestLeftBins = new Uint8Array(256);
  /** The best split's left-child statistics. */
  readonly bestLeft: Float64Array;

  constructor(
    private readonly binned: Uint8Array,
    private readonly nRows: number,
    private readonly mapper: BinMapper,
    private readonly y: Float64Array,
    private readonly params: ForestTreeParams,
    /** The builder's row array: a node's rows are a range of it. */
    private readonly rows: Int32Array,
  ) {
    ({ nClasses: this.nClasses, crit: this.crit, stride: this.stride } = statsLayout(params));
    this.hist = new Float64Array(256 * this.stride);
    this.features = new Int32Array(mapper.nFeatures);
    this.left = new Float64Array(this.stride);
    this.missingLeftStats = new Float64Array(this.stride);
    this.bestLeft = new Float64Array(this.stride);
  }

  private score(leftStats: Float64Array, totals: Float64Array): number {
    return splitScore(this.crit, this.nClasses, this.params.minSamplesLeaf, leftStats, totals);
  }

  /** Draws features and keeps the best split in this.best*; false when no valid split exists. */
  findSplit(start: number, end: number, stats: Float64Array, weight: Float64Array, rng: Rng): boolean {
    const p = this.mapper.nFeatures;
    const features = this.features;
    for (let j = 0; j < p; j++) features[j] = j;
    this.bestScore = -Infinity;
    this.bestFeature = -1;
    let visited = 0;
    for (let drawn = 0; drawn < p && visited < this.params.maxFeatures; drawn++) {
      const pick = drawn + rng.int(p - drawn);
      const f = features[pick];
      features[pick] = features[drawn];
      features[drawn] = f;
      const nTouched = this.accumulate(f, start, end, weight);
      if (nTouched <= 1) {
        this.clearTouched(nTouched);
        continue; // constant in this node: does not count towards max_features
      }
      visited++;
      if (this.mapper.isCategorical[f]) {
        if (this.params.extraTrees) this.randomCategorical(f, nTouched, stats, rng);
        else this.scanCategorical(f, nTouched, stats);
      } else if (this.params.extraTrees) this.randomNumeric(f, nTouched, stats, rng);
      else this.scanNumeric(f, nTouched, stats);
      this.clearTouched(nTouched);
    }
    return this.bestFeature >= 0;
  }

  /** Fills the histogram of feature f over the node's rows; returns how many bins occur. */
  private accumulate(f: number, start: number, end: number, weight: Float64Array): number {
    const { hist, touched, rows, binned, y, stride } = this;
    const col = f * this.nRows;
    let t = 0;
    if (this.nClasses > 0) {
      // The bin's total weight (slot 1) is the sum of its class weights: filled once per occurring
      // bin below rather than once per row (one store less per row in the hottest loop).
      for (let i = start; i < end; i++) {
        const r = rows[i];
        const b = binned[col + r];
        const o = b * stride;
        if (hist[o] === 0) touched[t++] = b;
        hist[o] += 1;
        hist[o + 2 + y[r]] += weight[r];
      }
      const nClasses = this.nClasses;
      for (let i = 0; i < t; i++) {
        const o = touched[i] * stride;
        let w = 0;
        for (let k = 0; k < nClasses; k++) w += hist[o + 2 + k];
        hist[o + 1] = w;
      }
    } else {
      for (let i = start; i < end; i++) {
        const r = rows[i];
        const b = binned[col + r];
        const o = b * stride;
        if (hist[o] === 0) touched[t++] = b;
        const w = weight[r];
        const wy = w * y[r];
        hist[o] += 1;
        hist[o + 1] += w;
        hist[o + 2] += wy;
        hist[o + 3] += wy * y[r];
      }
    }
    return t;
  }

  private clearTouched(t: number): void {
    const { hist, touched, stride } = this;
    for (let i = 0; i < t; i++) {
      const o = touched[i] * stride;
      for (let j = 0; j < stride; j++) hist[o + j] = 0;
    }
  }

  private addBin(dst: Float64Array, b: number): void {
    const o = b * this.stride;
    for (let j = 0; j < this.stride; j++) dst[j] += this.hist[o + j];
  }

  private consider(score: number, f: number, bin: number, missingLeft: boolean, isCat: boolean, leftStats: Float64Array): boolean {
    // Near-equal scores keep the earlier candidate, so row order cannot break ties (trees/gain-ties.ts).
    const best = this.bestScore;
    if (!(score > -Infinity) || (best > -Infinity && !(score > best + GAIN_TIE_TOLERANCE * Math.abs(best)))) return false;
    this.bestScore = score;
    this.bestFeature = f;
    this.bestBin = bin;
    this.bestMissingLeft = missingLeft;
    this.bestIsCat = isCat;
    this.bestLeft.set(leftStats);
    return true;
  }

  /** Sorted occurring non-missing bins into this.order[0..u); returns u. */
  private sortedBins(nTouched: number, nb: number): number {
    const { touched, order, hist, stride } = this;
    let u = 0;
    if (nTouched > 24) {
      // Many bins occur: walking the dense histogram is cheaper than sorting.
      for (let b = 0; b < nb; b++) if (hist[b * stride] > 0) order[u++] = b;
      return u;
    }
    for (let i = 0; i < nTouched; i++) {
      const b = touched[i];
      if (b === nb) continue;
      let j = u - 1;
      while (j >= 0 && order[j] > b) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = b;
      u++;
    }
    return u;
  }

  private scanNumeric(f: number, nTouched: number, totals: Float64Array): void {
    const nb = this.mapper.nBins[f];
    const u = this.sortedBins(nTouched, nb);
    const missingCount = this.hist[nb * this.stride];
    const { left: leftStats, order } = this;
    // Missing values right; with missing values, "all non-missing left" is a split too.
    leftStats.fill(0);
    const endRight = missingCount > 0 ? u : u - 1;
    for (let i = 0; i < endRight; i++) {
      this.addBin(leftStats, order[i]);
      this.consider(this.score(leftStats, totals), f, order[i], false, false, leftStats);
    }
    if (missingCount > 0) {
      leftStats.fill(0);
      this.addBin(leftStats, nb);
      for (let i = 0; i < u - 1; i++) {
        this.addBin(leftStats, order[i]);
        this.consider(this.score(leftStats, totals), f, order[i], true, false, leftStats);
      }
    } else if (this.bestFeature === f) {
      this.bestMissingLeft = this.bestLeft[1] > totals[1] - this.bestLeft[1];
    }
  }

  private randomNumeric(f: number, nTouched: number, totals: Float64Array, rng: Rng): void {
    const nb = this.mapper.nBins[f];
    const { touched, left: leftStats, missingLeftStats: LM } = this;
    let lo = 256;
    let hi = -1;
    for (let i = 0; i < nTouched; i++) {
      const b = touched[i];
      if (b === nb) continue;
      if (b < lo) lo = b;
      if (b > hi) hi = b;
    }
    const missingCount = this.hist[nb * this.stride];
    if (hi < 0) return; // only missing values (cannot happen with >= 2 occurring bins)
    // A random edge among the node's bins; lo == hi leaves only "non-missing vs missing".
    const t = lo === hi ? hi : lo + rng.int(hi - lo);
    leftStats.fill(0);
    for (let i = 0; i < nTouched; i++) if (touched[i] !== nb && touched[i] <= t) this.addBin(leftStats, touched[i]);
    const chosen = this.consider(this.score(leftStats, totals), f, t, false, false, leftStats);
    if (missingCount > 0) {
      LM.set(leftStats);
      this.addBin(LM, nb);
      this.consider(this.score(LM, totals), f, t, true, false, LM);
    } else if (chosen) {
      this.bestMissingLeft = leftStats[1] > totals[1] - leftStats[1];
    }
  }

  /** Random forest categorical split: categories ordered by their target rate, then a prefix scan. */
  private scanCategorical(f: number, nTouched: number, totals: Float64Array): void {
    const nb = this.mapper.nBins[f];
    const { touched, order, orderValue, hist, stride, left: leftStats } = this;
    // Binary: the positive-class rate; multiclass: the rate of the node's majority class.
    let classIdx = this.nClasses === 2 ? 1 : 0;
    if (this.nClasses > 2) {
      for (let k = 1; k < this.nClasses; k++) if (totals[2 + k] > totals[2 + classIdx]) classIdx = k;
    }
    const valueSlot = this.nClasses > 0 ? 2 + classIdx : 2;
    // Insertion sort of the occurring categories by (value, bin): few categories per node.
    const sorted = order;
    for (let i = 0; i < nTouched; i++) {
      const b = touched[i];
      const o = b * stride;
      const v = hist[o + 1] > 0 ? hist[o + valueSlot] / hist[o + 1] : 0;
      orderValue[b] = v;
      let j = i - 1;
      while (j >= 0 && (orderValue[sorted[j]] > v || (orderValue[sorted[j]] === v && sorted[j] > b))) {
        sorted[j + 1] = sorted[j];
        j--;
      }
      sorted[j + 1] = b;
    }
    leftStats.fill(0);
    let bestI = -1;
    for (let i = 0; i < nTouched - 1; i++) {
      this.addBin(leftStats, sorted[i]);
      if (this.consider(this.score(leftStats, totals), f, -1, false, true, leftStats)) bestI = i;
    }
    if (bestI < 0) return;
    const lb = this.catScratch;
    lb.fill(0, 0, nb + 1);
    for (let i = 0; i <= bestI; i++) lb[sorted[i]] = 1;
    this.finishCategorical(nb, lb, totals);
  }

  private randomCategorical(f: number, nTouched: number, totals: Float64Array, rng: Rng): void {
    const nb = this.mapper.nBins[f];
    const { touched, left: leftStats, missingLeftStats: LM } = this;
    const lb = this.catScratch;
    lb.fill(0, 0, nb + 1);
    let nLeft = 0;
    let nCats = 0;
    let lastCat = -1;
    for (let i = 0; i < nTouched; i++) {
      const b = touched[i];
      if (b === nb) continue;
      nCats++;
      lastCat = b;
      if (rng.next() < 0.5) {
        lb[b] = 1;
        nLeft++;
      }
    }
    if (nCats === 0) return;
    // Both sides need a category (or the missing values): flip one at random if all went one way.
    if (nCats > 1 && (nLeft === 0 || nLeft === nCats)) {
      let pick = rng.int(nCats);
      for (let i = 0; i < nTouched; i++) {
        const b = touched[i];
        if (b === nb) continue;
        if (pick-- === 0) {
          lb[b] ^= 1;
          break;
        }
      }
    } else if (nCats === 1) {
      lb[lastCat] = 1; // single category vs missing values
    }
    leftStats.fill(0);
    for (let i = 0; i < nTouched; i++) if (touched[i] !== nb && lb[touched[i]]) this.addBin(leftStats, touched[i]);
    const missingCount = this.hist[nb * this.stride];
    let improved = this.consider(this.score(leftStats, totals), f, -1, false, true, leftStats);
    if (missingCount > 0) {
      LM.set(leftStats);
      this.addBin(LM, nb);
      if (this.consider(this.score(LM, totals), f, -1, true, true, LM)) {
        improved = true;
        lb[nb] = 1;
      } else if (improved) lb[nb] = 0;
    }
    if (improved) this.finishCategorical(nb, lb, totals);
  }

  /** Stores the categorical left set; absent categories and (absent) missing values follow the rules. */
  private finishCategorical(nb: number, lb: Uint8Array, totals: Float64Array): void {
    const missingCount = this.hist[nb * this.stride];
    const missingLeft = missingCount > 0 ? lb[nb] === 1 : this.bestLeft[1] > totals[1] - this.bestLeft[1];
    const out = this.bestLeftBins;
    out.fill(0, 0, nb + 1);
    for (let b = 0; b < nb; b++) out[b] = this.hist[b * this.stride] > 0 ? lb[b] : missingLeft ? 1 : 0;
    out[nb] = missingLeft ? 1 : 0;
    this.bestMissingLeft = missingLeft;
  }
}
