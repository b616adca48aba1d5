/** Output links in double: P(class 1) to [1 - p, p] pairs, and a row softmax shifted by the row maximum, as Sieve computes them. */
import type { GraphBuilder } from './graph.ts';

/** [N, 1] probabilities of class 1 → [N, 2]: [1 - p, p]. */
export function binaryPairs(g: GraphBuilder, p: string): string {
  return g.op('Concat', [g.op('Sub', [g.double('one', [1], []), p]), p], { axis: { int: 1 } });
}

/**
 * Sieve's logistic: 1 / (1 + e^-z) for z >= 0, e^z / (1 + e^z) below. Written out rather than ONNX
 * Sigmoid: ONNX Runtime computes 1 - 1 / (1 + e^-|z|) for z < 0, which loses the relative precision
 * of small probabilities (1e-5 at p = 1e-11).
 */
export function sigmoid(g: GraphBuilder, z: string): string {
  const e = g.op('Exp', [g.op('Neg', [g.op('Abs', [z])])]);
  const onePlus = g.op('Add', [g.double('one', [1], []), e]);
  const pos = g.op('Div', [g.double('one', [1], []), onePlus]);
  const neg = g.op('Div', [e, onePlus]);
  return g.op('Where', [g.op('GreaterOrEqual', [z, g.double('zero', [0], [])]), pos, neg]);
}

/** exp(z - max) / sum per row, over axis 1 of [N, K]. */
export function softmaxRows(g: GraphBuilder, z: string): string {
  const max = g.op('ReduceMax', [z], { axes: { ints: [1] }, keepdims: { int: 1 } });
  const e = g.op('Exp', [g.op('Sub', [z, max])]);
  const sum = g.op('ReduceSum', [e, g.int64('axis1', [1])], { keepdims: { int: 1 } });
  return g.op('Div', [e, sum]);
}
