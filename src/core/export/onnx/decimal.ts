/**
 * Numbers arrive in model.onnx as float32, but Sieve computes with the double a CSV gives for the
 * written decimal ("-119.83"). For the families whose output moves continuously with the inputs
 * (linear, MLP, naive Bayes, kNN) the graph first takes each float32 value back to the shortest decimal
 * of at most 9 significant digits that rounds to it, which is that written value whenever it had at
 * most 7 significant digits: candidates Round(x * 10^s) / 10^s for the 9 precisions, the first whose
 * float32 rounding is x wins, x itself when none does (NaN, 0, infinities). Without it a float32
 * longitude (error up to 4e-6 degrees) moves a house-price regression by 0.3 and a prediction near zero
 * by far more than 1e-5 relative.
 */
import type { GraphBuilder } from './graph.ts';
import { DT } from './proto.ts';

const PRECISIONS = 9;

/** x: double [N, 1] holding float32 values → double [N, 1], each the shortest decimal that rounds to it. */
export function shortestDecimal(g: GraphBuilder, x: string): string {
  const e = g.op('Floor', [g.op('Div', [g.op('Log', [g.op('Abs', [x])]), g.double('ln10', [Math.LN10], [])])]); // [N, 1]
  const p = g.double(
    'precisions',
    Array.from({ length: PRECISIONS }, (_, i) => i),
    [1, PRECISIONS],
  ); // digits after the first
  const s = g.op('Pow', [g.double('ten', [10], []), g.op('Sub', [p, e])]); // [N, 9]
  const candidates = g.op('Div', [g.op('Round', [g.op('Mul', [x, s])]), s]);
  const back = g.op('Cast', [g.op('Cast', [candidates], { to: { int: DT.FLOAT } })], { to: { int: DT.DOUBLE } });
  const ok = g.op('Cast', [g.op('Equal', [back, x])], { to: { int: DT.INT32 } });
  const first = g.op('ArgMax', [ok], { axis: { int: 1 }, keepdims: { int: 1 }, select_last_index: { int: 0 } }); // [N, 1]
  const chosen = g.op('GatherElements', [candidates, first], { axis: { int: 1 } });
  const any = g.op('Greater', [
    g.op('ReduceMax', [ok], { axes: { ints: [1] }, keepdims: { int: 1 } }),
    g.constant('zero_i32', { type: DT.INT32, dims: [], values: [0] }),
  ]);
  return g.op('Where', [any, chosen, x]);
}
