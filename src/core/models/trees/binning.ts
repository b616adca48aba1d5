/**
 * Binning: maps every feature to small integer bins so that histograms replace sorting. Shared by
 * the GBDT and the random forests, which both grow their trees on the binned matrix.
 *
 * Numeric features (as scikit-learn's `_find_binning_thresholds`): with at most maxBins distinct
 * non-missing values, one bin per value and thresholds at the midpoints between consecutive
 * values; otherwise thresholds at the (1/maxBins .. (maxBins-1)/maxBins) quantiles, "midpoint"
 * interpolation, on a random subsample of at most 200,000 rows. Unlike scikit-learn, repeated
 * thresholds (heavy values) are merged so no bin is empty by construction — fewer bins, faster
 * scans, the same splits. Bin b holds thresholds[b-1] < x <= thresholds[b]; the bin count of the
 * feature is nBins[f] = thresholds.length + 1.
 *
 * Categorical features: bin = category code when the feature has at most maxBins levels. With more
 * levels, the maxBins - 1 most frequent codes keep a bin each (in code order) and all other codes
 * share the last bin, so a tree can still send them somewhere (scikit-learn refuses such features).
 *
 * Missing values (NaN, and categorical codes that are not integers in 0..nLevels-1) go to the
 * feature's own missing bin, code nBins[f] — one past its last real bin, so each feature's
 * histogram has nBins[f] + 1 slots and features with few values cost little.
 *
 * The binned matrix is column-major Uint8Array: binned[f * nRows + i].
 */
import type { FeatureMatrix, FeatureSpec } from '../../prep/matrix.ts';
import { Rng } from '../../util/random.ts';

/** Uint8 bins: at most 255 real bins, leaving code 255 for the missing bin. */
export const MAX_BINS_LIMIT = 255;
/** Rows used to find thresholds (scikit-learn's `subsample=2e5`). */
export const BINNING_SUBSAMPLE = 200_000;

export interface BinMapper {
  maxBins: number;
  nFeatures: number;
  /** Non-missing bins per feature; the missing bin of feature f is code nBins[f]. */
  nBins: Int32Array;
  isCategorical: Uint8Array;
  /** Numeric features: upper bin edges (length nBins - 1); empty for categorical features. */
  thresholds: Float64Array[];
  /** Categorical features: bin of each code 0..nLevels-1; null for numeric features. */
  codeToBin: (Int32Array | null)[];
  /** Whether the feature had missing values in the rows the thresholds were found on (informative only:
   * splits look at each node's own missing count). */
  hasMissing: Uint8Array;
}

export interface BinningOptions {
  maxBins: number;
  /** Rows to fit on (default: all). */
  rows?: Int32Array;
  /** Seed for the threshold subsample when there are more than BINNING_SUBSAMPLE rows. */
  seed?: number;
}

export function fitBinMapper(X: FeatureMatrix, opts: BinningOptions): BinMapper {
  const { maxBins } = opts;
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > MAX_BINS_LIMIT) {
    throw new Error(`max_bins must be an integer in [2, ${MAX_BINS_LIMIT}], got ${maxBins}`);
  }
  const p = X.columns.length;
  let rows = opts.rows ?? null;
  const nRows = rows ? rows.length : X.rows;
  // Thresholds from a subsample (as scikit-learn), categorical counts too: enough for quantiles.
  if (nRows > BINNING_SUBSAMPLE) {
    const rng = new Rng(opts.seed ?? 0);
    const all = rows ? Int32Array.from(rows) : Int32Array.from({ length: nRows }, (_, i) => i);
    for (let i = 0; i < BINNING_SUBSAMPLE; i++) {
      const j = i + rng.int(nRows - i);
      const t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    rows = all.subarray(0, BINNING_SUBSAMPLE);
  }
  const m = rows ? rows.length : X.rows;
  const mapper: BinMapper = {
    maxBins,
    nFeatures: p,
    nBins: new Int32Array(p),
    isCategorical: new Uint8Array(p),
    thresholds: [],
    codeToBin: [],
    hasMissing: new Uint8Array(p),
  };
  const buf = new Float64Array(m);
  for (let f = 0; f < p; f++) {
    const col = X.columns[f];
    const spec = X.features[f];
    let k = 0;
    let missing = 0;
    for (let i = 0; i < m; i++) {
      const v = col[rows ? rows[i] : i];
      if (v !== v) missing++;
      else buf[k++] = v;
    }
    if (spec?.kind === 'categorical') {
      mapper.isCategorical[f] = 1;
      const { codeToBin, nBins, invalid } = categoricalBins(buf.subarray(0, k), spec.nLevels, maxBins);
      mapper.codeToBin.push(codeToBin);
      mapper.thresholds.push(new Float64Array(0));
      mapper.nBins[f] = nBins;
      mapper.hasMissing[f] = missing + invalid > 0 ? 1 : 0;
    } else {
      const thr = numericThresholds(buf.subarray(0, k), maxBins);
      mapper.thresholds.push(thr);
      mapper.codeToBin.push(null);
      mapper.nBins[f] = thr.length + 1;
      mapper.hasMissing[f] = missing > 0 ? 1 : 0;
    }
  }
  return mapper;
}

