import { describe, expect, it } from 'vitest';
import { chooseWinner, type WinnerInputs } from '../../../src/core/automl/choose-winner.ts';
import type { EnsembleResult } from '../../../src/core/automl/ensemble.ts';
import { planExperiment } from '../../../src/core/automl/experiment-plan.ts';
import type { ExperimentEvent, LeaderboardEntry } from '../../../src/core/automl/types.ts';
import type { Scheduler } from '../../../src/core/automl/scheduler.ts';
import { cat, frame, num } from '../../helpers/frames.ts';
import { entry, result } from './board.ts';

const n = 100;
const data = frame(
  num(
    'x',
    Array.from({ length: n }, (_, i) => i % 7),
  ),
  num(
    'r',
    Array.from({ length: n }, (_, i) => (i * 37) % 11),
  ),
  cat(
    'y',
    Array.from({ length: n }, (_, i) => (i % 2 ? 'a' : 'b')),
  ),
);

function inputs(board: LeaderboardEntry[], over: Partial<WinnerInputs> = {}, outcome = 'accepted'): WinnerInputs & { events: ExperimentEvent[] } {
  const events: ExperimentEvent[] = [];
  const results = new Map(board.map((e) => [e.id, result(e.id)]));
  return {
    plan: planExperiment(data, { target: 'y', maxTrials: 1, families: ['gbdt'] }),
    search: { leaderboard: board, results, best: board[0], scheduler: { selectionOutcome: outcome } as unknown as Scheduler },
    ensemble: null,
    sample: { y: new Float64Array(0), oofOf: () => null },
    refitFits: () => true,
    occamDeadline: () => undefined,
    report: { emit: (e) => events.push(e), phase: (phase, message) => events.push({ type: 'phase', phase, message }) },
    events,
    ...over,
  };
}

const weights = (pairs: [number, number][], score: number): EnsembleResult => ({ weights: new Map(pairs), loss: 1 - score, score });

describe('chooseWinner', () => {
  it('takes the ensemble when it beats the best trial out of fold, and puts it on the leaderboard', () => {
    const board = [entry(1, { cvScore: 0.8 }), entry(2, { cvScore: 0.7, features: ['d'] })];
    const run = inputs(board, {
      ensemble: weights(
        [
          [1, 0.6],
          [2, 0.4],
        ],
        0.85,
      ),
    });
    const winner = chooseWinner(run);
    expect(winner.entry).toMatchObject({
      id: 0,
      family: 'ensemble',
      cvScore: 0.85,
      members: [
        { id: 1, weight: 0.6 },
        { id: 2, weight: 0.4 },
      ],
    });
    expect(winner.entry.features).toEqual(['a', 'b', 'c', 'd']);
    expect(winner.members.map((m) => m.entry.id)).toEqual([1, 2]);
    expect(board).toHaveLength(3);
    expect(run.events.filter((e) => e.type === 'best')).toHaveLength(1);
  });
  it('keeps the best trial when the ensemble does not beat it, preferring an equal on the selected features', () => {
    const board = [entry(1, { cvScore: 0.8, cvStd: 0.1 }), entry(2, { cvScore: 0.79, featureSet: 'selected' })];
    expect(
      chooseWinner(
        inputs(board, {
          ensemble: weights(
            [
              [1, 0.5],
              [2, 0.5],
            ],
            0.8,
          ),
        }),
      ).entry.id,
    ).toBe(2);
    // Unless cross-validation rejected the selection.
    expect(chooseWinner(inputs(board, {}, 'reverted')).entry.id).toBe(1);
  });
  it('notes the budget fallback on a winner without a note of its own', () => {
    const board = [entry(1)];
    expect(chooseWinner(inputs(board, { fallbackNote: 'the budget was too short' })).entry.note).toBe('the budget was too short');
  });
});
