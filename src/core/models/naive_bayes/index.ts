/** The naive Bayes family (Gaussian numeric + Laplace-smoothed categorical likelihoods). */
import type { FamilySpec } from '../types.ts';
import { NaiveBayesEstimator } from './estimator.ts';
import { NAIVE_BAYES_DEFAULTS, NAIVE_BAYES_PORTFOLIO, NAIVE_BAYES_SPACE } from './space.ts';

export { NaiveBayesEstimator } from './estimator.ts';

export const naiveBayesFamily: FamilySpec = {
  name: 'naive_bayes',
  description: 'Naive Bayes: class-conditional frequencies per feature; instant to train, a sanity baseline.',
  tasks: ['binary', 'multiclass'],
  needs: { categorical: 'native', scale: false },
  defaults: NAIVE_BAYES_DEFAULTS,
  space: NAIVE_BAYES_SPACE,
  portfolio: NAIVE_BAYES_PORTFOLIO,
  create: (task, params) => new NaiveBayesEstimator(task, params),
  fromJSON: (json) => NaiveBayesEstimator.fromJSON(json),
};
