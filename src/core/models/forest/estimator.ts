/**
 * Random forest and extra trees: many deep randomised trees on binned features, averaged.
 *
 * Random forest: each tree sees a bootstrap sample (rows drawn with replacement, multiplicities as
 * weights, as scikit-learn does) and the best split among max_features random features per node.
 * Extra trees: all rows by default (bootstrap=false) and one random split per tried feature.
 * With bootstrap, every row's out-of-bag prediction (trees that did not draw it) gives oobScore():
 * accuracy for classification, R² for regression.
 *
 * Serialised state (toJSON().state), format 'sieve-forest-v1':
 *   { format, featureNames: string[], valueDim, trees: FlatTreeJSON[], importanceGain: number[],
 *     importanceSplits: number[], oobScore: number | null }
 * Prediction = the mean over trees of their leaf values (trees/flat-tree.ts evaluates one tree):
 * classification leaves hold class frequencies, so the mean is the class probability vector and the
 * predicted class its argmax; regression leaves hold the mean target.
 */
import type { FeatureMatrix, FeatureSpec } from '../../prep/matrix.ts';
import { Rng } from '../../util/random.ts';
import { accuracy, r2 } from '../../eval/metrics.ts';
import type { Estimator, FeatureImportance, FitOptions, Params, SerializedEstimator, Task } from '../types.ts';
import { binMatrix, fitBinMapper, type BinMapper, type BinnedMatrix } from '../trees/binning.ts';
import { FitControl } from '../shared/fit-control.ts';
import { TreeEnsemblePredictor, checkPredictMatrix, flatTreeFromJSON, flatTreeToJSON, type FlatTree, type FlatTreeJSON } from '../trees/flat-tree.ts';
import { checkFitData, checkFitMatrix, type FitData } from '../trees/validate.ts';
import { readForestParams, resolveMaxFeatures, type ForestConfig, type ForestKind } from './params.ts';
import { leafOfBinnedRow, type BuiltTree } from './built-tree.ts';
import { ForestTreeBuilder } from './tree-builder.ts';

/** One tree's rows: bootstrap multiplicities per row, the rows drawn (ascending) and their weights. */
interface Bag {
  counts: Int32Array;
  inBag: Int32Array;
  rowWeight: Float64Array;
}

/** Out-of-bag predictions summed per row (`dim` values each), and how many trees voted. */
interface OobTally {
  sum: Float64Array;
  votes: Int32Array;
  dim: number;
}

