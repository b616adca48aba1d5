/**
 * The run's training data in the form tree learners use: every plain input column (numeric or
 * categorical, not datetime, text or identifier) binned once to Uint8 codes over ALL frame rows,
 * column-major, in one SharedArrayBuffer where the host has one. Built once per experiment and posted
 * with the trial context, so the page's and the CLI's trial workers read the same bytes (a 1M-row ×
 * 25-column table: 25 MB shared, where each tree trial used to build its own Float64 matrix of
 * ~160 MB and bin it again).
 *
 * Bins are LightGBM's "dataset" binning, done once: numeric thresholds are the quantiles of a seeded
 * subsample (≤ 200,000) of the search rows (binning.ts's `numericThresholds`); a categorical
 * column bins its frame codes, its 254 most frequent levels a bin each when it has more than 255. The
 * missing code of a column is its nBins (≤ 255). The thresholds see no target, so validation rows
 * inside the search rows shape them as they would shape any unsupervised binning; the test rows never do.
 *
 * A tree fitted on a view of the store (`storeView`) has its splits in raw units — numeric thresholds
 * are real values, categorical splits list frame codes — so it predicts any rows from `plainMatrix`:
 * the frame's own values, no preprocessing. Only trials use this path; the final model is refitted
 * through the preprocessing pipeline, whose JSON the bundle carries.
 */
import { canShareMemory } from '../../data/shared-frame.ts';
import { columnByName, type Column, type Frame } from '../../data/frame.ts';
import type { FeatureMatrix, FeatureSpec } from '../../prep/matrix.ts';
import { Rng } from '../../util/random.ts';
import { BINNING_SUBSAMPLE, categoricalBins, numericThresholds, type BinMapper, type BinnedMatrix } from './binning.ts';

/** The families that fit on a view of the store (`fitBinned`) instead of a preprocessed matrix. */
export const STORE_FAMILIES: ReadonlySet<string> = new Set(['gbdt', 'random_forest', 'extra_trees']);

/** What the store holds of one column. */
export interface StoreColumn {
  name: string;
  kind: 'numeric' | 'categorical';
  /** Non-missing bins; code nBins is missing. */
  nBins: number;
  /** Numeric: upper bin edges (nBins − 1). Empty for categorical. */
  thresholds: Float64Array;
  /** Categorical: bin of each frame code (length = the frame column's level count). Null for numeric. */
  codeToBin: Int32Array | null;
  /** Categorical: the frame column's level count. */
  nLevels: number;
  /** Rows per bin in the threshold subsample: what coarser views (max_bins < 255) are cut from. */
  counts: Float64Array;
}

export interface BinnedStore {
  /** Frame rows covered (every one: the test split, the refit and the explanations can read it too). */
  rows: number;
  columns: StoreColumn[];
  /** codes[j * rows + i]: bin of frame row i in column j. */
  codes: Uint8Array;
  /** Whether `codes` lives in a SharedArrayBuffer (shared with workers instead of copied). */
  shared: boolean;
}

/** Columns a store bins: numeric (not datetime) and categorical (not text); identifiers never. */
export function isPlainColumn(col: Column): boolean {
  if (col.type === 'identifier') return false;
  return col.storage === 'numeric' ? col.type !== 'datetime' : col.type !== 'text';
}

/**
 * Bins `names` (plain columns only; others are skipped) over every frame row, thresholds found on a
 * seeded subsample of `fitRows`.
 */
