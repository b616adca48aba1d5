/**
 * Model explanations: permutation importance, partial dependence, sampling SHAP (any model) and exact
 * Tree SHAP (tree ensembles, via the flat-tree adapters).
 */
export { permutationImportance, type PermutationImportance, type PermutationImportanceOptions } from './permutationImportance.ts';
export { partialDependence, quantileGrid, type PartialDependence, type PartialDependenceOptions } from './partialDependence.ts';
export { samplingShap, type SamplingShapOptions, type ShapValues } from './samplingShap.ts';
export {
  addTreeShap,
  goesLeft,
  predictTree,
  treeExpectedValue,
  treeShap,
  type ShapEnsemble,
  type ShapTree,
  type TreeShapValues,
} from './treeShap.ts';
export {
  boostingToShapEnsemble,
  coverFromRows,
  flatTreeToShapTree,
  forestToShapEnsemble,
  type BoostingStateInput,
  type FlatTreeInput,
  type FlatTreeShapOptions,
} from './treeAdapters.ts';
export { MAX_BATCH_ROWS, outputOf, outputsOf, type PredictColumns } from './predict.ts';
