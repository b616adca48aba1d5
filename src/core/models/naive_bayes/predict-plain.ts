/**
 * Naive Bayes class probabilities from the serialised state (documented in estimator.ts): the
 * estimator and an exported bundle both predict through `naiveBayesProba`.
 */
import type { FeatureMatrix } from '../../prep/matrix.ts';
import type { PlainPredictor } from '../prediction-math.ts';
import type { SerializedEstimator } from '../types.ts';

export interface NumericLikelihood {
  feature: number;
  mean: number[];
  variance: number[];
}

export interface CategoricalLikelihood {
  feature: number;
  nLevels: number;
  logProb: number[];
}

/** The serialised state, `toJSON().state` (format in estimator.ts); here beside the code that predicts from it. */
export interface NaiveBayesState {
  nFeatures: number;
  nClasses: number;
  classLogPrior: number[];
  numeric: NumericLikelihood[];
  categorical: CategoricalLikelihood[];
}

export function naiveBayesProba(s: NaiveBayesState, X: FeatureMatrix): Float64Array {
  if (X.features.length !== s.nFeatures) throw new Error(`naive_bayes: the model was fitted on ${s.nFeatures} features, got ${X.features.length}`);
  const K = s.nClasses;
  const n = X.rows;
  const scores = new Float64Array(n * K);
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) scores[i * K + k] = s.classLogPrior[k];
  for (const f of s.numeric) {
    const col = X.columns[f.feature];
    const logNorm = f.variance.map((v) => -0.5 * Math.log(2 * Math.PI * v));
    for (let i = 0; i < n; i++) {
      const v = col[i];
      if (!Number.isFinite(v)) continue;
      for (let k = 0; k < K; k++) scores[i * K + k] += logNorm[k] - (0.5 * (v - f.mean[k]) ** 2) / f.variance[k];
    }
  }
  for (const f of s.categorical) {
    const col = X.columns[f.feature];
    const L = f.nLevels;
    for (let i = 0; i < n; i++) {
      const v = col[i];
      if (Number.isNaN(v) || v < 0 || v >= L) continue;
      for (let k = 0; k < K; k++) scores[i * K + k] += f.logProb[k * L + v];
    }
  }
  // Softmax per row, shifted by the row maximum so the exponentials cannot overflow.
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, scores[i * K + k]);
    if (!Number.isFinite(max)) {
      // Every class ruled out (zero variance with var_smoothing 0): no evidence either way.
      for (let k = 0; k < K; k++) scores[i * K + k] = 1 / K;
      continue;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(scores[i * K + k] - max);
      scores[i * K + k] = e;
      sum += e;
    }
    for (let k = 0; k < K; k++) scores[i * K + k] /= sum;
  }
  return scores;
}

export function checkNaiveBayesState(s: NaiveBayesState | undefined): NaiveBayesState {
  if (!s || !Array.isArray(s.classLogPrior) || s.classLogPrior.length !== s.nClasses || !Array.isArray(s.numeric) || !Array.isArray(s.categorical)) {
    throw new Error('naive_bayes: malformed model state');
  }
  for (const f of [...s.numeric, ...s.categorical]) {
    if (!(Number.isInteger(f.feature) && f.feature >= 0 && f.feature < s.nFeatures))
      throw new Error('naive_bayes: malformed model state (feature index out of range)');
  }
  return s;
}

export function naiveBayesPlainPredictor(json: SerializedEstimator): PlainPredictor {
  const s = checkNaiveBayesState(json.state as NaiveBayesState);
  return { family: 'naive_bayes', task: json.task, nClasses: s.nClasses, predict: (X) => naiveBayesProba(s, X) };
}
