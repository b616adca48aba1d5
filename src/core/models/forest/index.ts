/**
 * Random forest and extra trees families: averaged deep randomised trees on binned features.
 */
import type { FamilySpec, Params, ParamSpace, SerializedEstimator, Task } from '../types.ts';
import { ForestEstimator } from './estimator.ts';
import { forestDefaults, type ForestKind } from './params.ts';

export { ForestEstimator } from './estimator.ts';
export { resolveMaxFeatures } from './params.ts';

function space(kind: ForestKind): ParamSpace[] {
  return [
    { name: 'n_estimators', type: 'int', low: 50, high: 500, log: true },
    { name: 'max_features', type: 'categorical', choices: ['auto', 'sqrt', 'log2', 0.3, 0.5, 0.7, 1] },
    { name: 'min_samples_leaf', type: 'int', low: 1, high: 20, log: true },
    { name: 'max_depth', type: 'categorical', choices: [null, 8, 12, 16, 24] },
    ...(kind === 'random_forest' ? [{ name: 'max_samples', type: 'categorical' as const, choices: [null, 0.5, 0.8] }] : []),
  ];
}

function family(kind: ForestKind, description: string, portfolio: Params[]): FamilySpec {
  return {
    name: kind,
    description,
    tasks: ['binary', 'multiclass', 'regression'],
    needs: { categorical: 'native', scale: false },
    defaults: forestDefaults(kind),
    space: space(kind),
    portfolio,
    create(task: Task, params?: Params) {
      return new ForestEstimator(kind, task, params);
    },
    fromJSON(json: SerializedEstimator) {
      if (json.family !== kind) throw new Error(`invalid model file: expected family '${kind}', got '${json.family}'`);
      return ForestEstimator.fromJSON(json);
    },
  };
}

// Cheapest first: a forest with larger leaves, scikit-learn's defaults, then 300-tree forests with
// more and fewer features per split (AutoGluon's RF/XT portfolio uses 300 trees). The space and the
// portfolio avoid `criterion`, whose valid values depend on the task; every entry fits every task.
export const randomForestFamily: FamilySpec = family(
  'random_forest',
  'Random forest: many deep trees, each on a bootstrap sample and random features, averaged.',
  [
    { n_estimators: 100, min_samples_leaf: 5 },
    { n_estimators: 100 },
    { n_estimators: 300, max_features: 0.5 },
    { n_estimators: 300, max_features: 0.3, min_samples_leaf: 2 },
  ],
);

export const extraTreesFamily: FamilySpec = family('extra_trees', 'Extra trees: many deep trees with random split points, averaged; fast and smooth.', [
  { n_estimators: 100, min_samples_leaf: 5 },
  { n_estimators: 100 },
  { n_estimators: 300, max_features: 0.7 },
  { n_estimators: 300, max_features: 0.3, min_samples_leaf: 2 },
]);
