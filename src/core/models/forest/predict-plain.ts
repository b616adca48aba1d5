/**
 * Random forest / extra trees prediction from the serialised state alone (format 'sieve-forest-v1',
 * documented in estimator.ts): the mean of the trees' leaf values, by the same TreeEnsemblePredictor
 * the estimator uses.
 */
import type { FeatureMatrix } from '../../prep/matrix.ts';
import type { PlainPredictor } from '../prediction-math.ts';
import { TreeEnsemblePredictor, checkPredictMatrix, flatTreeFromJSON, type FlatTreeJSON } from '../trees/flat-tree.ts';
import type { SerializedEstimator } from '../types.ts';

interface ForestPlainState {
  format: 'sieve-forest-v1';
  featureNames: string[];
  valueDim: number;
  trees: FlatTreeJSON[];
}

export function forestPlainPredictor(json: SerializedEstimator): PlainPredictor {
  const family = json.family;
  if (family !== 'random_forest' && family !== 'extra_trees') throw new Error(`invalid model file: expected a forest family, got '${family}'`);
  const s = json.state as ForestPlainState;
  if (!s || s.format !== 'sieve-forest-v1') throw new Error(`invalid model file: unknown forest state format '${String(s?.format)}'`);
  if (!Array.isArray(s.trees) || s.trees.length === 0) throw new Error('invalid model file: a forest needs at least one tree');
  const p = s.featureNames.length;
  const trees = s.trees.map((t, i) => {
    const tree = flatTreeFromJSON(t, p, `${family} tree ${i}`);
    if (tree.valueDim !== s.valueDim) throw new Error(`invalid model file: ${family} tree ${i} has valueDim ${tree.valueDim}, expected ${s.valueDim}`);
    return tree;
  });
  const predictor = new TreeEnsemblePredictor(trees, new Int32Array(trees.length), s.valueDim);
  return {
    family,
    task: json.task,
    nClasses: json.task === 'regression' ? 0 : json.nClasses,
    predict(X: FeatureMatrix): Float64Array {
      checkPredictMatrix(X, s.featureNames, family);
      return predictor.predict(X, null, 1 / trees.length);
    },
  };
}
