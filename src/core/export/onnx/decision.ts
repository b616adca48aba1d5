/**
 * The model's calibration and decision rule in ONNX operators, computed as Sieve's runtime computes
 * them (eval/calibration.ts, eval/decision-rule.ts), in double:
 *
 *   Platt (binary):      σ(a · log(c / (1 − c)) + b), c = P(class 1) clipped to [1e-12, 1 − 1e-12], then clipped to [1e-4, 1 − 1e-4]
 *   temperature:         softmax(log(max(p, 1e-300)) / T) per row
 *   isotonic:            y0 + Σ slope_i · (min(max(p, x_i), x_{i+1}) − x_i), the same piecewise-linear curve
 *                        (one per class and rows renormalised for multiclass), clipped to [1e-4, 1 − 1e-4]
 *   threshold:           the positive class where P(positive) ≥ t, else the other
 *   cost matrix:         argmin over predicted classes of P · C (the first on a tie)
 */
import type { CalibratorJSON } from '../../eval/calibration.ts';
import type { DecisionRuleJSON } from '../../eval/decision-rule.ts';
import type { GraphBuilder } from './graph.ts';
import { binaryPairs, sigmoid, softmaxRows } from './links.ts';

const EPS = 1e-4;

function column(g: GraphBuilder, proba: string, k: number): string {
  return g.op('Gather', [proba, g.int64('col', [k])], { axis: { int: 1 } });
}

function clip(g: GraphBuilder, x: string, lo: number, hi: number): string {
  return g.op('Clip', [x, g.double('lo', [lo], []), g.double('hi', [hi], [])]);
}

/** [N, 1] → [N, 1]: the isotonic curve at each value. */
function isotonicCurve(g: GraphBuilder, v: string, curve: { x: number[]; y: number[] }): string {
  const { x, y } = curve;
  if (x.length === 0) return v;
  if (x.length === 1) return g.op('Add', [g.op('Mul', [v, g.double('zero', [0], [])]), g.double('y0', [y[0]], [])]);
  const lo = x.slice(0, -1);
  const hi = x.slice(1);
  const slope = lo.map((l, i) => (y[i + 1] - y[i]) / (hi[i] - l));
  const clamped = g.op('Max', [g.op('Min', [v, g.double('hi', hi, [hi.length])]), g.double('lo', lo, [lo.length])]);
  const rise = g.op('Mul', [g.op('Sub', [clamped, g.double('lo', lo, [lo.length])]), g.double('slope', slope, [slope.length])]);
  const sum = g.op('ReduceSum', [rise, g.int64('axis1', [1])], { keepdims: { int: 1 } });
  return g.op('Add', [sum, g.double('y0', [y[0]], [])]);
}

/** Calibrated [N, K] probabilities from blended ones (unchanged without a calibrator). */
export function calibrateOnnx(g: GraphBuilder, proba: string, cal: CalibratorJSON | undefined, K: number): string {
  if (!cal || cal.method === 'none') return proba;
  if (cal.method === 'platt' && 'a' in cal) {
    const c = clip(g, column(g, proba, 1), 1e-12, 1 - 1e-12);
    const z = g.op('Log', [g.op('Div', [c, g.op('Sub', [g.double('one', [1], []), c])])]);
    const q = sigmoid(g, g.op('Add', [g.op('Mul', [z, g.double('a', [cal.a], [])]), g.double('b', [cal.b], [])]));
    return binaryPairs(g, clip(g, q, EPS, 1 - EPS));
  }
  if (cal.method === 'platt') {
    const logp = g.op('Log', [g.op('Max', [proba, g.double('tiny', [1e-300], [])])]);
    return softmaxRows(g, g.op('Div', [logp, g.double('temperature', [cal.temperature], [])]));
  }
  if (K === 2) return binaryPairs(g, clip(g, isotonicCurve(g, column(g, proba, 1), cal.curves[0]), EPS, 1 - EPS));
  const cols = cal.curves.map((curve, k) => clip(g, isotonicCurve(g, column(g, proba, k), curve), EPS, 1 - EPS));
  const joined = g.op('Concat', cols, { axis: { int: 1 } });
  return g.op('Div', [joined, g.op('ReduceSum', [joined, g.int64('axis1', [1])], { keepdims: { int: 1 } })]);
}

/** [N] int64 class indices: the decision rule's, or the most probable class (the first on a tie). */
export function decideOnnx(g: GraphBuilder, proba: string, rule: DecisionRuleJSON | undefined): string {
  if (!rule) return g.op('ArgMax', [proba], { axis: { int: 1 }, keepdims: { int: 0 }, select_last_index: { int: 0 } });
  if ('threshold' in rule) {
    const flagged = g.op('GreaterOrEqual', [column(g, proba, rule.positive), g.double('threshold', [rule.threshold], [])]);
    const idx = g.op('Where', [flagged, g.int64('positive', [rule.positive]), g.int64('negative', [rule.positive === 0 ? 1 : 0])]);
    return g.op('Reshape', [idx, g.int64('flat', [-1])]);
  }
  const K = rule.costMatrix.length;
  const expected = g.op('MatMul', [proba, g.double('costs', rule.costMatrix.flat(), [K, K])]);
  return g.op('ArgMin', [expected], { axis: { int: 1 }, keepdims: { int: 0 }, select_last_index: { int: 0 } });
}
