/**
 * Model explanations: permutation importance, partial dependence, sampling SHAP (any model) and exact
 * Tree SHAP (tree ensembles, via the flat-tree adapters).
 */
export { permutationImportance, type PermutationImportance, type PermutationImportanceOptions } from './permutation-importance.ts';
export { partialDependence, quantileGrid, type PartialDependence, type PartialDependenceOptions } from './partial-dependence.ts';
export { samplingShap, type SamplingShapOptions, type ShapValues } from './sampling-shap.ts';
export {
  addTreeShap,
  goesLeft,
  predictTree,
  treeExpectedValue,
  treeShap,
  type ShapEnsemble,
  type ShapTree,
  type TreeShapValues,
} from './tree-shap.ts';
export {
  boostingToShapEnsemble,
  coverFromRows,
  flatTreeToShapTree,
  forestToShapEnsemble,
  type BoostingStateInput,
  type FlatTreeInput,
  type FlatTreeShapOptions,
} from './tree-adapters.ts';
export { MAX_BATCH_ROWS, outputOf, outputsOf, type PredictColumns } from './predict.ts';
