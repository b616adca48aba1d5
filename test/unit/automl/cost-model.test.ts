import { describe, expect, it } from 'vitest';
import { CostModel, memoryRung } from '../../../src/core/automl/cost-model.ts';
import { planEvaluation } from '../../../src/core/automl/plan.ts';
import { ledgerOf, spec } from './ledger-fixtures.ts';

describe('CostModel', () => {
  const basis = { plan: planEvaluation(5000, 60), searchRows: 5000, features: ['a', 'b', 'c'], useMeasuredTimes: true };
  it('expects a family’s own measured time per full-row trial, scaled by the row share', () => {
    const ledger = ledgerOf([
      [spec(1, 'gbdt', { fidelity: 0.5 }), [0.8, 2]],
      [spec(2, 'gbdt'), [0.8, 6]],
    ]);
    const costs = new CostModel(basis, ledger, ['gbdt', 'linear']);
    expect(costs.expectedSeconds('gbdt', 1)).toBeCloseTo(5, 12);
    expect(costs.expectedSeconds('gbdt', 0.5)).toBeCloseTo(2.5, 12);
  });
  it('prices a family not yet run by the static model, calibrated only by measured trials of a second or more', () => {
    const quick = new CostModel({ ...basis, searchRows: 500_000 }, ledgerOf([[spec(1, 'gbdt'), [0.8, 0.5]]]), ['gbdt', 'linear']);
    expect(quick.expectedSeconds('linear', 1)).toBe(0);
    expect(quick.guessSeconds('linear', 1)).toBe(quick.staticSeconds('linear'));
    const slow = new CostModel({ ...basis, searchRows: 500_000 }, ledgerOf([[spec(1, 'gbdt'), [0.8, 20]]]), ['gbdt', 'linear']);
    const ratio = 20 / slow.staticSeconds('gbdt');
    expect(slow.expectedSeconds('linear', 1)).toBeCloseTo(ratio * slow.staticSeconds('linear'), 9);
  });
  it('measures nothing in a reproducible run', () => {
    const costs = new CostModel({ ...basis, useMeasuredTimes: false }, ledgerOf([[spec(1, 'gbdt'), [0.8, 6]]]), ['gbdt']);
    expect(costs.expectedSeconds('gbdt', 1)).toBe(0);
  });
  it('keeps every rung under k-fold; picks the highest rung within a time', () => {
    expect(memoryRung(basis, 'linear')).toBe(basis.plan.rungs.length - 1);
    const large = {
      plan: planEvaluation(800_000, 60, 2, 25),
      searchRows: 800_000,
      features: Array.from({ length: 25 }, (_, i) => `f${i}`),
      useMeasuredTimes: true,
    };
    const costs = new CostModel(large, ledgerOf([[spec(1, 'gbdt', { fidelity: large.plan.rungs[0] }), [0.8, 3]]]), ['gbdt']);
    const perFull = 3 / large.plan.rungs[0];
    const r = costs.rungWithin('gbdt', 10);
    expect(perFull * large.plan.rungs[r]).toBeLessThanOrEqual(10);
    if (r + 1 < large.plan.rungs.length) expect(perFull * large.plan.rungs[r + 1]).toBeGreaterThan(10);
  });
});
