/**
 * The MLP's forward pass in plain float64 loops over the serialised layers (network.ts documents the
 * format): a = x; hidden layers a = act(a . W + b); the last layer z = a . W + b, then the link.
 * Sums run over the inputs in ascending order, starting from the bias. The estimator predicts
 * through this function too (training keeps the tfjs forward pass), so Sieve and an exported bundle
 * give identical numbers.
 */
import type { FeatureMatrix } from '../../prep/matrix.ts';
import { binaryPairs, checkFinite, logistic, softmaxRows, type PlainPredictor } from '../prediction-math.ts';
import type { SerializedEstimator } from '../types.ts';
import type { Activation, DenseLayer, OutputLink } from './network.ts';

/** The serialised state, `toJSON().state` (format in estimator.ts); here beside the code that predicts from it. */
export interface MlpState {
  nFeatures: number;
  activation: Activation;
  link: OutputLink;
  layers: DenseLayer[];
  yMean: number;
  yScale: number;
  epochs: number;
  bestEpoch: number;
  bestValidationLoss: number | null;
}

/** Outputs after the link (rows * width, row-major); regression values are still standardised. */
export function mlpOutputs(s: MlpState, X: FeatureMatrix): Float64Array {
  if (X.features.length !== s.nFeatures) throw new Error(`mlp: the model was fitted on ${s.nFeatures} features, got ${X.features.length}`);
  checkFinite(X, 'mlp');
  const n = X.rows;
  const p = s.nFeatures;
  const layers = s.layers.map((l) => ({ inputs: l.inputs, outputs: l.outputs, W: Float64Array.from(l.weights), b: Float64Array.from(l.bias) }));
  const width = layers[layers.length - 1].outputs;
  const widest = Math.max(p, ...layers.map((l) => l.outputs));
  let a = new Float64Array(widest);
  let z = new Float64Array(widest);
  const out = new Float64Array(n * width);
  const relu = s.activation === 'relu';
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) a[j] = X.columns[j][i];
    for (let l = 0; l < layers.length; l++) {
      const { inputs, outputs, W, b } = layers[l];
      for (let o = 0; o < outputs; o++) z[o] = b[o];
      for (let j = 0; j < inputs; j++) {
        const aj = a[j];
        if (aj === 0) continue; // ReLU zeros (about half the units) contribute nothing
        const row = j * outputs;
        for (let o = 0; o < outputs; o++) z[o] += aj * W[row + o];
      }
      if (l < layers.length - 1) {
        if (relu) for (let o = 0; o < outputs; o++) z[o] = z[o] > 0 ? z[o] : 0;
        else for (let o = 0; o < outputs; o++) z[o] = Math.tanh(z[o]);
      }
      const t = a;
      a = z;
      z = t;
    }
    for (let o = 0; o < width; o++) out[i * width + o] = a[o];
  }
  if (s.link === 'sigmoid') for (let i = 0; i < n; i++) out[i] = logistic(out[i]);
  else if (s.link === 'softmax') softmaxRows(out, n, width);
  return out;
}

/** Regression values in target units: z * yScale + yMean. */
export function mlpValues(s: MlpState, X: FeatureMatrix): Float64Array {
  const out = mlpOutputs(s, X);
  for (let i = 0; i < out.length; i++) out[i] = out[i] * s.yScale + s.yMean;
  return out;
}

/** Classification probabilities (rows * classes); binary gives [1 - p, p] pairs. */
export function mlpProba(s: MlpState, X: FeatureMatrix): Float64Array {
  const out = mlpOutputs(s, X);
  return s.link === 'sigmoid' ? binaryPairs(out, X.rows) : out;
}

export function checkMlpState(s: MlpState | undefined): MlpState {
  if (!s || !Array.isArray(s.layers) || s.layers.length === 0) throw new Error('mlp: malformed model state');
  let inputs = s.nFeatures;
  for (const l of s.layers) {
    if (
      !Array.isArray(l.weights) ||
      !Array.isArray(l.bias) ||
      l.weights.length !== l.inputs * l.outputs ||
      l.bias.length !== l.outputs ||
      l.inputs !== inputs
    ) {
      throw new Error('mlp: malformed layer in model state');
    }
    inputs = l.outputs;
  }
  if (s.activation !== 'relu' && s.activation !== 'tanh') throw new Error(`mlp: unknown activation "${String(s.activation)}" in model state`);
  if (s.link !== 'identity' && s.link !== 'sigmoid' && s.link !== 'softmax') throw new Error(`mlp: unknown link "${String(s.link)}" in model state`);
  return s;
}

export function mlpPlainPredictor(json: SerializedEstimator): PlainPredictor {
  const s = checkMlpState(json.state as MlpState);
  const task = json.task;
  return {
    family: 'mlp',
    task,
    nClasses: task === 'regression' ? 0 : json.nClasses,
    predict: (X) => (task === 'regression' ? mlpValues(s, X) : mlpProba(s, X)),
  };
}
