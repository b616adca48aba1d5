/**
 * What the explainers need from a model: a batch prediction over feature columns, and one number per
 * row to explain (the regression value, or one class's probability).
 */
import type { Prediction } from '../eval/metrics.ts';

/** Predicts rows given as feature columns (one Float64Array per input column, NaN = missing). */
export type PredictColumns = (cols: Float64Array[]) => Promise<Prediction>;

/** Largest number of rows the explainers send to `predict` at once (keeps memory bounded). */
export const MAX_BATCH_ROWS = 65_536;

/**
 * The explained output of row i: proba[i·K + targetClass] when the prediction has probabilities
 * (K inferred from their length), else values[i].
 */
export function outputOf(pred: Prediction, i: number, targetClass: number): number {
  if (pred.proba) {
    const k = pred.proba.length / pred.values.length;
    return pred.proba[i * k + targetClass];
  }
  return pred.values[i];
}

/** Default class to explain: the positive class (1) for binary probabilities, else class 0. */
export function defaultTargetClass(nClasses: number | undefined): number {
  return nClasses === 2 ? 1 : 0;
}

/**
 * Predicts `nRows` synthetic rows built by `fill(start, count)` (which returns the columns for rows
 * start..start+count−1) in chunks of at most MAX_BATCH_ROWS, and returns each row's output.
 */
export async function predictOutputsInChunks(
  predict: PredictColumns,
  nRows: number,
  fill: (start: number, count: number) => Float64Array[],
  targetClass: number,
): Promise<Float64Array> {
  const out = new Float64Array(nRows);
  for (let start = 0; start < nRows; start += MAX_BATCH_ROWS) {
    const count = Math.min(MAX_BATCH_ROWS, nRows - start);
    const pred = await predict(fill(start, count));
    if (pred.values.length !== count) {
      throw new Error(`predict returned ${pred.values.length} rows for ${count} input rows`);
    }
    for (let i = 0; i < count; i++) out[start + i] = outputOf(pred, i, targetClass);
  }
  return out;
}

export function checkColumns(columns: Float64Array[], names: readonly string[] | undefined, what: string): number {
  if (columns.length === 0) throw new RangeError(`${what}: no feature columns given`);
  const n = columns[0].length;
  columns.forEach((c, j) => {
    if (c.length !== n) {
      const name = names?.[j] ?? `#${j}`;
      throw new RangeError(`${what}: column "${name}" has ${c.length} rows, column "${names?.[0] ?? '#0'}" has ${n}`);
    }
  });
  if (names && names.length !== columns.length) {
    throw new RangeError(`${what}: ${names.length} names for ${columns.length} columns`);
  }
  return n;
}
