/**
 * Naive Bayes (models/naive_bayes/predict-plain.ts) in double: the class log priors, plus for each
 * numeric feature the Gaussian log density (skipped where the value is missing), plus for each
 * categorical feature the log probability of its code (a table row per code, a zero row for a
 * missing code), then the row softmax. A row where every class is ruled out (a non-finite maximum)
 * gets 1 / K for every class, as in Sieve.
 */
import type { NaiveBayesState } from '../../models/naive_bayes/predict-plain.ts';
import type { SerializedEstimator } from '../../models/types.ts';
import type { GraphBuilder } from './graph.ts';
import { DT } from './proto.ts';

export function naiveBayesHead(g: GraphBuilder, X: string, est: SerializedEstimator): string {
  const s = est.state as NaiveBayesState;
  const K = s.nClasses;
  const terms: string[] = [];
  if (s.numeric.length) {
    const F = s.numeric.length;
    const cols = g.op(
      'Gather',
      [
        X,
        g.int64(
          'nb_num',
          s.numeric.map((f) => f.feature),
        ),
      ],
      { axis: { int: 1 } },
    );
    const v = g.op('Unsqueeze', [cols, g.int64('axis2', [2])]); // [N, F, 1]
    const mean = s.numeric.flatMap((f) => f.mean);
    const variance = s.numeric.flatMap((f) => f.variance);
    const logNorm = variance.map((x) => -0.5 * Math.log(2 * Math.PI * x));
    const d = g.op('Sub', [v, g.double('nb_mean', mean, [F, K])]);
    const quad = g.op('Div', [g.op('Mul', [g.double('half', [0.5], []), g.op('Mul', [d, d])]), g.double('nb_var', variance, [F, K])]);
    const term = g.op('Sub', [g.double('nb_lognorm', logNorm, [F, K]), quad]);
    const finite = g.op('Not', [g.op('Or', [g.op('IsNaN', [v]), g.op('IsInf', [v])])]);
    const kept = g.op('Where', [finite, term, g.double('zero', [0], [])]);
    terms.push(g.op('ReduceSum', [kept, g.int64('axis1', [1])], { keepdims: { int: 0 } })); // [N, K]
  }
  for (const f of s.categorical) {
    const L = f.nLevels;
    const table = new Float64Array((L + 1) * K); // row L: a missing or unknown code adds nothing
    for (let l = 0; l < L; l++) for (let k = 0; k < K; k++) table[l * K + k] = f.logProb[k * L + l];
    const x = g.op('Gather', [X, g.int64('nb_cat', [f.feature], [])], { axis: { int: 1 } }); // [N]
    const valid = g.op('And', [g.op('GreaterOrEqual', [x, g.double('zero', [0], [])]), g.op('Less', [x, g.double('L', [L], [])])]);
    const code = g.op('Cast', [g.op('Where', [valid, x, g.double('L', [L], [])])], { to: { int: DT.INT64 } });
    terms.push(g.op('Gather', [g.double('nb_logprob', table, [L + 1, K]), code], { axis: { int: 0 } }));
  }
  let scores = g.double('nb_prior', s.classLogPrior, [1, K]);
  for (const t of terms) scores = g.op('Add', [scores, t]);
  const max = g.op('ReduceMax', [scores], { axes: { ints: [1] }, keepdims: { int: 1 } });
  const e = g.op('Exp', [g.op('Sub', [scores, max])]);
  const p = g.op('Div', [e, g.op('ReduceSum', [e, g.int64('axis1', [1])], { keepdims: { int: 1 } })]);
  const ruledOut = g.op('Not', [g.op('And', [g.op('Not', [g.op('IsNaN', [max])]), g.op('Not', [g.op('IsInf', [max])])])]);
  return g.op('Where', [ruledOut, g.double('uniform', [1 / K], []), p]);
}
