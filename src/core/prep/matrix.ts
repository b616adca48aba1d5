/**
 * FeatureMatrix: what a fitted preprocessing pipeline hands to an estimator.
 *
 * Column-major: `columns[j][i]` is feature j of row i, NaN for missing.
 * A `categorical` feature holds integer codes 0..nLevels-1 (as doubles) so tree learners can split on
 * categories natively; families that need numbers only (linear, kNN, MLP) get a pipeline that one-hot
 * or target-encodes, imputes and scales first, so every feature they see is `numeric` with no NaN.
 */
export interface FeatureSpec {
  name: string;
  kind: 'numeric' | 'categorical';
  /** Number of levels for a categorical feature. */
  nLevels?: number;
  /** The input column this feature was derived from (for feature selection and importance reports). */
  source: string;
}

export interface FeatureMatrix {
  rows: number;
  features: FeatureSpec[];
  columns: Float64Array[];
}

export function takeMatrixRows(m: FeatureMatrix, rows: ArrayLike<number>): FeatureMatrix {
  const n = rows.length;
  const columns = m.columns.map((col) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = col[rows[i]];
    return out;
  });
  return { rows: n, features: m.features, columns };
}
