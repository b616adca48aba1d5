/**
 * How a classifier's (calibrated) probabilities become a label, when the user's goal says something
 * other than "the most probable class":
 *
 *   binary:      { positive, threshold }: the positive class when P(positive) ≥ threshold, else the other
 *   multiclass:  { costMatrix }: the class with the least expected cost, costMatrix[true][predicted]
 *
 * Travels inside the model (FinalModel, the bundle's model.json), so the page, predict.mjs, serve.mjs
 * and `sieve predict` all label rows the same way.
 */
export type DecisionRuleJSON = { positive: number; threshold: number } | { costMatrix: number[][] };

/** Class index per row (rows × K probabilities in, rows out). */
export function decideLabels(rule: DecisionRuleJSON, proba: Float64Array, K: number): Float64Array {
  const n = proba.length / K;
  const out = new Float64Array(n);
  if ('threshold' in rule) {
    const other = rule.positive === 0 ? 1 : 0;
    for (let i = 0; i < n; i++) out[i] = proba[i * K + rule.positive] >= rule.threshold ? rule.positive : other;
    return out;
  }
  const C = rule.costMatrix;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestCost = Infinity;
    for (let j = 0; j < K; j++) {
      let cost = 0;
      for (let k = 0; k < K; k++) cost += proba[i * K + k] * C[k][j];
      if (cost < bestCost) {
        bestCost = cost;
        best = j;
      }
    }
    out[i] = best;
  }
  return out;
}

/** Checks a rule read from a file: the right shape for K classes, finite numbers. */
export function checkDecisionRule(rule: unknown, K: number): DecisionRuleJSON {
  const r = rule as Record<string, unknown>;
  if (r && typeof r === 'object' && 'threshold' in r) {
    if (K !== 2 || !(r.positive === 0 || r.positive === 1) || typeof r.threshold !== 'number' || !Number.isFinite(r.threshold)) {
      throw new Error('the decision threshold needs a binary model, a positive class 0 or 1 and a finite threshold');
    }
    return { positive: r.positive, threshold: r.threshold };
  }
  const m = r?.costMatrix;
  if (
    !Array.isArray(m) ||
    m.length !== K ||
    !m.every((row) => Array.isArray(row) && row.length === K && row.every((v) => typeof v === 'number' && Number.isFinite(v)))
  ) {
    throw new Error(`the cost matrix must be ${K} × ${K} finite numbers`);
  }
  return { costMatrix: m.map((row) => [...row]) };
}
