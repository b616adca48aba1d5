/** The numbers behind a column profile: summaries of a numeric column, level counts, duplicate rows. */
import type { Column, Frame } from './frame.ts';
import { sortFloat64 } from './sort.ts';
import { quantileSorted } from '../eval/stats.ts';

export interface NumericSummary {
  min: number;
  max: number;
  mean: number;
  /** Sample standard deviation (n - 1), as pandas' describe(); 0 for a single value. */
  std: number;
  quantiles: { p05: number; p25: number; p50: number; p75: number; p95: number };
  histogram: { edges: number[]; counts: number[] };
}

export const HISTOGRAM_BINS = 20;

/** The non-missing values, sorted ascending (a copy). */
export function sortedPresent(values: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) out[k++] = v;
  }
  return sortFloat64(k === out.length ? out : out.subarray(0, k));
}

export function distinctSorted(sorted: Float64Array): number {
  let d = sorted.length > 0 ? 1 : 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) d++;
  return d;
}

/**
 * Summary of sorted values (at least one). The histogram has 20 equal-width bins over [min, max]; a
 * column of few whole numbers (range under 20) gets one bin per integer instead, centred on it.
 */
export function summarizeSorted(sorted: Float64Array): NumericSummary {
  const m = sorted.length;
  const min = sorted[0];
  const max = sorted[m - 1];
  let sum = 0;
  for (let i = 0; i < m; i++) sum += sorted[i];
  const mean = sum / m;
  let ss = 0;
  for (let i = 0; i < m; i++) ss += (sorted[i] - mean) ** 2;
  const std = m > 1 ? Math.sqrt(ss / (m - 1)) : 0;
  const q = (p: number) => quantileSorted(sorted, p);
  return {
    min,
    max,
    mean,
    std,
    quantiles: { p05: q(0.05), p25: q(0.25), p50: q(0.5), p75: q(0.75), p95: q(0.95) },
    histogram: histogram(sorted, min, max),
  };
}

function histogram(sorted: Float64Array, min: number, max: number): { edges: number[]; counts: number[] } {
  let integers = true;
  for (let i = 0; i < sorted.length && integers; i++) integers = Number.isInteger(sorted[i]);
  let edges: number[];
  if (min === max) edges = [min - 0.5, max + 0.5];
  else if (integers && max - min < HISTOGRAM_BINS) {
    edges = [];
    for (let v = min; v <= max + 1; v++) edges.push(v - 0.5);
  } else {
    const width = (max - min) / HISTOGRAM_BINS;
    edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => (i === HISTOGRAM_BINS ? max : min + i * width));
  }
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  const lo = edges[0];
  const width = (edges[bins] - lo) / bins;
  const bin = (v: number) => {
    const b = Math.floor((v - lo) / width);
    return b < 0 ? 0 : b >= bins ? bins - 1 : b;
  };
  // The values are sorted and bin() never decreases with the value (subtraction and division round
  // monotonically), so each bin is a run: its end is found by binary search, not by binning every value.
  const m = sorted.length;
  let from = 0;
  while (from < m) {
    const b = bin(sorted[from]);
    let lo2 = from + 1;
    let hi = m;
    while (lo2 < hi) {
      const mid = (lo2 + hi) >>> 1;
      if (bin(sorted[mid]) === b) lo2 = mid + 1;
      else hi = mid;
    }
    counts[b] += lo2 - from;
    from = lo2;
  }
  return { edges, counts };
}

/** Cells per level (index = code) and missing cells of a categorical-storage column. */
export function levelCounts(codes: Int32Array, levels: number): { counts: Int32Array; missing: number } {
  const counts = new Int32Array(levels);
  let missing = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c < 0) missing++;
    else counts[c]++;
  }
  return { counts, missing };
}

/** Indices of the k largest counts, largest first (ties: lower index first), in O(n·k). */
export function topIndices(counts: Int32Array, k: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c === 0) continue;
    if (top.length === k && c <= counts[top[k - 1]]) continue;
    let at = top.length === k ? k - 1 : top.length;
    if (top.length < k) top.push(i);
    while (at > 0 && counts[top[at - 1]] < c) {
      top[at] = top[at - 1];
      at--;
    }
    top[at] = i;
  }
  return top;
}

/**
 * Rows equal to an earlier row in the given columns. Each row is hashed to 53 bits (two 32-bit
 * murmur-style hashes) and the hashes are sorted, so memory stays at 16 bytes a row; two different
 * rows share a hash with odds around n² / 2^54 (1 in 2000 at 3 million rows, far less below).
 */
export function duplicateRowCount(frame: Frame, columns: Column[]): number {
  const n = frame.rows;
  if (n < 2 || columns.length === 0) return 0;
  const h1 = new Int32Array(n).fill(0x12345678);
  const h2 = new Int32Array(n).fill(0x2468ace0 | 0);
  const words = columns.map((col) => (col.storage === 'numeric' ? new Int32Array(col.values.buffer, col.values.byteOffset, 2 * n) : col.codes));
  // Murmur3-style mixing, written inline, in blocks of rows so the hash arrays stay in cache while
  // every column passes over them. A double's two words are folded differently into each hash, so two
  // values collide only if both folds do.
  const BLOCK = 4096;
  for (let start = 0; start < n; start += BLOCK) {
    const end = Math.min(n, start + BLOCK);
    for (let j = 0; j < columns.length; j++) {
      const w = words[j];
      if (columns[j].storage === 'numeric') {
        for (let i = start; i < end; i++) {
          const lo = w[2 * i];
          const hi = w[2 * i + 1];
          h1[i] = mixInto(h1[i], lo ^ Math.imul(hi, 0x9e3779b1));
          h2[i] = mixInto(h2[i], hi ^ Math.imul(lo, 0x85ebca6b) ^ 0x5bd1e995);
        }
      } else {
        for (let i = start; i < end; i++) {
          h1[i] = mixInto(h1[i], w[i]);
          h2[i] = mixInto(h2[i], w[i] ^ 0x27d4eb2f);
        }
      }
    }
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (fmix(h1[i]) >>> 0) * 2097152 + (fmix(h2[i]) >>> 11);
  sortFloat64(keys);
  let duplicates = 0;
  for (let i = 1; i < n; i++) if (keys[i] === keys[i - 1]) duplicates++;
  return duplicates;
}

function mixInto(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
