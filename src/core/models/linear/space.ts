/** Defaults, search space and portfolio of the linear family. */
import type { ParamSpace, Params } from '../types.ts';

/**
 * - alpha: penalty strength (>= 0) on the mean loss; scikit-learn's C is 1 / (alpha * n_rows).
 * - l1_ratio: 0 = ridge (L2), 1 = lasso (L1, exact zeros), between = elastic net.
 * - class_weight: 'balanced' reweights classes to equal total weight (classification only).
 * - max_iter: FISTA iterations at most; tol: stop when the gradient mapping's largest entry is below it.
 * - sign_cst: null, or sign constraints by input column, "name:1,other:-1": the coefficient of a
 *   numeric input may not be negative (+1) or positive (−1), so its effect is monotonic (binary and
 *   regression; the solver projects onto the constraint after each proximal step).
 */
export const LINEAR_DEFAULTS: Params = {
  alpha: 1e-4,
  l1_ratio: 0,
  class_weight: 'none',
  max_iter: 2000,
  tol: 1e-4,
  sign_cst: null,
};

export const LINEAR_SPACE: ParamSpace[] = [
  { name: 'alpha', type: 'float', low: 1e-6, high: 1, log: true },
  { name: 'l1_ratio', type: 'float', low: 0, high: 1 },
  { name: 'class_weight', type: 'categorical', choices: ['none', 'balanced'] },
];

export const LINEAR_PORTFOLIO: Params[] = [
  { alpha: 1e-4, l1_ratio: 0 },
  { alpha: 1e-2, l1_ratio: 0 },
  { alpha: 1e-3, l1_ratio: 0.5 },
  { alpha: 1e-4, l1_ratio: 0, class_weight: 'balanced' },
];
