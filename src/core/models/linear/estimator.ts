/**
 * Linear and logistic regression with an elastic-net penalty (scikit-learn's Ridge / Lasso /
 * ElasticNet / LogisticRegression in one estimator), trained by the tfjs FISTA solver in solver.ts.
 * Prediction is plain float64 loops (predict-plain.ts), the same code an exported bundle runs.
 *
 * Objective (weighted mean loss, weights normalised to mean 1):
 *   mean_i w_i * loss_i + alpha * (l1_ratio * ||W||_1 + (1 - l1_ratio) / 2 * ||W||^2)
 * with loss = squared error / 2 (regression, on the standardised target), log loss (binary, one
 * logit), softmax cross-entropy (multiclass, one logit per class). scikit-learn's LogisticRegression(C)
 * is alpha = 1 / (C * n_rows); Ridge(a) is alpha = a / n_rows.
 *
 * Serialised state (`toJSON().state`), enough for a dependency-free predictor:
 *   { nFeatures, outputs, link: 'identity' | 'logistic' | 'softmax',
 *     coef: number[nFeatures * outputs] (row-major: coef[j * outputs + k]), intercept: number[outputs],
 *     iterations, converged }
 *   z_k = intercept[k] + sum_j x_j * coef[j * outputs + k]
 *   identity: prediction = z_0 (already in target units);  logistic: P(class 1) = 1 / (1 + exp(-z_0));
 *   softmax: P(class k) = exp(z_k) / sum_c exp(z_c).
 */
import { monotonicFor } from '../gbdt/monotonic.ts';
import type { FeatureMatrix } from '../../prep/matrix.ts';
import { argmaxRows, checkTargets, denseInput, rowWeights, targetScale } from '../estimator-input.ts';
import { FitControl } from '../shared/fit-control.ts';
import { ParamReader } from '../shared/param-reader.ts';
import type { Estimator, FitOptions, Params, SerializedEstimator, Task } from '../types.ts';
import { linearOutputs, linearProba, checkLinearState, type LinearState } from './predict-plain.ts';
import { solveElasticNet, type LinearLoss } from './solver.ts';
import { LINEAR_DEFAULTS } from './space.ts';

interface LinearSettings {
  signCst: string | null;
  alpha: number;
  l1Ratio: number;
  classWeight: 'none' | 'balanced';
  maxIter: number;
  tol: number;
}

function readSettings(params: Params): { settings: LinearSettings; resolved: Params } {
  const r = new ParamReader('linear', params, LINEAR_DEFAULTS);
  const sign = r.value('sign_cst');
  if (sign !== null && typeof sign !== 'string')
    throw new Error(`linear: parameter sign_cst=${JSON.stringify(sign)} is invalid; expected null or a string "column:1,other:-1"`);
  const settings: LinearSettings = {
    signCst: (sign as string | null) || null,
    alpha: r.float('alpha', 0, Infinity),
    l1Ratio: r.float('l1_ratio', 0, 1),
    classWeight: r.choice('class_weight', ['none', 'balanced'] as const),
    maxIter: r.int('max_iter', 1, 1_000_000),
    tol: r.float('tol', 0, Infinity, { lowOpen: true }),
  };
  return { settings, resolved: r.resolved() };
}

export class LinearEstimator implements Estimator {
  readonly family = 'linear' as const;
  readonly params: Params;
  private readonly settings: LinearSettings;
  private state: LinearState | null = null;

  constructor(
    readonly task: Task,
    params: Params = {},
  ) {
    const { settings, resolved } = readSettings(params);
    this.settings = settings;
    this.params = resolved;
  }

