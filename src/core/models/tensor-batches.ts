/**
 * Runs a tfjs computation over a row-major matrix in row chunks, so scoring a large file never needs
 * one giant tensor; each chunk's intermediates are freed before the next starts.
 */
import { tf } from './tf.ts';

/** Rows per chunk so that a chunk holds about `maxElements` numbers (at least 1 row). */
export function chunkRowsFor(cols: number, maxElements = 1 << 22): number {
  return Math.max(1, Math.floor(maxElements / Math.max(1, cols)));
}

/**
 * Calls `fn` on each [rows, cols] chunk and concatenates the results, which must be [rows, outCols].
 */
export async function mapRowChunks(
  data: Float32Array,
  rows: number,
  cols: number,
  outCols: number,
  fn: (x: tf.Tensor2D) => tf.Tensor,
  chunkRows = chunkRowsFor(cols),
): Promise<Float32Array> {
  const out = new Float32Array(rows * outCols);
  for (let start = 0; start < rows; start += chunkRows) {
    const end = Math.min(rows, start + chunkRows);
    const result = tf.tidy(() => fn(tf.tensor2d(data.subarray(start * cols, end * cols), [end - start, cols])));
    try {
      out.set((await result.data()) as Float32Array, start * outCols);
    } finally {
      result.dispose();
    }
  }
  return out;
}
