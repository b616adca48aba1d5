/**
 * Gradient/hessian histograms: for every (feature, bin), the sums of gradients and hessians and the
 * row count of the rows in a node. Split finding then needs one pass over the bins instead of a sort.
 *
 * Layout: one Float64Array per node, [grad, hess, count] interleaved per bin, features one after the
 * other; feature f occupies bins offsets[f] .. offsets[f+1]-1 (nBins[f] real bins + its missing bin),
 * i.e. array slots 3*offsets[f] ... Interleaving keeps the three sums of a bin in one cache line.
 *
 * With constant hessians (squared/absolute error without sample weights, hessian 1 per row) the
 * hessian slot is not filled: the split finder uses the count instead (as scikit-learn does), which
 * saves a third of the memory traffic.
 *
 * Subtraction trick: a child's histogram equals its parent's minus its sibling's, so the grower
 * builds only the smaller child's histogram (O(rows of the smaller child)) and gets the larger one
 * in O(bins) by subtracting in place in the parent's buffer.
 */

export class HistogramLayout {
  /** Bin offset of each feature; offsets[p] is the total number of bins (missing bins included). */
  readonly offsets: Int32Array;
  readonly totalBins: number;

  constructor(readonly nBins: Int32Array) {
    const p = nBins.length;
    this.offsets = new Int32Array(p + 1);
    for (let f = 0; f < p; f++) this.offsets[f + 1] = this.offsets[f] + nBins[f] + 1;
    this.totalBins = this.offsets[p];
  }

  /** Length of one histogram array. */
  get size(): number {
    return 3 * this.totalBins;
  }
}

/** Reuses histogram buffers across nodes and trees, so the hot loop never allocates. */
export class HistogramPool {
  private free: Float64Array[] = [];
  allocated = 0;

  constructor(private readonly size: number) {}

  acquire(): Float64Array {
    const h = this.free.pop();
    if (h) return h;
    this.allocated++;
    return new Float64Array(this.size);
  }

  release(h: Float64Array): void {
    this.free.push(h);
  }
}

/**
 * Fills `hist` (active features only) from the rows rows[start..end). Gradients (and hessians,
 * unless `h` is null for constant hessians) are read by row index: g[rows[k]]. Binned data is
 * column-major with `nRows` rows.
 *
 * Features are processed four per pass over the rows (then a pair, then one): the four histograms'
 * read-add-write chains are independent, so the CPU overlaps them (one feature alone stalls on
 * repeated hits to the same bin — a 2-level feature hits one of two bins every row), and each row's
 * index and gradients are read once per four features. Rows are sorted within a node, so the
 * gathers from g, h and the binned columns run forwards through memory.
 *
 * `knownCounts` (per bin, layout order) skips the count updates: the root's counts are the same at
 * every iteration when all rows are used, and the loop is bound by its stores, so leaving one of
 * three (or, for constant hessians, one of two) out of the largest histogram pays.
 *
 * Each loop variant is its own small function: V8 then optimises each one on its own feedback,
 * instead of deoptimising one big function whenever a path it had not yet run (the pair loop, the
 * constant-hessian loop) is first reached.
 */
export function buildHistogram(
  hist: Float64Array,
  layout: HistogramLayout,
  binned: Uint8Array,
  nRows: number,
  features: Int32Array,
  nActive: number,
  rows: Int32Array,
  start: number,
  end: number,
  g: Float64Array,
  h: Float64Array | null,
  knownCounts: Float64Array | null = null,
): void {
  const offsets = layout.offsets;
  for (let a = 0; a < nActive; a++) {
    const f = features[a];
    hist.fill(0, 3 * offsets[f], 3 * offsets[f + 1]);
  }
  if (knownCounts) {
    buildSumsOnly(hist, offsets, binned, nRows, features, nActive, rows, start, end, g, h);
    for (let a = 0; a < nActive; a++) {
      const f = features[a];
      for (let b = offsets[f]; b < offsets[f + 1]; b++) hist[3 * b + 2] = knownCounts[b];
    }
    return;
  }
  let a = 0;
  for (; a + 4 <= nActive; a += 4) {
    const f0 = features[a];
    const f1 = features[a + 1];
    const f2 = features[a + 2];
    const f3 = features[a + 3];
    const o0 = 3 * offsets[f0];
    const o1 = 3 * offsets[f1];
    const o2 = 3 * offsets[f2];
    const o3 = 3 * offsets[f3];
    if (h === null) accumulate4Count(hist, binned, rows, start, end, g, o0, o1, o2, o3, f0 * nRows, f1 * nRows, f2 * nRows, f3 * nRows);
    else accumulate4(hist, binned, rows, start, end, g, h, o0, o1, o2, o3, f0 * nRows, f1 * nRows, f2 * nRows, f3 * nRows);
  }
  if (a + 2 <= nActive) {
    const f0 = features[a];
    const f1 = features[a + 1];
    if (h === null) accumulate2Count(hist, binned, rows, start, end, g, 3 * offsets[f0], 3 * offsets[f1], f0 * nRows, f1 * nRows);
    else accumulate2(hist, binned, rows, start, end, g, h, 3 * offsets[f0], 3 * offsets[f1], f0 * nRows, f1 * nRows);
    a += 2;
  }
  if (a < nActive) {
    const f = features[a];
    if (h === null) accumulate1Count(hist, binned, rows, start, end, g, 3 * offsets[f], f * nRows);
    else accumulate1(hist, binned, rows, start, end, g, h, 3 * offsets[f], f * nRows);
  }
}