export function buildBinnedStore(frame: Frame, names: string[], fitRows: Int32Array, seed: number, maxBins = 255): BinnedStore {
  const cols = names.map((n) => columnByName(frame, n)).filter(isPlainColumn);
  const n = frame.rows;
  const share = canShareMemory();
  const codes = new Uint8Array(share ? new SharedArrayBuffer(n * cols.length) : new ArrayBuffer(n * cols.length));
  const sample = subsample(fitRows, BINNING_SUBSAMPLE, seed);
  const buf = new Float64Array(sample.length);
  const columns = cols.map((col, j): StoreColumn => {
    const out = codes.subarray(j * n, (j + 1) * n);
    let k = 0;
    if (col.storage === 'numeric') {
      for (let i = 0; i < sample.length; i++) {
        const v = col.values[sample[i]];
        if (v === v) buf[k++] = v;
      }
      const thresholds = numericThresholds(buf.subarray(0, k), maxBins);
      binNumeric(col.values, thresholds, out);
      const nBins = thresholds.length + 1;
      return { name: col.name, kind: 'numeric', nBins, thresholds, codeToBin: null, nLevels: 0, counts: binCounts(out, sample, nBins) };
    }
    for (let i = 0; i < sample.length; i++) {
      const c = col.codes[sample[i]];
      if (c >= 0) buf[k++] = c;
    }
    const nLevels = col.levels.length;
    const { codeToBin, nBins } = categoricalBins(buf.subarray(0, k), nLevels, maxBins);
    for (let i = 0; i < n; i++) {
      const c = col.codes[i];
      out[i] = c >= 0 && c < nLevels ? codeToBin[c] : nBins;
    }
    return { name: col.name, kind: 'categorical', nBins, thresholds: new Float64Array(0), codeToBin, nLevels, counts: binCounts(out, sample, nBins) };
  });
  return { rows: n, columns, codes, shared: share };
}

/** Whether the store holds every one of `names`. */
export function storeCovers(store: BinnedStore, names: string[]): boolean {
  return names.length > 0 && names.every((name) => store.columns.some((c) => c.name === name));
}

/**
 * `names`' bins for `rows` (frame rows), with the BinMapper a tree learner needs: a Uint8 copy of
 * those rows only. With `maxBins` below the store's 255, columns with more bins are coarsened
 * (`coarsen`): the same rows, fewer and wider bins, as a learner searching max_bins asks.
 */
export function storeView(store: BinnedStore, names: string[], rows: Int32Array, maxBins = 255): BinnedMatrix {
  const cols = names.map((name): { index: number; col: StoreColumn & { lut?: Uint8Array } } => {
    const { index, col } = storeColumn(store, name);
    return { index, col: col.nBins > maxBins ? coarsen(col, maxBins) : col };
  });
  const m = rows.length;
  const p = cols.length;
  const codes = new Uint8Array(m * p);
  const hasMissing = new Uint8Array(p);
  cols.forEach(({ index, col }, f) => {
    const src = store.codes.subarray(index * store.rows, (index + 1) * store.rows);
    const o = f * m;
    const nb = col.nBins;
    const lut = col.lut;
    let missing = 0;
    for (let i = 0; i < m; i++) {
      const b = lut ? lut[src[rows[i]]] : src[rows[i]];
      codes[o + i] = b;
      if (b === nb) missing = 1;
    }
    hasMissing[f] = missing;
  });
  const mapper: BinMapper = {
    maxBins,
    nFeatures: p,
    nBins: Int32Array.from(cols, ({ col }) => col.nBins),
    isCategorical: Uint8Array.from(cols, ({ col }) => (col.kind === 'categorical' ? 1 : 0)),
    thresholds: cols.map(({ col }) => col.thresholds),
    codeToBin: cols.map(({ col }) => col.codeToBin),
    hasMissing,
  };
  return { rows: m, features: cols.map(({ col }) => featureSpec(col)), mapper, codes };
}

/**
 * A view re-expressed in a preprocessing pipeline's code books, so that the tree fitted on it predicts
 * the pipeline's output (the final model, which the bundle replays): numeric features are the raw
 * values either way; a categorical feature's codes become the pipeline's (`codeBooks`: its levels in
 * code order, each a level of its own — no shared "other" code) through the frame's level names.
 * Null when the two cannot agree: a categorical feature without a code book, or a level the frame
 * does not have.
 */
