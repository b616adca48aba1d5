import { describe, expect, it } from 'vitest';
import { CostModel } from '../../../src/core/automl/cost-model.ts';
import { planEvaluation } from '../../../src/core/automl/plan.ts';
import { nextPromotion } from '../../../src/core/automl/promotion.ts';
import type { TrialSpec } from '../../../src/core/automl/types.ts';
import { ledgerOf, spec } from './ledger-fixtures.ts';

describe('nextPromotion', () => {
  const plan = { ...planEvaluation(60_000, 600), validation: 'kfold' as const, rungs: [1 / 9, 1 / 3, 1], eta: 3 };
  const basis = { plan, searchRows: 60_000, features: ['a'], useMeasuredTimes: false };
  const rung0 = (id: number, score: number): [TrialSpec, [number, number]] => [spec(id, 'gbdt', { rung: 0, fidelity: 1 / 9 }), [score, 1]];
  it('promotes the best 1/eta of a rung once eta of them reported, each once', () => {
    const ledger = ledgerOf([rung0(1, 0.7), rung0(2, 0.9), rung0(3, 0.8)]);
    const state = {
      plan,
      ledger,
      costs: new CostModel(basis, ledger, ['gbdt']),
      featureSet: 'all' as const,
      promoted: new Set<string>(),
      secondsLeft: Infinity,
    };
    const up = nextPromotion(state)!;
    expect(up).toMatchObject({ params: { p: 2 }, rung: 1, fidelity: 1 / 3, origin: 'promotion' });
    expect(nextPromotion(state)).toBeNull();
    expect(nextPromotion({ ...state, ledger: ledgerOf([rung0(1, 0.7), rung0(2, 0.9)]), promoted: new Set() })).toBeNull();
  });
  it('on a large table promotes the best of a rung as soon as it reports', () => {
    const large = { ...plan, validation: 'holdout' as const };
    const ledger = ledgerOf([rung0(1, 0.7)], 1, true);
    const state = {
      plan: large,
      ledger,
      costs: new CostModel({ ...basis, plan: large }, ledger, ['gbdt']),
      featureSet: 'all' as const,
      promoted: new Set<string>(),
      secondsLeft: Infinity,
    };
    expect(nextPromotion(state)?.params).toEqual({ p: 1 });
    expect(nextPromotion({ ...state, promoted: new Set() }, 'linear')).toBeNull();
  });
});
