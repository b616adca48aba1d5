/**
 * The boosting loop, one iteration per call: gradients of the loss at the current raw predictions,
 * one tree per output grown on them, raw predictions of the training (and validation) rows updated.
 *
 * Kept apart from the Estimator so that the per-iteration work is a plain synchronous method: V8
 * optimises it after a few calls, whereas hot loops inside the long-running async fit() would run
 * unoptimised for much of a first fit.
 */
import { Rng } from '../../util/random.ts';
import type { FlatTree } from '../trees/flat-tree.ts';
import { chooseFeatures, sampleSortedRows } from '../trees/sampling.ts';
import type { BinMapper } from '../trees/binning.ts';
import { TreeGrower, predictBinned, type BinnedTree, type GrowerParams } from './grower.ts';
import { setLeavesToMedianResidual, type GbdtLoss } from './loss.ts';
import { binnedTreeToFlat } from './predictor.ts';

export interface BoosterData {
  binned: Uint8Array;
  y: Float64Array;
  w: Float64Array | null;
  /** Validation part for early stopping, binned with the same mapper; null without. */
  valid: { binned: Uint8Array; y: Float64Array; w: Float64Array | null } | null;
}

export interface BoosterOptions {
  grower: GrowerParams;
  subsample: number;
  colsample: number;
}

export class Booster {
  readonly nOutputs: number;
  readonly baseline: Float64Array;
  readonly trees: FlatTree[] = [];
  readonly gainByFeature: Float64Array;
  readonly splitsByFeature: Float64Array;
  readonly grower: TreeGrower;
  private readonly n: number;
  private readonly nValid: number;
  /** Raw predictions, class-major: raw[k * n + i]. */
  private readonly raw: Float64Array;
  private readonly rawValid: Float64Array;
  private readonly g: Float64Array;
  private readonly h: Float64Array;
  private readonly features: Int32Array;
  private readonly nActive: number;
  private readonly sample: Int32Array | null;
  private readonly sampleRng: Rng;
  private readonly featureRng: Rng;

  constructor(
    private readonly mapper: BinMapper,
    private readonly data: BoosterData,
    private readonly loss: GbdtLoss,
    private readonly opts: BoosterOptions,
    seed: number,
  ) {
    const n = data.y.length;
    const p = mapper.nFeatures;
    const K = loss.nOutputs;
    this.n = n;
    this.nOutputs = K;
    this.nValid = data.valid ? data.valid.y.length : 0;
    this.baseline = loss.baseline(data.y, data.w);
    this.raw = new Float64Array(K * n);
    this.rawValid = new Float64Array(K * this.nValid);
    for (let k = 0; k < K; k++) {
      this.raw.fill(this.baseline[k], k * n, (k + 1) * n);
      this.rawValid.fill(this.baseline[k], k * this.nValid, (k + 1) * this.nValid);
    }
    this.g = new Float64Array(K * n);
    this.h = new Float64Array(K * n);
    this.grower = new TreeGrower(data.binned, n, mapper.nBins, mapper.isCategorical, opts.grower, loss.constantHessian);
    this.features = new Int32Array(p);
    this.nActive = Math.max(1, Math.ceil(opts.colsample * p));
    this.sample = opts.subsample < 1 ? new Int32Array(Math.max(1, Math.round(opts.subsample * n))) : null;
    const rng = new Rng(seed);
    this.sampleRng = rng.fork();
    this.featureRng = rng.fork();
    this.gainByFeature = new Float64Array(p);
    this.splitsByFeature = new Float64Array(p);
  }

  /** Validation loss at the current predictions (NaN without a validation part). */
  validationLoss(): number {
    const v = this.data.valid;
    return v ? this.loss.loss(v.y, this.rawValid, v.w) : NaN;
  }

  /** Adds one iteration: nOutputs trees. */
  iterate(): void {
    const { n, loss, data, grower } = this;
    const K = this.nOutputs;
    loss.gradients(data.y, this.raw, data.w, this.g, this.h);
    const sample = this.sample;
    if (sample) sampleSortedRows(n, sample.length, this.sampleRng, sample);
    for (let k = 0; k < K; k++) {
      chooseFeatures(this.mapper.nFeatures, this.nActive, this.featureRng, this.features);
      const gk = this.g.subarray(k * n, (k + 1) * n);
      const hk = loss.constantHessian ? null : this.h.subarray(k * n, (k + 1) * n);
      const tree = grower.grow(gk, hk, sample, this.features, this.nActive);
      const rawK = this.raw.subarray(k * n, (k + 1) * n);
      const leafIds = this.recordImportance(tree);
      if (loss.name === 'absolute_error' || loss.name === 'quantile') {
        const alpha = loss.name === 'quantile' ? (loss as GbdtLoss & { alpha: number }).alpha : undefined;
        setLeavesToMedianResidual(tree, leafIds, grower.rows, data.y, rawK, data.w, this.opts.grower.learningRate, alpha);
      }
      if (sample) predictBinned(tree, data.binned, n, this.raw, k * n);
      else addLeafValues(tree, leafIds, grower.rows, rawK);
      if (data.valid) predictBinned(tree, data.valid.binned, this.nValid, this.rawValid, k * this.nValid);
      this.trees.push(binnedTreeToFlat(tree, this.mapper));
    }
  }

  private recordImportance(tree: BinnedTree): number[] {
    const leafIds: number[] = [];
    for (let id = 0; id < tree.nNodes; id++) {
      const f = tree.feature[id];
      if (f < 0) leafIds.push(id);
      else {
        this.gainByFeature[f] += tree.gain[id];
        this.splitsByFeature[f] += 1;
      }
    }
    return leafIds;
  }
}

/** Every training row sits in exactly one leaf's row range: add the leaf values without traversal. */
function addLeafValues(tree: BinnedTree, leafIds: number[], rows: Int32Array, raw: Float64Array): void {
  for (const id of leafIds) {
    const v = tree.value[id];
    const end = tree.rowEnd[id];
    for (let q = tree.rowStart[id]; q < end; q++) raw[rows[q]] += v;
  }
}
