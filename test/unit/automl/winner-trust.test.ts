import { describe, expect, it } from 'vitest';
import { refitWinner } from '../../../src/core/automl/refit.ts';
import { scoreTest } from '../../../src/core/automl/score-test.ts';
import { winnerTrust } from '../../../src/core/automl/winner-trust.ts';
import { chosen } from './stage-fixtures.ts';

describe('winnerTrust', () => {
  it('calibrates conformal sets on the winner’s out-of-fold predictions, reports them on the test split and puts them on the model', async () => {
    const { plan, winner, budget, report, search } = await chosen();
    const refit = await refitWinner(plan, winner, budget, false, report);
    const scored = await scoreTest(plan, winner, search.results, refit.model);
    const trust = await winnerTrust(plan, search, winner, refit, scored, budget);
    expect(trust.conformal?.kind).toBe('set');
    expect(trust.conformalReport).toBeDefined();
    expect(refit.model.trust.conformal).toBe(trust.conformal);
    expect(refit.model.trust.drift).toBe(trust.drift);
    expect(trust.drift.columns.map((c) => c.name).sort()).toEqual(refit.model.inputColumns.slice().sort());
  });
});
