/**
 * The experiment on screen: its leaderboard, progress, backends and results, built from the engine's
 * events. Events are queued and applied once per animation frame, so a burst of fast trials costs the
 * page one render, not one per trial (the main thread stays free during a run).
 *
 * `$state.raw` throughout: arrays are replaced whole on each flush, never mutated.
 */
import type { ExperimentEvent, LeaderboardEntry, Phase, ProjectDefinition, ResolvedProject, ValidationSummary } from '../core/automl/types.ts';
import type { BackendSummary } from './backend-summary.ts';
import type { RunSummary } from './run-results.ts';
import type { ExperimentRecord, ExperimentStatus } from './store.ts';

export type RunStatus = 'idle' | 'starting' | ExperimentStatus | 'cancelling';

export interface RunProgress {
  fraction: number;
  elapsedSeconds: number;
  remainingSeconds: number;
  trials: number;
}

class RunState {
  experimentId = $state<string | null>(null);
  fileName = $state('');
  status = $state<RunStatus>('idle');
  definition = $state.raw<ProjectDefinition | null>(null);
  project = $state.raw<ResolvedProject | null>(null);
  /** This run's finished trials, in finishing order. */
  entries = $state.raw<LeaderboardEntry[]>([]);
  /** Trials of earlier, interrupted runs of this experiment. */
  earlier = $state.raw<LeaderboardEntry[]>([]);
  runStartedAt = $state(0);
  runs = $state(0);
  phase = $state<Phase | null>(null);
  phaseMessage = $state('');
  progress = $state.raw<RunProgress | null>(null);
  /** Trials running right now. */
  inFlight = $state(0);
  searchRows = $state(0);
  testRows = $state(0);
  folds = $state(0);
  /** Times the k-fold split is repeated (2 or 3 on small tables). */
  repeats = $state(1);
  /** How trials are validated (k-fold, repeated k-fold, or a holdout on a large table), and why. */
  validation = $state.raw<ValidationSummary | null>(null);
  backend = $state.raw<BackendSummary | null>(null);
  summary = $state.raw<RunSummary | null>(null);
  message = $state<string | null>(null);
  /** The selection decision made during the run (after the probe trial), for the later trials. */
  selection = $state.raw<{ selected: string[]; dropped: { name: string; reason: string }[] } | null>(null);

  #queue: ExperimentEvent[] = [];
  #scheduled = false;
  #onFlush: (() => void) | null = null;

  get active(): boolean {
    return this.status === 'starting' || this.status === 'running' || this.status === 'cancelling';
  }

  /** Called after each batch of events is applied (the workspace saves the leaderboard then). */
  onFlush(listener: () => void): void {
    this.#onFlush = listener;
  }

  clear(): void {
    this.#queue = [];
    this.experimentId = null;
    this.fileName = '';
    this.status = 'idle';
    this.definition = null;
    this.project = null;
    this.entries = [];
    this.earlier = [];
    this.runStartedAt = 0;
    this.runs = 0;
    this.phase = null;
    this.phaseMessage = '';
    this.progress = null;
    this.inFlight = 0;
    this.searchRows = 0;
    this.testRows = 0;
    this.folds = 0;
    this.repeats = 1;
    this.validation = null;
    this.summary = null;
    this.message = null;
    this.selection = null;
  }

  /** Shows a saved experiment (a reload, or one reopened from the list). */
  show(record: ExperimentRecord, summary: RunSummary | null): void {
    this.clear();
    this.experimentId = record.id;
    this.fileName = record.fileName;
    this.status = record.status;
    this.definition = record.definition;
    this.project = record.project ?? null;
    this.entries = record.leaderboard;
    this.earlier = record.earlier;
    this.runStartedAt = record.runStartedAt;
    this.runs = record.runs;
    this.backend = record.backend ?? null;
    this.message = record.message ?? null;
    this.summary = summary;
    if (summary) {
      this.progress = { fraction: 1, elapsedSeconds: summary.elapsedSeconds, remainingSeconds: 0, trials: summary.trials };
      this.phase = 'done';
    }
  }

  /** A run of `record` starts now (its earlier trials already moved to `record.earlier` by the caller). */
  begin(record: ExperimentRecord): void {
    this.clear();
    this.experimentId = record.id;
    this.fileName = record.fileName;
    this.status = 'starting';
    this.definition = record.definition;
    this.earlier = record.earlier;
    this.runStartedAt = record.runStartedAt;
    this.runs = record.runs;
    this.phaseMessage = 'starting the workers';
  }

  enqueue(event: ExperimentEvent): void {
    this.#queue.push(event);
    if (this.#scheduled) return;
    this.#scheduled = true;
    // rAF pauses in a background tab; the timer keeps the leaderboard (and its saving) going there.
    const flush = () => this.flush();
    const timer = setTimeout(flush, 250);
    requestAnimationFrame(() => {
      clearTimeout(timer);
      flush();
    });
  }

  /** Applies every queued event at once. */
  flush(): void {
    if (!this.#scheduled) return;
    this.#scheduled = false;
    const events = this.#queue;
    this.#queue = [];
    if (events.length === 0) return;
    let entries: LeaderboardEntry[] | null = null;
    for (const event of events) {
      switch (event.type) {
        case 'run-started':
          this.project = event.project;
          this.searchRows = event.searchRows;
          this.testRows = event.testRows;
          this.folds = event.folds;
          this.repeats = event.repeats;
          this.validation = event.validation ?? null;
          if (this.status === 'starting') this.status = 'running';
          break;
        case 'phase':
          this.phase = event.phase;
          this.phaseMessage = event.message;
          break;
        case 'trial-started':
          this.inFlight++;
          break;
        case 'trial-finished':
          entries ??= [...this.entries];
          entries.push(event.entry);
          if (event.entry.family !== 'ensemble') this.inFlight = Math.max(0, this.inFlight - 1);
          break;
        case 'features':
          this.selection = { selected: event.selected, dropped: event.dropped };
          break;
        case 'progress':
          this.progress = { fraction: event.fraction, elapsedSeconds: event.elapsedSeconds, remainingSeconds: event.remainingSeconds, trials: event.trials };
          break;
        case 'run-finished':
          this.inFlight = 0;
          break;
        case 'best':
          break;
      }
    }
    if (entries) this.entries = entries;
    this.#onFlush?.();
  }

  /** The run ended with results (finished, or cancelled after some trials). */
  finish(summary: RunSummary): void {
    this.flush();
    this.summary = summary;
    this.status = summary.cancelled ? 'cancelled' : 'finished';
    this.project = summary.project;
    this.phase = 'done';
    this.inFlight = 0;
    this.progress = { fraction: 1, elapsedSeconds: summary.elapsedSeconds, remainingSeconds: 0, trials: summary.trials };
    this.message = summary.cancelled ? 'Cancelled: the best model found so far was refitted and tested.' : null;
  }

  /** The run ended without results. */
  fail(status: 'failed' | 'cancelled', message: string): void {
    this.flush();
    this.status = status;
    this.inFlight = 0;
    this.message = message;
  }
}

export const runState = new RunState();
