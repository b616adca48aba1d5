/** The multi-layer perceptron family (custom tfjs training loop with early stopping). */
import type { FamilySpec } from '../types.ts';
import { MlpEstimator } from './estimator.ts';
import { MLP_DEFAULTS, MLP_PORTFOLIO, MLP_SPACE } from './space.ts';

export { MlpEstimator } from './estimator.ts';

export const mlpFamily: FamilySpec = {
  name: 'mlp',
  description: 'Neural network (multi-layer perceptron) with dropout and early stopping; uses the GPU when there is one.',
  tasks: ['binary', 'multiclass', 'regression'],
  needs: { categorical: 'onehot', scale: true },
  defaults: MLP_DEFAULTS,
  space: MLP_SPACE,
  portfolio: MLP_PORTFOLIO,
  create: (task, params) => new MlpEstimator(task, params),
  fromJSON: (json) => MlpEstimator.fromJSON(json),
};
