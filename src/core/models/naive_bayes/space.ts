/** Defaults, search space and portfolio of the naive Bayes family. */
import type { ParamSpace, Params } from '../types.ts';

/**
 * - var_smoothing: added to every Gaussian variance, as a share of the largest feature variance
 *   (scikit-learn's GaussianNB default 1e-9); larger values flatten overconfident numeric features.
 * - alpha: Laplace (additive) smoothing of categorical level counts (scikit-learn's CategoricalNB, 1.0).
 */
export const NAIVE_BAYES_DEFAULTS: Params = {
  var_smoothing: 1e-9,
  alpha: 1,
};

export const NAIVE_BAYES_SPACE: ParamSpace[] = [
  { name: 'var_smoothing', type: 'float', low: 1e-12, high: 1, log: true },
  { name: 'alpha', type: 'float', low: 0.01, high: 10, log: true },
];

export const NAIVE_BAYES_PORTFOLIO: Params[] = [
  { var_smoothing: 1e-9, alpha: 1 },
  { var_smoothing: 1e-3, alpha: 0.5 },
  { var_smoothing: 0.1, alpha: 2 },
];
