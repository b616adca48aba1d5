/**
 * Leaderboard entries: a finished trial as the page and the result list it (mean and standard
 * deviation of its fold scores), a trial whose runner threw, and the entry of a chosen ensemble.
 */
import type { LeaderboardEntry, TrialResult, TrialSpec } from './types.ts';
import { errorMessage } from '../util/error-message.ts';

export function toEntry(spec: TrialSpec, result: TrialResult): LeaderboardEntry {
  const mean = result.score;
  const sd = result.foldScores.length > 1 ? Math.sqrt(result.foldScores.reduce((a, s) => a + (s - mean) ** 2, 0) / (result.foldScores.length - 1)) : NaN;
  return {
    id: spec.id,
    name: `${spec.family} #${spec.id}`,
    family: spec.family,
    params: spec.params,
    features: spec.features,
    featureSet: spec.featureSet,
    fidelity: spec.fidelity,
    origin: spec.origin,
    status: result.status,
    cvScore: result.score,
    cvStd: sd,
    seconds: result.seconds,
    finishedAt: Date.now(),
    error: result.error,
  };
}

/** The result of a trial whose runner threw (other than a cancel). */
export function failedResult(spec: TrialSpec, err: unknown): TrialResult {
  return { id: spec.id, status: 'failed', score: NaN, foldScores: [], seconds: 0, foldFitSeconds: 0, error: errorMessage(err) };
}

/** The entry (id 0) of a blend of several trials: the union of their features, 'selected' when all of them used the selection. */
export function ensembleEntry(members: { id: number; weight: number }[], cvScore: number, board: LeaderboardEntry[], note?: string): LeaderboardEntry {
  const of = (id: number) => board.find((e) => e.id === id)!;
  return {
    id: 0,
    name: `ensemble of ${members.length}`,
    family: 'ensemble',
    params: {},
    features: [...new Set(members.flatMap((m) => of(m.id).features))],
    featureSet: members.every((m) => of(m.id).featureSet === 'selected') ? 'selected' : 'all',
    fidelity: 1,
    origin: 'ensemble',
    status: 'ok',
    cvScore,
    cvStd: NaN,
    seconds: 0,
    finishedAt: Date.now(),
    members,
    note,
  };
}
