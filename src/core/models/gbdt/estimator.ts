/**
 * Histogram gradient-boosted trees: the Estimator that composes binning, the tree grower, the
 * losses and the predictor (scikit-learn's HistGradientBoosting{Classifier,Regressor} behaviour).
 *
 * Fit: bin the features (thresholds from the training part), then iterate the Booster (booster.ts):
 * per iteration one tree per output (one per class for multiclass) on the loss gradients.
 *
 * Early stopping ('auto': on when n > 10,000, as scikit-learn): a stratified validation_fraction
 * holdout, scored by its loss after every iteration (the baseline included); the fit stops when none
 * of the last n_iter_no_change scores improved on the one before them by more than tol. All trees
 * are kept, as scikit-learn does. The bin thresholds are found on the training part only.
 *
 * Serialised state (toJSON().state), format 'sieve-gbdt-v1':
 *   { format, featureNames: string[], nOutputs, baseline: number[nOutputs], trees: FlatTreeJSON[],
 *     nIter, importanceGain: number[], importanceSplits: number[], validationLoss: number[] }
 * raw_k(x) = baseline[k] + sum of tree t(x) over trees with t mod nOutputs = k (see
 * trees/flat-tree.ts for evaluating one tree). Binary: P(class 1) = 1 / (1 + exp(-raw_0));
 * multiclass: softmax over raw_0..raw_{K-1}; regression: raw_0 is the prediction.
 */
import { monotonicFor, type MonotonicConstraints } from './monotonic.ts';
import type { FeatureMatrix, FeatureSpec } from '../../prep/matrix.ts';
import { Rng } from '../../util/random.ts';
import { trainTestSplit } from '../../eval/split.ts';
import type { Estimator, FeatureImportance, FitOptions, Params, SerializedEstimator, Task } from '../types.ts';
import { FitControl } from '../shared/fit-control.ts';
import { TreeEnsemblePredictor, checkPredictMatrix, flatTreeFromJSON, flatTreeToJSON, type FlatTree, type FlatTreeJSON } from '../trees/flat-tree.ts';
import { checkFitData, checkFitMatrix } from '../trees/validate.ts';
import { binMatrix, fitBinMapper, takeBinnedRows, type BinMapper, type BinnedMatrix } from '../trees/binning.ts';
import { Booster } from './booster.ts';
import type { GrowerTimers } from './grower.ts';
import { createLoss } from './loss.ts';
import { readGbdtParams, type GbdtConfig } from './params.ts';
import { makeBoostingPredictor, rawToPrediction, rawToProba } from './predictor.ts';

/** scikit-learn's min_hessian_to_split. */
const MIN_HESSIAN_TO_SPLIT = 1e-3;

interface GbdtState {
  format: 'sieve-gbdt-v1';
  featureNames: string[];
  nOutputs: number;
  baseline: number[];
  trees: FlatTreeJSON[];
  nIter: number;
  importanceGain: number[];
  importanceSplits: number[];
  validationLoss: number[];
}

export interface GbdtFitInfo {
  nIter: number;
  earlyStopped: boolean;
  stoppedByDeadline: boolean;
  /** Validation loss after each iteration (index 0: the baseline); empty without early stopping. */
  validationLoss: number[];
  /** Milliseconds in each stage (binning, histograms, split finding, partitioning, the rest). */
  timings: { binning: number; total: number } & GrowerTimers;
}

/** What boosting needs from fit() or fitBinned(): the binned rows, the target and the early-stopping split. */
interface BoostData {
  mapper: BinMapper;
  features: FeatureSpec[];
  binned: Uint8Array;
  binnedValid: Uint8Array | null;
  split: { train: Int32Array; valid: Int32Array } | null;
  y: Float64Array;
  weights: Float64Array | null;
  nClasses: number;
}

