/**
 * k-nearest neighbours on tfjs: squared Euclidean distances as ||q||^2 + ||x||^2 - 2 q.x (one matMul
 * per chunk of queries), then tf.topk for the k smallest (as the k largest of 2 q.x - ||x||^2). Queries go in chunks sized so a chunk's
 * distance matrix stays near 4M numbers (16 MB), whatever the training set size.
 *
 * Classification: class probabilities are the (weighted) share of the k neighbours in each class;
 * regression: the (weighted) mean of their targets. Weights are 1 ('uniform') or 1 / distance
 * ('distance'), times each training row's sample weight when one was given at fit.
 *
 * Serialised state (`toJSON().state`): the training set itself —
 *   { nFeatures, rows, X: number[rows * nFeatures] (row-major, float32 values), y: number[rows]
 *     (class index or value), sampleWeight: number[rows] | null }
 * A predictor finds the k rows with the smallest sum_j (x_j - q_j)^2 and combines them as above.
 */
import type { FeatureMatrix } from '../../prep/matrix.ts';
import { argmaxRows, checkFeatureCount, checkTargets, denseInput } from '../estimator-input.ts';
import { chunkRowsFor } from '../tensor-batches.ts';
import { tf } from '../tf.ts';
import { FitControl } from '../trees/fit-control.ts';
import { ParamReader } from '../trees/params.ts';
import type { Estimator, FitOptions, Params, SerializedEstimator, Task } from '../types.ts';
import { KNN_DEFAULTS } from './space.ts';

export interface KnnState {
  nFeatures: number;
  rows: number;
  X: Float32Array;
  y: Float64Array;
  sampleWeight: Float64Array | null;
}

interface KnnJSONState {
  nFeatures: number;
  rows: number;
  X: number[];
  y: number[];
  sampleWeight: number[] | null;
}

/** Distances below this count as exact matches (1/d weights would overflow). */
const MIN_DISTANCE = 1e-6;

export class KnnEstimator implements Estimator {
  readonly family = 'knn' as const;
  readonly params: Params;
  private readonly k: number;
  private readonly weighting: 'uniform' | 'distance';
  private state: KnnState | null = null;
  private nClasses = 0;

  /**
   * `maxChunkElements` bounds the distance matrix of one chunk of queries (rows x training rows);
   * tests lower it to cross chunk boundaries on tiny data.
   */
  constructor(
    readonly task: Task,
    params: Params = {},
    private readonly maxChunkElements = 1 << 22,
  ) {
    const r = new ParamReader('knn', params, KNN_DEFAULTS);
    this.k = r.int('n_neighbors', 1, 10_000);
    this.weighting = r.choice('weights', ['uniform', 'distance'] as const);
    this.params = r.resolved();
  }

  async fit(X: FeatureMatrix, y: Float64Array, nClasses: number, opts: FitOptions = {}): Promise<void> {
    checkTargets('knn', this.task, X, y, nClasses);
    new FitControl(opts, 'knn fit').throwIfAborted();
    let sampleWeight: Float64Array | null = null;
    if (opts.sampleWeight) {
      if (opts.sampleWeight.length !== X.rows) throw new Error(`knn: ${opts.sampleWeight.length} sample weights for ${X.rows} rows`);
      sampleWeight = Float64Array.from(opts.sampleWeight);
    }
    this.nClasses = this.task === 'regression' ? 0 : nClasses;
    this.state = { nFeatures: X.features.length, rows: X.rows, X: denseInput(X, 'knn'), y: Float64Array.from(y), sampleWeight };
  }

  private requireState(): KnnState {
    if (!this.state) throw new Error('knn: predict called before fit');
    return this.state;
  }

