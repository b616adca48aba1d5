import { describe, expect, it } from 'vitest';
import { ensembleEntry, failedResult, toEntry } from '../../../src/core/automl/leaderboard-entry.ts';
import type { TrialSpec } from '../../../src/core/automl/types.ts';
import { entry, result } from './board.ts';

const spec: TrialSpec = {
  id: 4,
  family: 'linear',
  params: { alpha: 1 },
  featureSet: 'selected',
  features: ['a'],
  fidelity: 1,
  rung: 0,
  origin: 'portfolio',
  computeImportance: false,
  seed: 0,
  deadline: 0,
};

describe('leaderboard entries', () => {
  it('a trial: its mean score and the sample standard deviation of its fold scores', () => {
    const e = toEntry(spec, result(4, undefined, { score: 0.6, foldScores: [0.5, 0.7] }));
    expect(e).toMatchObject({ id: 4, name: 'linear #4', family: 'linear', featureSet: 'selected', status: 'ok', cvScore: 0.6 });
    expect(e.cvStd).toBeCloseTo(Math.SQRT2 * 0.1, 12);
    expect(toEntry(spec, result(4, undefined, { foldScores: [0.5] })).cvStd).toBeNaN();
  });
  it('a runner error: a failed result with the message', () => {
    expect(failedResult(spec, new Error('out of memory'))).toMatchObject({ id: 4, status: 'failed', error: 'out of memory' });
    expect(failedResult(spec, 'boom').error).toBe('boom');
  });
  it('an ensemble: the union of the members’ features, selected only when every member is', () => {
    const board = [entry(1, { features: ['a', 'b'], featureSet: 'selected' }), entry(2, { features: ['b', 'c'] })];
    const e = ensembleEntry(
      [
        { id: 1, weight: 0.5 },
        { id: 2, weight: 0.5 },
      ],
      0.9,
      board,
      'why',
    );
    expect(e).toMatchObject({ id: 0, name: 'ensemble of 2', features: ['a', 'b', 'c'], featureSet: 'all', cvScore: 0.9, note: 'why' });
    board[1].featureSet = 'selected';
    expect(
      ensembleEntry(
        [
          { id: 1, weight: 1 },
          { id: 2, weight: 1 },
        ],
        0.9,
        board,
      ).featureSet,
    ).toBe('selected');
  });
});
