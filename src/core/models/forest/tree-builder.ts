/**
 * One randomised decision tree on binned data, for random forests and extra trees.
 *
 * Depth-first growth to purity (or max_depth / min_samples_* limits), each node's rows a range of
 * one row array partitioned in place, as in the GBDT grower. At a node, features are drawn at random
 * without replacement until max_features of them vary in the node (features constant in the node do
 * not count, as in scikit-learn); for each, one pass over the node's rows fills a per-bin histogram
 * of [rows, weight, per-class weights] (classification) or [rows, weight, sum w*y, sum w*y^2]
 * (regression), touching only the bins that occur, so small deep nodes cost O(rows) rather than
 * O(bins).
 *
 * Split criteria, written as a score to maximise (children's score minus the parent's is the
 * weighted impurity decrease, used for feature importance):
 *   gini:          sum_k w_k^2 / W            entropy: sum_k w_k ln w_k - W ln W
 *   squared_error: (sum w y)^2 / W
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
 *
 * A split is taken when it is valid (min_samples_leaf rows each side, positive weight each side)
 * even with zero impurity decrease, as scikit-learn does with min_impurity_decrease = 0.
 */
import type { Rng } from '../../util/random.ts';
import type { FlatTree } from '../trees/flat-tree.ts';
import type { BinMapper } from '../trees/binning.ts';
import type { Criterion } from './params.ts';
import { GAIN_TIE_TOLERANCE } from '../trees/gain-ties.ts';

export interface ForestTreeParams {
  criterion: Criterion;
  /** Classes (classification) or 0 (regression). */
  nClasses: number;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxFeatures: number;
  extraTrees: boolean;
}

/** A built tree: raw-value form for prediction, bin form for out-of-bag scoring. */
export interface BuiltTree {
  flat: FlatTree;
  /** Per node: split bin (numeric: bins <= bin go left) or -1. */
  bin: Int32Array;
  /** Per node: categorical left-bin table (missing bin included), else null. */
  leftBins: (Uint8Array | null)[];
}

const CRIT_GINI = 0;
const CRIT_ENTROPY = 1;
const CRIT_SQUARED = 2;

function xlogx(x: number): number {
  return x > 0 ? x * Math.log(x) : 0;
}

export class ForestTreeBuilder {
  /** Values per bin: [rows, weight, classes...] or [rows, weight, sum wy, sum wy^2]. */
  private readonly stride: number;
  private readonly crit: number;
  private readonly nClasses: number;
  private readonly rows: Int32Array;
  private readonly buffer: Int32Array;
  private readonly hist: Float64Array;
  private readonly touched = new Int32Array(256);
  private readonly order = new Int32Array(256);
  private readonly orderValue = new Float64Array(256);
  private readonly features: Int32Array;
  private readonly left: Float64Array;
  private readonly missingLeftStats: Float64Array;
  private readonly table = new Uint8Array(256);
  private readonly catScratch = new Uint8Array(256);
  // Best split of the node being examined.
  private bestScore = -Infinity;
  private bestFeature = -1;
  private bestBin = -1;
  private bestMissingLeft = false;
  private bestIsCat = false;
  private readonly bestLeftBins = new Uint8Array(256);
  private readonly bestLeft: Float64Array;
  private readonly nodeStats: Float64Array;
  private arena: Float64Array;

  constructor(
    private readonly binned: Uint8Array,
    private readonly nRows: number,
    private readonly mapper: BinMapper,
    private readonly y: Float64Array,
    private readonly params: ForestTreeParams,
  ) {
    this.nClasses = params.nClasses;
    this.crit = params.criterion === 'gini' ? CRIT_GINI : params.criterion === 'entropy' ? CRIT_ENTROPY : CRIT_SQUARED;
    this.stride = this.nClasses > 0 ? this.nClasses + 2 : 4;
    this.rows = new Int32Array(nRows);
    this.buffer = new Int32Array(nRows);
    this.hist = new Float64Array(256 * this.stride);
    this.features = new Int32Array(mapper.nFeatures);
    this.left = new Float64Array(this.stride);
    this.missingLeftStats = new Float64Array(this.stride);
    this.bestLeft = new Float64Array(this.stride);
    this.nodeStats = new Float64Array(this.stride);
    this.arena = new Float64Array(1024 * this.stride);
  }

