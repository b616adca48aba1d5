import { describe, expect, it } from 'vitest';
import {
  baselineLabel,
  comparisonDecimals,
  decimalsForSpan,
  fixed,
  formatInterval,
  intervalDecimals,
  logistic,
  methodLabel,
  pValueText,
  shortBaselineName,
  shortVerdictMessage,
  signed,
  stepLabel,
  verdictHeadline,
  waterfallSteps,
} from '../../../src/ui/compare/assessment-format.ts';
import { shownLevels } from '../../../src/ui/charts/partial-dependence.ts';
import { intervalDomain } from '../../../src/ui/charts/scale.ts';

describe('numbers of the A/B comparison', () => {
  it('writes values and signed differences with a true minus and no negative zero', () => {
    expect(fixed(0.8712, 2)).toBe('0.87');
    expect(fixed(-0.0412, 3)).toBe('−0.041');
    expect(fixed(-0.0001, 2)).toBe('0.00');
    expect(fixed(NaN, 2)).toBe('—');
    expect(fixed(4046.02, 0)).toBe('4,046');
    expect(fixed(-2719.07, 0)).toBe('−2,719');
    expect(signed(0.061, 2)).toBe('+0.06');
    expect(signed(-0.061, 2)).toBe('−0.06');
    expect(signed(0.001, 2)).toBe('0.00');
  });

  it('picks decimals from the interval width so its ends differ', () => {
    expect(intervalDecimals([0.91, 0.93])).toBe(2); // half-width 0.01
    expect(intervalDecimals([0.912, 0.915])).toBe(3); // 0.0015
    expect(intervalDecimals([0.5, 0.9])).toBe(2); // never fewer than 2
    expect(intervalDecimals([0.91231, 0.91232])).toBe(4); // never more than 4
    expect(intervalDecimals([0.9, 0.9])).toBe(2);
    const intervals = { ci: [0.02, 0.1] as [number, number], modelCi: [0.85, 0.86] as [number, number], baselineCi: [0.7, 0.8] as [number, number] };
    expect(comparisonDecimals({ ...intervals, metric: 'roc_auc', model: 0.855, baselineValue: 0.75, diff: 0.105 })).toBe(3);
    // 0.8640 − 0.6240 rounds to 0.86 − 0.62 = 0.24 but the difference 0.2400 too: 2 decimals would do...
    expect(
      comparisonDecimals({ ci: [0.2, 0.3], modelCi: [0.8, 0.9], baselineCi: [0.6, 0.7], metric: 'roc_auc', model: 0.864, baselineValue: 0.624, diff: 0.24 }),
    ).toBe(2);
    // ...but 0.856 − 0.624 shows as 0.86 − 0.62 with a difference of 0.23: one more decimal.
    expect(
      comparisonDecimals({ ci: [0.2, 0.3], modelCi: [0.8, 0.9], baselineCi: [0.6, 0.7], metric: 'roc_auc', model: 0.856, baselineValue: 0.624, diff: 0.232 }),
    ).toBe(3);
    // RMSE in dollars (insurance): no decimals, unless the rounded values would not subtract right.
    const rmse = {
      metric: 'rmse' as const,
      ci: [-3489.86, -1992.77] as [number, number],
      modelCi: [3202.53, 4862.07] as [number, number],
      baselineCi: [6104.31, 7413.1] as [number, number],
    };
    expect(comparisonDecimals({ ...rmse, model: 4046.2, baselineValue: 6765.2, diff: -2719 })).toBe(0);
    expect(comparisonDecimals({ ...rmse, model: 4046.4, baselineValue: 6765.6, diff: -2719.2 })).toBe(1);
  });

  it('writes intervals with an en dash, or "to" when they carry signs', () => {
    expect(formatInterval([0.912, 0.934], 2)).toBe('0.91–0.93');
    expect(formatInterval([-0.05, 0.021], 2, true)).toBe('−0.05 to +0.02');
  });

  it('writes p-values as the engine does', () => {
    expect(pValueText(0.0004)).toBe('p < 0.001');
    expect(pValueText(0.0342)).toBe('p = 0.034');
    expect(pValueText(0.0499)).toBe('p = 0.0499');
    expect(pValueText(0.5)).toBe('p = 0.5');
    expect(pValueText(NaN)).toBe('p not available');
  });

  it('names the verdict in plain words', () => {
    expect(verdictHeadline('better')).toBe('The model is better');
    expect(verdictHeadline('worse')).toBe('The existing process is better');
    expect(verdictHeadline('no-significant-difference')).toBe('No significant difference');
  });
});

