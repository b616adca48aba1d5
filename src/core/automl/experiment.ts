/**
 * The Experiment: goal → plan → search (trials, feature selection) → winner (ensemble, parsimony,
 * Occam's blend) → refit → test score → trust. Each stage is a module of its own; this reads as
 * their table of contents.
 *
 * Protocol: a stratified test split is set aside first and never reaches the search, the selection or
 * the ensemble; trials are k-fold cross-validated on the rest; the winner (a single pipeline or a
 * Caruana ensemble of them) is refitted on every search row and scored once on the test split.
 * The whole run, refit included, respects the time budget; cancelling keeps every finished trial.
 */
import type { Frame } from '../data/frame.ts';
import type { Prediction } from '../eval/metrics.ts';
import type { DroppedFeature } from '../select/selection.ts';
import type { ConformalReport } from '../eval/conformal-report.ts';
import { chooseWinner } from './choose-winner.ts';
import type { DecisionReport } from './decisions.ts';
import { oofSample, selectEnsemble } from './ensemble-selection.ts';
import { describePlan, planExperiment } from './experiment-plan.ts';
import type { FinalModel } from './model.ts';
import type { MonotonicCheck } from './monotonic-check.ts';
import { rankLeaderboard } from './ranking.ts';
import { refitWinner } from './refit.ts';
import { RunBudget } from './run-budget.ts';
import type { TrialRunner } from './runner.ts';
import { scoreTest, type ConstraintsResult } from './score-test.ts';
import { Search, type Reporter } from './search.ts';
import type { ExperimentEvent, LeaderboardEntry, ProjectDefinition, ResolvedProject, ValidationSummary } from './types.ts';
import { winnerTrust } from './winner-trust.ts';

export type { ConstraintsResult } from './score-test.ts';

export interface ExperimentOptions {
  runner: TrialRunner;
  onEvent?: (e: ExperimentEvent) => void;
  signal?: AbortSignal;
  /**
   * When the user's wait began (ms since epoch; default: now). The budget counts from here, so that
   * what the host did before (reading, starting workers) is inside it.
   */
  startedAt?: number;
  /**
   * Seconds the host needs after this returns (the A/B comparison, explanations, writing results):
   * the search and the refit end that much before the budget does.
   */
  reserveAfterSeconds?: number;
  /** KB of a bundle besides its model files (runtime, server, card), for size limits; default DEFAULT_BUNDLE_BASE_KB. */
  bundleBaseKb?: number;
}

export interface ExperimentResult {
  project: ResolvedProject;
  leaderboard: LeaderboardEntry[];
  winner: LeaderboardEntry;
  model: FinalModel;
  searchRows: Int32Array;
  testRows: Int32Array;
  /** The encoded target over all frame rows (NaN where missing). */
  y: Float64Array;
  test: Record<string, number>;
  testPrediction: Prediction;
  selectedFeatures: string[];
  droppedFeatures: DroppedFeature[];
  elapsedSeconds: number;
  trials: number;
  cancelled: boolean;
  folds: number;
  /** How trials were validated, and why (k-fold, repeated k-fold or one holdout). */
  validation: ValidationSummary;
  /** Rows the final model was fitted on: every search row, or a stated sample when they did not fit the budget. */
  refitRows: number;
  /** The conformal intervals or sets on the test split (calibrated out of fold; automl/trust.ts). */
  conformal?: ConformalReport;
  /** Why there is no conformal report, when there is none. */
  conformalNote?: string;
  /** Calibration and the decision threshold (fitted out of fold), reported on the test split. */
  decisions: DecisionReport;
  /** Monotonic effects verified on every test row's ICE curve (when the project sets them). */
  monotonicChecks?: MonotonicCheck[];
  /** The deployment constraints with the final model's measured figures (when the project sets any). */
  constraints?: ConstraintsResult;
}

