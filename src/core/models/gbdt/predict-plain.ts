/**
 * Gradient boosting prediction from the serialised state alone (format 'sieve-gbdt-v1', documented in
 * estimator.ts): the same TreeEnsemblePredictor and raw-score links the estimator uses after fit.
 */
import type { FeatureMatrix } from '../../prep/matrix.ts';
import type { PlainPredictor } from '../prediction-math.ts';
import { checkPredictMatrix, flatTreeFromJSON, type FlatTreeJSON } from '../trees/flat-tree.ts';
import type { SerializedEstimator } from '../types.ts';
import { makeBoostingPredictor, rawToPrediction, rawToProba } from './predictor.ts';

interface GbdtPlainState {
  format: 'sieve-gbdt-v1';
  featureNames: string[];
  nOutputs: number;
  baseline: number[];
  trees: FlatTreeJSON[];
}

export function gbdtPlainPredictor(json: SerializedEstimator): PlainPredictor {
  const s = json.state as GbdtPlainState;
  if (!s || s.format !== 'sieve-gbdt-v1') throw new Error(`invalid model file: unknown gbdt state format '${String(s?.format)}'`);
  if (!Array.isArray(s.featureNames) || !Array.isArray(s.trees)) throw new Error('invalid model file: gbdt state lacks featureNames or trees');
  if (!Number.isInteger(s.nOutputs) || s.nOutputs < 1) throw new Error('invalid model file: gbdt nOutputs must be a positive integer');
  if (!Array.isArray(s.baseline) || s.baseline.length !== s.nOutputs) throw new Error(`invalid model file: gbdt baseline must have ${s.nOutputs} values`);
  if (s.trees.length % s.nOutputs !== 0) throw new Error('invalid model file: gbdt tree count is not a multiple of nOutputs');
  const p = s.featureNames.length;
  const trees = s.trees.map((t, i) => flatTreeFromJSON(t, p, `gbdt tree ${i}`));
  const predictor = makeBoostingPredictor(trees, s.nOutputs);
  const baseline = Float64Array.from(s.baseline);
  const task = json.task;
  const nClasses = task === 'regression' ? 0 : json.nClasses;
  return {
    family: 'gbdt',
    task,
    nClasses,
    predict(X: FeatureMatrix): Float64Array {
      checkPredictMatrix(X, s.featureNames, 'gbdt');
      const raw = predictor.predict(X, baseline, 1);
      return task === 'regression' ? rawToPrediction(task, raw, X.rows, s.nOutputs) : rawToProba(raw, X.rows, s.nOutputs, nClasses);
    },
  };
}
