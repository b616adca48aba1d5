/**
 * Stage 4 of the experiment, the refit: the winner (one trial, or every member of a blend) fitted
 * again on every search row, or, on a large table whose refit would not fit the budget, on the
 * largest stratified sample that does (the run says so).
 */
import { subsampleRows } from '../eval/split.ts';
import type { Winner } from './choose-winner.ts';
import type { ExperimentPlan } from './experiment-plan.ts';
import { fitFinalModel, type FinalModel } from './model.ts';
import type { RunBudget } from './run-budget.ts';
import type { Reporter } from './search.ts';

export interface Refit {
  model: FinalModel;
  /** The rows the final model was fitted on. */
  trainRows: Int32Array;
}

/** `untimed`: fit on every search row without a deadline (a reproducible run, or the budget-too-short fallback). */
export async function refitWinner(plan: ExperimentPlan, winner: Winner, budget: RunBudget, untimed: boolean, report: Reporter): Promise<Refit> {
  const { searchRows, project, target } = plan;
  const untimedRun = plan.deterministic || untimed;
  // Only a large table (a holdout) is refitted on a sample: a k-fold table's refit takes seconds, and
  // a sample of it would cost far more quality than the moment it saves.
  const trainRows =
    untimedRun || !plan.anyFidelity
      ? searchRows
      : refitSample(
          searchRows,
          target.y,
          budget.refitSeconds(winner.members.map((m) => m.entry.id)),
          (budget.refitDeadline - Date.now()) / 1000 - budget.afterRefitSeconds,
          project.seed,
          plan.classification,
        );
  const name = winner.entry.name;
  report.phase(
    'refit',
    trainRows.length === searchRows.length
      ? `refitting ${name} on all ${searchRows.length} search rows`
      : `refitting ${name} on a stratified sample of ${trainRows.length} of the ${searchRows.length} search rows: all of them would not fit the budget`,
  );
  const model = await fitFinalModel(plan.ctx.frame, {
    target: project.target,
    task: project.task,
    classes: project.classes,
    encoded: target.y,
    trainRows,
    seed: project.seed,
    // The test split is predicted after the fit, inside the same tolerance.
    deadline: untimedRun ? undefined : budget.refitDeadline - budget.afterRefitSeconds * 1000,
    members: winner.members.map((m) => ({
      weight: m.weight,
      family: m.entry.family as Exclude<typeof m.entry.family, 'ensemble'>,
      params: m.entry.params,
      features: m.entry.features,
    })),
    binned: plan.ctx.binned,
  });
  return { model, trainRows };
}

/**
 * The rows of the final refit: every search row when the expected refit fits the seconds left, else
 * the largest stratified sample that does (fit time grows about linearly with rows), never fewer
 * than a tenth of them.
 */
export function refitSample(
  searchRows: Int32Array,
  y: Float64Array,
  expectedSeconds: number,
  secondsLeft: number,
  seed: number,
  stratify: boolean,
): Int32Array {
  // A margin of 30 %: with early stopping, more rows also mean more boosting rounds (bench/README.md).
  if (!(expectedSeconds > 0) || expectedSeconds * 1.3 <= secondsLeft) return searchRows;
  const share = Math.max(0.1, secondsLeft / (expectedSeconds * 1.3));
  if (share >= 0.95) return searchRows;
  return subsampleRows(searchRows, y, Math.round(searchRows.length * share), seed + 17, stratify);
}
