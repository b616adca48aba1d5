/**
 * Stage 2 of the experiment, the search: the scheduler proposes trials (portfolio, feature-selection
 * probe, sampled configurations, successive-halving promotions), the runner runs them, and every
 * result lands on the leaderboard. Two modes: a budgeted run keeps every slot busy and handles
 * whichever trial ends first; a reproducible run (--max-trials, no budget) runs batches of `slots`
 * trials and handles their results in id order, so the history the samplers see never depends on
 * which worker finished first. Cancelling keeps every finished trial.
 */
import type { DroppedFeature } from '../select/selection.ts';
import { isAbort } from '../util/abort.ts';
import { constrainedParams } from './constraints.ts';
import { constraintBreaks, SEARCH_MARGIN } from './deployment.ts';
import type { ExperimentPlan } from './experiment-plan.ts';
import { FeatureFilter } from './feature-filter.ts';
import { failedResult, toEntry } from './leaderboard-entry.ts';
import type { RunBudget, TrialRecords } from './run-budget.ts';
import type { TrialRunner } from './runner.ts';
import { Scheduler } from './scheduler.ts';
import type { ExperimentEvent, LeaderboardEntry, Phase, TrialResult, TrialSpec } from './types.ts';

/** The experiment's events, and a phase change as one. */
export interface Reporter {
  emit(e: ExperimentEvent): void;
  phase(p: Phase, message: string): void;
}

type Finished = { spec: TrialSpec; result: TrialResult | null };

export class Search implements TrialRecords {
  readonly leaderboard: LeaderboardEntry[] = [];
  readonly results = new Map<number, TrialResult>();
  readonly scheduler: Scheduler;
  /** The best entry that may win: successful, within the constraints, at full fidelity (any, under a holdout). */
  best: LeaderboardEntry | null = null;
  cancelled = false;
  /** The features the selection dropped, with the reasons. */
  droppedFeatures: DroppedFeature[] = [];
  private trialsStarted = 0;
  private readonly filter: FeatureFilter;
  private budget: Pick<RunBudget, 'searchDeadline'> | null = null;

  constructor(
    private readonly plan: ExperimentPlan,
    private readonly runner: TrialRunner,
    private readonly report: Reporter,
    /** When the user's wait began (ms since epoch), for the progress events. */
    private readonly started: number,
  ) {
    const { project } = plan;
    this.scheduler = new Scheduler({
      families: project.families,
      strategy: project.search,
      seed: project.seed,
      plan: plan.evaluation,
      searchRows: plan.searchRows.length,
      features: project.features,
      useMeasuredTimes: !plan.deterministic,
      budgetSeconds: project.budgetSeconds,
      sign: plan.sign,
    });
    this.filter = new FeatureFilter(plan.ctx.frame, project.features, plan.searchRows, plan.target.y, plan.classification, project.seed);
  }

  spec(id: number): TrialSpec | undefined {
    return this.scheduler.spec(id);
  }

