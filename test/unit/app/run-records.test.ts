import { describe, expect, it } from 'vitest';
import type { LeaderboardEntry, ResolvedProject } from '../../../src/core/automl/types.ts';
import { failedRecord, finishedRecord, interruptedRecord, newExperimentRecord, rerunRecord } from '../../../src/app/run-records.ts';
import type { RunSummary } from '../../../src/app/run-results.ts';

const entry = (id: number): LeaderboardEntry => ({ id, name: `trial ${id}` }) as unknown as LeaderboardEntry;
const project = { metric: 'roc_auc' } as ResolvedProject;

function record() {
  return newExperimentRecord('e1', { datasetId: 'd1', fileName: 'titanic.csv' }, { target: 'Survived' }, undefined, 1000);
}

describe('run records', () => {
  it('starts a new experiment running its first run, with no champion unless one is compared', () => {
    const r = record();
    expect(r).toMatchObject({
      id: 'e1',
      datasetId: 'd1',
      fileName: 'titanic.csv',
      status: 'running',
      runs: 1,
      createdAt: 1000,
      runStartedAt: 1000,
      hasResults: false,
    });
    expect('champion' in r).toBe(false);
    const compared = newExperimentRecord('e2', { datasetId: 'd1', fileName: 'a.csv' }, { target: 't' }, { id: 'sha', name: 'the champion' }, 5);
    expect(compared.champion).toEqual({ id: 'sha', name: 'the champion' });
  });

  it('resume keeps the trials of earlier runs, restart drops them; both clear the last results', () => {
    const before = {
      ...record(),
      status: 'interrupted' as const,
      leaderboard: [entry(3)],
      earlier: [entry(1)],
      best: { name: 'x', cvScore: 0.8 },
      testScore: 0.7,
      message: 'interrupted',
      hasResults: true,
    };
    const resumed = rerunRecord(before, 'resume', 2000);
    expect(resumed.earlier.map((e) => e.id)).toEqual([1, 3]);
    expect(resumed).toMatchObject({
      status: 'running',
      runs: 2,
      runStartedAt: 2000,
      leaderboard: [],
      hasResults: false,
      best: undefined,
      testScore: undefined,
      message: undefined,
    });
    expect(rerunRecord(before, 'restart', 2000).earlier).toEqual([]);
  });

  it("records a finished run's winner and its test score on the project's metric", () => {
    const summary = { project, cancelled: false, winner: { name: 'gbdt', cvScore: 0.9 }, test: { roc_auc: 0.88, accuracy: 0.8 } } as unknown as RunSummary;
    const done = finishedRecord(record(), summary, { entries: [entry(1)], project: null, backend: null, message: null }, 3000);
    expect(done).toMatchObject({
      status: 'finished',
      updatedAt: 3000,
      best: { name: 'gbdt', cvScore: 0.9 },
      testScore: 0.88,
      hasResults: false,
      message: undefined,
    });
    expect(finishedRecord(record(), { ...summary, cancelled: true }, { entries: [], project: null, backend: null, message: 'stopped' }, 3000)).toMatchObject({
      status: 'cancelled',
      message: 'stopped',
    });
  });

  it('records a run that ended without a model as failed or cancelled, with its message', () => {
    const run = { entries: [], project, backend: null, message: 'The search failed: boom' };
    expect(failedRecord(record(), false, run, 4000)).toMatchObject({ status: 'failed', project, message: 'The search failed: boom', updatedAt: 4000 });
    expect(failedRecord(record(), true, run, 4000).status).toBe('cancelled');
  });

  it('marks an interrupted run, counting the trials it keeps', () => {
    expect(interruptedRecord({ ...record(), leaderboard: [entry(1)] }).message).toContain('1 finished trial is kept');
    expect(interruptedRecord({ ...record(), leaderboard: [entry(1), entry(2)] })).toMatchObject({
      status: 'interrupted',
      message: expect.stringContaining('2 finished trials are kept'),
    });
  });
});
