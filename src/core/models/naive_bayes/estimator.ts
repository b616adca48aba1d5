/**
 * Naive Bayes for mixed tables: Gaussian likelihoods for numeric features (scikit-learn's GaussianNB)
 * and Laplace-smoothed level frequencies for categorical codes (CategoricalNB), multiplied under the
 * "features independent given the class" assumption. Plain TypeScript: the work is a few passes over
 * the rows, not worth a device round trip.
 *
 * Missing values (NaN) are skipped: a feature that is missing in a row adds nothing to that row's
 * class scores (the exact marginal under the model), and does not enter the statistics at fit time.
 * Sample weights weight every count, mean and variance.
 *
 * Serialised state (`toJSON().state`):
 *   { nFeatures, nClasses, classLogPrior: number[K],
 *     numeric: [{ feature: j, mean: number[K], variance: number[K] }],
 *     categorical: [{ feature: j, nLevels: L, logProb: number[K * L] (logProb[k * L + level]) }] }
 *   score_k = classLogPrior[k] + sum over numeric j: -0.5 * (log(2 pi variance_k) + (x_j - mean_k)^2 / variance_k)
 *                              + sum over categorical j: logProb[k * L + x_j]   (missing x_j skipped;
 *   a code outside 0..L-1 is skipped too); P(class k) = softmax(score)_k.
 */
import type { FeatureMatrix } from '../../prep/matrix.ts';
import { argmaxRows, checkFeatureCount, checkTargets } from '../estimator-input.ts';
import { FitControl } from '../shared/fit-control.ts';
import { ParamReader } from '../shared/param-reader.ts';
import type { Estimator, FitOptions, Params, SerializedEstimator, Task } from '../types.ts';
import { checkNaiveBayesState, naiveBayesProba, type CategoricalLikelihood, type NaiveBayesState, type NumericLikelihood } from './predict-plain.ts';
import { NAIVE_BAYES_DEFAULTS } from './space.ts';

export class NaiveBayesEstimator implements Estimator {
  readonly family = 'naive_bayes' as const;
  readonly params: Params;
  private readonly varSmoothing: number;
  private readonly alpha: number;
  private state: NaiveBayesState | null = null;

  constructor(
    readonly task: Task,
    params: Params = {},
  ) {
    if (task === 'regression') throw new Error('naive_bayes: classification only (binary or multiclass), not regression');
    const r = new ParamReader('naive_bayes', params, NAIVE_BAYES_DEFAULTS);
    this.varSmoothing = r.float('var_smoothing', 0, Infinity);
    this.alpha = r.float('alpha', 0, Infinity, { lowOpen: true });
    this.params = r.resolved();
  }

  async fit(X: FeatureMatrix, y: Float64Array, nClasses: number, opts: FitOptions = {}): Promise<void> {
    checkTargets('naive_bayes', this.task, X, y, nClasses);
    const control = new FitControl(opts, 'naive_bayes fit');
    control.throwIfAborted();
    const n = X.rows;
    const K = nClasses;
    const w = opts.sampleWeight ?? new Float64Array(n).fill(1);
    if (w.length !== n) throw new Error(`naive_bayes: ${w.length} sample weights for ${n} rows`);

    const classWeight = new Float64Array(K);
    for (let i = 0; i < n; i++) classWeight[y[i]] += w[i];
    const total = classWeight.reduce((a, b) => a + b, 0);
    if (!(total > 0)) throw new Error('naive_bayes: every sample weight is zero');
    const classLogPrior = Array.from(classWeight, (c) => Math.log(c / total));

    const numeric: NumericLikelihood[] = [];
    const categorical: CategoricalLikelihood[] = [];
    let maxVariance = 0;
    X.features.forEach((spec, j) => {
      const col = X.columns[j];
      if (spec.kind === 'categorical') {
        const L = Math.max(1, spec.nLevels ?? 0);
        const counts = new Float64Array(K * L);
        const seen = new Float64Array(K);
        for (let i = 0; i < n; i++) {
          const v = col[i];
          if (Number.isNaN(v) || v < 0 || v >= L) continue;
          counts[y[i] * L + v] += w[i];
          seen[y[i]] += w[i];
        }
        const logProb = new Array<number>(K * L);
        for (let k = 0; k < K; k++) {
          const denom = Math.log(seen[k] + this.alpha * L);
          for (let l = 0; l < L; l++) logProb[k * L + l] = Math.log(counts[k * L + l] + this.alpha) - denom;
        }
        categorical.push({ feature: j, nLevels: L, logProb });
        return;
      }
      // Weighted mean and variance per class, then pooled over classes for a class with no value.
      const sw = new Float64Array(K);
      const mean = new Float64Array(K);
      const m2 = new Float64Array(K);
      for (let i = 0; i < n; i++) {
        const v = col[i];
        if (!Number.isFinite(v) || w[i] === 0) continue;
        const k = y[i];
        sw[k] += w[i];
        const d = v - mean[k];
        mean[k] += (w[i] / sw[k]) * d;
        m2[k] += w[i] * d * (v - mean[k]);
      }
      const pooledW = sw.reduce((a, b) => a + b, 0);
      const pooledMean = pooledW > 0 ? mean.reduce((a, m, k) => a + m * sw[k], 0) / pooledW : 0;
      const variance = Array.from(m2, (m, k) => (sw[k] > 0 ? m / sw[k] : NaN));
      // The overall variance of the feature sets the smoothing scale, as in scikit-learn.
      let overall = 0;
      for (let i = 0; i < n; i++) if (Number.isFinite(col[i])) overall += w[i] * (col[i] - pooledMean) ** 2;
      overall = pooledW > 0 ? overall / pooledW : 0;
      maxVariance = Math.max(maxVariance, overall);
      numeric.push({
        feature: j,
        mean: Array.from(mean, (m, k) => (sw[k] > 0 ? m : pooledMean)),
        variance: variance.map((v) => (Number.isNaN(v) ? overall : v)),
      });
    });
    const epsilon = this.varSmoothing * (maxVariance > 0 ? maxVariance : 1);
    for (const f of numeric) f.variance = f.variance.map((v) => v + epsilon || Number.MIN_VALUE);
    this.state = { nFeatures: X.features.length, nClasses: K, classLogPrior, numeric, categorical };
  }

  private requireState(): NaiveBayesState {
    if (!this.state) throw new Error('naive_bayes: predict called before fit');
    return this.state;
  }

  async predictProba(X: FeatureMatrix): Promise<Float64Array> {
    const s = this.requireState();
    checkFeatureCount('naive_bayes', s.nFeatures, X);
    return naiveBayesProba(s, X);
  }

  async predict(X: FeatureMatrix): Promise<Float64Array> {
    return argmaxRows(await this.predictProba(X), this.requireState().nClasses);
  }

  toJSON(): SerializedEstimator {
    const s = this.requireState();
    return { family: 'naive_bayes', task: this.task, params: this.params, nClasses: s.nClasses, state: structuredClone(s) };
  }

  static fromJSON(json: SerializedEstimator): NaiveBayesEstimator {
    if (json.family !== 'naive_bayes') throw new Error(`not a naive Bayes model (family "${json.family}")`);
    const s = checkNaiveBayesState(json.state as NaiveBayesState);
    const est = new NaiveBayesEstimator(json.task, json.params);
    est.state = structuredClone(s);
    return est;
  }
}