function accumulate4(
  hist: Float64Array, binned: Uint8Array, rows: Int32Array, start: number, end: number, g: Float64Array, h: Float64Array,
  o0: number, o1: number, o2: number, o3: number, c0: number, c1: number, c2: number, c3: number,
): void {
  for (let k = start; k < end; k++) {
    const r = rows[k];
    const gr = g[r];
    const hr = h[r];
    const b0 = o0 + 3 * binned[c0 + r];
    const b1 = o1 + 3 * binned[c1 + r];
    const b2 = o2 + 3 * binned[c2 + r];
    const b3 = o3 + 3 * binned[c3 + r];
    hist[b0] += gr;
    hist[b0 + 1] += hr;
    hist[b0 + 2] += 1;
    hist[b1] += gr;
    hist[b1 + 1] += hr;
    hist[b1 + 2] += 1;
    hist[b2] += gr;
    hist[b2 + 1] += hr;
    hist[b2 + 2] += 1;
    hist[b3] += gr;
    hist[b3 + 1] += hr;
    hist[b3 + 2] += 1;
  }
}

function accumulate4Count(
  hist: Float64Array, binned: Uint8Array, rows: Int32Array, start: number, end: number, g: Float64Array,
  o0: number, o1: number, o2: number, o3: number, c0: number, c1: number, c2: number, c3: number,
): void {
  for (let k = start; k < end; k++) {
    const r = rows[k];
    const gr = g[r];
    const b0 = o0 + 3 * binned[c0 + r];
    const b1 = o1 + 3 * binned[c1 + r];
    const b2 = o2 + 3 * binned[c2 + r];
    const b3 = o3 + 3 * binned[c3 + r];
    hist[b0] += gr;
    hist[b0 + 2] += 1;
    hist[b1] += gr;
    hist[b1 + 2] += 1;
    hist[b2] += gr;
    hist[b2 + 2] += 1;
    hist[b3] += gr;
    hist[b3 + 2] += 1;
  }
}

function accumulate2(
  hist: Float64Array, binned: Uint8Array, rows: Int32Array, start: number, end: number, g: Float64Array, h: Float64Array,
  o0: number, o1: number, c0: number, c1: number,
): void {
  for (let k = start; k < end; k++) {
    const r = rows[k];
    const gr = g[r];
    const hr = h[r];
    const b0 = o0 + 3 * binned[c0 + r];
    const b1 = o1 + 3 * binned[c1 + r];
    hist[b0] += gr;
    hist[b0 + 1] += hr;
    hist[b0 + 2] += 1;
    hist[b1] += gr;
    hist[b1 + 1] += hr;
    hist[b1 + 2] += 1;
  }
}

function accumulate2Count(
  hist: Float64Array, binned: Uint8Array, rows: Int32Array, start: number, end: number, g: Float64Array,
  o0: number, o1: number, c0: number, c1: number,
): void {
  for (let k = start; k < end; k++) {
    const r = rows[k];
    const gr = g[r];
    const b0 = o0 + 3 * binned[c0 + r];
    const b1 = o1 + 3 * binned[c1 + r];
    hist[b0] += gr;
    hist[b0 + 2] += 1;
    hist[b1] += gr;
    hist[b1 + 2] += 1;
  }
}

function accumulate1(
  hist: Float64Array, binned: Uint8Array, rows: Int32Array, start: number, end: number, g: Float64Array, h: Float64Array,
  o: number, c: number,
): void {
  for (let k = start; k < end; k++) {
    const r = rows[k];
    const b = o + 3 * binned[c + r];
    hist[b] += g[r];
    hist[b + 1] += h[r];
    hist[b + 2] += 1;
  }
}

function accumulate1Count(
  hist: Float64Array, binned: Uint8Array, rows: Int32Array, start: number, end: number, g: Float64Array, o: number, c: number,
): void {
  for (let k = start; k < end; k++) {
    const r = rows[k];
    const b = o + 3 * binned[c + r];
    hist[b] += g[r];
    hist[b + 2] += 1;
  }
}

