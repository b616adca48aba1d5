import { describe, expect, it } from 'vitest';
import { planExperiment } from '../../../src/core/automl/experiment-plan.ts';
import { RunBudget } from '../../../src/core/automl/run-budget.ts';
import type { TrialResult, TrialSpec } from '../../../src/core/automl/types.ts';
import { cat, frame, num } from '../../helpers/frames.ts';
import { entry, result } from './board.ts';

const n = 200;
const data = frame(
  num(
    'x',
    Array.from({ length: n }, (_, i) => i % 13),
  ),
  cat(
    'y',
    Array.from({ length: n }, (_, i) => (i % 3 ? 'a' : 'b')),
  ),
);

function spec(id: number, fidelity = 1): TrialSpec {
  return {
    id,
    family: 'gbdt',
    params: { learning_rate: 0.1 },
    featureSet: 'all',
    features: ['x'],
    fidelity,
    rung: 0,
    origin: 'search',
    computeImportance: false,
    seed: 0,
    deadline: Infinity,
  };
}

describe('RunBudget', () => {
  const plan = planExperiment(data, { target: 'y', budgetSeconds: 30, seed: 0 });
  const fitRows = (plan.searchRows.length * 4) / 5;
  const specs = new Map([
    [1, spec(1)],
    [2, spec(2, 1 / 3)],
  ]);
  const results = new Map<number, TrialResult>([
    [1, result(1, undefined, { foldFitSeconds: 2 * fitRows * 1e-4 })],
    [2, result(2, undefined, { foldFitSeconds: (fitRows / 3) * 1e-4 })],
  ]);
  const budget = new RunBudget(plan, { results, spec: (id) => specs.get(id) }, 1_000_000, 5);
  it('estimates a refit from the quickest fit per row of the same configuration, at any fidelity', () => {
    expect(budget.fitSecondsPerRow(1)).toBeCloseTo(1e-4, 12);
    expect(budget.refitSeconds([1, 2])).toBeCloseTo(2 * 1e-4 * plan.searchRows.length, 12);
    expect(budget.refitSeconds([99])).toBe(0);
  });
  it('ends the search early enough for the later stages, the host’s reserve excluded', () => {
    expect(budget.end).toBe(1_000_000 + 25_000);
    const before = budget.searchDeadline(null);
    expect(before).toBe(budget.end - budget.reserveSeconds(null) * 1000);
    // A quick refit is reserved twice over.
    const refit = budget.refitSeconds([1]);
    expect(budget.reserveSeconds(entry(1)) - budget.reserveSeconds(null)).toBeCloseTo(2 * refit - 1, 9);
  });
  it('has no deadlines in a reproducible run', () => {
    const fixed = new RunBudget(planExperiment(data, { target: 'y', maxTrials: 2 }), { results, spec: (id) => specs.get(id) }, 0, 0);
    expect(fixed.searchDeadline(null)).toBe(Infinity);
    expect(fixed.refitFits([1], false)).toBe(true);
    expect(budget.refitFits([1], false)).toBe(false);
    expect(budget.refitFits([1], true)).toBe(true);
  });
});

describe('RunBudget: time kept after the refit', () => {
  it('grows with the classes beyond two (a calibrator and a set score per class)', () => {
    const rows = 3000;
    const labels = (k: number) => Array.from({ length: rows }, (_, i) => `c${i % k}`);
    const x = num(
      'x',
      Array.from({ length: rows }, (_, i) => i % 17),
    );
    const budgetOf = (k: number) => {
      const plan = planExperiment(frame(x, cat('y', labels(k))), { target: 'y', budgetSeconds: 60, seed: 0 });
      return new RunBudget(plan, { results: new Map(), spec: () => undefined }, Date.now(), 0).afterRefitSeconds;
    };
    const two = budgetOf(2);
    const three = budgetOf(3);
    const twelve = budgetOf(12);
    expect(three).toBeGreaterThan(two);
    expect(twelve).toBeGreaterThan(three);
    // Linear in the classes past the fixed part: 12 classes keep about 4 times the per-row share of 3.
    expect((twelve - 1) / (three - 1)).toBeGreaterThan(3);
  });
});
