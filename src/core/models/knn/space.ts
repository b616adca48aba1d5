/** Defaults, search space and portfolio of the k-nearest-neighbours family. */
import type { ParamSpace, Params } from '../types.ts';

/**
 * - n_neighbors: k, how many training rows vote (capped at the number of training rows).
 * - weights: 'uniform' (each neighbour counts once) or 'distance' (weight 1 / distance, so an
 *   exact match dominates).
 * Distances are Euclidean on the pipeline's standardised features.
 */
export const KNN_DEFAULTS: Params = {
  n_neighbors: 5,
  weights: 'uniform',
};

export const KNN_SPACE: ParamSpace[] = [
  { name: 'n_neighbors', type: 'int', low: 1, high: 100, log: true },
  { name: 'weights', type: 'categorical', choices: ['uniform', 'distance'] },
];

export const KNN_PORTFOLIO: Params[] = [
  { n_neighbors: 5, weights: 'uniform' },
  { n_neighbors: 15, weights: 'distance' },
  { n_neighbors: 40, weights: 'distance' },
];
