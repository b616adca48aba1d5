import { describe, expect, it } from 'vitest';
import { trialCost } from '../../../src/core/automl/trial-ledger.ts';
import { ledgerOf, spec } from './ledger-fixtures.ts';

describe('TrialLedger', () => {
  const ledger = ledgerOf([
    [spec(1, 'gbdt'), [0.8, 1]],
    [spec(2, 'linear'), [0.85, 1]],
    [spec(3, 'gbdt', { fidelity: 1 / 3 }), [0.9, 1]],
    [spec(4, 'gbdt'), [NaN, 1]],
    [spec(5, 'knn'), null],
  ]);
  it('finds the leading family and a family’s best at full rows (any rung on a large table)', () => {
    expect(ledger.leadingFamily()).toBe('linear');
    expect(ledger.bestOf('gbdt')?.spec.id).toBe(1);
    expect(ledger.bestOf('knn')).toBeUndefined();
    const large = ledgerOf(
      [
        [spec(1, 'gbdt'), [0.8, 1]],
        [spec(3, 'gbdt', { fidelity: 1 / 3 }), [0.9, 1]],
      ],
      1,
      true,
    );
    expect(large.bestOf('gbdt')?.spec.id).toBe(3);
  });
  it('turns scores into losses by the sign, failed and running trials infinite', () => {
    expect(ledger.lossOf(ledger.get(1)!)).toBe(-0.8);
    expect(ledgerOf([[spec(1, 'gbdt'), [0.8, 1]]], -1).lossOf(ledgerOf([[spec(1, 'gbdt'), [0.8, 1]]], -1).get(1)!)).toBe(0.8);
    expect(ledger.lossOf(ledger.get(4)!)).toBe(Infinity);
    expect(ledger.lossOf(ledger.get(5)!)).toBe(Infinity);
  });
  it('gives a sampler the lowest rung’s (and the portfolio’s) observations, and the configurations tried', () => {
    const withRungs = ledgerOf([
      [spec(1, 'gbdt', { rung: 0 }), [0.7, 1]],
      [spec(2, 'gbdt', { rung: 1 }), [0.8, 1]],
      [spec(3, 'gbdt', { rung: 2, origin: 'portfolio' }), [0.9, 1]],
    ]);
    expect(withRungs.history('gbdt', 'all').map((o) => o.loss)).toEqual([-0.7, -0.9]);
    expect(withRungs.history('gbdt', 'selected')).toEqual([]);
    expect(withRungs.triedKeys('gbdt', 'all').size).toBe(3);
  });
  it('counts a trial’s cost without its permutation importance', () => {
    expect(trialCost({ id: 1, status: 'ok', score: 1, foldScores: [], seconds: 10, foldFitSeconds: 1, importanceSeconds: 4 })).toBe(6);
  });
});
