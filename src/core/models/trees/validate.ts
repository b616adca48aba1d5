/**
 * Checks of the data handed to a tree learner's fit, with messages that say which row or column
 * is wrong and what to do.
 */
import type { FeatureMatrix } from '../../prep/matrix.ts';
import type { Task } from '../types.ts';

export interface FitData {
  n: number;
  p: number;
  /** Sample weights, or null when absent (or all equal to 1). */
  weights: Float64Array | null;
}

/** The matrix's columns each hold a value for every row. */
export function checkFitMatrix(family: string, X: FeatureMatrix, y: Float64Array): void {
  if (y.length !== X.rows) throw new Error(`${family}: the target has ${y.length} values but the matrix has ${X.rows} rows`);
  for (let j = 0; j < X.columns.length; j++) {
    if (X.columns[j].length < X.rows) {
      throw new Error(`${family}: feature '${X.features[j]?.name ?? j}' has ${X.columns[j].length} values for ${X.rows} rows`);
    }
  }
}

/** Checks the shape (n rows × p features, from a matrix or a binned view), the target and the weights. */
export function checkFitData(
  family: string,
  task: Task,
  n: number,
  p: number,
  y: Float64Array,
  nClasses: number,
  sampleWeight: Float64Array | undefined,
): FitData {
  if (n === 0) throw new Error(`${family}: cannot fit on 0 rows`);
  if (p === 0) throw new Error(`${family}: cannot fit without features (the matrix has 0 columns)`);
  if (y.length !== n) throw new Error(`${family}: the target has ${y.length} values but the matrix has ${n} rows`);
  if (task === 'regression') {
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(y[i])) throw new Error(`${family}: the target of row ${i} is ${y[i]}; drop or impute rows with a missing target`);
    }
  } else {
    if (!Number.isInteger(nClasses) || nClasses < 2) {
      throw new Error(`${family}: a ${task} task needs nClasses >= 2, got ${nClasses}`);
    }
    if (task === 'binary' && nClasses !== 2) throw new Error(`${family}: a binary task needs nClasses = 2, got ${nClasses}`);
    const seen = new Uint8Array(nClasses);
    let distinct = 0;
    for (let i = 0; i < n; i++) {
      const c = y[i];
      if (!Number.isInteger(c) || c < 0 || c >= nClasses) {
        throw new Error(`${family}: the target of row ${i} is ${c}; class targets must be integers 0..${nClasses - 1}`);
      }
      if (!seen[c]) {
        seen[c] = 1;
        distinct++;
      }
    }
    if (distinct < 2) {
      throw new Error(
        `${family}: the training data has a single class (${y[0]}); a classifier needs at least two classes — check the target column or the split`,
      );
    }
  }
  let weights: Float64Array | null = null;
  if (sampleWeight) {
    if (sampleWeight.length !== n) {
      throw new Error(`${family}: sampleWeight has ${sampleWeight.length} values but the matrix has ${n} rows`);
    }
    let sum = 0;
    let allOne = true;
    for (let i = 0; i < n; i++) {
      const w = sampleWeight[i];
      if (!Number.isFinite(w) || w < 0) throw new Error(`${family}: sample weight of row ${i} is ${w}; weights must be finite and >= 0`);
      sum += w;
      if (w !== 1) allOne = false;
    }
    if (!(sum > 0)) throw new Error(`${family}: sample weights sum to 0; at least one row needs a positive weight`);
    weights = allOne ? null : sampleWeight;
  }
  return { n, p, weights };
}