/** Integer columns spanning fewer values than this are counted instead of sorted. */
const COUNTING_RANGE = 1 << 16;

/** Upper bin edges for one numeric feature's non-missing values (may reorder `values`). */
export function numericThresholds(values: Float64Array, maxBins: number): Float64Array {
  const n = values.length;
  if (n === 0) return new Float64Array(0);
  const counted = integerThresholds(values, maxBins);
  if (counted) return counted;
  values.sort();
  let distinct = 1;
  for (let i = 1; i < n; i++) if (values[i] !== values[i - 1]) distinct++;
  if (distinct <= maxBins) {
    const out = new Float64Array(distinct - 1);
    let k = 0;
    for (let i = 1; i < n; i++) {
      if (values[i] !== values[i - 1]) out[k++] = midpoint(values[i - 1], values[i]);
    }
    return out;
  }
  // numpy.percentile(values, q, method="midpoint") at q = 100 * i / maxBins, i = 1..maxBins-1.
  const out: number[] = [];
  for (let i = 1; i < maxBins; i++) {
    const pos = (i / maxBins) * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    const t = midpoint(values[lo], values[hi]);
    if (out.length === 0 || t > out[out.length - 1]) out.push(t);
  }
  // The top threshold must leave the largest value in a bin of its own side: drop edges >= max.
  while (out.length && out[out.length - 1] >= values[n - 1]) out.pop();
  return Float64Array.from(out);
}

/**
 * The same thresholds as the sorting path, for integer-valued columns with a small range (ages,
 * counts, codes): a counting pass replaces the O(n log n) sort. Null when the column does not qualify.
 */
function integerThresholds(values: Float64Array, maxBins: number): Float64Array | null {
  const n = values.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if ((v | 0) !== v) return null;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (max - min >= COUNTING_RANGE) return null;
  const counts = new Int32Array(max - min + 1);
  for (let i = 0; i < n; i++) counts[values[i] - min]++;
  const distinct: number[] = [];
  for (let v = 0; v < counts.length; v++) if (counts[v] > 0) distinct.push(v);
  if (distinct.length <= maxBins) {
    const out = new Float64Array(distinct.length - 1);
    for (let i = 1; i < distinct.length; i++) out[i - 1] = min + (distinct[i - 1] + distinct[i]) / 2;
    return out;
  }
  // Value at sorted position `pos` = the first value whose cumulative count exceeds pos; positions
  // only grow with i, so one walk over the counts serves every quantile.
  const out: number[] = [];
  let v = 0;
  let below = 0; // rows with value < v
  const valueAt = (pos: number): number => {
    while (below + counts[v] <= pos) below += counts[v++];
    return v;
  };
  for (let i = 1; i < maxBins; i++) {
    const pos = (i / maxBins) * (n - 1);
    const lo = valueAt(Math.floor(pos));
    const hiPos = Math.ceil(pos);
    let hi = lo;
    // hiPos is lo's position or the next one: the next value when lo's run ends there.
    if (below + counts[lo] <= hiPos) {
      let u = lo + 1;
      while (counts[u] === 0) u++;
      hi = u;
    }
    const t = min + (lo + hi) / 2;
    if (out.length === 0 || t > out[out.length - 1]) out.push(t);
  }
  while (out.length && out[out.length - 1] >= max) out.pop();
  return Float64Array.from(out);
}

function midpoint(a: number, b: number): number {
  if (a === b) return a;
  // Halves first so huge values cannot overflow; -Infinity/+Infinity neighbours meet at 0.
  const m = a / 2 + b / 2;
  return m === m ? m : 0;
}

export function categoricalBins(
  codes: Float64Array,
  nLevelsSpec: number | undefined,
  maxBins: number,
): { codeToBin: Int32Array; nBins: number; invalid: number } {
  let nLevels = nLevelsSpec ?? 0;
  if (nLevelsSpec === undefined) {
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i];
      if (Number.isInteger(c) && c >= 0 && c + 1 > nLevels) nLevels = c + 1;
    }
  }
  const counts = new Float64Array(nLevels);
  let invalid = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (Number.isInteger(c) && c >= 0 && c < nLevels) counts[c]++;
    else invalid++;
  }
  const codeToBin = new Int32Array(nLevels);
  if (nLevels <= maxBins) {
    for (let c = 0; c < nLevels; c++) codeToBin[c] = c;
    return { codeToBin, nBins: Math.max(1, nLevels), invalid };
  }
  // Too many levels: the maxBins-1 most frequent keep their own bin, the rest share the last one.
  const order = Array.from({ length: nLevels }, (_, c) => c).sort((a, b) => counts[b] - counts[a] || a - b);
  const kept = order.slice(0, maxBins - 1).sort((a, b) => a - b);
  codeToBin.fill(maxBins - 1);
  kept.forEach((c, b) => (codeToBin[c] = b));
  return { codeToBin, nBins: maxBins, invalid };
}

