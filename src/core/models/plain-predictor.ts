/**
 * Prediction without tfjs: every family's fitted state (SerializedEstimator, as each estimator.ts
 * documents it) turned into a function of a FeatureMatrix, in plain typed-array loops.
 *
 * This is what the exported bundle's predict.mjs runs (src/core/export/runtime/), and it is the same
 * code the estimators themselves call to predict (the tree families share TreeEnsemblePredictor; linear,
 * MLP, kNN and naive Bayes call their family's predict-plain.ts), so a bundle predicts exactly what
 * Sieve predicted. Nothing here may import tfjs: the runtime bundle test checks it.
 */
import type { FeatureMatrix } from '../prep/matrix.ts';
import { forestPlainPredictor } from './forest/predict-plain.ts';
import { gbdtPlainPredictor } from './gbdt/predict-plain.ts';
import { knnPlainPredictor } from './knn/predict-plain.ts';
import { linearPlainPredictor } from './linear/predict-plain.ts';
import { mlpPlainPredictor } from './mlp/predict-plain.ts';
import { naiveBayesPlainPredictor } from './naive_bayes/predict-plain.ts';
import type { FamilyName, SerializedEstimator, Task } from './types.ts';

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

export function plainPredictor(json: SerializedEstimator): PlainPredictor {
  if (!json || typeof json !== 'object') throw new Error('invalid model file: an estimator entry is not an object');
  switch (json.family) {
    case 'gbdt':
      return gbdtPlainPredictor(json);
    case 'random_forest':
    case 'extra_trees':
      return forestPlainPredictor(json);
    case 'linear':
      return linearPlainPredictor(json);
    case 'knn':
      return knnPlainPredictor(json);
    case 'mlp':
      return mlpPlainPredictor(json);
    case 'naive_bayes':
      return naiveBayesPlainPredictor(json);
    default:
      throw new Error(`invalid model file: unknown model family "${String((json as { family?: unknown }).family)}" (the file may come from a newer Sieve)`);
  }
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
