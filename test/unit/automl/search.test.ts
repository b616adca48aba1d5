import { describe, expect, it } from 'vitest';
import { planExperiment } from '../../../src/core/automl/experiment-plan.ts';
import { RunBudget } from '../../../src/core/automl/run-budget.ts';
import { InProcessRunner } from '../../../src/core/automl/runner.ts';
import { Search } from '../../../src/core/automl/search.ts';
import { recorder, searched, smallTable } from './stage-fixtures.ts';

describe('Search', () => {
  it('runs the trial count, puts every trial on the leaderboard and tracks the best full-fidelity one', async () => {
    const { search, report, plan } = await searched({ maxTrials: 4 });
    expect(search.leaderboard).toHaveLength(4);
    expect(search.results.size).toBe(4);
    const ok = search.leaderboard.filter((e) => e.status === 'ok' && e.fidelity >= 1);
    const top = Math.max(...ok.map((e) => e.cvScore * plan.sign));
    expect(search.best!.cvScore * plan.sign).toBe(top);
    expect(report.events.filter((e) => e.type === 'trial-started')).toHaveLength(4);
    expect(report.events.filter((e) => e.type === 'trial-finished')).toHaveLength(4);
    expect(search.cancelled).toBe(false);
    // Ids in order: a reproducible run handles results in id order.
    expect(search.leaderboard.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    expect(search.spec(1)?.family).toBeDefined();
  });
  it('stops at once when cancelled before it starts, keeping nothing unfinished', async () => {
    const controller = new AbortController();
    controller.abort();
    const plan = planExperiment(smallTable(), { target: 'y', maxTrials: 4, families: ['linear'] });
    const search = new Search(plan, new InProcessRunner(), recorder(), Date.now());
    await search.run(new RunBudget(plan, search, Date.now(), 0), controller.signal);
    expect(search.cancelled).toBe(true);
    expect(search.leaderboard).toHaveLength(0);
    expect(await search.fallback()).toBeUndefined();
  });
});