export class GbdtEstimator implements Estimator {
  readonly family = 'gbdt' as const;
  readonly params: Params;
  private readonly config: GbdtConfig;
  private nClasses = 0;
  private nOutputs = 1;
  private baseline: Float64Array = new Float64Array(1);
  private trees: FlatTree[] = [];
  private predictor: TreeEnsemblePredictor | null = null;
  private featureNames: string[] = [];
  private importanceGain: Float64Array = new Float64Array(0);
  private importanceSplits: Float64Array = new Float64Array(0);
  private info: GbdtFitInfo | null = null;

  constructor(
    readonly task: Task,
    params: Params = {},
  ) {
    this.config = readGbdtParams(task, params);
    this.params = { ...params };
  }

  /** Details of the last fit (iterations, early stopping, time per stage). */
  get fitInfo(): GbdtFitInfo | null {
    return this.info;
  }

  get nIter(): number {
    return this.trees.length / this.nOutputs;
  }

  async fit(X: FeatureMatrix, y: Float64Array, nClasses: number, opts: FitOptions = {}): Promise<void> {
    const t0 = performance.now();
    new FitControl(opts, 'gbdt fit').throwIfAborted();
    checkFitMatrix('gbdt', X, y);
    const { n, weights } = checkFitData('gbdt', this.task, X.rows, X.columns.length, y, nClasses, opts.sampleWeight);
    const rng = new Rng(opts.seed ?? 0);
    const split = this.earlyStoppingSplit(y, n, rng);
    // The thresholds come from the training part only; the validation part is binned with them.
    const mapper = fitBinMapper(X, { maxBins: this.config.maxBins, rows: split?.train, seed: rng.nextUint32() });
    const binned = binMatrix(mapper, X, split?.train);
    const binnedValid = split ? binMatrix(mapper, X, split.valid) : null;
    const data: BoostData = { mapper, features: X.features, binned, binnedValid, split, y, weights, nClasses };
    await this.boost(data, opts, rng, t0, performance.now() - t0);
  }

  /**
   * Fits on rows that are already binned (a view of the run's shared BinnedStore): the same boosting
   * as fit(), the thresholds those of `data.mapper`, no Float64 matrix. Trees come out in raw units,
   * so the model predicts the matrix whose rows were binned.
   */
  async fitBinned(data: BinnedMatrix, y: Float64Array, nClasses: number, opts: FitOptions = {}): Promise<void> {
    const t0 = performance.now();
    new FitControl(opts, 'gbdt fit').throwIfAborted();
    const { n, weights } = checkFitData('gbdt', this.task, data.rows, data.mapper.nFeatures, y, nClasses, opts.sampleWeight);
    const rng = new Rng(opts.seed ?? 0);
    const split = this.earlyStoppingSplit(y, n, rng);
    rng.nextUint32(); // the draw fit() gives the threshold subsample: the boosting draws the same numbers after it
    const p = data.mapper.nFeatures;
    const binned = split ? takeBinnedRows(data.codes, n, p, split.train) : data.codes;
    const binnedValid = split ? takeBinnedRows(data.codes, n, p, split.valid) : null;
    const boostData: BoostData = { mapper: data.mapper, features: data.features, binned, binnedValid, split, y, weights, nClasses };
    await this.boost(boostData, opts, rng, t0, performance.now() - t0);
  }

  /** Early stopping's stratified validation part ('auto': on above 10,000 rows), or null without it. */
  private earlyStoppingSplit(y: Float64Array, n: number, rng: Rng): { train: Int32Array; valid: Int32Array } | null {
    const cfg = this.config;
    const earlyStopping = cfg.earlyStopping === 'auto' ? n > 10_000 : cfg.earlyStopping;
    if (!earlyStopping) return null;
    const classification = this.task !== 'regression';
    const split = trainTestSplit(y, { testSize: cfg.validationFraction, seed: rng.nextUint32(), stratify: classification });
    const train = split.train.slice().sort();
    if (classification && new Set(Array.from(train, (r) => y[r])).size < 2) {
      throw new Error('gbdt: the early-stopping split left a single class in the training part; use early_stopping=false');
    }
    return { train, valid: split.test.slice().sort() };
  }

