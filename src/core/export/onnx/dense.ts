/**
 * Linear / logistic models and the MLP as MatMul + Add in double, with Sieve's links
 * (models/linear/predict-plain.ts, models/mlp/predict-plain.ts): identity, logistic → [1 - p, p],
 * softmax; the MLP's hidden layers use ReLU or tanh and its regression output is un-standardised
 * (z * yScale + yMean).
 */
import type { LinearState } from '../../models/linear/predict-plain.ts';
import type { MlpState } from '../../models/mlp/predict-plain.ts';
import type { SerializedEstimator } from '../../models/types.ts';
import type { GraphBuilder } from './graph.ts';
import { binaryPairs, sigmoid, softmaxRows } from './links.ts';

function dense(g: GraphBuilder, X: string, weights: ArrayLike<number>, bias: ArrayLike<number>, inputs: number, outputs: number): string {
  return g.op('Add', [g.op('MatMul', [X, g.double('W', weights, [inputs, outputs])]), g.double('b', bias, [1, outputs])]);
}

export function linearHead(g: GraphBuilder, X: string, est: SerializedEstimator): string {
  const s = est.state as LinearState;
  const z = dense(g, X, s.coef, s.intercept, s.nFeatures, s.outputs);
  if (s.link === 'logistic') return binaryPairs(g, sigmoid(g, z));
  if (s.link === 'softmax') return softmaxRows(g, z);
  return z;
}

export function mlpHead(g: GraphBuilder, X: string, est: SerializedEstimator): string {
  const s = est.state as MlpState;
  let a = X;
  s.layers.forEach((l, i) => {
    a = dense(g, a, l.weights, l.bias, l.inputs, l.outputs);
    if (i < s.layers.length - 1) a = g.op(s.activation === 'relu' ? 'Relu' : 'Tanh', [a]);
  });
  if (s.link === 'sigmoid') return binaryPairs(g, sigmoid(g, a));
  if (s.link === 'softmax') return softmaxRows(g, a);
  return est.task === 'regression' ? g.op('Add', [g.op('Mul', [a, g.double('yScale', [s.yScale], [])]), g.double('yMean', [s.yMean], [])]) : a;
}