/** Fills `bag` for one tree: `draws` rows drawn with replacement, or every row; returns the rows in the bag. */
function drawBag(bag: Bag, rng: Rng, weights: Float64Array | null, bootstrap: boolean, draws: number): number {
  const { counts, inBag, rowWeight } = bag;
  const n = counts.length;
  let nIn = 0;
  if (bootstrap) {
    counts.fill(0);
    for (let d = 0; d < draws; d++) counts[rng.int(n)]++;
    for (let i = 0; i < n; i++) {
      if (counts[i] > 0) {
        inBag[nIn++] = i;
        rowWeight[i] = counts[i] * (weights ? weights[i] : 1);
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      inBag[nIn++] = i;
      rowWeight[i] = weights ? weights[i] : 1;
    }
  }
  return nIn;
}

/** Adds a tree's predictions for the rows it did not draw (counts[i] = 0). */
function tallyOutOfBag(oob: OobTally, tree: BuiltTree, counts: Int32Array, nBins: Int32Array, binned: Uint8Array): void {
  const { sum, votes, dim } = oob;
  const values = tree.flat.value;
  const n = counts.length;
  for (let i = 0; i < n; i++) {
    if (counts[i] !== 0) continue;
    const leaf = leafOfBinnedRow(tree, nBins, binned, n, i);
    for (let j = 0; j < dim; j++) sum[i * dim + j] += values[leaf * dim + j];
    votes[i]++;
  }
}

interface ForestState {
  format: 'sieve-forest-v1';
  featureNames: string[];
  valueDim: number;
  trees: FlatTreeJSON[];
  importanceGain: number[];
  importanceSplits: number[];
  oobScore: number | null;
}

export class ForestEstimator implements Estimator {
  readonly params: Params;
  private readonly config: ForestConfig;
  private nClasses = 0;
  private valueDim = 1;
  private trees: FlatTree[] = [];
  private predictor: TreeEnsemblePredictor | null = null;
  private featureNames: string[] = [];
  private importanceGain: Float64Array = new Float64Array(0);
  private importanceSplits: Float64Array = new Float64Array(0);
  private oob: number | null = null;
  private stoppedByDeadline = false;

  constructor(
    readonly family: ForestKind,
    readonly task: Task,
    params: Params = {},
  ) {
    this.config = readForestParams(family, task, params);
    this.params = { ...params };
  }

  get nTrees(): number {
    return this.trees.length;
  }

  /** True when the last fit stopped at its deadline with fewer than n_estimators trees. */
  get stoppedEarly(): boolean {
    return this.stoppedByDeadline;
  }

  async fit(X: FeatureMatrix, y: Float64Array, nClasses: number, opts: FitOptions = {}): Promise<void> {
    new FitControl(opts, `${this.family} fit`).throwIfAborted();
    checkFitMatrix(this.family, X, y);
    const data = checkFitData(this.family, this.task, X.rows, X.columns.length, y, nClasses, opts.sampleWeight);
    const rng = new Rng(opts.seed ?? 0);
    const mapper = fitBinMapper(X, { maxBins: this.config.maxBins, seed: rng.nextUint32() });
    await this.grow(mapper, X.features, binMatrix(mapper, X), data, y, nClasses, opts, rng);
  }

  /**
   * Fits on rows that are already binned (a view of the run's shared BinnedStore): the same forest as
   * fit() with `data.mapper`'s thresholds, no Float64 matrix; the trees come out in raw units.
   */
  async fitBinned(data: BinnedMatrix, y: Float64Array, nClasses: number, opts: FitOptions = {}): Promise<void> {
    new FitControl(opts, `${this.family} fit`).throwIfAborted();
    const checked = checkFitData(this.family, this.task, data.rows, data.mapper.nFeatures, y, nClasses, opts.sampleWeight);
    const rng = new Rng(opts.seed ?? 0);
    rng.nextUint32(); // fit()'s threshold-subsample draw: the trees draw the same numbers after it
    await this.grow(data.mapper, data.features, data.codes, checked, y, nClasses, opts, rng);
  }

  private async grow(
    mapper: BinMapper,
    features: FeatureSpec[],
    binned: Uint8Array,
    { n, p, weights }: FitData,
    y: Float64Array,
    nClasses: number,
    opts: FitOptions,
    rng: Rng,
  ): Promise<void> {
    const control = new FitControl(opts, `${this.family} fit`);
    const cfg = this.config;
    const classification = this.task !== 'regression';
    const K = classification ? nClasses : 0;
    const valueDim = classification ? nClasses : 1;
    const builder = new ForestTreeBuilder(binned, n, mapper, y, {
      criterion: cfg.criterion,
      nClasses: K,
      maxDepth: cfg.maxDepth,
      minSamplesSplit: cfg.minSamplesSplit,
      minSamplesLeaf: cfg.minSamplesLeaf,
      maxFeatures: resolveMaxFeatures(cfg.maxFeatures, p),
      extraTrees: this.family === 'extra_trees',
    });

    const draws = cfg.maxSamples === null ? n : Math.max(1, Math.round(cfg.maxSamples * n));
    const bag: Bag = { counts: new Int32Array(n), inBag: new Int32Array(n), rowWeight: new Float64Array(n) };
    const oob: OobTally | null = cfg.bootstrap ? { sum: new Float64Array(n * valueDim), votes: new Int32Array(n), dim: valueDim } : null;
    const importance = new Float64Array(p);
    const splits = new Float64Array(p);
    const trees: FlatTree[] = [];
    let stopped = false;

    for (let t = 0; t < cfg.nEstimators; t++) {
      control.throwIfAborted();
      const treeRng = rng.fork();
      const nIn = drawBag(bag, treeRng, weights, cfg.bootstrap, draws);
      const tree = builder.build(bag.inBag, nIn, bag.rowWeight, treeRng, importance, splits);
      if (oob) tallyOutOfBag(oob, tree, bag.counts, mapper.nBins, binned);
      trees.push(tree.flat);
      opts.onProgress?.({ iteration: t + 1, total: cfg.nEstimators });
      if (t + 1 < cfg.nEstimators && control.pastDeadline()) {
        stopped = true;
        break;
      }
      await control.maybeYield();
    }

    this.nClasses = classification ? nClasses : 0;
    this.valueDim = valueDim;
    this.trees = trees;
    this.predictor = new TreeEnsemblePredictor(trees, new Int32Array(trees.length), valueDim);
    this.featureNames = features.map((f, j) => f?.name ?? `f${j}`);
    this.importanceGain = importance;
    this.importanceSplits = splits;
    this.stoppedByDeadline = stopped;
    this.oob = oob ? this.computeOob(y, oob.sum, oob.votes, valueDim) : null;
  }

  private computeOob(y: Float64Array, sum: Float64Array, votes: Int32Array, dim: number): number | null {
    const truth: number[] = [];
    const pred: number[] = [];
    for (let i = 0; i < votes.length; i++) {
      if (votes[i] === 0) continue;
      truth.push(y[i]);
      if (this.task === 'regression') pred.push(sum[i] / votes[i]);
      else {
        let best = 0;
        for (let k = 1; k < dim; k++) if (sum[i * dim + k] > sum[i * dim + best]) best = k;
        pred.push(best);
      }
    }
    if (truth.length === 0) return null;
    return this.task === 'regression' ? r2(truth, pred) : accuracy(truth, pred);
  }

  /**
   * Out-of-bag score: accuracy (classification) or R² (regression) of each training row predicted by
   * the trees that did not draw it, over the rows at least one tree left out.
   */
  oobScore(): number {
    if (!this.predictor) throw new Error(`${this.family}: the model is not fitted; call fit() first`);
    if (!this.config.bootstrap) throw new Error(`${this.family}: oobScore needs bootstrap=true`);
    if (this.oob === null) throw new Error(`${this.family}: no row was left out of every tree's sample; use more trees for an out-of-bag score`);
    return this.oob;
  }

  private averaged(X: FeatureMatrix): Float64Array {
    if (!this.predictor) throw new Error(`${this.family}: the model is not fitted; call fit() first`);
    checkPredictMatrix(X, this.featureNames, this.family);
    return this.predictor.predict(X, null, 1 / this.trees.length);
  }

  async predict(X: FeatureMatrix): Promise<Float64Array> {
    const avg = this.averaged(X);
    if (this.task === 'regression') return avg;
    const K = this.valueDim;
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (avg[i * K + k] > avg[i * K + best]) best = k;
      out[i] = best;
    }
    return out;
  }

  async predictProba(X: FeatureMatrix): Promise<Float64Array> {
    if (this.task === 'regression') throw new Error(`${this.family}: predictProba is for classification; this model is a regressor`);
    return this.averaged(X);
  }

  /** Mean decrease in impurity per feature, normalised to sum 1, and the number of splits on it. */
  featureImportance(): FeatureImportance[] {
    let total = 0;
    for (const v of this.importanceGain) total += Math.max(0, v);
    return this.featureNames.map((feature, j) => ({
      feature,
      gain: total > 0 ? Math.max(0, this.importanceGain[j]) / total : 0,
      splits: this.importanceSplits[j],
    }));
  }

  toJSON(): SerializedEstimator {
    if (!this.predictor) throw new Error(`${this.family}: cannot serialise a model that is not fitted`);
    const state: ForestState = {
      format: 'sieve-forest-v1',
      featureNames: this.featureNames,
      valueDim: this.valueDim,
      trees: this.trees.map(flatTreeToJSON),
      importanceGain: Array.from(this.importanceGain),
      importanceSplits: Array.from(this.importanceSplits),
      oobScore: this.oob,
    };
    return { family: this.family, task: this.task, params: this.params, nClasses: this.nClasses, state };
  }

  static fromJSON(json: SerializedEstimator): ForestEstimator {
    if (json.family !== 'random_forest' && json.family !== 'extra_trees') {
      throw new Error(`invalid model file: expected a forest family, got '${json.family}'`);
    }
    const s = json.state as ForestState;
    if (!s || s.format !== 'sieve-forest-v1') throw new Error(`invalid model file: unknown forest state format '${s?.format}'`);
    if (!Array.isArray(s.trees) || s.trees.length === 0) throw new Error('invalid model file: a forest needs at least one tree');
    const est = new ForestEstimator(json.family, json.task, json.params);
    const p = s.featureNames.length;
    est.nClasses = json.nClasses;
    est.valueDim = s.valueDim;
    est.trees = s.trees.map((t, i) => {
      const tree = flatTreeFromJSON(t, p, `${json.family} tree ${i}`);
      if (tree.valueDim !== s.valueDim) throw new Error(`invalid model file: ${json.family} tree ${i} has valueDim ${tree.valueDim}, expected ${s.valueDim}`);
      return tree;
    });
    est.predictor = new TreeEnsemblePredictor(est.trees, new Int32Array(est.trees.length), s.valueDim);
    est.featureNames = s.featureNames.slice();
    est.importanceGain = Float64Array.from(s.importanceGain ?? new Array(p).fill(0));
    est.importanceSplits = Float64Array.from(s.importanceSplits ?? new Array(p).fill(0));
    est.oob = s.oobScore ?? null;
    return est;
  }
}