export function inCodeBooks(view: BinnedMatrix, frame: Frame, codeBooks: Map<string, string[]>): BinnedMatrix | null {
  const codeToBin = view.mapper.codeToBin.slice();
  const features = view.features.slice();
  for (let f = 0; f < features.length; f++) {
    if (!view.mapper.isCategorical[f]) continue;
    const book = codeBooks.get(features[f].name);
    const col = columnByName(frame, features[f].name);
    if (!book || col.storage !== 'categorical') return null;
    const frameCode = new Map(col.levels.map((level, c) => [level, c]));
    const map = new Int32Array(book.length);
    for (let k = 0; k < book.length; k++) {
      const c = frameCode.get(book[k]);
      if (c === undefined) return null;
      map[k] = view.mapper.codeToBin[f]![c];
    }
    codeToBin[f] = map;
    features[f] = { ...features[f], nLevels: book.length };
  }
  return { ...view, features, mapper: { ...view.mapper, codeToBin } };
}

/**
 * The raw values of `names` for `rows`, as the matrix a store-fitted tree predicts from: numeric
 * values as they are, categorical frame codes as doubles (missing → NaN). Float64, built on demand.
 */
export function plainMatrix(frame: Frame, store: BinnedStore, names: string[], rows: Int32Array): FeatureMatrix {
  const m = rows.length;
  const columns = names.map((name) => {
    const col = columnByName(frame, name);
    const out = new Float64Array(m);
    if (col.storage === 'numeric') {
      for (let i = 0; i < m; i++) out[i] = col.values[rows[i]];
    } else {
      for (let i = 0; i < m; i++) {
        const c = col.codes[rows[i]];
        out[i] = c >= 0 ? c : NaN;
      }
    }
    return out;
  });
  return { rows: m, features: names.map((name) => featureSpec(storeColumn(store, name).col)), columns };
}

/** A coarser copy of a column: at most maxBins real bins, and `lut` from store code to its code (missing → missing). */
function coarsen(col: StoreColumn, maxBins: number): StoreColumn & { lut: Uint8Array } {
  const lut = new Uint8Array(256);
  if (col.kind === 'categorical') {
    // As binning.ts does for too many levels: the maxBins − 1 most frequent bins keep one each (in
    // bin order), every other bin shares the last.
    const order = Array.from({ length: col.nBins }, (_, b) => b).sort((a, b) => col.counts[b] - col.counts[a] || a - b);
    const kept = order.slice(0, maxBins - 1).sort((a, b) => a - b);
    lut.fill(maxBins - 1, 0, col.nBins);
    kept.forEach((b, k) => (lut[b] = k));
    lut[col.nBins] = maxBins;
    const codeToBin = Int32Array.from(col.codeToBin!, (b) => lut[b]);
    const counts = new Float64Array(maxBins);
    for (let b = 0; b < col.nBins; b++) counts[lut[b]] += col.counts[b];
    return { ...col, nBins: maxBins, codeToBin, counts, lut };
  }
  // Numeric: the store's edges nearest the maxBins-quantiles of the subsample (cumulative bin counts).
  let total = 0;
  for (let b = 0; b < col.nBins; b++) total += col.counts[b];
  const edges: number[] = [];
  let cum = 0;
  let next = 1;
  for (let b = 0; b < col.nBins - 1 && next < maxBins; b++) {
    cum += col.counts[b];
    if (cum >= (next * total) / maxBins) {
      edges.push(b); // the edge after store bin b
      while (next < maxBins && cum >= (next * total) / maxBins) next++;
    }
  }
  let k = 0;
  for (let b = 0; b < col.nBins; b++) {
    lut[b] = k;
    if (k < edges.length && edges[k] === b) k++;
  }
  lut[col.nBins] = edges.length + 1;
  const counts = new Float64Array(edges.length + 1);
  for (let b = 0; b < col.nBins; b++) counts[lut[b]] += col.counts[b];
  return { ...col, nBins: edges.length + 1, thresholds: Float64Array.from(edges, (b) => col.thresholds[b]), counts, lut };
}

