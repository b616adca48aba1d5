/** A small binary table and the experiment's stages run on it up to a chosen one, for the stage tests. */
import { chooseWinner, type Winner } from '../../../src/core/automl/choose-winner.ts';
import { oofSample, selectEnsemble } from '../../../src/core/automl/ensemble-selection.ts';
import { planExperiment, type ExperimentPlan } from '../../../src/core/automl/experiment-plan.ts';
import { RunBudget } from '../../../src/core/automl/run-budget.ts';
import { InProcessRunner } from '../../../src/core/automl/runner.ts';
import { Search, type Reporter } from '../../../src/core/automl/search.ts';
import type { ExperimentEvent, ProjectDefinition } from '../../../src/core/automl/types.ts';
import type { Frame } from '../../../src/core/data/frame.ts';
import { Rng } from '../../../src/core/util/random.ts';
import { cat, frame, num } from '../../helpers/frames.ts';

/** y = 1 when 2a − b + noise > 0; `noise` is pure noise. */
export function smallTable(n = 240, seed = 5): Frame {
  const rng = new Rng(seed);
  const a = Array.from({ length: n }, () => rng.normal());
  const b = Array.from({ length: n }, () => rng.normal());
  const noise = Array.from({ length: n }, () => rng.normal());
  const y = a.map((v, i) => (2 * v - b[i] + 0.5 * rng.normal() > 0 ? 'yes' : 'no'));
  return frame(num('a', a), num('b', b), num('noise', noise), cat('y', y));
}

export function recorder(): Reporter & { events: ExperimentEvent[] } {
  const events: ExperimentEvent[] = [];
  return { events, emit: (e) => events.push(e), phase: (phase, message) => events.push({ type: 'phase', phase, message }) };
}

export interface Searched {
  plan: ExperimentPlan;
  search: Search;
  budget: RunBudget;
  report: ReturnType<typeof recorder>;
}

/** Plans and searches `def` (default: 4 trials of linear and naive Bayes) on the small table. */
export async function searched(def: Partial<ProjectDefinition> = {}): Promise<Searched> {
  const plan = planExperiment(smallTable(), { target: 'y', maxTrials: 4, families: ['linear', 'naive_bayes'], seed: 2, ...def });
  const report = recorder();
  const search = new Search(plan, new InProcessRunner(), report, Date.now());
  const budget = new RunBudget(plan, search, Date.now(), 0);
  await search.run(budget);
  return { plan, search, budget, report };
}

/** ... and chooses the winner. */
export async function chosen(def: Partial<ProjectDefinition> = {}): Promise<Searched & { winner: Winner }> {
  const s = await searched(def);
  const { plan, search, budget, report } = s;
  const sample = oofSample(plan, search.results);
  const refitFits = (ids: number[]) => budget.refitFits(ids, false);
  const ensemble = selectEnsemble({
    plan,
    board: search.leaderboard,
    results: search.results,
    sample,
    refitFits,
    refitSeconds: (ids) => budget.refitSeconds(ids),
  });
  const winner = chooseWinner({ plan, search, ensemble, sample, refitFits, occamDeadline: () => undefined, report });
  return { ...s, winner };
}
