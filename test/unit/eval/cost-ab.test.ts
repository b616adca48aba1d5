import { describe, expect, it } from 'vitest';
import { compareCosts } from '../../../src/core/eval/cost-ab.ts';

describe('compareCosts', () => {
  it('states the difference from the existing process in cost units, with a paired interval', () => {
    // 8 rows, positive = 1, fp = 1, fn = 5. Model: one false positive (cost 1). Baseline: two false
    // negatives and one false positive (cost 11). Savings 10 per 8 rows = 1250 per 1,000.
    const y = Float64Array.from([1, 1, 1, 0, 0, 0, 0, 0]);
    const model = Float64Array.from([1, 1, 1, 1, 0, 0, 0, 0]);
    const baseline = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0]);
    const c = compareCosts({ y, model, baseline, baselineName: 'today', positive: 1, costs: { fp: 1, fn: 5 }, seed: 1, successSavingsPer1000: 1000 });
    expect(c.modelPer1000).toBeCloseTo(125, 9);
    expect(c.baselinePer1000).toBeCloseTo(1375, 9);
    expect(c.savingsPer1000).toBeCloseTo(1250, 9);
    expect(c.ci[0]).toBeLessThan(1250);
    expect(c.ci[1]).toBeGreaterThan(1250);
    expect(c.success).toMatchObject({ met: true });
  });

  it('counts a true positive as a gain and respects which class is positive', () => {
    const y = Float64Array.from([0, 0, 1, 1]);
    // Positive is class 0: the model flags both class-0 rows (2 true positives worth 3 each).
    const model = Float64Array.from([0, 0, 1, 1]);
    const baseline = Float64Array.from([1, 1, 1, 1]);
    const c = compareCosts({ y, model, baseline, baselineName: 'today', positive: 0, costs: { fp: 1, fn: 2, tp: 3 }, seed: 1 });
    expect(c.modelPer1000).toBeCloseTo(-1500, 9);
    expect(c.baselinePer1000).toBeCloseTo(1000, 9);
  });
});