  /**
   * For each query row: classification → class probabilities (rows * K), regression → value (rows).
   */
  private async neighbourVotes(Xq: FeatureMatrix): Promise<Float64Array> {
    const s = this.requireState();
    checkFeatureCount('knn', s.nFeatures, Xq);
    const q = denseInput(Xq, 'knn');
    const p = s.nFeatures;
    const k = Math.min(this.k, s.rows);
    const K = this.nClasses;
    const width = this.task === 'regression' ? 1 : K;
    const out = new Float64Array(Xq.rows * width);
    const chunk = chunkRowsFor(s.rows, this.maxChunkElements);

    // Ranking needs only 2 q.x - ||x||^2 (||q||^2 is the same for every candidate of a query), one
    // fused matMul + bias. The training matrix is kept transposed ([p, rows]): tfjs-wasm's matMul is
    // several times faster that way than with transposeB.
    const { trainT2, negNorms } = tf.tidy(() => {
      const train = tf.tensor2d(s.X, [s.rows, p]);
      return { trainT2: tf.mul(tf.transpose(train), 2) as tf.Tensor2D, negNorms: tf.neg(tf.sum(tf.square(train), 1)) as tf.Tensor1D };
    });
    const targets = this.task === 'regression' ? tf.tensor1d(Float32Array.from(s.y)) : tf.tensor1d(Int32Array.from(s.y), 'int32');
    const rowWeights = s.sampleWeight ? tf.tensor1d(Float32Array.from(s.sampleWeight)) : null;
    try {
      for (let start = 0; start < Xq.rows; start += chunk) {
        const end = Math.min(Xq.rows, start + chunk);
        const votes = tf.tidy(() => {
          const Q = tf.tensor2d(q.subarray(start * p, end * p), [end - start, p]);
          const score = tf.fused.matMul({ a: Q, b: trainT2, bias: negNorms });
          const { values, indices } = tf.topk(score, k);
          let w: tf.Tensor2D;
          if (this.weighting === 'distance') {
            // Squared distance = ||q||^2 - score; clamp the float round-off below zero.
            const d2 = tf.relu(tf.sub(tf.sum(tf.square(Q), 1, true), values));
            w = tf.div(1, tf.maximum(tf.sqrt(d2), MIN_DISTANCE)) as tf.Tensor2D;
          } else w = tf.onesLike(values) as tf.Tensor2D;
          if (rowWeights) w = tf.mul(w, tf.gather(rowWeights, indices)) as tf.Tensor2D;
          const total = tf.maximum(tf.sum(w, 1, true), 1e-30);
          if (this.task === 'regression') return tf.div(tf.sum(tf.mul(w, tf.gather(targets, indices)), 1, true), total);
          const onehot = tf.oneHot(tf.gather(targets, indices) as unknown as tf.Tensor2D, K); // [rows, k, K]
          return tf.div(tf.sum(tf.mul(onehot, tf.expandDims(w, 2)), 1), total);
        });
        try {
          out.set(await votes.data(), start * width);
        } finally {
          votes.dispose();
        }
      }
    } finally {
      trainT2.dispose();
      negNorms.dispose();
      targets.dispose();
      rowWeights?.dispose();
    }
    return out;
  }

  async predict(X: FeatureMatrix): Promise<Float64Array> {
    const votes = await this.neighbourVotes(X);
    return this.task === 'regression' ? votes : argmaxRows(votes, this.nClasses);
  }

  async predictProba(X: FeatureMatrix): Promise<Float64Array> {
    if (this.task === 'regression') throw new Error('knn: predictProba is for classification');
    return this.neighbourVotes(X);
  }

  toJSON(): SerializedEstimator {
    const s = this.requireState();
    const state: KnnJSONState = {
      nFeatures: s.nFeatures,
      rows: s.rows,
      X: Array.from(s.X),
      y: Array.from(s.y),
      sampleWeight: s.sampleWeight ? Array.from(s.sampleWeight) : null,
    };
    return { family: 'knn', task: this.task, params: this.params, nClasses: this.nClasses, state };
  }

  static fromJSON(json: SerializedEstimator): KnnEstimator {
    if (json.family !== 'knn') throw new Error(`not a knn model (family "${json.family}")`);
    const s = json.state as KnnJSONState;
    if (!s || s.X.length !== s.rows * s.nFeatures || s.y.length !== s.rows) throw new Error('knn: malformed model state');
    const est = new KnnEstimator(json.task, json.params);
    est.nClasses = json.nClasses;
    est.state = {
      nFeatures: s.nFeatures,
      rows: s.rows,
      X: Float32Array.from(s.X),
      y: Float64Array.from(s.y),
      sampleWeight: s.sampleWeight ? Float64Array.from(s.sampleWeight) : null,
    };
    return est;
  }
}
