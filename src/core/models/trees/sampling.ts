/** Seeded row and feature sampling for the tree learners. */
import type { Rng } from '../../util/random.ts';

/**
 * m of 0..n-1 without replacement, in increasing order (Knuth's selection sampling, O(n), no sort):
 * sorted rows keep the histogram loops reading the binned columns forwards.
 */
export function sampleSortedRows(n: number, m: number, rng: Rng, out?: Int32Array): Int32Array {
  const res = out ?? new Int32Array(m);
  let need = m;
  let k = 0;
  for (let i = 0; i < n && need > 0; i++) {
    if (rng.next() * (n - i) < need) {
      res[k++] = i;
      need--;
    }
  }
  return res;
}

/**
 * Puts k features chosen uniformly from 0..p-1 in out[0..k), ascending (partial Fisher–Yates on
 * `out`, which must hold p entries and is reset here).
 */
export function chooseFeatures(p: number, k: number, rng: Rng, out: Int32Array): void {
  for (let j = 0; j < p; j++) out[j] = j;
  if (k >= p) return;
  for (let j = 0; j < k; j++) {
    const r = j + rng.int(p - j);
    const t = out[j];
    out[j] = out[r];
    out[r] = t;
  }
  out.subarray(0, k).sort();
}
