/**
 * k-nearest neighbours. The search for candidate neighbours runs on tfjs (a GPU where there is one):
 * every training row is scored 2 q.x - ||x||^2 (one fused matMul per chunk of queries, sized so a
 * chunk's score matrix stays near 4M numbers, 16 MB) and tf.topk keeps the best. The exact float64
 * ranking and the vote of predict-plain.ts then decide among those candidates, with a proof that the
 * float32 search missed nothing (see neighbourVotes), so Sieve's predictions are exactly those of
 * the exported bundle, which searches every row in plain loops.
 *
 * Classification: class probabilities are the (weighted) share of the k neighbours in each class;
 * regression: the (weighted) mean of their targets. Weights are 1 ('uniform') or 1 / distance
 * ('distance'), times each training row's sample weight when one was given at fit. Equal distances
 * go to the earlier training row.
 *
 * Serialised state (`toJSON().state`): the training set itself —
 *   { nFeatures, rows, X: number[rows * nFeatures] (row-major, float32 values), y: number[rows]
 *     (class index or value), sampleWeight: number[rows] | null }
 * A predictor finds the k rows with the smallest sum_j (x_j - q_j)^2 and combines them as above.
 */
import type { FeatureMatrix } from '../../prep/matrix.ts';
import { argmaxRows, checkFeatureCount, checkTargets, denseInput } from '../estimator-input.ts';
import { combineNeighbours, knnModelFromJSON, nearestRows, queryRows, type KnnModel } from './predict-plain.ts';
import { chunkRowsFor } from '../tensor-batches.ts';
import { tf } from '../tf.ts';
import { FitControl } from '../shared/fit-control.ts';
import { ParamReader } from '../shared/param-reader.ts';
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

  private model(): KnnModel {
    const s = this.requireState();
    return {
      nFeatures: s.nFeatures,
      rows: s.rows,
      X: s.X,
      y: s.y,
      sampleWeight: s.sampleWeight,
      k: this.k,
      weighting: this.weighting,
      task: this.task,
      nClasses: this.nClasses,
    };
  }

  /**
   * For each query row: classification → class probabilities (rows * K), regression → value (rows).
   *
   * tfjs ranks every training row by its float32 score 2 q.x - ||x||^2 and keeps the best `kk` as
   * candidates; the exact float64 ranking of predict-plain.ts then picks the k nearest among them.
   * That is the exact answer whenever no other row can be as near as the k-th one, which a bound on
   * the float32 round-off proves (`certified`); the rows it cannot prove (ties, near ties at the
   * boundary) are searched again with 4x the candidates, and with every row at the end. So the
   * result is always exactly knnVotesPlain's, the exported bundle's.
   */
  private async neighbourVotes(Xq: FeatureMatrix): Promise<Float64Array> {
    const s = this.requireState();
    checkFeatureCount('knn', s.nFeatures, Xq);
    const m = this.model();
    const q = queryRows(Xq, s.nFeatures);
    const p = s.nFeatures;
    const k = Math.min(this.k, s.rows);
    const width = this.task === 'regression' ? 1 : this.nClasses;
    const out = new Float64Array(Xq.rows * width);
    const idx = new Int32Array(k);
    const d2 = new Float64Array(k);
    let pending = Int32Array.from({ length: Xq.rows }, (_, i) => i);
    let kk = Math.min(s.rows, k + Math.max(8, k));
    if (kk >= s.rows) {
      for (const i of pending) combineNeighbours(m, idx, d2, nearestRows(m, q, i * p, k, null, idx, d2), out, i * width);
      return out;
    }
    const maxNorm = Math.sqrt(this.maxSquaredNorm(s));
    const { trainT2, negNorms } = tf.tidy(() => {
      const train = tf.tensor2d(s.X, [s.rows, p]);
      // The training matrix is kept transposed ([p, rows]): tfjs-wasm's matMul is several times
      // faster that way than with transposeB.
      return { trainT2: tf.mul(tf.transpose(train), 2) as tf.Tensor2D, negNorms: tf.neg(tf.sum(tf.square(train), 1)) as tf.Tensor1D };
    });
    try {
      while (pending.length > 0) {
        if (kk >= s.rows) {
          for (const i of pending) combineNeighbours(m, idx, d2, nearestRows(m, q, i * p, k, null, idx, d2), out, i * width);
          break;
        }
        const { indices, scores } = await this.candidates(q, pending, p, kk, trainT2, negNorms);
        const unproven: number[] = [];
        pending.forEach((i, r) => {
          const cands = indices.subarray(r * kk, (r + 1) * kk);
          const count = nearestRows(m, q, i * p, k, cands, idx, d2);
          if (certified(q, i * p, p, maxNorm, scores[(r + 1) * kk - 1], d2[count - 1])) combineNeighbours(m, idx, d2, count, out, i * width);
          else unproven.push(i);
        });
        pending = Int32Array.from(unproven);
        kk = Math.min(s.rows, kk * 4);
      }
    } finally {
      trainT2.dispose();
      negNorms.dispose();
    }
    return out;
  }

  private maxSquaredNorm(s: KnnState): number {
    let max = 0;
    for (let r = 0; r < s.rows; r++) {
      let n2 = 0;
      for (let j = 0; j < s.nFeatures; j++) n2 += s.X[r * s.nFeatures + j] ** 2;
      if (n2 > max) max = n2;
    }
    return max;
  }

  /** The kk best-scoring training rows (and their float32 scores, best first) for each query row in `rows`. */
  private async candidates(
    q: Float64Array,
    rows: Int32Array,
    p: number,
    kk: number,
    trainT2: tf.Tensor2D,
    negNorms: tf.Tensor1D,
  ): Promise<{ indices: Int32Array; scores: Float32Array }> {
    const n = rows.length;
    const indices = new Int32Array(n * kk);
    const scores = new Float32Array(n * kk);
    const chunk = chunkRowsFor(this.requireState().rows, this.maxChunkElements);
    for (let start = 0; start < n; start += chunk) {
      const end = Math.min(n, start + chunk);
      const block = new Float32Array((end - start) * p);
      for (let r = start; r < end; r++) for (let j = 0; j < p; j++) block[(r - start) * p + j] = q[rows[r] * p + j];
      const { values, indices: idx } = tf.tidy(() => {
        const Q = tf.tensor2d(block, [end - start, p]);
        return tf.topk(tf.fused.matMul({ a: Q, b: trainT2, bias: negNorms }), kk);
      });
      try {
        scores.set((await values.data()) as Float32Array, start * kk);
        indices.set((await idx.data()) as Int32Array, start * kk);
      } finally {
        values.dispose();
        idx.dispose();
      }
    }
    return { indices, scores };
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
    knnModelFromJSON(json); // validates the state
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

/**
 * Whether the candidates surely hold the exact k nearest rows. A row left out scored at most
 * `worstScore` (the kk-th float32 score); float32 round-off in q.x and ||x||^2 is at most
 * (p + 4) * 2^-24 * (2 |q| |x| + |x|^2) (the standard dot-product bound, doubled for safety, |x| at
 * most maxNorm), so its true squared distance |q|^2 - score is at least
 * |q|^2 - worstScore - bound. If that is still above the k-th candidate's distance, nothing left
 * out can be nearer or tie with it.
 */
function certified(q: Float64Array, off: number, p: number, maxNorm: number, worstScore: number, kthD2: number): boolean {
  let qn2 = 0;
  for (let j = 0; j < p; j++) qn2 += q[off + j] * q[off + j];
  const u = 2 ** -24;
  const bound = 2 * (p + 4) * u * (2 * Math.sqrt(qn2) * maxNorm + maxNorm * maxNorm) + 2 * u * Math.abs(worstScore);
  const leftOutAtLeast = qn2 - worstScore - bound;
  return leftOutAtLeast > kthD2 * (1 + 1e-9) + 1e-300;
}