  async fit(X: FeatureMatrix, y: Float64Array, nClasses: number, opts: FitOptions = {}): Promise<void> {
    checkTargets('linear', this.task, X, y, nClasses);
    const control = new FitControl(opts, 'linear fit');
    control.throwIfAborted();
    const n = X.rows;
    const p = X.features.length;
    const data = denseInput(X, 'linear', true);
    const w = rowWeights(this.task, y, nClasses, opts.sampleWeight, this.settings.classWeight);

    const outputs = this.task === 'multiclass' ? nClasses : 1;
    const loss: LinearLoss = this.task === 'regression' ? 'squared' : this.task === 'binary' ? 'logistic' : 'softmax';
    const Y = new Float32Array(n * outputs);
    const init = new Float32Array((p + 1) * outputs);
    let yMean = 0;
    let yScale = 1;
    if (this.task === 'regression') {
      // Standardising y leaves the squared-loss solution unchanged up to scale, and keeps the step size sane.
      ({ mean: yMean, scale: yScale } = targetScale(y, w));
      for (let i = 0; i < n; i++) Y[i] = (y[i] - yMean) / yScale;
    } else {
      const prior = new Float64Array(nClasses);
      for (let i = 0; i < n; i++) prior[y[i]] += w[i] / n;
      if (this.task === 'binary') {
        for (let i = 0; i < n; i++) Y[i] = y[i];
        // Start the intercept at the log-odds of the prior: the model with no features.
        init[p] = Math.log(Math.max(prior[1], 1e-6) / Math.max(prior[0], 1e-6));
      } else {
        for (let i = 0; i < n; i++) Y[i * outputs + y[i]] = 1;
        for (let k = 0; k < nClasses; k++) init[p * outputs + k] = Math.log(Math.max(prior[k], 1e-6));
      }
    }
    const wMean1 = Float32Array.from(w, (v) => v / n);
    const { alpha, l1Ratio } = this.settings;
    const result = await solveElasticNet({
      X: data,
      rows: n,
      cols: p,
      Y,
      outputs,
      w: wMean1,
      loss,
      l2: alpha * (1 - l1Ratio),
      l1: alpha * l1Ratio,
      init,
      signs: signConstraints(this.settings.signCst, X, this.task),
      maxIter: this.settings.maxIter,
      tol: this.settings.tol,
      seed: opts.seed ?? 0,
      control,
      onProgress: (iteration) => opts.onProgress?.({ iteration, total: this.settings.maxIter }),
    });

    const coef = new Array<number>(p * outputs);
    const intercept = new Array<number>(outputs);
    // `+ 0` turns the soft-threshold's -0 into 0, so zeroed weights read (and serialise) as plain zeros.
    for (let j = 0; j < p; j++) for (let k = 0; k < outputs; k++) coef[j * outputs + k] = result.W[j * outputs + k] * yScale + 0;
    for (let k = 0; k < outputs; k++) intercept[k] = result.W[p * outputs + k] * yScale + (this.task === 'regression' ? yMean : 0);
    this.state = {
      nFeatures: p,
      outputs,
      link: this.task === 'regression' ? 'identity' : this.task === 'binary' ? 'logistic' : 'softmax',
      coef,
      intercept,
      iterations: result.iterations,
      converged: result.converged,
    };
  }

  private requireState(): LinearState {
    if (!this.state) throw new Error('linear: predict called before fit');
    return this.state;
  }

  async predict(X: FeatureMatrix): Promise<Float64Array> {
    const s = this.requireState();
    if (this.task === 'regression') return linearOutputs(s, X);
    return argmaxRows(linearProba(s, X), this.task === 'binary' ? 2 : s.outputs);
  }

  /** Plain float64 loops (predict-plain.ts), the code an exported bundle runs: the two agree exactly. */
  async predictProba(X: FeatureMatrix): Promise<Float64Array> {
    if (this.task === 'regression') throw new Error('linear: predictProba is for classification');
    return linearProba(this.requireState(), X);
  }

  /** Coefficients per feature (one row per output), for reports and feature selection. */
  coefficients(): { coef: number[]; intercept: number[]; outputs: number } {
    const s = this.requireState();
    return { coef: [...s.coef], intercept: [...s.intercept], outputs: s.outputs };
  }

  toJSON(): SerializedEstimator {
    const s = this.requireState();
    return {
      family: 'linear',
      task: this.task,
      params: this.params,
      nClasses: this.task === 'regression' ? 0 : this.task === 'binary' ? 2 : s.outputs,
      state: { ...s, coef: [...s.coef], intercept: [...s.intercept] },
    };
  }

  static fromJSON(json: SerializedEstimator): LinearEstimator {
    if (json.family !== 'linear') throw new Error(`not a linear model (family "${json.family}")`);
    const est = new LinearEstimator(json.task, json.params);
    const s = checkLinearState(json.state as LinearState);
    est.state = { ...s, coef: [...s.coef], intercept: [...s.intercept] };
    return est;
  }
}

/** Per-feature signs from `sign_cst`, matched to numeric features by name (null: none named). */
function signConstraints(spec: string | null, X: FeatureMatrix, task: Task): Int8Array | undefined {
  if (!spec) return undefined;
  if (task === 'multiclass') throw new Error('linear: sign_cst applies to regression and binary classification only');
  const signs = monotonicFor(
    spec,
    X.features.map((f) => f.name),
    'linear: sign_cst',
  );
  if (!signs) return undefined;
  X.features.forEach((f, j) => {
    if (signs[j] && f.kind !== 'numeric') throw new Error(`linear: sign_cst names "${f.name}", which is not numeric`);
  });
  return signs;
}
