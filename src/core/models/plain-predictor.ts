/**
 * Prediction without tfjs: every family's fitted state (SerializedEstimator, as each estimator.ts
 * documents it) turned into a function of a FeatureMatrix, in plain typed-array loops.
 *
 * This is what the exported bundle's predict.mjs runs (src/core/export/runtime/), and it is the same
 * code the estimators themselves call to predict (the tree families share TreeEnsemblePredictor; linear,
 * MLP, kNN and naive Bayes call their family's predict-plain.ts), so a bundle predicts exactly what
 * Sieve predicted. Nothing here may import tfjs: the runtime bundle test checks it.
 */
import { forestPlainPredictor } from './forest/predict-plain.ts';
import { gbdtPlainPredictor } from './gbdt/predict-plain.ts';
import { knnPlainPredictor } from './knn/predict-plain.ts';
import { linearPlainPredictor } from './linear/predict-plain.ts';
import { mlpPlainPredictor } from './mlp/predict-plain.ts';
import { naiveBayesPlainPredictor } from './naive_bayes/predict-plain.ts';
import type { PlainPredictor } from './prediction-math.ts';
import type { SerializedEstimator } from './types.ts';

export type { PlainPredictor } from './prediction-math.ts';

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
