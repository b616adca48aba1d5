import { describe, expect, it } from 'vitest';
import { compareEntries, metricSign, rankLeaderboard } from '../../../src/core/automl/ranking.ts';
import type { LeaderboardEntry } from '../../../src/core/automl/types.ts';

function entry(id: number, over: Partial<LeaderboardEntry> = {}): LeaderboardEntry {
  return {
    id,
    name: `gbdt #${id}`,
    family: 'gbdt',
    params: {},
    features: ['a'],
    featureSet: 'all',
    fidelity: 1,
    origin: 'search',
    status: 'ok',
    cvScore: 0.5,
    cvStd: NaN,
    seconds: 1,
    finishedAt: 1000 - id,
    ...over,
  };
}

describe('rankLeaderboard', () => {
  it('breaks a tie in score by the lower id (not by time or speed)', () => {
    const board = [entry(5, { cvScore: 0.8, seconds: 0.1 }), entry(2, { cvScore: 0.8, seconds: 9 }), entry(7, { cvScore: 0.9 })];
    expect(rankLeaderboard(board, 1).map((e) => e.id)).toEqual([7, 2, 5]);
  });

  it('orders a lower-is-better metric ascending', () => {
    expect(metricSign('rmse')).toBe(-1);
    expect(metricSign('roc_auc')).toBe(1);
    const board = [entry(1, { cvScore: 3 }), entry(2, { cvScore: 1 }), entry(3, { cvScore: 2 })];
    expect(rankLeaderboard(board, metricSign('rmse')).map((e) => e.id)).toEqual([2, 3, 1]);
  });

  it('puts successes first, full fidelity before lower rungs, failed and cut trials last by id', () => {
    const board = [
      entry(1, { status: 'cut', cvScore: NaN }),
      entry(2, { fidelity: 1 / 3, cvScore: 0.99 }),
      entry(3, { fidelity: 1 / 9, cvScore: 0.999 }),
      entry(4, { cvScore: 0.6 }),
      entry(0, { status: 'failed', cvScore: NaN }),
    ];
    expect(rankLeaderboard(board, 1).map((e) => e.id)).toEqual([4, 2, 3, 0, 1]);
    expect(compareEntries(board[3], board[3], 1)).toBe(0);
  });
});
