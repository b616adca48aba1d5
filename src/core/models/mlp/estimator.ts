/**
 * Multi-layer perceptron (fully connected, ReLU or tanh hidden layers, dropout, L2), trained by the
 * custom tfjs loop in train.ts with Adam and early stopping on a held-out share of the training rows.
 * Regression trains on the standardised target; classification uses a sigmoid (binary) or softmax output.
 *
 * Serialised state (`toJSON().state`):
 *   { nFeatures, activation: 'relu' | 'tanh', link: 'identity' | 'sigmoid' | 'softmax',
 *     layers: DenseLayer[] (see network.ts), yMean, yScale, epochs, bestEpoch, bestValidationLoss }
 *   regression value = z_0 * yScale + yMean;  binary P(class 1) = sigmoid(z_0);  multiclass softmax(z).
 */
import type { FeatureMatrix } from '../../prep/matrix.ts';
import { argmaxRows, checkFeatureCount, checkTargets, denseInput, rowWeights, targetScale } from '../estimator-input.ts';
import { mapRowChunks } from '../tensor-batches.ts';
import { tf } from '../tf.ts';
import { FitControl } from '../trees/fit-control.ts';
import { ParamReader } from '../trees/params.ts';
import type { Estimator, FitOptions, Params, SerializedEstimator, Task } from '../types.ts';
import { applyLink, forward, type Activation, type DenseLayer, type OutputLink, type TensorLayer } from './network.ts';
import { MLP_DEFAULTS } from './space.ts';
import { trainMlp } from './train.ts';

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

interface MlpSettings {
  hiddenLayers: number;
  hiddenUnits: number;
  activation: Activation;
  dropout: number;
  learningRate: number;
  alpha: number;
  batchSize: number;
  maxEpochs: number;
  patience: number;
  validationFraction: number;
  classWeight: 'none' | 'balanced';
}

export class MlpEstimator implements Estimator {
  readonly family = 'mlp' as const;
  readonly params: Params;
  private readonly settings: MlpSettings;
  private state: MlpState | null = null;
  private nClasses = 0;

  constructor(
    readonly task: Task,
    params: Params = {},
  ) {
    const r = new ParamReader('mlp', params, MLP_DEFAULTS);
    this.settings = {
      hiddenLayers: r.int('hidden_layers', 0, 16),
      hiddenUnits: r.int('hidden_units', 1, 8192),
      activation: r.choice('activation', ['relu', 'tanh'] as const),
      dropout: r.float('dropout', 0, 1, { highOpen: true }),
      learningRate: r.float('learning_rate', 0, 10, { lowOpen: true }),
      alpha: r.float('alpha', 0, Infinity),
      batchSize: r.int('batch_size', 1, 1 << 20),
      maxEpochs: r.int('max_epochs', 1, 100_000),
      patience: r.int('patience', 1, 100_000),
      validationFraction: r.float('validation_fraction', 0, 0.5),
      classWeight: r.choice('class_weight', ['none', 'balanced'] as const),
    };
    this.params = r.resolved();
  }

  async fit(X: FeatureMatrix, y: Float64Array, nClasses: number, opts: FitOptions = {}): Promise<void> {
    checkTargets('mlp', this.task, X, y, nClasses);
    const control = new FitControl(opts, 'mlp fit');
    control.throwIfAborted();
    const n = X.rows;
    const p = X.features.length;
    const s = this.settings;
    const w = rowWeights(this.task, y, nClasses, opts.sampleWeight, s.classWeight);
    const outputs = this.task === 'multiclass' ? nClasses : 1;
    const link: OutputLink = this.task === 'regression' ? 'identity' : this.task === 'binary' ? 'sigmoid' : 'softmax';
    const Y = new Float32Array(n * outputs);
    let yMean = 0;
    let yScale = 1;
    if (this.task === 'regression') {
      ({ mean: yMean, scale: yScale } = targetScale(y, w));
      for (let i = 0; i < n; i++) Y[i] = (y[i] - yMean) / yScale;
    } else if (this.task === 'binary') {
      for (let i = 0; i < n; i++) Y[i] = y[i];
    } else {
      for (let i = 0; i < n; i++) Y[i * outputs + y[i]] = 1;
    }
    const result = await trainMlp({
      X: denseInput(X, 'mlp'),
      rows: n,
      cols: p,
      Y,
      outputs,
      w: Float32Array.from(w),
      strata: this.task === 'regression' ? null : y,
      hidden: Array.from({ length: s.hiddenLayers }, () => s.hiddenUnits),
      activation: s.activation,
      link,
      dropout: s.dropout,
      learningRate: s.learningRate,
      alpha: s.alpha,
      batchSize: s.batchSize,
      maxEpochs: s.maxEpochs,
      patience: s.patience,
      validationFraction: s.validationFraction,
      seed: opts.seed ?? 0,
      control,
      onProgress: opts.onProgress,
    });
    this.nClasses = this.task === 'regression' ? 0 : nClasses;
    this.state = {
      nFeatures: p,
      activation: s.activation,
      link,
      layers: result.layers,
      yMean,
      yScale,
      epochs: result.epochs,
      bestEpoch: result.bestEpoch,
      bestValidationLoss: result.bestValidationLoss,
    };
  }

