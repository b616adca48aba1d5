/** The k-nearest-neighbours family (tfjs matMul distances + topk). */
import type { FamilySpec } from '../types.ts';
import { KnnEstimator } from './estimator.ts';
import { KNN_DEFAULTS, KNN_PORTFOLIO, KNN_SPACE } from './space.ts';

export { KnnEstimator } from './estimator.ts';

export const knnFamily: FamilySpec = {
  name: 'knn',
  description: 'k-nearest neighbours: predicts from the most similar training rows; no training, slower to score.',
  tasks: ['binary', 'multiclass', 'regression'],
  needs: { categorical: 'onehot', scale: true },
  defaults: KNN_DEFAULTS,
  space: KNN_SPACE,
  portfolio: KNN_PORTFOLIO,
  create: (task, params) => new KnnEstimator(task, params),
  fromJSON: (json) => KnnEstimator.fromJSON(json),
};
