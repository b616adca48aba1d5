import { describe, expect, it } from 'vitest';
import { refitWinner } from '../../../src/core/automl/refit.ts';
import { scoreTest } from '../../../src/core/automl/score-test.ts';
import { chosen } from './stage-fixtures.ts';

describe('scoreTest', () => {
  it('calibrates out of fold, predicts the test split once and scores it; measures the constraints when set', async () => {
    const { plan, winner, budget, report, search } = await chosen({ constraints: { maxBundleKb: 100_000 } });
    const { model } = await refitWinner(plan, winner, budget, false, report);
    const scored = await scoreTest(plan, winner, search.results, model);
    expect(scored.testPrediction.values.length).toBe(plan.testRows.length);
    expect(scored.testPrediction.proba!.length).toBe(2 * plan.testRows.length);
    expect(scored.test.roc_auc).toBeGreaterThan(0.8);
    expect(model.calibration).toBe(scored.decisionFit.calibration);
    expect(scored.decisions).toHaveProperty('calibration');
    expect(scored.constraints).toMatchObject({ maxBundleKb: 100_000, satisfied: true, breaks: [] });
    expect(scored.monotonicChecks).toBeUndefined();
  });
});
