/**
 * Successive halving's promotion rule (asynchronous, as ASHA): the best 1/eta of a rung's trials go
 * up one rung, to more rows, as soon as that many have reported. On a large table (a holdout) few
 * trials run, so the best of a rung goes up as soon as it reports. A trial is promoted once, never
 * past the rung its matrix fits in memory, and never when it would not report before the search ends.
 */
import type { FamilyName } from '../models/types.ts';
import { configKey } from '../search/space.ts';
import type { CostModel } from './cost-model.ts';
import type { EvaluationPlan } from './plan.ts';
import type { TrialLedger } from './trial-ledger.ts';
import type { FeatureSetName, TrialSpec } from './types.ts';

export type TrialDraft = Omit<TrialSpec, 'id' | 'deadline' | 'seed'>;

export interface PromotionState {
  plan: EvaluationPlan;
  ledger: TrialLedger;
  costs: CostModel;
  /** The feature set trials run on now: only its trials are promoted. */
  featureSet: FeatureSetName;
  /** Config keys (with the rung they left) already promoted; updated here. */
  promoted: Set<string>;
  /** Search seconds left. */
  secondsLeft: number;
}

/** The next promotion up a rung, highest rung first (of `family`'s trials only, when given), or null. */
export function nextPromotion(s: PromotionState, family?: FamilyName): TrialDraft | null {
  const { rungs, eta } = s.plan;
  const largeTable = s.plan.validation === 'holdout';
  for (let rung = rungs.length - 2; rung >= 0; rung--) {
    const done = s.ledger
      .all()
      .filter(
        (r) => r.spec.rung === rung && r.result?.status === 'ok' && r.spec.featureSet === s.featureSet && (family === undefined || r.spec.family === family),
      );
    const k = largeTable ? Math.max(done.length > 0 ? 1 : 0, Math.ceil(done.length / eta)) : Math.floor(done.length / eta);
    if (k < 1) continue;
    const top = done.sort((a, b) => s.ledger.lossOf(a) - s.ledger.lossOf(b)).slice(0, k);
    for (const r of top) {
      const key = configKey(r.spec.family, r.spec.params, `${r.spec.featureSet}@${rung}`);
      if (s.promoted.has(key)) continue;
      if (rung + 1 > s.costs.memoryRung(r.spec.family)) continue;
      if (s.costs.expectedSeconds(r.spec.family, rungs[rung + 1]) > s.secondsLeft) continue;
      s.promoted.add(key);
      return { ...r.spec, fidelity: rungs[rung + 1], rung: rung + 1, origin: 'promotion', computeImportance: false };
    }
  }
  return null;
}
