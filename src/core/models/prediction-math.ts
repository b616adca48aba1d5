/**
 * The math every family's plain predictor shares (predict-plain.ts in each family folder), and the
 * PlainPredictor contract they implement: plain typed-array loops, no tfjs. plain-predictor.ts picks
 * the family's predictor; the families import only from here, so nothing imports back.
 */
import type { FeatureMatrix } from '../prep/matrix.ts';
import type { FamilyName, Task } from './types.ts';

export interface PlainPredictor {
  readonly family: FamilyName;
  readonly task: Task;
  /** Classes (classification), 0 for regression. */
  readonly nClasses: number;
  /**
   * Classification: row-major class probabilities (rows * nClasses), what Estimator.predictProba gives;
   * regression: the value per row, what Estimator.predict gives.
   */
  predict(X: FeatureMatrix): Float64Array;
}

/** Row-major [1 - p, p] pairs from P(class 1) per row. */
export function binaryPairs(p: ArrayLike<number>, rows: number): Float64Array {
  const out = new Float64Array(rows * 2);
  for (let i = 0; i < rows; i++) {
    out[2 * i] = 1 - p[i];
    out[2 * i + 1] = p[i];
  }
  return out;
}

/** The columns of X as finite numbers, or the error the tensor families have always given. */
export function checkFinite(X: FeatureMatrix, family: string): void {
  for (let j = 0; j < X.columns.length; j++) {
    const col = X.columns[j];
    if (col.length < X.rows) throw new Error(`${family}: feature "${X.features[j]?.name ?? j}" has ${col.length} values for ${X.rows} rows`);
    for (let i = 0; i < X.rows; i++) {
      const v = col[i];
      if (!Number.isFinite(v)) {
        throw new Error(
          `${family}: feature "${X.features[j]?.name ?? j}" is ${Number.isNaN(v) ? 'missing' : v} in row ${i + 1}; ` +
            'this family needs imputed numeric features (fit its pipeline with needs {categorical: "onehot", scale: true})',
        );
      }
    }
  }
}

export function logistic(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** In-place softmax of each row, shifted by the row maximum so no exponential overflows. */
export function softmaxRows(a: Float64Array, n: number, K: number): void {
  for (let i = 0; i < n; i++) {
    const o = i * K;
    let max = -Infinity;
    for (let k = 0; k < K; k++) if (a[o + k] > max) max = a[o + k];
    let sum = 0;
    for (let k = 0; k < K; k++) sum += a[o + k] = Math.exp(a[o + k] - max);
    for (let k = 0; k < K; k++) a[o + k] /= sum;
  }
}
