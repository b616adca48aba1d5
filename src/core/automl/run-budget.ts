/**
 * The time budget of one experiment: when the search must stop so that what follows it still fits
 * (ensemble selection and Occam's blend, the refit, scoring the test split, the decision layer and
 * the trust report), and whether a refit of some trials fits what is left.
 *
 * Refit times are estimated from the trials themselves: one fold's fit, per training row, scaled to
 * every search row (fit time grows about linearly in rows).
 */
import { configKey } from '../search/space.ts';
import type { ExperimentPlan } from './experiment-plan.ts';
import { trainRowsPerFit } from './plan.ts';
import type { LeaderboardEntry, TrialResult, TrialSpec } from './types.ts';

/** What the budget reads of the search: its results and each trial's spec. */
export interface TrialRecords {
  readonly results: Map<number, TrialResult>;
  spec(id: number): TrialSpec | undefined;
}

/**
 * At most this share of the budget is held back for the refit: beyond it the final model trains on a
 * sample of the search rows (stated) rather than leaving the search no time at all.
 */
const MAX_REFIT_SHARE = 0.4;

export class RunBudget {
  /** Absolute ms at which the run should end (the host's own work after it excluded). */
  readonly end: number;
  /** Seconds for scoring the test split, the decision layer and the trust report, after the refit. */
  readonly afterRefitSeconds: number;
  /** At most this long for the Occam blend's bootstrap (it stops early on a large table anyway). */
  readonly occamSeconds: number;
  /** The refit may use the budget's 5 % tolerance: a truncated final model would be worse than late. */
  readonly refitDeadline: number;
  private readonly fitRows: number;

  constructor(
    private readonly plan: ExperimentPlan,
    private readonly trials: TrialRecords,
    readonly started: number,
    reserveAfterSeconds: number,
  ) {
    const { project, searchRows, testRows, oofRows, classification } = plan;
    this.end = started + (project.budgetSeconds - reserveAfterSeconds) * 1000;
    this.fitRows = trainRowsPerFit(plan.evaluation, searchRows.length);
    // Predicting the test split, with a margin (a large table's test split takes a while); the
    // calibration choice and the decision report's bootstraps (cross-fitted on the out-of-fold rows);
    // the conformal calibration and the drift profile (on ≤ 200,000 rows); bench/README.md has the
    // measurements behind the rates.
    // Both of the latter work class by class with more than two classes (a calibrator and a set
    // score per class), so they scale with rows × classes there.
    const testSeconds = 0.5 + testRows.length / 100_000;
    const perClass = classification && project.nClasses > 2 ? project.nClasses : 1;
    const decisionSeconds = classification ? 0.3 + (oofRows.length * perClass) / (perClass > 1 ? 80_000 : 60_000) : 0;
    const trustSeconds = 0.2 + (Math.min(searchRows.length, 200_000) * perClass) / (perClass > 1 ? 120_000 : 80_000);
    this.afterRefitSeconds = testSeconds + decisionSeconds + trustSeconds;
    this.occamSeconds = classification ? 0.5 + Math.min(searchRows.length, 8000) / 8000 : 0;
    this.refitDeadline = this.end + 0.6 * Math.max(2000, 50 * project.budgetSeconds);
  }

  /**
   * Seconds per training row of a trial's configuration: the least over every trial of the same
   * family and parameters (a trial that ran while the workers started, or beside a slow one, is
   * slower than the same fit alone).
   */
  fitSecondsPerRow(id: number): number {
    const spec = this.trials.spec(id);
    if (!spec) return 0;
    const key = configKey(spec.family, spec.params);
    let best = Infinity;
    for (const [other, result] of this.trials.results) {
      const s = this.trials.spec(other);
      if (!s || result.status !== 'ok' || !(result.foldFitSeconds > 0) || configKey(s.family, s.params) !== key) continue;
      best = Math.min(best, result.foldFitSeconds / Math.max(1, this.fitRows * s.fidelity));
    }
    return Number.isFinite(best) ? best : 0;
  }

  /** Expected seconds to refit these trials on all search rows. */
  refitSeconds(ids: number[]): number {
    return ids.reduce((a, id) => a + this.fitSecondsPerRow(id) * this.plan.searchRows.length, 0);
  }

  /**
   * Seconds kept back after the search: ensemble selection (on ≤ 8,000 sampled out-of-fold rows,
   * however large the validation split) and the Occam blend, then refitting the best entry, scoring
   * the test, the decision layer and the trust report.
   */
  reserveSeconds(best: LeaderboardEntry | null): number {
    const ensembleSeconds = 0.5 + Math.min(this.plan.oofRows.length, 8000) / 40000 + this.occamSeconds;
    if (!best) return 1 + ensembleSeconds + this.afterRefitSeconds;
    const refit = this.refitSeconds(best.members ? best.members.map((m) => m.id) : [best.id]);
    // A safety factor of 2 on quick refits (their timing is noisy); long ones are measured well enough.
    const refitReserve = Math.min(refit > 5 ? 1.25 * refit : 2 * refit, MAX_REFIT_SHARE * this.plan.project.budgetSeconds);
    return refitReserve + ensembleSeconds + this.afterRefitSeconds;
  }

  /** When the search must stop (never, in a reproducible run). */
  searchDeadline(best: LeaderboardEntry | null): number {
    return this.plan.deterministic ? Infinity : this.end - this.reserveSeconds(best) * 1000;
  }

  /** Whether refitting these trials on all search rows still fits the budget (with a margin of 1.5). */
  refitFits(ids: number[], cancelled: boolean): boolean {
    return this.plan.deterministic || cancelled || Date.now() + 1.5 * this.refitSeconds(ids) * 1000 < this.end;
  }
}