/** Per-bin counts of the given rows over all features (for `knownCounts`). */
export function countBins(layout: HistogramLayout, binned: Uint8Array, nRows: number, rows: Int32Array, start: number, end: number): Float64Array {
  const out = new Float64Array(layout.totalBins);
  const p = layout.nBins.length;
  for (let f = 0; f < p; f++) {
    const o = layout.offsets[f];
    const c = f * nRows;
    for (let k = start; k < end; k++) out[o + binned[c + rows[k]]] += 1;
  }
  return out;
}

function buildSumsOnly(
  hist: Float64Array, offsets: Int32Array, binned: Uint8Array, nRows: number, features: Int32Array, nActive: number,
  rows: Int32Array, start: number, end: number, g: Float64Array, h: Float64Array | null,
): void {
  let a = 0;
  for (; a + 4 <= nActive; a += 4) {
    const f0 = features[a];
    const f1 = features[a + 1];
    const f2 = features[a + 2];
    const f3 = features[a + 3];
    const o0 = 3 * offsets[f0];
    const o1 = 3 * offsets[f1];
    const o2 = 3 * offsets[f2];
    const o3 = 3 * offsets[f3];
    if (h === null) accumulate4G(hist, binned, rows, start, end, g, o0, o1, o2, o3, f0 * nRows, f1 * nRows, f2 * nRows, f3 * nRows);
    else accumulate4GH(hist, binned, rows, start, end, g, h, o0, o1, o2, o3, f0 * nRows, f1 * nRows, f2 * nRows, f3 * nRows);
  }
  for (; a < nActive; a++) {
    const f = features[a];
    accumulate1Sums(hist, binned, rows, start, end, g, h, 3 * offsets[f], f * nRows);
  }
}

function accumulate4GH(
  hist: Float64Array, binned: Uint8Array, rows: Int32Array, start: number, end: number, g: Float64Array, h: Float64Array,
  o0: number, o1: number, o2: number, o3: number, c0: number, c1: number, c2: number, c3: number,
): void {
  for (let k = start; k < end; k++) {
    const r = rows[k];
    const gr = g[r];
    const hr = h[r];
    const b0 = o0 + 3 * binned[c0 + r];
    const b1 = o1 + 3 * binned[c1 + r];
    const b2 = o2 + 3 * binned[c2 + r];
    const b3 = o3 + 3 * binned[c3 + r];
    hist[b0] += gr;
    hist[b0 + 1] += hr;
    hist[b1] += gr;
    hist[b1 + 1] += hr;
    hist[b2] += gr;
    hist[b2 + 1] += hr;
    hist[b3] += gr;
    hist[b3 + 1] += hr;
  }
}

function accumulate4G(
  hist: Float64Array, binned: Uint8Array, rows: Int32Array, start: number, end: number, g: Float64Array,
  o0: number, o1: number, o2: number, o3: number, c0: number, c1: number, c2: number, c3: number,
): void {
  for (let k = start; k < end; k++) {
    const r = rows[k];
    const gr = g[r];
    hist[o0 + 3 * binned[c0 + r]] += gr;
    hist[o1 + 3 * binned[c1 + r]] += gr;
    hist[o2 + 3 * binned[c2 + r]] += gr;
    hist[o3 + 3 * binned[c3 + r]] += gr;
  }
}

function accumulate1Sums(
  hist: Float64Array, binned: Uint8Array, rows: Int32Array, start: number, end: number, g: Float64Array, h: Float64Array | null,
  o: number, c: number,
): void {
  if (h === null) {
    for (let k = start; k < end; k++) {
      const r = rows[k];
      hist[o + 3 * binned[c + r]] += g[r];
    }
    return;
  }
  for (let k = start; k < end; k++) {
    const r = rows[k];
    const b = o + 3 * binned[c + r];
    hist[b] += g[r];
    hist[b + 1] += h[r];
  }
}

/** parent -= child over the active features: turns the parent's buffer into the sibling's histogram. */
export function subtractHistogram(
  parent: Float64Array,
  child: Float64Array,
  layout: HistogramLayout,
  features: Int32Array,
  nActive: number,
): void {
  const offsets = layout.offsets;
  if (nActive === layout.nBins.length) {
    const len = 3 * layout.totalBins;
    for (let i = 0; i < len; i++) parent[i] -= child[i];
    return;
  }
  for (let a = 0; a < nActive; a++) {
    const f = features[a];
    const end = 3 * offsets[f + 1];
    for (let i = 3 * offsets[f]; i < end; i++) parent[i] -= child[i];
  }
}
