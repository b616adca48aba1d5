/**
 * How a run changes its experiment's saved record: a new experiment from the Goal form, another run
 * of one (resumed or restarted), the record of a run that ended, and of one a reload interrupted.
 * Plain functions of the record, so that the run controller only decides when, and tests can check what.
 */
import type { LeaderboardEntry, ProjectDefinition, ResolvedProject } from '../core/automl/types.ts';
import type { BackendSummary } from './backend-summary.ts';
import type { RunSummary } from './run-results.ts';
import type { ExperimentRecord } from './store.ts';

export type RunMode = 'new' | 'resume' | 'restart';

/** A new experiment, running its first run from now. */
export function newExperimentRecord(
  id: string,
  dataset: { datasetId: string; fileName: string },
  definition: ProjectDefinition,
  champion: { id: string; name: string } | undefined,
  now: number,
): ExperimentRecord {
  return {
    id,
    datasetId: dataset.datasetId,
    fileName: dataset.fileName,
    createdAt: now,
    updatedAt: now,
    definition,
    status: 'running',
    runStartedAt: now,
    runs: 1,
    leaderboard: [],
    earlier: [],
    hasResults: false,
    ...(champion ? { champion } : {}),
  };
}

/** Another run of a saved experiment: resume keeps what the interrupted run finished (shown, marked); restart starts clean. */
export function rerunRecord(previous: ExperimentRecord, mode: Exclude<RunMode, 'new'>, now: number): ExperimentRecord {
  return {
    ...previous,
    status: 'running',
    updatedAt: now,
    runStartedAt: now,
    runs: previous.runs + 1,
    earlier: mode === 'resume' ? [...previous.earlier, ...previous.leaderboard] : [],
    leaderboard: [],
    message: undefined,
    hasResults: false,
    best: undefined,
    testScore: undefined,
  };
}

/** What the run showed when it ended: its trials, the resolved project, the backends, its message. */
export interface RunOutcome {
  entries: LeaderboardEntry[];
  project: ResolvedProject | null;
  backend: BackendSummary | null;
  message: string | null;
}

/** The record of a finished (or cancelled with a winner) run; `hasResults` is set once they are saved. */
export function finishedRecord(record: ExperimentRecord, summary: RunSummary, run: RunOutcome, now: number): ExperimentRecord {
  return {
    ...record,
    status: summary.cancelled ? 'cancelled' : 'finished',
    updatedAt: now,
    leaderboard: run.entries,
    project: summary.project,
    backend: run.backend ?? undefined,
    message: run.message ?? undefined,
    best: { name: summary.winner.name, cvScore: summary.winner.cvScore },
    testScore: summary.test[summary.project.metric],
    hasResults: false,
  };
}

/** The record of a run that ended without a model (failed, or cancelled before any trial finished). */
export function failedRecord(record: ExperimentRecord, cancelled: boolean, run: RunOutcome, now: number): ExperimentRecord {
  return {
    ...record,
    status: cancelled ? 'cancelled' : 'failed',
    updatedAt: now,
    leaderboard: run.entries,
    project: run.project ?? undefined,
    backend: run.backend ?? undefined,
    message: run.message ?? undefined,
  };
}

/** A run whose page was closed or reloaded while it ran: its finished trials are kept, to resume or restart. */
export function interruptedRecord(record: ExperimentRecord): ExperimentRecord {
  const n = record.leaderboard.length;
  return {
    ...record,
    status: 'interrupted',
    message: `This search was interrupted: the page was closed or reloaded while it ran. ${n} finished ${n === 1 ? 'trial is' : 'trials are'} kept.`,
  };
}
