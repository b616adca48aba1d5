/**
 * The decision-tree family: one shallow tree (depth 1–4) a person can read, for projects that ask for
 * a readable model. It is the forest learner with one tree, no bootstrap and every feature at every
 * split (scikit-learn's DecisionTreeClassifier/Regressor on the same quantile bins), so it predicts,
 * exports (model.json, model.onnx) and explains exactly as a one-tree random forest does; the model
 * card prints its rules (export/card-readable.ts). Not searched by default: only when asked for (`readable`, or
 * `--families decision_tree`).
 */
import { ForestEstimator } from '../forest/estimator.ts';
import type { FamilySpec, Params, SerializedEstimator, Task } from '../types.ts';

/** What makes a forest one readable tree; a user's params may set depth and leaf size only. */
const FIXED: Params = { n_estimators: 1, bootstrap: false, max_features: 1, max_samples: null };

export const DECISION_TREE_DEFAULTS: Params = { max_depth: 3, min_samples_leaf: 5 };

export const decisionTreeFamily: FamilySpec = {
  name: 'decision_tree',
  description: 'Decision tree: one shallow tree of yes/no questions, printed as rules a person can follow.',
  tasks: ['binary', 'multiclass', 'regression'],
  needs: { categorical: 'native', scale: false },
  defaults: DECISION_TREE_DEFAULTS,
  space: [
    { name: 'max_depth', type: 'int', low: 1, high: 4 },
    { name: 'min_samples_leaf', type: 'int', low: 1, high: 50, log: true },
  ],
  portfolio: [{ max_depth: 2 }, { max_depth: 3 }, { max_depth: 4, min_samples_leaf: 10 }],
  create(task: Task, params: Params = {}) {
    for (const key of Object.keys(params)) {
      if (!(key in DECISION_TREE_DEFAULTS)) throw new Error(`decision_tree: unknown parameter '${key}'; known parameters: max_depth, min_samples_leaf`);
    }
    const depth = params.max_depth ?? DECISION_TREE_DEFAULTS.max_depth;
    if (!(typeof depth === 'number' && Number.isInteger(depth) && depth >= 1 && depth <= 6)) {
      throw new Error(`decision_tree: parameter max_depth=${JSON.stringify(depth)} is invalid; expected an integer in [1, 6] (deeper trees are not readable)`);
    }
    return new ForestEstimator('random_forest', task, { ...DECISION_TREE_DEFAULTS, ...params, ...FIXED });
  },
  fromJSON(json: SerializedEstimator) {
    return ForestEstimator.fromJSON(json);
  },
};
