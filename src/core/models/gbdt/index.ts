/**
 * The GBDT family: histogram gradient-boosted trees (scikit-learn HistGradientBoosting / LightGBM
 * style) in typed-array loops, for Node and Web Workers alike.
 */
import type { FamilySpec, Params, SerializedEstimator, Task } from '../types.ts';
import { GbdtEstimator } from './estimator.ts';
import { GBDT_DEFAULTS } from './params.ts';

export { GbdtEstimator, shouldStop } from './estimator.ts';
export { readGbdtParams } from './params.ts';

export const gbdtFamily: FamilySpec = {
  name: 'gbdt',
  description: 'Gradient-boosted decision trees on histograms: many small trees, each correcting the errors of the ones before.',
  tasks: ['binary', 'multiclass', 'regression'],
  needs: { categorical: 'native', scale: false },
  defaults: { ...GBDT_DEFAULTS },
  space: [
    { name: 'learning_rate', type: 'float', low: 0.01, high: 0.3, log: true },
    { name: 'max_leaf_nodes', type: 'int', low: 8, high: 128, log: true },
    { name: 'min_samples_leaf', type: 'int', low: 2, high: 100, log: true },
    { name: 'l2_regularization', type: 'float', low: 1e-8, high: 10, log: true },
    // With early stopping on, max_iter is a cap rather than the number of trees.
    { name: 'max_iter', type: 'int', low: 50, high: 1000, log: true },
    { name: 'subsample', type: 'float', low: 0.5, high: 1 },
    { name: 'colsample', type: 'float', low: 0.4, high: 1 },
    { name: 'max_bins', type: 'categorical', choices: [63, 127, 255] },
  ],
  // Cheapest first. Leaf-count / rate pairs in the spirit of LightGBM's and AutoGluon's defaults:
  // a small, strongly regularised model for small tables, scikit-learn's defaults, and two slower,
  // deeper models that early stopping keeps from overfitting.
  portfolio: [
    { learning_rate: 0.1, max_iter: 100, max_leaf_nodes: 8, min_samples_leaf: 5, l2_regularization: 1 },
    { ...GBDT_DEFAULTS },
    {
      learning_rate: 0.05,
      max_iter: 400,
      max_leaf_nodes: 31,
      min_samples_leaf: 10,
      l2_regularization: 1,
      subsample: 0.8,
      colsample: 0.8,
      early_stopping: true,
    },
    {
      learning_rate: 0.03,
      max_iter: 800,
      max_leaf_nodes: 96,
      min_samples_leaf: 20,
      l2_regularization: 0.1,
      subsample: 0.8,
      colsample: 0.6,
      early_stopping: true,
    },
  ],
  create(task: Task, params?: Params) {
    return new GbdtEstimator(task, params);
  },
  fromJSON(json: SerializedEstimator) {
    return GbdtEstimator.fromJSON(json);
  },
};
