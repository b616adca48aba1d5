/**
 * Multi-layer perceptron (fully connected, ReLU or tanh hidden layers, dropout, L2), trained by the
 * custom tfjs loop in train.ts with Adam and early stopping on a held-out share of the training rows.
 * Regression trains on the standardised target; classification uses a sigmoid (binary) or softmax output.
 * Prediction is a plain float64 forward pass (predict-plain.ts), the same code an exported bundle runs.
 *
 * Serialised state (`toJSON().state`):
 *   { nFeatures, activation: 'relu' | 'tanh', link: 'identity' | 'sigmoid' | 'softmax',
 *     layers: DenseLayer[] (see network.ts), yMean, yScale, epochs, bestEpoch, bestValidationLoss }
 *   regression value = z_0 * yScale + yMean;  binary P(class 1) = sigmoid(z_0);  multiclass softmax(z).
 */
import type { FeatureMatrix } from '../../prep/matrix.ts';
import { argmaxRows, checkTargets, denseInput, rowWeights, targetScale } from '../estimator-input.ts';
import { FitControl } from '../shared/fit-control.ts';
import { ParamReader } from '../shared/param-reader.ts';
import type { Estimator, FitOptions, Params, SerializedEstimator, Task } from '../types.ts';
import type { Activation, OutputLink } from './network.ts';
import { checkMlpState, mlpProba, mlpValues, type MlpState } from './predict-plain.ts';
import { MLP_DEFAULTS } from './space.ts';
import { trainMlp } from './train.ts';

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

  /** Plain float64 forward pass (predict-plain.ts), the code an exported bundle runs: the two agree exactly. */
  async predict(X: FeatureMatrix): Promise<Float64Array> {
    const s = this.requireState();
    if (this.task === 'regression') return mlpValues(s, X);
    return argmaxRows(mlpProba(s, X), this.nClasses);
  }

  async predictProba(X: FeatureMatrix): Promise<Float64Array> {
    if (this.task === 'regression') throw new Error('mlp: predictProba is for classification');
    return mlpProba(this.requireState(), X);
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
    const s = checkMlpState(json.state as MlpState);
    const est = new MlpEstimator(json.task, json.params);
    est.nClasses = json.nClasses;
    est.state = { ...s, layers: s.layers.map((l) => ({ ...l, weights: [...l.weights], bias: [...l.bias] })) };
    return est;
  }
}