describe('baseline names', () => {
  const long =
    'the best single-feature rule (Name ∈ {Allen, Mr. William Henry, McCarthy, Mr. Timothy J, Saundercock, Mr. William Henry, Andersson, Mr. Anders Johan} → 0 else 1)';

  it('keeps short names and cuts a long set of levels at a comma', () => {
    expect(shortBaselineName('the existing process ("today")')).toBe('the existing process ("today")');
    expect(shortBaselineName('the best single-feature rule (Sex ∈ {female} → 1 else 0)')).toBe('the best single-feature rule (Sex ∈ {female} → 1 else 0)');
    // At most 48 characters of levels, cut at a ", " (level names may hold commas themselves).
    expect(shortBaselineName(long)).toBe('the best single-feature rule (Name ∈ {Allen, Mr. William Henry, McCarthy, …} → 0 else 1)');
    expect(baselineLabel('the existing process ("today")')).toBe('The existing process ("today")');
  });

  it('shortens the name inside the verdict sentence, capitalised or not', () => {
    const better = { baseline: long, message: `The model beats ${long}: ROC AUC 0.85 vs 0.50.` };
    expect(shortVerdictMessage(better)).toBe(`The model beats ${shortBaselineName(long)}: ROC AUC 0.85 vs 0.50.`);
    const worse = { baseline: long, message: `T${long.slice(1)} is better: accuracy 0.7 vs 0.8.` };
    expect(shortVerdictMessage(worse)).toBe(`T${shortBaselineName(long).slice(1)} is better: accuracy 0.7 vs 0.8.`);
    const plain = { baseline: 'the existing process ("today")', message: 'No significant difference: x.' };
    expect(shortVerdictMessage(plain)).toBe(plain.message);
  });
});

describe('row explanations', () => {
  const contributions = [
    { feature: 'Sex', value: 1.2 },
    { feature: 'Pclass', value: -0.5 },
    { feature: 'Age', value: 0.3 },
    { feature: 'Fare', value: 0.1 },
    { feature: 'SibSp', value: -0.05 },
  ];

  it('walks from the base value to the prediction, each step starting where the last ended', () => {
    const steps = waterfallSteps(-0.4, contributions, { Sex: 'female', Pclass: '3' });
    expect(steps.map((s) => s.label)).toEqual(['Sex', 'Pclass', 'Age', 'Fare', 'SibSp']);
    expect(steps[0]).toMatchObject({ from: -0.4, value: 'female', rest: false });
    expect(steps[0].to).toBeCloseTo(0.8, 12);
    for (let i = 1; i < steps.length; i++) expect(steps[i].from).toBe(steps[i - 1].to);
    expect(steps[steps.length - 1].to).toBeCloseTo(-0.4 + 1.2 - 0.5 + 0.3 + 0.1 - 0.05, 12);
  });

  it('sums the smaller contributions into one step, still ending at the prediction', () => {
    const steps = waterfallSteps(0, contributions, {}, 2);
    expect(steps.map((s) => s.label)).toEqual(['Sex', 'Pclass', '3 other columns']);
    expect(steps[2].rest).toBe(true);
    expect(steps[2].contribution).toBeCloseTo(0.35, 12);
    expect(steps[2].to).toBeCloseTo(1.05, 12);
    // One column left over is shown as itself, not as "1 other columns".
    expect(waterfallSteps(0, contributions, {}, 4).map((s) => s.label)).toEqual(['Sex', 'Pclass', 'Age', 'Fare', 'SibSp']);
  });

  it('labels each step with the row’s value, missing ones included', () => {
    const steps = waterfallSteps(0, contributions, { Sex: 'female', Pclass: '3', Age: '' }, 3);
    expect(steps.map(stepLabel)).toEqual(['Sex = female', 'Pclass = 3', 'Age = (missing)', '2 other columns']);
    // A column the row's values do not name is labelled by its name alone.
    expect(stepLabel({ label: 'Fare', value: null })).toBe('Fare');
  });

  it('draws numbers with decimals that fit the axis span', () => {
    expect(decimalsForSpan(0.4)).toBe(3); // probabilities: +0.181
    expect(decimalsForSpan(3)).toBe(2); // log-odds: +1.23
    expect(decimalsForSpan(20_000)).toBe(0); // regression in dollars
    expect(decimalsForSpan(0)).toBe(2);
    expect(fixed(0.001289, decimalsForSpan(0.4))).toBe('0.001');
  });

  it('turns log-odds into probabilities and names the method', () => {
    expect(logistic(0)).toBe(0.5);
    expect(logistic(Math.log(3))).toBeCloseTo(0.75, 12);
    expect(methodLabel('tree-shap')).toBe('exact Tree SHAP');
    expect(methodLabel('sampling-shap')).toMatch(/approximation/);
  });
});

describe('interval chart range', () => {
  it('covers every end with an eighth of the span to spare', () => {
    const [a, b] = intervalDomain([0.6, 0.7, 0.8, 1.0]);
    expect(a).toBeCloseTo(0.55, 12);
    expect(b).toBeCloseTo(1.05, 12);
    const [lo, hi] = intervalDomain([0.85, 0.85]);
    expect(lo).toBeLessThan(0.85);
    expect(hi).toBeGreaterThan(0.85);
  });
});

describe('categorical partial dependence', () => {
  it('draws every level in its own order when there are few', () => {
    expect(shownLevels([0.3, 0.1, 0.2])).toEqual([0, 1, 2]);
  });

  it('draws the highest and lowest levels when there are many', () => {
    const values = Array.from({ length: 50 }, (_, i) => (i * 37) % 50); // a permutation of 0..49
    const shown = shownLevels(values, 6);
    expect(shown.map((i) => values[i])).toEqual([49, 48, 47, 2, 1, 0]);
  });
});