  /**
   * Builds a tree on rows inBag[0..nInBag) (ascending) with per-row weights `weight` (indexed by
   * row). `importance[f]` accumulates each split's weighted impurity decrease, `splits[f]` counts.
   */
  build(inBag: Int32Array, nInBag: number, weight: Float64Array, rng: Rng, importance: Float64Array, splits: Float64Array): BuiltTree {
    const { params, stride, rows } = this;
    const nClasses = this.nClasses;
    rows.set(inBag.subarray(0, nInBag));

    // Node fields in typed arrays that double when full (no per-node JS objects or boxed numbers).
    const valueDim = nClasses > 0 ? nClasses : 1;
    let cap = 1024;
    let feature = new Int32Array(cap);
    let threshold = new Float64Array(cap);
    let missingLeft = new Uint8Array(cap);
    let leftChild = new Int32Array(cap);
    let rightChild = new Int32Array(cap);
    let binOf = new Int32Array(cap);
    let value = new Float64Array(cap * valueDim);
    const leftCategories = new Map<number, Int32Array>();
    const leftBinsOf = new Map<number, Uint8Array>();
    let nNodes = 0;
    // Node statistics live in one growing arena (stride values per node): no allocation per node.
    let arena = this.arena;
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T, size: number): T => {
      const b = new (a.constructor as { new (n: number): T })(size);
      b.set(a);
      return b;
    };
    const newNode = (): number => {
      const id = nNodes++;
      if (id === cap) {
        cap *= 2;
        feature = grow(feature, cap);
        threshold = grow(threshold, cap);
        missingLeft = grow(missingLeft, cap);
        leftChild = grow(leftChild, cap);
        rightChild = grow(rightChild, cap);
        binOf = grow(binOf, cap);
        value = grow(value, cap * valueDim);
      }
      feature[id] = -1;
      leftChild[id] = -1;
      rightChild[id] = -1;
      binOf[id] = -1;
      if ((id + 1) * stride > arena.length) {
        const grown = new Float64Array(arena.length * 2);
        grown.set(arena);
        arena = this.arena = grown;
      }
      arena.fill(0, id * stride, (id + 1) * stride);
      return id;
    };

