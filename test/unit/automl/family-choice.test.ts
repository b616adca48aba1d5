import { describe, expect, it } from 'vitest';
import { CostModel } from '../../../src/core/automl/cost-model.ts';
import { pickFamily } from '../../../src/core/automl/family-choice.ts';
import { planEvaluation } from '../../../src/core/automl/plan.ts';
import { Rng } from '../../../src/core/util/random.ts';
import { ledgerOf, spec } from './ledger-fixtures.ts';

describe('pickFamily', () => {
  const choice = (over = {}) => ({ anyRung: false, nextFidelity: () => 1, secondsLeft: Infinity, useMeasuredTimes: true, rng: new Rng(1), ...over });
  const basis = { plan: planEvaluation(5000, 60), searchRows: 5000, features: ['a'], useMeasuredTimes: true };
  it('almost always picks the family closest to the best score, never one that failed everywhere or has not run', () => {
    const ledger = ledgerOf([
      [spec(1, 'gbdt'), [0.9, 1]],
      [spec(2, 'linear'), [0.6, 1]],
      [spec(3, 'knn'), [NaN, 1]],
    ]);
    const costs = new CostModel(basis, ledger, ['gbdt', 'linear', 'knn', 'mlp']);
    const c = choice();
    const picks = Array.from({ length: 50 }, () => pickFamily(['gbdt', 'linear', 'knn', 'mlp'], ledger, costs, c));
    expect(new Set(picks)).toEqual(new Set(['gbdt']));
  });
  it('skips a family whose next trial would not report in the seconds left', () => {
    const ledger = ledgerOf([
      [spec(1, 'gbdt'), [0.9, 30]],
      [spec(2, 'linear'), [0.6, 1]],
    ]);
    const costs = new CostModel(basis, ledger, ['gbdt', 'linear']);
    expect(pickFamily(['gbdt', 'linear'], ledger, costs, choice({ secondsLeft: 10 }))).toBe('linear');
    expect(pickFamily(['gbdt', 'linear'], ledger, costs, choice({ secondsLeft: 0.5 }))).toBeNull();
  });
});
