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

import { marginalize, worthBundling, type ActiveBundles } from './bundling.ts';
import { accumulateHistogram, type HistogramMode } from './histogram-kernels.ts';
import type { HistogramLayout } from './histogram-layout.ts';

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
 * column-major with `nRows` rows. Rows are sorted within a node, so the gathers from g, h and the
 * binned columns run forwards through memory. The loops themselves are in histogram-kernels.ts.
 *
 * `knownCounts` (per bin, layout order) skips the count updates: the root's counts are the same at
 * every iteration when all rows are used, and the loop is bound by its stores, so leaving one of
 * three (or, for constant hessians, one of two) out of the largest histogram pays.
 *
 * `bundles`: accumulate over bundled columns (bundling.ts) when the node is large enough for it to
 * pay; `hist` must then have room for the bundles' scratch region after layout.size.
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
  bundles: ActiveBundles | null = null,
): void {
  const offsets = layout.offsets;
  const mode: HistogramMode = knownCounts ? (h ? 'GH' : 'G') : h ? 'GHC' : 'GC';
  const bundled = bundles !== null && worthBundling(bundles.plan, end - start, nActive);
  const touched = bundled ? bundles.features : features;
  const nTouched = bundled ? bundles.nFeatures : nActive;
  for (let a = 0; a < nTouched; a++) {
    const f = touched[a];
    hist.fill(0, 3 * offsets[f], 3 * offsets[f + 1]);
  }
  if (bundled) {
    const plan = bundles.plan;
    for (let a = 0; a < bundles.nColumns; a++) {
      const col = bundles.columns[a];
      const J = plan.jointBins[col];
      if (J > 0) hist.fill(0, plan.columnSlot[col], plan.columnSlot[col] + 3 * J);
    }
    accumulateHistogram(mode, hist, plan.columnSlot, plan.codes, nRows, bundles.columns, bundles.nColumns, rows, start, end, g, h);
    marginalize(hist, plan, bundles.columns, bundles.nColumns);
  } else {
    accumulateHistogram(mode, hist, layout.slotOffsets, binned, nRows, features, nActive, rows, start, end, g, h);
  }
  if (knownCounts) {
    for (let a = 0; a < nTouched; a++) {
      const f = touched[a];
      for (let b = offsets[f]; b < offsets[f + 1]; b++) hist[3 * b + 2] = knownCounts[b];
    }
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

/**
 * parent -= child over the active features: turns the parent's buffer into the sibling's histogram.
 * With constant hessians the hessian slots are never filled, so they are skipped.
 */
export function subtractHistogram(
  parent: Float64Array,
  child: Float64Array,
  layout: HistogramLayout,
  features: Int32Array,
  nActive: number,
  constantHessian = false,
): void {
  const offsets = layout.offsets;
  if (nActive === layout.nBins.length) {
    subtractRange(parent, child, 0, 3 * layout.totalBins, constantHessian);
    return;
  }
  for (let a = 0; a < nActive; a++) {
    const f = features[a];
    subtractRange(parent, child, 3 * offsets[f], 3 * offsets[f + 1], constantHessian);
  }
}

function subtractRange(parent: Float64Array, child: Float64Array, start: number, end: number, skipHessian: boolean): void {
  if (skipHessian) {
    for (let i = start; i < end; i += 3) {
      parent[i] -= child[i];
      parent[i + 2] -= child[i + 2];
    }
  } else {
    for (let i = start; i < end; i++) parent[i] -= child[i];
  }
}
