/** Hand-built leaderboard entries for the winner-choosing stages' tests. */
import type { LeaderboardEntry, TrialResult } from '../../../src/core/automl/types.ts';

export function entry(id: number, over: Partial<LeaderboardEntry> = {}): LeaderboardEntry {
  return {
    id,
    name: `${over.family ?? 'gbdt'} #${id}`,
    family: 'gbdt',
    params: {},
    features: ['a', 'b', 'c'],
    featureSet: 'all',
    fidelity: 1,
    origin: 'search',
    status: 'ok',
    cvScore: 0.5,
    cvStd: NaN,
    seconds: 1,
    finishedAt: 0,
    ...over,
  };
}

export function result(id: number, oof?: Float64Array, over: Partial<TrialResult> = {}): TrialResult {
  return { id, status: 'ok', score: 0.5, foldScores: [0.5, 0.5, 0.5, 0.5], seconds: 1, foldFitSeconds: 0.1, oof, ...over };
}
