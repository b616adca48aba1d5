/**
 * Row chunks for tfjs computations over a row-major matrix, so scoring a large file never needs one
 * giant tensor (kNN's distance blocks).
 */

/** Rows per chunk so that a chunk holds about `maxElements` numbers (at least 1 row). */
export function chunkRowsFor(cols: number, maxElements = 1 << 22): number {
  return Math.max(1, Math.floor(maxElements / Math.max(1, cols)));
}
