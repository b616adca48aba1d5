/**
 * Linear / logistic prediction in plain float64 loops over the serialised state (documented in
 * estimator.ts): z_k = intercept[k] + sum_j x_j * coef[j * outputs + k] (j ascending), then the link.
 * The estimator predicts through these functions too, so Sieve and an exported bundle agree exactly;
 * the forward pass is a few multiply-adds per feature, cheaper on the CPU than a device round trip.
 */
import type { FeatureMatrix } from '../../prep/matrix.ts';
import { binaryPairs, checkFinite, logistic, softmaxRows, type PlainPredictor } from '../prediction-math.ts';
import type { SerializedEstimator } from '../types.ts';

export type LinearLink = 'identity' | 'logistic' | 'softmax';

/** The serialised state, `toJSON().state` (format in estimator.ts); here beside the code that predicts from it. */
export interface LinearState {
  nFeatures: number;
  outputs: number;
  link: LinearLink;
  coef: number[];
  intercept: number[];
  iterations: number;
  converged: boolean;
}

/** Outputs after the link, row-major rows * outputs: value, P(class 1), or class probabilities. */
export function linearOutputs(s: LinearState, X: FeatureMatrix): Float64Array {
  if (X.features.length !== s.nFeatures) throw new Error(`linear: the model was fitted on ${s.nFeatures} features, got ${X.features.length}`);
  checkFinite(X, 'linear');
  const n = X.rows;
  const K = s.outputs;
  const out = new Float64Array(n * K);
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) out[i * K + k] = s.intercept[k];
  for (let j = 0; j < s.nFeatures; j++) {
    const col = X.columns[j];
    for (let k = 0; k < K; k++) {
      const c = s.coef[j * K + k];
      if (c === 0) continue; // L1 zeros: adding 0 * x changes nothing (x is finite)
      for (let i = 0; i < n; i++) out[i * K + k] += col[i] * c;
    }
  }
  if (s.link === 'logistic') for (let i = 0; i < n; i++) out[i] = logistic(out[i]);
  else if (s.link === 'softmax') softmaxRows(out, n, K);
  return out;
}

/** Classification probabilities (rows * classes); binary gives [1 - p, p] pairs. */
export function linearProba(s: LinearState, X: FeatureMatrix): Float64Array {
  const out = linearOutputs(s, X);
  return s.link === 'logistic' ? binaryPairs(out, X.rows) : out;
}

export function checkLinearState(s: LinearState | undefined): LinearState {
  if (!s || !Array.isArray(s.coef) || !Array.isArray(s.intercept) || s.coef.length !== s.nFeatures * s.outputs || s.intercept.length !== s.outputs) {
    throw new Error('linear: malformed model state');
  }
  if (s.link !== 'identity' && s.link !== 'logistic' && s.link !== 'softmax') throw new Error(`linear: unknown link "${String(s.link)}" in model state`);
  return s;
}

export function linearPlainPredictor(json: SerializedEstimator): PlainPredictor {
  const s = checkLinearState(json.state as LinearState);
  const task = json.task;
  return {
    family: 'linear',
    task,
    nClasses: task === 'regression' ? 0 : task === 'binary' ? 2 : s.outputs,
    predict: (X) => (task === 'regression' ? linearOutputs(s, X) : linearProba(s, X)),
  };
}
