/**
 * k-nearest neighbours (models/knn/predict-plain.ts) as ONNX, the same definition step for step:
 *
 * - the query's features rounded to float32 (Cast to float and back), the training rows as the float32
 *   values the model stores;
 * - d2 = sum_j (q_j - x_j)^2 in double, summed feature by feature in ascending order (one Sub, Mul,
 *   Add per feature on [N, M]), so every distance rounds exactly as Sieve's;
 * - the k nearest by TopK (smallest, sorted), which breaks equal distances by the lower index, the
 *   earlier training row, as Sieve does;
 * - weights 1 or 1 / max(sqrt(d2), 1e-6), times the row's sample weight; class shares or the weighted
 *   mean over a total of at least 1e-30.
 *
 * The graph holds every training row (as model.json does) and builds [N, M] tensors for a batch of N
 * rows against M training rows: score large batches in pieces.
 */
import { knnModelFromJSON, MIN_DISTANCE } from '../../models/knn/predict-plain.ts';
import type { SerializedEstimator } from '../../models/types.ts';
import type { GraphBuilder } from './graph.ts';
import { DT } from './proto.ts';

export function knnHead(g: GraphBuilder, X: string, est: SerializedEstimator): string {
  const m = knnModelFromJSON(est);
  const P = m.nFeatures;
  const M = m.rows;
  const k = Math.min(m.k, M);
  const q = g.op('Cast', [g.op('Cast', [X], { to: { int: DT.FLOAT } })], { to: { int: DT.DOUBLE } });
  let d2 = '';
  for (let j = 0; j < P; j++) {
    const qj = g.op('Gather', [q, g.int64('knn_col', [j], [1])], { axis: { int: 1 } }); // [N, 1]
    const xj = new Float64Array(M);
    for (let r = 0; r < M; r++) xj[r] = m.X[r * P + j];
    const d = g.op('Sub', [qj, g.double('knn_x', xj, [1, M])]);
    const sq = g.op('Mul', [d, d]);
    d2 = j === 0 ? sq : g.op('Add', [d2, sq]);
  }
  if (P === 0) throw new Error('a k-nearest-neighbours model without features');
  const [dist, idx] = g.opN('TopK', [d2, g.int64('knn_k', [k], [1])], 2, { axis: { int: 1 }, largest: { int: 0 }, sorted: { int: 1 } });
  let w =
    m.weighting === 'distance'
      ? g.op('Div', [g.double('one', [1], []), g.op('Max', [g.op('Sqrt', [dist]), g.double('knn_min', [MIN_DISTANCE], [])])])
      : g.op('Mul', [dist, g.double('zero', [0], [])]); // shape [N, k]; filled with 1 below
  if (m.weighting !== 'distance') w = g.op('Add', [w, g.double('one', [1], [])]);
  if (m.sampleWeight) w = g.op('Mul', [w, g.op('Gather', [g.double('knn_sw', m.sampleWeight), idx], { axis: { int: 0 } })]);
  const total = g.op('Max', [g.op('ReduceSum', [w, g.int64('axis1', [1])], { keepdims: { int: 1 } }), g.double('knn_tiny', [1e-30], [])]);
  if (m.task === 'regression') {
    const y = g.op('Gather', [g.double('knn_y', m.y), idx], { axis: { int: 0 } });
    return g.op('Div', [g.op('ReduceSum', [g.op('Mul', [w, y]), g.int64('axis1', [1])], { keepdims: { int: 1 } }), total]);
  }
  const cls = g.op('Gather', [g.int64('knn_y', m.y), idx], { axis: { int: 0 } }); // [N, k]
  const classes = g.int64(
    'knn_classes',
    Array.from({ length: m.nClasses }, (_, c) => c),
    [1, 1, m.nClasses],
  );
  const onehot = g.op('Cast', [g.op('Equal', [g.op('Unsqueeze', [cls, g.int64('axis2', [2])]), classes])], { to: { int: DT.DOUBLE } }); // [N, k, K]
  const votes = g.op('ReduceSum', [g.op('Mul', [onehot, g.op('Unsqueeze', [w, g.int64('axis2', [2])])]), g.int64('axis1', [1])], { keepdims: { int: 0 } });
  return g.op('Div', [votes, total]);
}
