/**
 * What the Compare step's threshold slider shows, from the test split's score bins (run-summary's
 * decisions.binary.scoreBins): the confusion matrix and expected cost per 1,000 cases at threshold j/100.
 */
import type { BinaryDecisionReport } from '../../core/automl/decisions.ts';
import { costPer1000, type Confusion } from '../../core/eval/threshold.ts';

/** The confusion at threshold j/100: rows with P(positive) ≥ j/100 (bins j…99) are flagged. */
export function confusionAtBin(bins: BinaryDecisionReport['scoreBins'], j: number): Confusion {
  let tp = 0;
  let fp = 0;
  let P = 0;
  let N = 0;
  for (let b = 0; b < 100; b++) {
    P += bins.pos[b];
    N += bins.neg[b];
    if (b >= j) {
      tp += bins.pos[b];
      fp += bins.neg[b];
    }
  }
  return { tp, fp, fn: P - tp, tn: N - fp };
}

export function costAtBin(report: BinaryDecisionReport, j: number): number {
  return costPer1000(confusionAtBin(report.scoreBins, j), report.costs);
}

/** "1,234.5" with at most one decimal. */
export function formatCost(v: number): string {
  return Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: 1 }) : '—';
}
