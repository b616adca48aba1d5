import { describe, expect, it } from 'vitest';
import { checkDecisionRule, decideLabels } from '../../../src/core/eval/decision-rule.ts';

describe('decideLabels', () => {
  it('labels the positive class at or above the threshold, whichever class is positive', () => {
    const proba = Float64Array.from([0.9, 0.1, 0.7, 0.3, 0.5, 0.5]);
    expect(Array.from(decideLabels({ positive: 1, threshold: 0.3 }, proba, 2))).toEqual([0, 1, 1]);
    expect(Array.from(decideLabels({ positive: 0, threshold: 0.8 }, proba, 2))).toEqual([0, 1, 1]);
  });

  it('minimises the expected cost under a cost matrix', () => {
    // Two rows of three classes; missing class 2 costs 10, so a 20 % chance of class 2 is enough to say 2.
    const proba = Float64Array.from([0.5, 0.3, 0.2, 0.9, 0.1, 0.0]);
    const C = [
      [0, 1, 1],
      [1, 0, 1],
      [10, 10, 0],
    ];
    // Row 1: say 0 → 0.3·1 + 0.2·10 = 2.3; say 1 → 0.5 + 2 = 2.5; say 2 → 0.5 + 0.3 = 0.8 → 2.
    expect(Array.from(decideLabels({ costMatrix: C }, proba, 3))).toEqual([2, 0]);
  });

  it('checks a rule read from a file', () => {
    expect(() => checkDecisionRule({ positive: 2, threshold: 0.5 }, 2)).toThrow(/positive class 0 or 1/);
    expect(() => checkDecisionRule({ costMatrix: [[0, 1]] }, 2)).toThrow(/2 × 2/);
    expect(checkDecisionRule({ positive: 1, threshold: 0.25 }, 2)).toEqual({ positive: 1, threshold: 0.25 });
  });
});