function binCounts(codes: Uint8Array, sample: Int32Array, nBins: number): Float64Array {
  const counts = new Float64Array(nBins + 1);
  for (let i = 0; i < sample.length; i++) counts[codes[sample[i]]]++;
  return counts.subarray(0, nBins);
}

function storeColumn(store: BinnedStore, name: string): { index: number; col: StoreColumn } {
  const index = store.columns.findIndex((c) => c.name === name);
  if (index < 0) throw new Error(`the binned store has no column "${name}"`);
  return { index, col: store.columns[index] };
}

function featureSpec(col: StoreColumn): FeatureSpec {
  return col.kind === 'categorical'
    ? { name: col.name, kind: 'categorical', nLevels: col.nLevels, source: col.name }
    : { name: col.name, kind: 'numeric', source: col.name };
}

/** Cells of the equal-width guide table that starts each value's bin search near its bin. */
const GUIDE_CELLS = 4096;

/**
 * Bins a numeric column: bin b holds thr[b−1] < v ≤ thr[b], NaN → nBins. A guide table over
 * [thr[0], thr[last]] in equal-width cells gives, for each cell, the first bin the cell's values can
 * fall in; a short forward scan from there replaces a binary search whose branches the CPU cannot
 * predict (quantile edges are dense where the data are, so most cells hold one or two edges).
 */
function binNumeric(values: Float64Array, thr: Float64Array, out: Uint8Array): void {
  const nb = thr.length + 1;
  const nt = thr.length;
  if (nt === 0) {
    for (let i = 0; i < values.length; i++) out[i] = values[i] === values[i] ? 0 : nb;
    return;
  }
  const lo = thr[0];
  const hi = thr[nt - 1];
  // The guide spans the finite edges (an edge may be ±Infinity); without two of them every search starts at bin 0.
  let first = 0;
  while (first < nt && !Number.isFinite(thr[first])) first++;
  let last = nt - 1;
  while (last > first && !Number.isFinite(thr[last])) last--;
  const gLo = thr[first];
  const span = thr[last] - gLo;
  const scale = first < last && span > 0 && Number.isFinite(span) ? GUIDE_CELLS / span : 0;
  // guide[c] = the first bin whose upper edge is ≥ the lower end of cell c − 1: no value of cell c
  // is in an earlier bin, with a whole cell of margin for the rounding of (v − gLo) · scale.
  const guide = new Uint8Array(GUIDE_CELLS + 1);
  let b = 0;
  for (let c = 0; c <= GUIDE_CELLS && scale > 0; c++) {
    const start = gLo + (c - 1) / scale;
    while (b < nt && thr[b] < start) b++;
    guide[c] = b;
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) {
      out[i] = nb;
      continue;
    }
    if (v <= lo) {
      out[i] = 0;
      continue;
    }
    if (v > hi) {
      out[i] = nt;
      continue;
    }
    const cell = scale > 0 ? Math.floor((v - gLo) * scale) : 0;
    let k = cell <= 0 ? 0 : guide[cell < GUIDE_CELLS ? cell : GUIDE_CELLS];
    while (v > thr[k]) k++;
    out[i] = k;
  }
}

/** At most `max` of `rows`, a seeded uniform sample in ascending order (all of them when fewer). */
function subsample(rows: Int32Array, max: number, seed: number): Int32Array {
  if (rows.length <= max) return rows;
  const all = Int32Array.from(rows);
  const rng = new Rng(seed);
  for (let i = 0; i < max; i++) {
    const j = i + rng.int(all.length - i);
    const t = all[i];
    all[i] = all[j];
    all[j] = t;
  }
  return all.subarray(0, max).sort();
}
