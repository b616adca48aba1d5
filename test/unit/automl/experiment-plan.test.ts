import { describe, expect, it } from 'vitest';
import { buildFolds, describePlan, holdOut, planExperiment } from '../../../src/core/automl/experiment-plan.ts';
import { ProjectError } from '../../../src/core/automl/project.ts';
import { planEvaluation } from '../../../src/core/automl/plan.ts';
import { cat, frame, num } from '../../helpers/frames.ts';

const n = 300;
const data = frame(
  num(
    'x',
    Array.from({ length: n }, (_, i) => i % 17),
  ),
  cat(
    'g',
    Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'a' : 'b')),
  ),
  cat(
    'y',
    Array.from({ length: n }, (_, i) => (i === 5 ? null : i % 4 === 0 ? 'yes' : 'no')),
  ),
);

describe('planExperiment', () => {
  const plan = planExperiment(data, { target: 'y', maxTrials: 3, seed: 4 });
  it('resolves the project once: task, classes, the encoded target over all rows (NaN where missing)', () => {
    expect(plan.project.task).toBe('binary');
    expect(plan.project.classes).toEqual(['no', 'yes']);
    expect(plan.target.y.length).toBe(n);
    expect(plan.target.y[5]).toBeNaN();
    expect(plan.target.y[4]).toBe(1);
    expect(plan.ctx.y).toBe(plan.target.y);
    expect(plan.deterministic).toBe(true);
    expect(plan.sign).toBe(1);
  });
  it('holds the test split out of the search and of every fold', () => {
    const test = new Set(plan.testRows);
    expect(plan.searchRows.length + plan.testRows.length).toBe(n - 1);
    expect(plan.searchRows.some((r) => test.has(r))).toBe(false);
    for (const f of plan.folds) expect([...f.train, ...f.valid].some((r) => test.has(r))).toBe(false);
    // A small table: 3 × 5-fold CV; every search row validated once per repeat.
    expect(plan.validation).toMatchObject({ kind: 'repeated-kfold', folds: 5, repeats: 3 });
    expect(plan.folds).toHaveLength(15);
    expect(plan.oofRows).toBe(plan.searchRows);
    expect(describePlan(plan)).toBe(`${plan.searchRows.length} rows for the search (3×5-fold CV), ${plan.testRows.length} held out for the test`);
  });
});

describe('buildFolds', () => {
  it('builds one holdout over frame rows when the plan says so', () => {
    const searchRows = Int32Array.from({ length: 100 }, (_, i) => 1000 + i);
    const y = new Float64Array(1100).map((_, i) => i % 2);
    const plan = { ...planEvaluation(100, 60), validation: 'holdout' as const, folds: 1, repeats: 1, holdoutRows: 25 };
    const [fold, ...rest] = buildFolds(plan, searchRows, y, 0, true);
    expect(rest).toHaveLength(0);
    expect(fold.valid.length).toBe(25);
    expect(fold.train.length).toBe(75);
    expect(Math.min(...fold.train, ...fold.valid)).toBeGreaterThanOrEqual(1000);
  });
});

describe('holdOut', () => {
  const rows = Int32Array.from({ length: 50 }, (_, i) => i);
  const y = new Float64Array(50).map((_, i) => i % 2);
  it('takes the explicit test rows, and rejects rows that do not exist', () => {
    const { searchRows, testRows } = holdOut(rows, y, 0.2, 0, true, [3, 7]);
    expect([...testRows]).toEqual([3, 7]);
    expect(searchRows.length).toBe(48);
    expect(() => holdOut(rows, y, 0.2, 0, true, [50])).toThrow(ProjectError);
  });
  it('splits a seeded share otherwise', () => {
    const a = holdOut(rows, y, 0.2, 1, true);
    expect(a.testRows.length).toBe(10);
    expect([...holdOut(rows, y, 0.2, 1, true).testRows]).toEqual([...a.testRows]);
  });
});