export async function runExperiment(frame: Frame, def: ProjectDefinition, opts: ExperimentOptions): Promise<ExperimentResult> {
  const started = opts.startedAt ?? Date.now();
  const report: Reporter = {
    emit: (e) => opts.onEvent?.(e),
    phase: (phase, message) => opts.onEvent?.({ type: 'phase', phase, message }),
  };
  // 1. Plan: the project resolved once, the test split held out, the folds of the search rows.
  const plan = planExperiment(frame, def, opts.bundleBaseKb);
  const { project, searchRows, testRows, evaluation } = plan;
  report.emit({
    type: 'run-started',
    project,
    searchRows: searchRows.length,
    testRows: testRows.length,
    folds: evaluation.folds,
    repeats: evaluation.repeats,
    workers: opts.runner.slots,
    validation: plan.validation,
  });
  report.phase('preparing', describePlan(plan));

  // 2. Search: trials until the budget (less what the later stages need) or the trial count is spent.
  const search = new Search(plan, opts.runner, report, started);
  const budget = new RunBudget(plan, search, started, opts.reserveAfterSeconds ?? 0);
  await search.run(budget, opts.signal);

  // 3. Choose the winner: the ensemble, a parsimonious single trial, Occam's blend.
  report.phase('ensemble', 'building an ensemble from out-of-fold predictions');
  const refitFits = (ids: number[]) => budget.refitFits(ids, search.cancelled);
  const sample = oofSample(plan, search.results);
  const ensemble = selectEnsemble({
    plan,
    board: search.leaderboard,
    results: search.results,
    sample,
    refitFits,
    refitSeconds: (ids) => budget.refitSeconds(ids),
  });
  const fallbackNote = await search.fallback();
  // No trial runs after this: the trial workers end now and free their heaps before the refit, not
  // after the explanations (at 1M rows the page's renderer fell by 270 MB when they ended).
  await opts.runner.close();
  if (!search.best) throw noWinner(search.leaderboard, search.cancelled);
  const occamDeadline = () => (plan.deterministic ? undefined : Date.now() + 1000 * budget.occamSeconds);
  const winner = chooseWinner({ plan, search, ensemble, sample, refitFits, occamDeadline, fallbackNote, report });

  // 4. Refit the winner on the search rows; 5. score it once on the test split; 6. calibrate its trust.
  const refit = await refitWinner(plan, winner, budget, !!fallbackNote, report);
  const scored = await scoreTest(plan, winner, search.results, refit.model, opts.bundleBaseKb);
  const trust = await winnerTrust(plan, search, winner, refit, scored, budget);
  const elapsedSeconds = (Date.now() - started) / 1000;
  report.phase('done', `finished in ${elapsedSeconds.toFixed(1)} s`);
  report.emit({ type: 'run-finished', elapsedSeconds, cancelled: search.cancelled });

  const selectedFeatures = [...new Set(winner.members.flatMap((m) => m.entry.features))];
  return {
    project,
    leaderboard: rankLeaderboard(search.leaderboard, plan.sign),
    winner: winner.entry,
    model: refit.model,
    searchRows,
    testRows,
    y: plan.target.y,
    test: scored.test,
    testPrediction: scored.testPrediction,
    selectedFeatures,
    droppedFeatures: mergeDropped(project, selectedFeatures, search.droppedFeatures),
    elapsedSeconds,
    trials: search.leaderboard.filter((e) => e.family !== 'ensemble').length,
    cancelled: search.cancelled,
    folds: evaluation.folds,
    validation: plan.validation,
    refitRows: refit.trainRows.length,
    conformal: trust.conformalReport,
    conformalNote: trust.conformalNote,
    decisions: scored.decisions,
    ...(scored.monotonicChecks ? { monotonicChecks: scored.monotonicChecks } : {}),
    ...(scored.constraints ? { constraints: scored.constraints } : {}),
  };
}

/** Why no model won: the constraints ruled every trial out, the run was cancelled first, or every trial failed. */
function noWinner(board: LeaderboardEntry[], cancelled: boolean): Error {
  if (board.some((e) => e.breaks)) {
    return new Error(
      `no model met the deployment constraints: ${board
        .filter((e) => e.breaks)
        .slice(0, 3)
        .map((e) => `${e.name} ${e.breaks!.join(', ')}`)
        .join('; ')}`,
    );
  }
  return new Error(
    cancelled
      ? 'the run was cancelled before any trial finished'
      : 'no trial finished successfully: ' + (board.find((e) => e.error)?.error ?? 'the budget was too short for even one model'),
  );
}

/** The columns the winner does not read, with the reason: removed up front, dropped by the selection, or unused. */
function mergeDropped(project: ResolvedProject, selected: string[], fromSelection: DroppedFeature[]): DroppedFeature[] {
  const out: DroppedFeature[] = [...project.removed];
  const chosen = new Set(selected);
  for (const d of fromSelection) if (!chosen.has(d.name)) out.push(d);
  for (const f of project.features) {
    if (!chosen.has(f) && !out.some((d) => d.name === f)) out.push({ name: f, reason: 'not used by the winning model' });
  }
  return out;
}
