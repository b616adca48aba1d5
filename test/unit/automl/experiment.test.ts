import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../../src/core/automl/experiment.ts';
import { ProjectError, resolveProject } from '../../../src/core/automl/project.ts';
import { InProcessRunner } from '../../../src/core/automl/runner.ts';
import type { ExperimentEvent } from '../../../src/core/automl/types.ts';
import type { Frame } from '../../../src/core/data/frame.ts';
import { Rng } from '../../../src/core/util/random.ts';

/**
 * y depends on a (linear), b × c (an interaction only: neither matters alone) and |d| > 1
 * (non-linear, zero correlation); noise1..noise4 are pure noise.
 */
function syntheticFrame(n: number, seed: number): Frame {
  const rng = new Rng(seed);
  const cols: Record<string, Float64Array> = {};
  for (const name of ['a', 'b', 'c', 'd', 'noise1', 'noise2', 'noise3', 'noise4']) {
    cols[name] = Float64Array.from({ length: n }, () => rng.normal());
  }
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const score = 1.2 * cols.a[i] + 2.0 * Math.sign(cols.b[i] * cols.c[i]) + 2.0 * (Math.abs(cols.d[i]) > 1 ? 1 : -1) + 0.5 * rng.normal();
    codes[i] = score > 0 ? 1 : 0;
  }
  return {
    rows: n,
    columns: [
      ...Object.entries(cols).map(([name, values]) => ({ name, type: 'numeric' as const, storage: 'numeric' as const, values })),
      { name: 'label', type: 'categorical' as const, storage: 'categorical' as const, codes, levels: ['no', 'yes'] },
    ],
  };
}

describe('resolveProject', () => {
  const frame = syntheticFrame(200, 1);
  it('infers the task and default metric', () => {
    const { project } = resolveProject(frame, { target: 'label' });
    expect(project.task).toBe('binary');
    expect(project.metric).toBe('roc_auc');
    expect(project.features).toHaveLength(8);
  });
  it('rejects an unknown target, a one-class target and a metric of the wrong kind', () => {
    expect(() => resolveProject(frame, { target: 'nope' })).toThrow(ProjectError);
    expect(() => resolveProject(frame, { target: 'nope' })).toThrow(/unknown target "nope"/);
    const oneClass: Frame = {
      ...frame,
      columns: [...frame.columns.slice(0, 8), { name: 'label', type: 'categorical', storage: 'categorical', codes: new Int32Array(200), levels: ['x'] }],
    };
    expect(() => resolveProject(oneClass, { target: 'label' })).toThrow(/nothing to predict/);
    expect(() => resolveProject(frame, { target: 'label', metric: 'rmse' })).toThrow(/metric "rmse" is for regression/);
  });
});

describe('runExperiment', () => {
  it('drops pure-noise columns and keeps linear, interaction and non-linear ones', async () => {
    const frame = syntheticFrame(1500, 7);
    const events: ExperimentEvent[] = [];
    const result = await runExperiment(
      frame,
      { target: 'label', maxTrials: 6, families: ['gbdt', 'linear'], seed: 0 },
      { runner: new InProcessRunner(), onEvent: (e) => events.push(e) },
    );
    expect(new Set(result.selectedFeatures)).toEqual(new Set(['a', 'b', 'c', 'd']));
    const dropped = new Map(result.droppedFeatures.map((d) => [d.name, d.reason]));
    for (const n of ['noise1', 'noise2', 'noise3', 'noise4']) expect(dropped.get(n)).toMatch(/information/);
    expect(result.test.roc_auc).toBeGreaterThan(0.9);
    expect(events.some((e) => e.type === 'features')).toBe(true);
    expect(events.filter((e) => e.type === 'trial-finished').length).toBeGreaterThanOrEqual(6);
    expect(events.at(-1)?.type).toBe('run-finished');
  }, 120_000);

  it('ends the trial runner once the search is over, before the refit', async () => {
    const log: string[] = [];
    class LoggingRunner extends InProcessRunner {
      override async close(): Promise<void> {
        log.push('close');
        await super.close();
      }
    }
    const onEvent = (e: ExperimentEvent) => log.push(e.type === 'phase' ? `phase ${e.phase}` : e.type);
    await runExperiment(syntheticFrame(400, 2), { target: 'label', maxTrials: 3, families: ['linear'], seed: 1 }, { runner: new LoggingRunner(), onEvent });
    const closed = log.indexOf('close');
    expect(closed).toBeGreaterThan(log.lastIndexOf('trial-finished'));
    expect(closed).toBeLessThan(log.indexOf('phase refit'));
  }, 60_000);

  it('gives the same leaderboard for the same seed and trial count', async () => {
    const frame = syntheticFrame(600, 3);
    const run = async () => {
      const r = await runExperiment(
        frame,
        { target: 'label', maxTrials: 8, families: ['gbdt', 'linear', 'naive_bayes'], seed: 5, search: 'tpe' },
        { runner: new InProcessRunner() },
      );
      return r.leaderboard.map((e) => ({ name: e.name, params: e.params, score: e.cvScore, features: e.features }));
    };
    expect(await run()).toEqual(await run());
  }, 120_000);

  it('ends within the time budget and keeps finished trials when cancelled', async () => {
    const frame = syntheticFrame(3000, 4);
    const started = Date.now();
    const r = await runExperiment(frame, { target: 'label', budgetSeconds: 4, families: ['gbdt', 'linear'] }, { runner: new InProcessRunner() });
    expect((Date.now() - started) / 1000).toBeLessThan(4 + 2);
    expect(r.trials).toBeGreaterThan(1);

    const controller = new AbortController();
    let finished = 0;
    const c = await runExperiment(
      frame,
      { target: 'label', budgetSeconds: 60, families: ['gbdt', 'linear'] },
      {
        runner: new InProcessRunner(),
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'trial-finished' && ++finished === 2) controller.abort();
        },
      },
    );
    expect(c.cancelled).toBe(true);
    expect(c.trials).toBeGreaterThanOrEqual(2);
    expect(c.elapsedSeconds).toBeLessThan(30);
  }, 120_000);
});
