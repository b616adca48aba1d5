/** The linear family: ridge / lasso / elastic net for regression, logistic and softmax regression. */
import type { FamilySpec } from '../types.ts';
import { LinearEstimator } from './estimator.ts';
import { LINEAR_DEFAULTS, LINEAR_PORTFOLIO, LINEAR_SPACE } from './space.ts';

export { LinearEstimator } from './estimator.ts';

export const linearFamily: FamilySpec = {
  name: 'linear',
  description: 'Linear / logistic regression with L1 and L2 penalties: fast, interpretable, a strong baseline.',
  tasks: ['binary', 'multiclass', 'regression'],
  needs: { categorical: 'onehot', scale: true },
  defaults: LINEAR_DEFAULTS,
  space: LINEAR_SPACE,
  portfolio: LINEAR_PORTFOLIO,
  create: (task, params) => new LinearEstimator(task, params),
  fromJSON: (json) => LinearEstimator.fromJSON(json),
};
