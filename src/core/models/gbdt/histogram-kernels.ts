/**
 * Histogram accumulation: the features of a node are taken in groups of up to four, each group by
 * one of the generated straight-line kernels (histogram-kernels.generated.ts, from
 * scripts/gen-histogram-kernels.ts), which says why they are written out.
 */
import { KERNELS, type HistogramMode } from './histogram-kernels.generated.ts';

export type { HistogramMode } from './histogram-kernels.generated.ts';

/**
 * Sizes of the feature groups for n active features: fours, then a three and/or a two, so that no
 * feature runs alone (the slowest kernel) unless there is only one.
 */
export function featureGroups(n: number): number[] {
  if (n <= 4) return [n];
  const groups: number[] = [];
  let left = n;
  while (left > 5 || left === 4) {
    groups.push(4);
    left -= 4;
  }
  if (left === 5) groups.push(3, 2);
  else if (left > 0) groups.push(left);
  return groups;
}

// Scratch for one group's arguments (histogram building is synchronous, so sharing is safe).
const groupSlots = new Int32Array(4);
const groupColumns = new Int32Array(4);

/**
 * Accumulates rows[start..end) into `hist` for the features features[0..nActive), whose histogram
 * slots must already be zero.
 */
export function accumulateHistogram(
  mode: HistogramMode,
  hist: Float64Array,
  slotOffsets: Int32Array,
  binned: Uint8Array,
  nRows: number,
  features: Int32Array,
  nActive: number,
  rows: Int32Array,
  start: number,
  end: number,
  g: Float64Array,
  h: Float64Array | null,
): void {
  const kernels = KERNELS[mode];
  const o = groupSlots;
  const c = groupColumns;
  const hh = h ?? g; // not read by the G / GC kernels
  let a = 0;
  for (const size of featureGroups(nActive)) {
    for (let j = 0; j < size; j++) {
      const f = features[a + j];
      o[j] = slotOffsets[f];
      c[j] = f * nRows;
    }
    kernels[size - 1](hist, binned, rows, start, end, g, hh, o, c);
    a += size;
  }
}
