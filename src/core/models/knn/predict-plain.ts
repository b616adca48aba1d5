/**
 * k-nearest-neighbour prediction in plain float64 loops: the definition both Sieve and an exported
 * bundle follow, so the two agree exactly.
 *
 * - Features are the float32 values the state stores (training rows) and the query's features rounded
 *   to float32 (Math.fround), as the tfjs search sees them.
 * - Distance: d2 = sum_j (q_j - x_j)^2 in float64, j ascending.
 * - The k nearest are the k smallest (d2, training row index) pairs: equal distances go to the
 *   earlier training row, so ties are decided the same way everywhere.
 * - Weights: 1 ('uniform') or 1 / max(sqrt(d2), 1e-6) ('distance'), times the row's sample weight;
 *   classification gives each class its share of the total weight (nearest neighbour first),
 *   regression the weighted mean of the targets.
 *
 * The estimator finds candidate neighbours with tfjs (fast on a GPU) and then ranks and combines
 * them with these functions; the bundle searches every row (knnVotesPlain).
 */
import type { FeatureMatrix } from '../../prep/matrix.ts';
import type { PlainPredictor } from '../prediction-math.ts';
import type { SerializedEstimator, Task } from '../types.ts';

/** Distances below this count as exact matches (1/d weights would overflow). */
export const MIN_DISTANCE = 1e-6;

export interface KnnModel {
  nFeatures: number;
  rows: number;
  /** Training rows, row-major (rows * nFeatures), float32 values. */
  X: ArrayLike<number>;
  y: Float64Array;
  sampleWeight: Float64Array | null;
  k: number;
  weighting: 'uniform' | 'distance';
  task: Task;
  /** 0 for regression. */
  nClasses: number;
}

/** The query matrix row-major with float32-rounded values; a missing value is the usual clear error. */
export function queryRows(X: FeatureMatrix, nFeatures: number): Float64Array {
  if (X.features.length !== nFeatures) throw new Error(`knn: the model was fitted on ${nFeatures} features, got ${X.features.length}`);
  const n = X.rows;
  const out = new Float64Array(n * nFeatures);
  for (let j = 0; j < nFeatures; j++) {
    const col = X.columns[j];
    for (let i = 0; i < n; i++) {
      const v = col[i];
      if (!Number.isFinite(v)) {
        throw new Error(
          `knn: feature "${X.features[j].name}" is ${Number.isNaN(v) ? 'missing' : v} in row ${i + 1}; ` +
            'this family needs imputed numeric features (fit its pipeline with needs {categorical: "onehot", scale: true})',
        );
      }
      out[i * nFeatures + j] = Math.fround(v);
    }
  }
  return out;
}

export function squaredDistance(X: ArrayLike<number>, row: number, q: Float64Array, qOffset: number, p: number): number {
  let d2 = 0;
  const base = row * p;
  for (let j = 0; j < p; j++) {
    const d = q[qOffset + j] - X[base + j];
    d2 += d * d;
  }
  return d2;
}

/**
 * The k nearest training rows to query q (at qOffset) among `candidates` (every row when null),
 * sorted by (d2, index), into idx/d2. Returns how many were found (min(k, candidates)).
 */
export function nearestRows(
  m: KnnModel,
  q: Float64Array,
  qOffset: number,
  k: number,
  candidates: ArrayLike<number> | null,
  idx: Int32Array,
  d2: Float64Array,
): number {
  let count = 0;
  const total = candidates ? candidates.length : m.rows;
  for (let c = 0; c < total; c++) {
    const row = candidates ? candidates[c] : c;
    const d = squaredDistance(m.X, row, q, qOffset, m.nFeatures);
    if (count === k && (d > d2[k - 1] || (d === d2[k - 1] && row > idx[k - 1]))) continue;
    // Insertion into the sorted list (k is small).
    let pos = count < k ? count++ : k - 1;
    while (pos > 0 && (d2[pos - 1] > d || (d2[pos - 1] === d && idx[pos - 1] > row))) {
      d2[pos] = d2[pos - 1];
      idx[pos] = idx[pos - 1];
      pos--;
    }
    d2[pos] = d;
    idx[pos] = row;
  }
  return count;
}