  private requireState(): MlpState {
    if (!this.state) throw new Error('mlp: predict called before fit');
    return this.state;
  }

  private async outputs(X: FeatureMatrix): Promise<Float32Array> {
    const s = this.requireState();
    checkFeatureCount('mlp', s.nFeatures, X);
    const data = denseInput(X, 'mlp');
    const layers: TensorLayer[] = s.layers.map((l) => ({
      W: tf.tensor2d(Float32Array.from(l.weights), [l.inputs, l.outputs]),
      b: tf.tensor1d(Float32Array.from(l.bias)),
    }));
    const width = s.layers[s.layers.length - 1].outputs;
    try {
      return await mapRowChunks(data, X.rows, s.nFeatures, width, (x) => applyLink(forward(x, layers, s.activation), s.link));
    } finally {
      for (const l of layers) {
        l.W.dispose();
        l.b.dispose();
      }
    }
  }

  async predict(X: FeatureMatrix): Promise<Float64Array> {
    if (this.task === 'regression') {
      const s = this.requireState();
      const out = await this.outputs(X);
      return Float64Array.from(out, (z) => z * s.yScale + s.yMean);
    }
    return argmaxRows(await this.predictProba(X), this.nClasses);
  }

  async predictProba(X: FeatureMatrix): Promise<Float64Array> {
    if (this.task === 'regression') throw new Error('mlp: predictProba is for classification');
    const out = await this.outputs(X);
    if (this.task === 'binary') {
      const proba = new Float64Array(X.rows * 2);
      for (let i = 0; i < X.rows; i++) {
        proba[2 * i] = 1 - out[i];
        proba[2 * i + 1] = out[i];
      }
      return proba;
    }
    return Float64Array.from(out);
  }

  /** Training summary: epochs run, the epoch kept, its validation loss. */
  trainingInfo(): { epochs: number; bestEpoch: number; bestValidationLoss: number | null } {
    const s = this.requireState();
    return { epochs: s.epochs, bestEpoch: s.bestEpoch, bestValidationLoss: s.bestValidationLoss };
  }

  toJSON(): SerializedEstimator {
    const s = this.requireState();
    return {
      family: 'mlp',
      task: this.task,
      params: this.params,
      nClasses: this.nClasses,
      state: { ...s, layers: s.layers.map((l) => ({ ...l, weights: [...l.weights], bias: [...l.bias] })) },
    };
  }

  static fromJSON(json: SerializedEstimator): MlpEstimator {
    if (json.family !== 'mlp') throw new Error(`not an mlp model (family "${json.family}")`);
    const s = json.state as MlpState;
    if (!s || !Array.isArray(s.layers) || s.layers.length === 0) throw new Error('mlp: malformed model state');
    for (const l of s.layers) {
      if (l.weights.length !== l.inputs * l.outputs || l.bias.length !== l.outputs) throw new Error('mlp: malformed layer in model state');
    }
    const est = new MlpEstimator(json.task, json.params);
    est.nClasses = json.nClasses;
    est.state = { ...s, layers: s.layers.map((l) => ({ ...l, weights: [...l.weights], bias: [...l.bias] })) };
    return est;
  }
}