  private async boost(data: BoostData, opts: FitOptions, rng: Rng, t0: number, binningMs: number): Promise<void> {
    const cfg = this.config;
    const control = new FitControl(opts, 'gbdt fit');
    const { booster, hasValid } = this.createBooster(data, rng);
    const validationLoss: number[] = [];
    if (hasValid) validationLoss.push(booster.validationLoss());
    let earlyStopped = false;
    let stoppedByDeadline = false;

    for (let iter = 0; iter < cfg.maxIter; iter++) {
      control.throwIfAborted();
      booster.iterate();
      let vLoss: number | undefined;
      if (hasValid) {
        vLoss = booster.validationLoss();
        validationLoss.push(vLoss);
      }
      opts.onProgress?.({ iteration: iter + 1, total: cfg.maxIter, validationLoss: vLoss });
      if (hasValid && shouldStop(validationLoss, cfg.nIterNoChange, cfg.tol)) {
        earlyStopped = true;
        break;
      }
      if (iter + 1 < cfg.maxIter && control.pastDeadline()) {
        stoppedByDeadline = true;
        break;
      }
      await control.maybeYield();
    }
    const K = booster.nOutputs;
    const trees = booster.trees;
    this.nClasses = this.task !== 'regression' ? data.nClasses : 0;
    this.nOutputs = K;
    this.baseline = booster.baseline;
    this.trees = trees;
    this.predictor = makeBoostingPredictor(trees, K);
    this.featureNames = data.features.map((f, j) => f?.name ?? `f${j}`);
    this.importanceGain = booster.gainByFeature;
    this.importanceSplits = booster.splitsByFeature;
    this.info = {
      nIter: trees.length / K,
      earlyStopped,
      stoppedByDeadline,
      validationLoss,
      timings: { binning: binningMs, total: performance.now() - t0, ...booster.grower.timers },
    };
  }

  /** The Booster over the training part, with the validation part when early stopping holds one out. */
  private createBooster(data: BoostData, rng: Rng): { booster: Booster; hasValid: boolean } {
    const cfg = this.config;
    const { mapper, features, binned, binnedValid, split, y, weights, nClasses } = data;
    const classification = this.task !== 'regression';
    const trainRows = split?.train;
    const validRows = split?.valid ?? null;
    const yTr = trainRows ? Float64Array.from(trainRows, (r) => y[r]) : y;
    const wTr = weights && trainRows ? Float64Array.from(trainRows, (r) => weights[r]) : weights;

    const loss = createLoss(cfg.loss, nClasses, wTr !== null, cfg.quantile);
    const yVa = validRows ? Float64Array.from(validRows, (r) => y[r]) : null;
    const wVa = weights && validRows ? Float64Array.from(validRows, (r) => weights[r]) : null;
    const booster = new Booster(
      mapper,
      { binned, y: yTr, w: wTr, valid: binnedValid && yVa ? { binned: binnedValid, y: yVa, w: wVa } : null },
      loss,
      {
        grower: {
          maxLeafNodes: cfg.maxLeafNodes,
          maxDepth: cfg.maxDepth,
          minSamplesLeaf: cfg.minSamplesLeaf,
          l2Regularization: cfg.l2Regularization,
          minHessianToSplit: MIN_HESSIAN_TO_SPLIT,
          learningRate: cfg.learningRate,
          monotonic: monotonicOf(cfg.monotonicCst, features, nClasses, classification),
        },
        subsample: cfg.subsample,
        colsample: cfg.colsample,
      },
      rng.nextUint32(),
    );
    return { booster, hasValid: yVa !== null };
  }

  private rawScores(X: FeatureMatrix): Float64Array {
    if (!this.predictor) throw new Error('gbdt: the model is not fitted; call fit() first');
    checkPredictMatrix(X, this.featureNames, 'gbdt');
    return this.predictor.predict(X, this.baseline, 1);
  }

  async predict(X: FeatureMatrix): Promise<Float64Array> {
    return rawToPrediction(this.task, this.rawScores(X), X.rows, this.nOutputs);
  }