/** Class shares (classification, nClasses numbers) or the weighted mean (regression) into out[offset..]. */
export function combineNeighbours(m: KnnModel, idx: Int32Array, d2: Float64Array, count: number, out: Float64Array, offset: number): void {
  const w = new Float64Array(count);
  let total = 0;
  for (let t = 0; t < count; t++) {
    let wt = m.weighting === 'distance' ? 1 / Math.max(Math.sqrt(d2[t]), MIN_DISTANCE) : 1;
    if (m.sampleWeight) wt *= m.sampleWeight[idx[t]];
    w[t] = wt;
    total += wt;
  }
  total = Math.max(total, 1e-30);
  if (m.task === 'regression') {
    let s = 0;
    for (let t = 0; t < count; t++) s += w[t] * m.y[idx[t]];
    out[offset] = s / total;
    return;
  }
  for (let c = 0; c < m.nClasses; c++) out[offset + c] = 0;
  for (let t = 0; t < count; t++) out[offset + m.y[idx[t]]] += w[t];
  for (let c = 0; c < m.nClasses; c++) out[offset + c] /= total;
}

/** Votes of every query row by searching all training rows: rows * nClasses, or rows for regression. */
export function knnVotesPlain(m: KnnModel, Xq: FeatureMatrix): Float64Array {
  const q = queryRows(Xq, m.nFeatures);
  const k = Math.min(m.k, m.rows);
  const width = m.task === 'regression' ? 1 : m.nClasses;
  const out = new Float64Array(Xq.rows * width);
  const idx = new Int32Array(k);
  const d2 = new Float64Array(k);
  for (let i = 0; i < Xq.rows; i++) {
    const count = nearestRows(m, q, i * m.nFeatures, k, null, idx, d2);
    combineNeighbours(m, idx, d2, count, out, i * width);
  }
  return out;
}

interface KnnJSONState {
  nFeatures: number;
  rows: number;
  X: number[];
  y: number[];
  sampleWeight: number[] | null;
}

/** The model's settings from its serialised form, with the same defaults and checks as the estimator. */
export function knnModelFromJSON(json: SerializedEstimator): KnnModel {
  const s = json.state as KnnJSONState;
  if (!s || !Array.isArray(s.X) || !Array.isArray(s.y) || s.X.length !== s.rows * s.nFeatures || s.y.length !== s.rows) {
    throw new Error('knn: malformed model state');
  }
  const k = Number(json.params?.n_neighbors ?? 5);
  const weighting = String(json.params?.weights ?? 'uniform');
  if (!(Number.isInteger(k) && k >= 1)) throw new Error(`knn: n_neighbors=${String(json.params?.n_neighbors)} is invalid in the model file`);
  if (weighting !== 'uniform' && weighting !== 'distance') throw new Error(`knn: weights="${weighting}" is invalid in the model file`);
  const nClasses = json.task === 'regression' ? 0 : json.nClasses;
  if (json.task !== 'regression') {
    for (const c of s.y) if (!(Number.isInteger(c) && c >= 0 && c < nClasses)) throw new Error('knn: malformed model state (class index out of range)');
  }
  return {
    nFeatures: s.nFeatures,
    rows: s.rows,
    X: Float32Array.from(s.X),
    y: Float64Array.from(s.y),
    sampleWeight: s.sampleWeight ? Float64Array.from(s.sampleWeight) : null,
    k,
    weighting,
    task: json.task,
    nClasses,
  };
}

export function knnPlainPredictor(json: SerializedEstimator): PlainPredictor {
  const m = knnModelFromJSON(json);
  return { family: 'knn', task: m.task, nClasses: m.nClasses, predict: (X) => knnVotesPlain(m, X) };
}
