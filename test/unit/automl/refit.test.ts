import { describe, expect, it } from 'vitest';
import { refitSample, refitWinner } from '../../../src/core/automl/refit.ts';
import { chosen } from './stage-fixtures.ts';

describe('refitWinner', () => {
  it('refits the winner’s members on every search row in a reproducible run, and says so', async () => {
    const { plan, winner, budget, report } = await chosen();
    const refit = await refitWinner(plan, winner, budget, false, report);
    expect(refit.trainRows).toBe(plan.searchRows);
    expect(refit.model.members).toHaveLength(winner.members.length);
    expect(refit.model.classes).toEqual(['no', 'yes']);
    expect(report.events.some((e) => e.type === 'phase' && e.phase === 'refit' && e.message.includes(`all ${plan.searchRows.length} search rows`))).toBe(true);
  });
});

describe('refitSample', () => {
  const rows = Int32Array.from({ length: 1000 }, (_, i) => i);
  const y = Float64Array.from(rows, (i) => i % 2);
  it('keeps every row when the refit fits, samples the share that fits otherwise, never under a tenth', () => {
    expect(refitSample(rows, y, 10, 20, 0, true)).toBe(rows);
    expect(refitSample(rows, y, 10, 6.5, 0, true).length).toBe(500);
    expect(refitSample(rows, y, 100, 1, 0, true).length).toBe(100);
  });
});