    const root = newNode();
    for (let i = 0; i < nInBag; i++) this.addRow(arena, root * stride, rows[i], weight);
    // Depth-first: (id, start, end, depth) quadruples.
    const stack: number[] = [root, 0, nInBag, 0];
    const stats = this.nodeStats;
    while (stack.length > 0) {
      const depth = stack.pop()!;
      const end = stack.pop()!;
      const start = stack.pop()!;
      const id = stack.pop()!;
      stats.set(arena.subarray(id * stride, (id + 1) * stride));
      const m = end - start;
      const W = stats[1];
      // Leaf value: class frequencies or the weighted mean.
      if (nClasses > 0) for (let k = 0; k < nClasses; k++) value[id * nClasses + k] = W > 0 ? stats[2 + k] / W : 1 / nClasses;
      else value[id] = W > 0 ? stats[2] / W : 0;
      if (depth >= params.maxDepth || m < params.minSamplesSplit || m < 2 * params.minSamplesLeaf || this.isPure(stats)) continue;
      if (!this.findSplit(start, end, stats, weight, rng)) continue;

      const f = this.bestFeature;
      const nb = this.mapper.nBins[f];
      const table = this.table;
      table.fill(0);
      if (this.bestIsCat) {
        table.set(this.bestLeftBins.subarray(0, nb + 1));
      } else {
        for (let b = 0; b <= this.bestBin; b++) table[b] = 1;
        table[nb] = this.bestMissingLeft ? 1 : 0;
      }
      const mid = this.partition(start, end, f, table);

      importance[f] += this.bestScore - this.nodeScore(stats, 0);
      splits[f] += 1;
      const l = newNode();
      const r = newNode();
      arena = this.arena;
      for (let j = 0; j < stride; j++) {
        arena[l * stride + j] = this.bestLeft[j];
        arena[r * stride + j] = stats[j] - this.bestLeft[j];
      }
      // Counts are exact; a weightless side's weight may drift below 0 by rounding.
      if (arena[r * stride + 1] < 0) arena[r * stride + 1] = 0;
      feature[id] = f;
      missingLeft[id] = this.bestMissingLeft ? 1 : 0;
      leftChild[id] = l;
      rightChild[id] = r;
      if (this.bestIsCat) {
        const lb = this.bestLeftBins.slice(0, nb + 1);
        leftBinsOf.set(id, lb);
        const codeToBin = this.mapper.codeToBin[f]!;
        const codes: number[] = [];
        for (let c = 0; c < codeToBin.length; c++) if (lb[codeToBin[c]] === 1) codes.push(c);
        leftCategories.set(id, Int32Array.from(codes));
      } else {
        binOf[id] = this.bestBin;
        const thr = this.mapper.thresholds[f];
        threshold[id] = this.bestBin < thr.length ? thr[this.bestBin] : Infinity;
      }
      stack.push(r, mid, end, depth + 1, l, start, mid, depth + 1);
    }
    const n = nNodes;
    const cats = new Array<Int32Array | null>(n).fill(null);
    const bins = new Array<Uint8Array | null>(n).fill(null);
    for (const [id, c] of leftCategories) cats[id] = c;
    for (const [id, b] of leftBinsOf) bins[id] = b;
    return {
      flat: {
        nNodes: n,
        valueDim,
        feature: feature.slice(0, n),
        threshold: threshold.slice(0, n),
        missingLeft: missingLeft.slice(0, n),
        left: leftChild.slice(0, n),
        right: rightChild.slice(0, n),
        leftCategories: cats,
        value: value.slice(0, n * valueDim),
      },
      bin: binOf.slice(0, n),
      leftBins: bins,
    };
  }

  private addRow(stats: Float64Array, off: number, r: number, weight: Float64Array): void {
    const w = weight[r];
    stats[off] += 1;
    stats[off + 1] += w;
    if (this.nClasses > 0) stats[off + 2 + this.y[r]] += w;
    else {
      const wy = w * this.y[r];
      stats[off + 2] += wy;
      stats[off + 3] += wy * this.y[r];
    }
  }

  private isPure(stats: Float64Array): boolean {
    const W = stats[1];
    if (!(W > 0)) return true;
    if (this.nClasses > 0) {
      for (let k = 0; k < this.nClasses; k++) if (stats[2 + k] > 0) return stats[2 + k] >= W * (1 - 1e-12);
      return true;
    }
    const variance = stats[3] / W - (stats[2] / W) ** 2;
    const scale = Math.abs(stats[3] / W) || 1;
    return variance <= 1e-12 * scale;
  }

  /** Score (negative weighted impurity, up to terms that cancel) of the stats at `off`. */
  private nodeScore(a: Float64Array, off: number): number {
    const W = a[off + 1];
    if (!(W > 0)) return 0;
    if (this.crit === CRIT_SQUARED) return (a[off + 2] * a[off + 2]) / W;
    let s = 0;
    if (this.crit === CRIT_GINI) {
      for (let k = 0; k < this.nClasses; k++) s += a[off + 2 + k] * a[off + 2 + k];
      return s / W;
    }
    for (let k = 0; k < this.nClasses; k++) s += xlogx(a[off + 2 + k]);
    return s - xlogx(W);
  }

  /** Score of a split: f(leftStats) + f(totals - leftStats), or -Infinity when a side is too small or weightless. */
  private splitScore(leftStats: Float64Array, totals: Float64Array): number {
    const cl = leftStats[0];
    const cr = totals[0] - cl;
    const minLeaf = this.params.minSamplesLeaf;
    if (cl < minLeaf || cr < minLeaf) return -Infinity;
    const wl = leftStats[1];
    const wr = totals[1] - wl;
    if (!(wl > 0) || !(wr > 1e-12 * totals[1])) return -Infinity;
    if (this.crit === CRIT_SQUARED) {
      const sr = totals[2] - leftStats[2];
      return (leftStats[2] * leftStats[2]) / wl + (sr * sr) / wr;
    }
    const nClasses = this.nClasses;
    if (this.crit === CRIT_GINI) {
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

  /** Draws features and keeps the best split in this.best*; false when no valid split exists. */
  private findSplit(start: number, end: number, stats: Float64Array, weight: Float64Array, rng: Rng): boolean {
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
    // Near-equal scores keep the earlier candidate, so row order cannot break ties (see gbdt beats()).
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
      this.consider(this.splitScore(leftStats, totals), f, order[i], false, false, leftStats);
    }
    if (missingCount > 0) {
      leftStats.fill(0);
      this.addBin(leftStats, nb);
      for (let i = 0; i < u - 1; i++) {
        this.addBin(leftStats, order[i]);
        this.consider(this.splitScore(leftStats, totals), f, order[i], true, false, leftStats);
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
    const chosen = this.consider(this.splitScore(leftStats, totals), f, t, false, false, leftStats);
    if (missingCount > 0) {
      LM.set(leftStats);
      this.addBin(LM, nb);
      this.consider(this.splitScore(LM, totals), f, t, true, false, LM);
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
      if (this.consider(this.splitScore(leftStats, totals), f, -1, false, true, leftStats)) bestI = i;
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
    let improved = this.consider(this.splitScore(leftStats, totals), f, -1, false, true, leftStats);
    if (missingCount > 0) {
      LM.set(leftStats);
      this.addBin(LM, nb);
      if (this.consider(this.splitScore(LM, totals), f, -1, true, true, LM)) {
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

  private partition(start: number, end: number, f: number, table: Uint8Array): number {
    const { rows, buffer, binned } = this;
    const col = f * this.nRows;
    let l = start;
    let r = 0;
    for (let i = start; i < end; i++) {
      const row = rows[i];
      const goLeft = table[binned[col + row]];
      rows[l] = row;
      buffer[r] = row;
      l += goLeft;
      r += 1 - goLeft;
    }
    rows.set(buffer.subarray(0, r), l);
    return l;
  }
}

/** Output index (leaf node) of a built tree for one binned row. */
export function leafOfBinnedRow(tree: BuiltTree, nBins: Int32Array, binned: Uint8Array, nRows: number, row: number): number {
  const { feature, left, right, missingLeft } = tree.flat;
  let node = 0;
  let f = feature[0];
  while (f >= 0) {
    const b = binned[f * nRows + row];
    let goLeft: boolean;
    const lb = tree.leftBins[node];
    if (lb) goLeft = lb[b] === 1;
    else if (b === nBins[f]) goLeft = missingLeft[node] === 1;
    else goLeft = b <= tree.bin[node];
    node = goLeft ? left[node] : right[node];
    f = feature[node];
  }
  return node;
}
