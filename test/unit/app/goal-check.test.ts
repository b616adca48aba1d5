import { describe, expect, it } from 'vitest';
import { checkGoal, metricForTask, metricOptions, type GoalValues } from '../../../src/app/goal-check.ts';
import { cat, frame, num } from '../../helpers/frames.ts';

const n = 40;
const data = frame(
  cat('id', Array.from({ length: n }, (_, i) => `row-${i}`), 'identifier'),
  num('x', Array.from({ length: n }, (_, i) => i * 0.7)),
  cat('colour', Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'red' : 'blue'))),
  cat('label', Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'yes' : 'no'))),
  cat('same', Array.from({ length: n }, () => 'k')),
  num('today', Array.from({ length: n }, (_, i) => i % 2)),
);

function goal(over: Partial<GoalValues> = {}): GoalValues {
  return { target: 'label', task: 'binary', metric: 'roc_auc', threshold: '', budget: 30, search: 'tpe', baseline: '', excluded: [], ...over };
}

describe('checkGoal', () => {
  it('asks for a target first, without calling it an error', () => {
    const check = checkGoal(data, goal({ target: '', task: '', metric: '' }));
    expect(check.definition).toBeNull();
    expect(check.needsTarget).toBe(true);
  });

  it('builds the engine definition and what the engine resolves from it', () => {
    const check = checkGoal(data, goal({ threshold: ' 0.8 ', excluded: ['colour', 'label'], baseline: 'today' }));
    expect(check.problem).toBeNull();
    expect(check.definition).toEqual({
      target: 'label',
      task: 'binary',
      metric: 'roc_auc',
      budgetSeconds: 30,
      search: 'tpe',
      exclude: ['colour'],
      baselineColumn: 'today',
      successThreshold: 0.8,
    });
    // The identifier and the constant column go, the exclusion and the baseline too.
    expect(check.project?.features).toEqual(['x']);
    expect(check.project?.removed.map((r) => r.name).sort()).toEqual(['colour', 'id', 'same', 'today']);
  });

  it('rejects a budget out of range and a threshold that is not a number or cannot be met', () => {
    expect(checkGoal(data, goal({ budget: 2 })).problem).toMatch(/between 5 and 3600 seconds/);
    expect(checkGoal(data, goal({ budget: Number.NaN })).problem).toMatch(/between 5 and 3600 seconds/);
    expect(checkGoal(data, goal({ threshold: 'high' })).problem).toMatch(/must be a number.*“high”/);
    expect(checkGoal(data, goal({ threshold: '1.2' })).problem).toMatch(/between 0 and 1/);
    // RMSE has no upper bound: any number is a possible threshold.
    expect(checkGoal(data, goal({ target: 'x', task: 'regression', metric: 'rmse', threshold: '12.5' })).problem).toBeNull();
  });

  it('passes on the engine’s own message, as a sentence', () => {
    const constant = checkGoal(data, goal({ target: 'same' }));
    expect(constant.definition).toBeNull();
    expect(constant.problem).toMatch(/^Target "same" has one class only/);
    expect(constant.problem).toMatch(/\.$/);
    expect(checkGoal(data, goal({ target: 'colour', task: 'regression', metric: 'rmse' })).problem).toMatch(/regression needs a numeric target/);
  });
});

describe('metric choices', () => {
  it('offers the task’s metrics with their direction, and keeps a metric that still fits', () => {
    expect(metricOptions('regression').map((m) => m.value)).toEqual(['rmse', 'mae', 'r2']);
    expect(metricOptions('binary').find((m) => m.value === 'log_loss')?.higherIsBetter).toBe(false);
    expect(metricOptions('')).toEqual([]);
    expect(metricForTask('multiclass', 'accuracy')).toBe('accuracy');
    expect(metricForTask('regression', 'accuracy')).toBe('rmse');
    expect(metricForTask('binary', '')).toBe('roc_auc');
  });
});
