/**
 * Which family the search samples a new configuration of: probability ∝ exp(−gap / 0.01) / √cost,
 * where gap is the family's best loss behind the best of all (relative) and cost its mean trial
 * time. The families closest to the best score get most trials, cheap ones a little more, hopeless
 * ones almost none; a family that failed everywhere, or whose next trial would not report before the
 * search ends, gets none.
 */
import type { FamilyName } from '../models/types.ts';
import type { Rng } from '../util/random.ts';
import type { CostModel } from './cost-model.ts';
import { trialCost, type TrialLedger } from './trial-ledger.ts';

export interface FamilyChoice {
  /** A large table (a holdout): trials at any rung count (its families may not have reached full rows). */
  anyRung: boolean;
  /** The row share the family's next trial would run on. */
  nextFidelity(family: FamilyName): number;
  secondsLeft: number;
  /** Measured trial times as the cost (off in reproducible runs: the static cost model). */
  useMeasuredTimes: boolean;
  rng: Rng;
}

export function pickFamily(families: readonly FamilyName[], ledger: TrialLedger, costs: CostModel, c: FamilyChoice): FamilyName | null {
  const candidates: { f: FamilyName; loss: number; cost: number }[] = [];
  let globalBest = Infinity;
  for (const f of families) {
    const rs = ledger.all().filter((r) => r.spec.family === f && (c.anyRung || r.spec.fidelity >= 1) && r.result);
    const ok = rs.filter((r) => r.result!.status === 'ok');
    if (ok.length === 0) continue;
    if (costs.expectedSeconds(f, c.nextFidelity(f)) > c.secondsLeft) continue;
    const loss = Math.min(...ok.map((r) => ledger.lossOf(r)));
    const measured = ok.reduce((a, r) => a + trialCost(r.result!), 0) / ok.length;
    const cost = c.useMeasuredTimes ? Math.max(0.05, measured) : Math.max(0.05, costs.staticSeconds(f));
    candidates.push({ f, loss, cost });
    globalBest = Math.min(globalBest, loss);
  }
  if (candidates.length === 0) return null;
  const scale = Math.abs(globalBest) > 1e-9 ? Math.abs(globalBest) : 1;
  const weights = candidates.map((x) => Math.exp(-((x.loss - globalBest) / scale) / 0.01) / Math.sqrt(x.cost));
  const total = weights.reduce((a, b) => a + b, 0);
  let r = c.rng.next() * total;
  for (let i = 0; i < candidates.length; i++) {
    r -= weights[i];
    if (r <= 0) return candidates[i].f;
  }
  return candidates[candidates.length - 1].f;
}