  /** Runs trials until the budget, the trial count or a cancel ends the search. */
  async run(budget: Pick<RunBudget, 'searchDeadline'>, signal?: AbortSignal): Promise<void> {
    this.budget = budget;
    await this.runner.init(this.plan.ctx);
    this.report.phase('portfolio', 'trying each family’s proven defaults, cheapest first');
    const onAbort = () => {
      this.cancelled = true;
      this.runner.cancelAll();
    };
    signal?.addEventListener('abort', onAbort);
    if (signal?.aborted) this.cancelled = true;
    const ticker = setInterval(() => this.progress(), 500);
    try {
      await (this.plan.deterministic ? this.runBatches() : this.runRacing());
    } finally {
      clearInterval(ticker);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * A budget too short for a search still gets the quickest sound model: the cheapest family's first
   * proven configuration on all rows, fitted however long it takes. Returns the note saying so.
   */
  async fallback(): Promise<string | undefined> {
    if (this.best || this.cancelled) return undefined;
    const spec = this.scheduler.quickestSpec();
    if (!spec) return undefined;
    this.report.phase('search', `the budget was too short for a search: fitting ${spec.family}'s default configuration without a time limit`);
    const done = await this.launch(spec);
    if (done.result) this.record(done.spec, done.result);
    if (!this.best) return undefined;
    return `the budget was too short for a search, so this is the quickest sound model (${spec.family}'s default configuration), fitted without a time limit`;
  }

  /** Reproducible mode: batches of `slots` trials, handled in id order. */
  private async runBatches(): Promise<void> {
    while (this.canStart()) {
      const batch: TrialSpec[] = [];
      while (batch.length < this.runner.slots && this.canStart(batch.length)) {
        const spec = this.scheduler.next(this.deadline());
        if (!spec) break;
        batch.push(spec);
        // The probe's importance decides the features of every later trial: let it report first.
        if (spec.computeImportance) break;
      }
      if (batch.length === 0) break;
      const done = await Promise.all(batch.map((s) => this.launch(s)));
      for (const d of done.sort((a, b) => a.spec.id - b.spec.id)) if (d.result) this.record(d.spec, d.result);
    }
  }

  /** Budget mode: keep every slot busy; handle whichever trial finishes first. */
  private async runRacing(): Promise<void> {
    const running = new Map<number, Promise<Finished>>();
    for (;;) {
      while (running.size < this.runner.slots && this.canStart()) {
        const spec = this.scheduler.next(this.deadline(), (this.deadline() - Date.now()) / 1000);
        if (!spec) break;
        running.set(spec.id, this.launch(spec));
      }
      if (running.size === 0) break;
      const done = await Promise.race(running.values());
      running.delete(done.spec.id);
      if (done.result) this.record(done.spec, done.result);
    }
  }

  private deadline(): number {
    return this.budget!.searchDeadline(this.best);
  }

  /** Whether another trial may start, counting `queued` trials about to be launched. */
  private canStart(queued = 0): boolean {
    const { project, deterministic } = this.plan;
    if (this.cancelled) return false;
    if (project.maxTrials !== undefined && this.trialsStarted + queued >= project.maxTrials) return false;
    if (deterministic) return true;
    return Date.now() < this.deadline() - 200;
  }

  private launch(spec: TrialSpec): Promise<Finished> {
    const { project } = this.plan;
    this.trialsStarted++;
    // Monotonic effects travel in the trial's parameters (GBDT monotonic_cst, linear sign_cst).
    spec.params = constrainedParams(
      spec.family,
      spec.params,
      project.constraints?.monotonic,
      project.task === 'binary' && project.decision?.positiveClass === 0,
    );
    this.report.emit({ type: 'trial-started', trial: spec });
    return this.runner.run(spec).then(
      (result) => ({ spec, result }),
      (err) => ({ spec, result: isAbort(err) ? null : failedResult(spec, err) }),
    );
  }

  /** A finished trial: onto the leaderboard, into the scheduler, and (the probe) the feature selection. */
  private record(spec: TrialSpec, result: TrialResult): void {
    const { project, sign, anyFidelity } = this.plan;
    this.results.set(spec.id, result);
    const selectionBefore = this.scheduler.selectionOutcome;
    this.scheduler.record(result);
    if (selectionBefore === 'pending' && this.scheduler.selectionOutcome === 'reverted') {
      // The selected features scored worse than all of them: later trials use every feature again
      // (droppedFeatures keeps the reasons, reported only for columns the winner does not read).
      this.report.emit({ type: 'features', selected: project.features, dropped: [] });
      this.report.phase(
        'search',
        `keeping every feature: on the selected ones the median family scored ${Math.abs(this.scheduler.selectionEffect).toPrecision(2)} worse in cross-validation`,
      );
    }
    const entry = toEntry(spec, result);
    if (result.deployment) {
      entry.deployment = result.deployment;
      const breaks = constraintBreaks(project.constraints, result.deployment, SEARCH_MARGIN);
      if (breaks.length) entry.breaks = breaks;
    }
    this.leaderboard.push(entry);
    this.report.emit({ type: 'trial-finished', entry });
    const best = this.best;
    if (entry.status === 'ok' && !entry.breaks && (anyFidelity || spec.fidelity >= 1) && (!best || entry.cvScore * sign > best.cvScore * sign)) {
      this.best = entry;
      this.report.emit({ type: 'best', entry });
    }
    if (spec.computeImportance && !this.scheduler.selectionDone) this.selectFeatures(result);
    this.progress();
  }

  private selectFeatures(probe: TrialResult): void {
    this.report.phase('feature-selection', 'choosing features from permutation importance and mutual information');
    const decision = this.filter.decide(probe);
    this.droppedFeatures = decision.dropped;
    this.scheduler.applySelection(decision.selected);
    this.report.emit({ type: 'features', selected: decision.selected, dropped: decision.dropped });
    this.report.phase('search', `searching with ${this.plan.project.search}`);
  }

  private progress(): void {
    const { project, deterministic } = this.plan;
    const elapsed = (Date.now() - this.started) / 1000;
    const trials = this.leaderboard.length;
    const fraction = deterministic ? trials / project.maxTrials! : Math.min(1, elapsed / project.budgetSeconds);
    const remainingSeconds = deterministic ? NaN : Math.max(0, project.budgetSeconds - elapsed);
    this.report.emit({ type: 'progress', elapsedSeconds: elapsed, remainingSeconds, trials, fraction });
  }
}
