/**
 * The decision part of `sieve run --json`'s last line (a contract other checks rely on):
 *   calibration: {method, eceBefore, eceAfter, logLossBefore, logLossAfter}            classification
 *   decision: {threshold, positive, costs: {fp, fn[, tp]}, expectedCostPer1000: {tuned, atHalf, ci: [lo, hi]},
 *              confusion, [target: {kind, value, achieved, ci, met}]}                  binary, with costs or a target
 *   costMatrix: {matrix, expectedCostPer1000: {tuned, atArgmax, ci}}                    multiclass, with a cost matrix
 */
import type { DecisionReport } from './decisions.ts';

const round = (v: number, digits = 6) => (Number.isFinite(v) ? Number(v.toFixed(digits)) : v);

export function decisionSummary(result: { decisions: DecisionReport }): Record<string, unknown> {
  const { calibration, binary, multiclass } = result.decisions;
  const out: Record<string, unknown> = {};
  if (calibration) {
    out.calibration = {
      method: calibration.method,
      eceBefore: round(calibration.eceBefore),
      eceAfter: round(calibration.eceAfter),
      logLossBefore: round(calibration.logLossBefore),
      logLossAfter: round(calibration.logLossAfter),
    };
  }
  if (binary) {
    out.decision = {
      threshold: round(binary.threshold),
      positive: binary.positive,
      costs: binary.costs,
      ...(binary.costsAssumed ? { costsAssumed: true } : {}),
      expectedCostPer1000: {
        tuned: round(binary.expectedCostPer1000.tuned, 3),
        atHalf: round(binary.expectedCostPer1000.atHalf, 3),
        ci: binary.expectedCostPer1000.ci.map((v) => round(v, 3)),
      },
      confusion: binary.confusion,
      ...(binary.target
        ? {
            target: {
              kind: binary.target.kind,
              value: binary.target.value,
              achieved: round(binary.target.achieved),
              ci: binary.target.ci.map((v) => round(v)),
              met: binary.target.met,
              metWithinCi: binary.target.metWithinCi,
            },
          }
        : {}),
    };
  }
  if (multiclass) {
    out.costMatrix = {
      matrix: multiclass.costMatrix,
      expectedCostPer1000: {
        tuned: round(multiclass.expectedCostPer1000.tuned, 3),
        atArgmax: round(multiclass.expectedCostPer1000.atArgmax, 3),
        ci: multiclass.expectedCostPer1000.ci.map((v) => round(v, 3)),
      },
    };
  }
  return out;
}
