/** Trial specs and a filled TrialLedger for the scheduler parts' tests. */
import { TrialLedger } from '../../../src/core/automl/trial-ledger.ts';
import type { TrialSpec } from '../../../src/core/automl/types.ts';
import type { FamilyName } from '../../../src/core/models/types.ts';

export function spec(id: number, family: FamilyName, over: Partial<TrialSpec> = {}): TrialSpec {
  return {
    id,
    family,
    params: { p: id },
    featureSet: 'all',
    features: ['a'],
    fidelity: 1,
    rung: 0,
    origin: 'search',
    computeImportance: false,
    seed: 0,
    deadline: 0,
    ...over,
  };
}

/** A ledger holding these trials with (score, seconds) results; `null`: still running. */
export function ledgerOf(trials: [TrialSpec, [number, number] | null][], sign: 1 | -1 = 1, anyRung = false): TrialLedger {
  const ledger = new TrialLedger(sign, anyRung);
  for (const [s, r] of trials) {
    ledger.add(s);
    if (r)
      ledger.get(s.id)!.result = {
        id: s.id,
        status: Number.isFinite(r[0]) ? 'ok' : 'failed',
        score: r[0],
        foldScores: [r[0]],
        seconds: r[1],
        foldFitSeconds: r[1],
      };
  }
  return ledger;
}
