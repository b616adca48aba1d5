import { describe, expect, it } from 'vitest';
import { describeDelimiter, formatBytes, formatCount, formatDate, formatNumber, formatPercent } from '../../../src/ui/format.ts';
import { workflowSteps } from '../../../src/app/steps.ts';

describe('profile formatting', () => {
  it('never rounds a part up to the whole or down to nothing', () => {
    expect(formatPercent(2918, 2930)).toBe('99.6%'); // Ames "Street": Pave is not 100%
    expect(formatPercent(2929, 2930)).toBe('>99.9%');
    expect(formatPercent(1, 2930)).toBe('<0.1%');
    expect(formatPercent(177, 891)).toBe('20%');
    expect(formatPercent(5, 891)).toBe('0.6%');
    expect(formatPercent(891, 891)).toBe('100%');
    expect(formatPercent(0, 891)).toBe('0%');
    expect(formatPercent(1, 0)).toBe('—');
  });

  it('formats statistics compactly', () => {
    expect(formatNumber(29.69911764705882)).toBe('29.7');
    expect(formatNumber(215200)).toBe('215,200');
    expect(formatNumber(0.38383838)).toBe('0.3838');
    expect(formatNumber(1.5e12)).toBe('1.50e+12');
    expect(formatNumber(3e-7)).toBe('3.00e-7');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(undefined)).toBe('—');
    expect(formatNumber(Number.NaN)).toBe('—');
    expect(formatNumber(-Infinity)).toBe('−∞');
    expect(formatCount(2930)).toBe('2,930');
  });

  it('shows datetimes as dates, with a time only when there is one', () => {
    expect(formatDate(Date.UTC(2010, 5, 1))).toBe('2010-06-01');
    expect(formatDate(Date.UTC(2010, 5, 1, 13, 5, 9))).toBe('2010-06-01 13:05:09');
    expect(formatDate(undefined)).toBe('—');
  });

  it('formats sizes and delimiters', () => {
    expect(formatBytes(53)).toBe('53 B');
    expect(formatBytes(60302)).toBe('58.9 KB');
    expect(formatBytes(512 * 1024 * 1024)).toBe('512 MB');
    expect(describeDelimiter(',')).toBe('comma');
    expect(describeDelimiter('\t')).toBe('tab');
    expect(describeDelimiter('#')).toBe('"#"');
  });
});

describe('workflow steps', () => {
  it('enables Data first, then Goal and Search with data, Compare and Ship with results', () => {
    const before = workflowSteps({ hasData: false });
    expect(before.map((s) => s.label)).toEqual(['Data', 'Goal', 'Search', 'Compare', 'Ship']);
    expect(before.filter((s) => s.enabled).map((s) => s.id)).toEqual(['data']);
    expect(before[1].disabledReason).toBe('Load a dataset first');
    const withData = workflowSteps({ hasData: true });
    expect(withData.filter((s) => s.enabled).map((s) => s.id)).toEqual(['data', 'goal', 'search']);
    expect(withData[3].disabledReason).toBe('Finish a search first');
    // Ship exports a run's winner: without one it would be an empty page.
    expect(withData[4].disabledReason).toBe('Finish a search first');
    const withResults = workflowSteps({ hasData: true, hasResults: true });
    expect(withResults.filter((s) => s.enabled).map((s) => s.id)).toEqual(['data', 'goal', 'search', 'compare', 'ship']);
  });
});
