/**
 * Input checks and conversions shared by the tensor families (linear, kNN, MLP) and naive Bayes:
 * every estimator validates what it is given up front, with messages naming the feature and row.
 */
import type { FeatureMatrix } from '../prep/matrix.ts';
import type { Task } from './types.ts';

/**
 * Row-major Float32 copy for tfjs; a NaN means the wrong pipeline was used, so it is an error. With
 * `interceptColumn` each row ends with a 1 (the linear solver's intercept), so the device never has
 * to concatenate one: that concat held a third copy of the matrix in tfjs-wasm's heap, which never shrinks.
 */
export function denseInput(X: FeatureMatrix, family: string, interceptColumn = false): Float32Array {
  const p = X.features.length;
  const width = interceptColumn ? p + 1 : p;
  const out = new Float32Array(X.rows * width);
  if (interceptColumn) for (let i = 0; i < X.rows; i++) out[i * width + p] = 1;
  for (let j = 0; j < p; j++) {
    const col = X.columns[j];
    if (col.length !== X.rows) throw new Error(`${family}: feature "${X.features[j].name}" has ${col.length} values for ${X.rows} rows`);
    for (let i = 0; i < X.rows; i++) {
      const v = col[i];
      if (!Number.isFinite(v)) {
        throw new Error(
          `${family}: feature "${X.features[j].name}" is ${Number.isNaN(v) ? 'missing' : v} in row ${i + 1}; ` +
            'this family needs imputed numeric features (fit its pipeline with needs {categorical: "onehot", scale: true})',
        );
      }
      out[i * width + j] = v;
    }
  }
  return out;
}

/** Checks y against the task before any work starts. */
export function checkTargets(family: string, task: Task, X: FeatureMatrix, y: Float64Array, nClasses: number): void {
  if (y.length !== X.rows) throw new Error(`${family}: ${X.rows} feature rows but ${y.length} targets`);
  if (X.rows === 0) throw new Error(`${family}: cannot fit on zero rows`);
  if (task === 'regression') {
    for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i])) throw new Error(`${family}: target is ${y[i]} in row ${i + 1}`);
    return;
  }
  if (!(Number.isInteger(nClasses) && nClasses >= 2)) throw new Error(`${family}: classification needs nClasses >= 2, got ${nClasses}`);
  if (task === 'binary' && nClasses !== 2) throw new Error(`${family}: a binary task has 2 classes, got nClasses=${nClasses}`);
  for (let i = 0; i < y.length; i++) {
    const c = y[i];
    if (!(Number.isInteger(c) && c >= 0 && c < nClasses)) {
      throw new Error(`${family}: target in row ${i + 1} is ${c}; expected a class index 0..${nClasses - 1}`);
    }
  }
}

export function checkFeatureCount(family: string, expected: number, X: FeatureMatrix): void {
  if (X.features.length !== expected) {
    throw new Error(`${family}: the model was fitted on ${expected} features, got ${X.features.length}`);
  }
}

/**
 * Per-row weights with mean 1: the sample weights times, for class_weight 'balanced',
 * n / (K * n_class) (scikit-learn's formula), so each class carries the same total weight.
 */
export function rowWeights(task: Task, y: Float64Array, nClasses: number, sampleWeight?: Float64Array, classWeight: string = 'none'): Float64Array {
  const n = y.length;
  const w = new Float64Array(n).fill(1);
  if (sampleWeight) {
    if (sampleWeight.length !== n) throw new Error(`sample weights: ${sampleWeight.length} weights for ${n} rows`);
    for (let i = 0; i < n; i++) {
      if (!(sampleWeight[i] >= 0)) throw new Error(`sample weight in row ${i + 1} is ${sampleWeight[i]}; weights must be >= 0`);
      w[i] = sampleWeight[i];
    }
  }
  if (task !== 'regression' && classWeight === 'balanced') {
    const counts = new Float64Array(nClasses);
    for (let i = 0; i < n; i++) counts[y[i]]++;
    const present = counts.filter((c) => c > 0).length;
    for (let i = 0; i < n; i++) w[i] *= n / (present * counts[y[i]]);
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += w[i];
  if (!(sum > 0)) throw new Error('sample weights: every weight is zero');
  for (let i = 0; i < n; i++) w[i] *= n / sum;
  return w;
}

/** Weighted mean and population std of a regression target (std 1 when constant). */
export function targetScale(y: Float64Array, w: Float64Array): { mean: number; scale: number } {
  let sw = 0;
  let mean = 0;
  for (let i = 0; i < y.length; i++) {
    sw += w[i];
    mean += w[i] * y[i];
  }
  mean /= sw;
  let v = 0;
  for (let i = 0; i < y.length; i++) v += w[i] * (y[i] - mean) ** 2;
  const scale = Math.sqrt(v / sw);
  return { mean, scale: scale > 0 ? scale : 1 };
}

/** Class index with the highest probability per row (first one on ties). */
export function argmaxRows(proba: Float64Array, k: number): Float64Array {
  const n = proba.length / k;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[i * k + c] > proba[i * k + best]) best = c;
    out[i] = best;
  }
  return out;
}