  async predictProba(X: FeatureMatrix): Promise<Float64Array> {
    if (this.task === 'regression') throw new Error('gbdt: predictProba is for classification; this model is a regressor');
    return rawToProba(this.rawScores(X), X.rows, this.nOutputs, this.nClasses);
  }

  /** Total split gain per feature, normalised to sum 1, and the number of splits on it. */
  featureImportance(): FeatureImportance[] {
    let total = 0;
    for (const v of this.importanceGain) total += v;
    return this.featureNames.map((feature, j) => ({
      feature,
      gain: total > 0 ? this.importanceGain[j] / total : 0,
      splits: this.importanceSplits[j],
    }));
  }

  toJSON(): SerializedEstimator {
    if (!this.predictor) throw new Error('gbdt: cannot serialise a model that is not fitted');
    const state: GbdtState = {
      format: 'sieve-gbdt-v1',
      featureNames: this.featureNames,
      nOutputs: this.nOutputs,
      baseline: Array.from(this.baseline),
      trees: this.trees.map(flatTreeToJSON),
      nIter: this.nIter,
      importanceGain: Array.from(this.importanceGain),
      importanceSplits: Array.from(this.importanceSplits),
      validationLoss: this.info?.validationLoss ?? [],
    };
    return { family: 'gbdt', task: this.task, params: this.params, nClasses: this.nClasses, state };
  }

  static fromJSON(json: SerializedEstimator): GbdtEstimator {
    if (json.family !== 'gbdt') throw new Error(`invalid model file: expected family 'gbdt', got '${json.family}'`);
    const s = json.state as GbdtState;
    if (!s || s.format !== 'sieve-gbdt-v1') throw new Error(`invalid model file: unknown gbdt state format '${s?.format}'`);
    const est = new GbdtEstimator(json.task, json.params);
    const p = s.featureNames.length;
    if (!Array.isArray(s.baseline) || s.baseline.length !== s.nOutputs) {
      throw new Error(`invalid model file: gbdt baseline must have ${s.nOutputs} values`);
    }
    if (s.trees.length % s.nOutputs !== 0) throw new Error('invalid model file: gbdt tree count is not a multiple of nOutputs');
    est.nClasses = json.nClasses;
    est.nOutputs = s.nOutputs;
    est.baseline = Float64Array.from(s.baseline);
    est.trees = s.trees.map((t, i) => flatTreeFromJSON(t, p, `gbdt tree ${i}`));
    est.predictor = makeBoostingPredictor(est.trees, s.nOutputs);
    est.featureNames = s.featureNames.slice();
    est.importanceGain = Float64Array.from(s.importanceGain ?? new Array(p).fill(0));
    est.importanceSplits = Float64Array.from(s.importanceSplits ?? new Array(p).fill(0));
    return est;
  }
}

/**
 * scikit-learn's `_should_stop`: stop when none of the last n scores improved on the score before
 * them by more than tol. Losses here, so "improved" means lower.
 */
export function shouldStop(losses: number[], nIterNoChange: number, tol: number): boolean {
  const ref = nIterNoChange + 1;
  if (losses.length < ref) return false;
  const reference = losses[losses.length - ref] - tol;
  for (let i = losses.length - nIterNoChange; i < losses.length; i++) if (losses[i] < reference) return false;
  return true;
}

/** The grower's per-feature constraints from `monotonic_cst` (binary and regression only: one tree per iteration). */
function monotonicOf(spec: string | null, features: FeatureSpec[], nClasses: number, classification: boolean): MonotonicConstraints {
  if (!spec) return null;
  if (classification && nClasses > 2) throw new Error('gbdt: monotonic_cst applies to regression and binary classification only');
  const mono = monotonicFor(
    spec,
    features.map((f, j) => f?.name ?? `f${j}`),
  );
  features.forEach((f, j) => {
    if (mono?.[j] && f?.kind === 'categorical')
      throw new Error(`gbdt: monotonic_cst names "${f.name}", which is categorical; only numeric inputs can be monotonic`);
  });
  return mono;
}
