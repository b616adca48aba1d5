import { describe, expect, it } from 'vitest';
import { assess } from '../../../src/core/automl/assess.ts';
import { runExperiment } from '../../../src/core/automl/experiment.ts';
import { InProcessRunner } from '../../../src/core/automl/runner.ts';
import type { Column, Frame } from '../../../src/core/data/frame.ts';
import { Rng } from '../../../src/core/util/random.ts';

/** y = [a + b > 0] with 10 % label noise; `today` is the existing process's decision per row. */
function frameWithBaseline(n: number, today: (truth: number, a: number, rng: Rng) => number, seed = 1): Frame {
  const rng = new Rng(seed);
  const a = Float64Array.from({ length: n }, () => rng.normal());
  const b = Float64Array.from({ length: n }, () => rng.normal());
  const y = new Int32Array(n);
  const base = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const clean = a[i] + b[i] > 0 ? 1 : 0;
    y[i] = rng.next() < 0.1 ? 1 - clean : clean;
    base[i] = today(y[i], a[i], rng);
  }
  const cat = (name: string, codes: Int32Array): Column => ({ name, type: 'categorical', storage: 'categorical', codes, levels: ['no', 'yes'] });
  return {
    rows: n,
    columns: [
      { name: 'a', type: 'numeric', storage: 'numeric', values: a },
      { name: 'b', type: 'numeric', storage: 'numeric', values: b },
      cat('today', base),
      cat('label', y),
    ],
  };
}

async function verdictFor(frame: Frame, metric: 'accuracy' | 'roc_auc') {
  const r = await runExperiment(
    frame,
    { target: 'label', baselineColumn: 'today', metric, maxTrials: 3, families: ['linear', 'gbdt'] },
    { runner: new InProcessRunner() },
  );
  expect(r.selectedFeatures).not.toContain('today');
  const a = await assess({
    frame,
    project: r.project,
    model: r.model,
    y: r.y,
    searchRows: r.searchRows,
    testRows: r.testRows,
    testPrediction: r.testPrediction,
  });
  return a;
}

describe('assess: the winner against the existing process', () => {
  it('says the model is better than a process that only looks at one input', async () => {
    const a = await verdictFor(
      frameWithBaseline(2000, (_t, x) => (x > 0 ? 1 : 0)),
      'accuracy',
    );
    expect(a.ab.verdict).toBe('better');
    expect(a.ab.test).toMatch(/McNemar/);
    expect(a.ab.message).toMatch(/^The model beats the existing process \("today"\)/);
  }, 60_000);

  it('says the existing process is better when it knows the answer', async () => {
    const a = await verdictFor(
      frameWithBaseline(2000, (t) => t),
      'accuracy',
    );
    expect(a.ab.verdict).toBe('worse');
  }, 60_000);

  it('finds no significant difference against an equally good process', async () => {
    // Both are right about 90 % of the time: the model (the label noise caps it) and a process that
    // errs on a random 10 % of rows.
    const rng = new Rng(9);
    const frame = frameWithBaseline(1000, (t) => (rng.next() < 0.1 ? 1 - t : t), 5);
    const a = await verdictFor(frame, 'accuracy');
    expect(a.ab.verdict).toBe('no-significant-difference');
    expect(a.ab.ci[0]).toBeLessThan(0);
    expect(a.ab.ci[1]).toBeGreaterThan(0);
  }, 60_000);

  it('checks the success criterion with the metric’s own interval', async () => {
    const frame = frameWithBaseline(1500, (_t, x) => (x > 0 ? 1 : 0));
    const r = await runExperiment(
      frame,
      { target: 'label', baselineColumn: 'today', successThreshold: 0.8, maxTrials: 2, families: ['linear'] },
      { runner: new InProcessRunner() },
    );
    const a = await assess({
      frame,
      project: r.project,
      model: r.model,
      y: r.y,
      searchRows: r.searchRows,
      testRows: r.testRows,
      testPrediction: r.testPrediction,
      explain: true,
    });
    expect(a.success?.met).toBe(true);
    expect(a.success?.message).toMatch(/^ROC AUC 0\.\d+ ≥ 0\.80: met; 95 % CI/);
    expect(a.metric.ci[0]).toBeLessThanOrEqual(a.metric.value);
    const imp = new Map(a.importance!.map((i) => [i.feature, i.mean]));
    expect(imp.get('a')!).toBeGreaterThan(0.05);
    expect(imp.get('b')!).toBeGreaterThan(0.05);
  }, 60_000);
});
