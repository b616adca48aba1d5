import { describe, expect, it } from 'vitest';
import { planEvaluation } from '../../../src/core/automl/plan.ts';
import { Scheduler, type SchedulerInit } from '../../../src/core/automl/scheduler.ts';
import type { TrialResult, TrialSpec } from '../../../src/core/automl/types.ts';

const FEATURES = ['a', 'b', 'c', 'd'];

function scheduler(over: Partial<SchedulerInit> = {}): Scheduler {
  return new Scheduler({
    families: ['linear', 'gbdt', 'random_forest'],
    strategy: 'random',
    seed: 3,
    plan: { validation: 'kfold', folds: 5, repeats: 1, holdoutRows: 0, rungs: [1], eta: 3, reason: '5-fold cross-validation' },
    searchRows: 1000,
    features: FEATURES,
    useMeasuredTimes: false,
    budgetSeconds: 60,
    sign: 1,
    ...over,
  });
}

function result(spec: TrialSpec, score: number, seconds = 1): TrialResult {
  return { id: spec.id, status: 'ok', score, foldScores: [score], seconds, foldFitSeconds: seconds / 5 };
}

/** Runs the first portfolio round (one config per family) with the given scores. */
function portfolioRound(s: Scheduler, scores: Record<string, number>): TrialSpec[] {
  const specs: TrialSpec[] = [];
  for (let i = 0; i < 3; i++) specs.push(s.next(Infinity)!);
  for (const spec of specs) s.record(result(spec, scores[spec.family]));
  return specs;
}

describe('planEvaluation', () => {
  it('counts a multiclass table as classes × rows when choosing the folds', () => {
    expect(planEvaluation(16000, 60).folds).toBe(5);
    expect(planEvaluation(16000, 60, 26).folds).toBe(3); // letter: 26 trees per boosting round
    expect(planEvaluation(120, 60, 3).folds).toBe(5);
    expect(planEvaluation(700, 60).repeats).toBe(3);
    expect(planEvaluation(2000, 60).repeats).toBe(2);
    expect(planEvaluation(3000, 60).repeats).toBe(1);
  });
});

describe('Scheduler', () => {
  it('runs each family’s defaults first, cheapest first, with the probe on the GBDT', () => {
    const s = scheduler();
    const first = [s.next(Infinity)!, s.next(Infinity)!, s.next(Infinity)!];
    expect(first.map((t) => t.family)).toEqual(['linear', 'gbdt', 'random_forest']);
    expect(first.map((t) => t.computeImportance)).toEqual([false, true, false]);
    expect(first.every((t) => t.features.length === 4 && t.origin === 'portfolio')).toBe(true);
  });

  it('keeps a feature selection when the paired reruns score at least as well on it', () => {
    const s = scheduler();
    portfolioRound(s, { linear: 0.8, gbdt: 0.85, random_forest: 0.84 });
    s.applySelection(['a', 'b']);
    expect(s.selectionOutcome).toBe('pending');
    const reruns = [s.next(Infinity)!, s.next(Infinity)!, s.next(Infinity)!];
    expect(reruns.every((t) => t.featureSet === 'selected' && t.features.join() === 'a,b')).toBe(true);
    const gain: Record<string, number> = { linear: 0.81, gbdt: 0.86, random_forest: 0.83 };
    for (const t of reruns) s.record(result(t, gain[t.family]));
    expect(s.selectionOutcome).toBe('kept');
    expect(s.selectionEffect).toBeCloseTo(0.01, 9);
    expect(s.next(Infinity)!.features).toEqual(['a', 'b']);
  });

  it('reverts to every feature when the median family scores worse on the selection', () => {
    const s = scheduler();
    portfolioRound(s, { linear: 0.8, gbdt: 0.85, random_forest: 0.84 });
    s.applySelection(['a']);
    const reruns = [s.next(Infinity)!, s.next(Infinity)!, s.next(Infinity)!];
    // One family gains a lot, the other two lose a little: the median decides, not the mean.
    const score: Record<string, number> = { linear: 0.9, gbdt: 0.84, random_forest: 0.83 };
    for (const t of reruns.slice(0, 2)) s.record(result(t, score[t.family]));
    expect(s.selectionOutcome).toBe('pending'); // a rerun is still out
    s.record(result(reruns[2], score[reruns[2].family]));
    expect(s.selectionOutcome).toBe('reverted');
    expect(s.selectionEffect).toBeCloseTo(-0.01, 9);
    for (let i = 0; i < 5; i++) {
      const next = s.next(Infinity)!;
      expect(next.featureSet).toBe('all');
      expect(next.features).toEqual(FEATURES);
    }
  });

  it('does not count the probe’s permutation importance as the cost of its family', () => {
    // Measured times on: a family not yet run is expected to cost its static estimate scaled by how
    // much slower than estimated the measured families were; over a fifth of the budget, its queued
    // defaults are dropped. Counting the probe's 9 s of importance would push the forest over.
    const s = scheduler({ useMeasuredTimes: true, budgetSeconds: 20 });
    const [linear, gbdt] = [s.next(Infinity, 20)!, s.next(Infinity, 20)!];
    s.record(result(linear, 0.9, 0.5));
    s.record({ ...result(gbdt, 0.8, 10), importanceSeconds: 9 });
    const later: string[] = [];
    for (let i = 0; i < 6; i++) later.push(s.next(Infinity, 20)!.family);
    expect(later[0]).toBe('random_forest');
  });
});