/** Bin of one raw value (NaN or invalid code -> the missing bin). */
export function binValue(mapper: BinMapper, f: number, v: number): number {
  const nb = mapper.nBins[f];
  if (v !== v) return nb;
  const c2b = mapper.codeToBin[f];
  if (c2b) return Number.isInteger(v) && v >= 0 && v < c2b.length ? c2b[v] : nb;
  const thr = mapper.thresholds[f];
  // Smallest b with v <= thr[b]; thr.length when v is above every edge.
  let lo = 0;
  let hi = thr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= thr[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * A binned matrix (the rows of some FeatureMatrix, binned with `mapper`) handed to a tree learner
 * that need not see the raw values: `codes[f * rows + i]`, missing = mapper.nBins[f].
 */
export interface BinnedMatrix {
  rows: number;
  features: FeatureSpec[];
  mapper: BinMapper;
  codes: Uint8Array;
}

/** The given rows (positions 0..nRows-1) of a column-major binned matrix, column-major. */
export function takeBinnedRows(codes: Uint8Array, nRows: number, nFeatures: number, rows: Int32Array): Uint8Array {
  const m = rows.length;
  const out = new Uint8Array(m * nFeatures);
  for (let f = 0; f < nFeatures; f++) {
    const col = codes.subarray(f * nRows, (f + 1) * nRows);
    const o = f * m;
    for (let i = 0; i < m; i++) out[o + i] = col[rows[i]];
  }
  return out;
}

/** Bins the given rows (default all) of X: column-major Uint8Array, binned[f * nRows + i]. */
export function binMatrix(mapper: BinMapper, X: FeatureMatrix, rows?: Int32Array): Uint8Array {
  const n = rows ? rows.length : X.rows;
  const p = mapper.nFeatures;
  if (X.columns.length !== p) {
    throw new Error(`the bin mapper was fitted on ${p} features but got a matrix with ${X.columns.length}`);
  }
  const out = new Uint8Array(n * p);
  for (let f = 0; f < p; f++) {
    const col = X.columns[f];
    const o = f * n;
    const nb = mapper.nBins[f];
    const c2b = mapper.codeToBin[f];
    if (c2b) {
      const nl = c2b.length;
      for (let i = 0; i < n; i++) {
        const v = col[rows ? rows[i] : i];
        const c = v | 0;
        if (c === v && c >= 0 && c < nl) out[o + i] = c2b[c];
        else out[o + i] = nb;
      }
    } else if (!binIntegerColumn(mapper.thresholds[f], nb, col, rows, n, out, o)) {
      const thr = mapper.thresholds[f];
      const nt = thr.length;
      for (let i = 0; i < n; i++) {
        const v = col[rows ? rows[i] : i];
        if (v !== v) {
          out[o + i] = nb;
          continue;
        }
        let lo = 0;
        let hi = nt;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (v <= thr[mid]) hi = mid;
          else lo = mid + 1;
        }
        out[o + i] = lo;
      }
    }
  }
  return out;
}

/** Integer columns spanning at most this many values are binned through a lookup table. */
const LOOKUP_RANGE = 1 << 17;

/**
 * Bins an integer-valued column (ages, counts, amounts) with a table from value to bin instead of
 * a binary search per value, whose branches are unpredictable. Returns false, writing nothing,
 * when the column has non-integer values or too wide a range.
 */
function binIntegerColumn(thr: Float64Array, nb: number, col: Float64Array, rows: Int32Array | undefined, n: number, out: Uint8Array, o: number): boolean {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = col[rows ? rows[i] : i];
    if (v !== v) continue;
    if ((v | 0) !== v) return false;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (max - min >= LOOKUP_RANGE) return false;
  if (min > max) {
    out.fill(nb, o, o + n); // all missing
    return true;
  }
  const lut = new Uint8Array(max - min + 1);
  let b = 0;
  for (let v = min; v <= max; v++) {
    while (b < thr.length && v > thr[b]) b++;
    lut[v - min] = b;
  }
  for (let i = 0; i < n; i++) {
    const v = col[rows ? rows[i] : i];
    out[o + i] = v === v ? lut[v - min] : nb;
  }
  return true;
}
