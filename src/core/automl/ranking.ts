/**
 * The one order of the leaderboard, used by the experiment's result and by the page: successful
 * trials first, full fidelity before the lower successive-halving rungs, best score first, and on a
 * tie the earlier trial (lower id), so that two equal scores always come out in the same order.
 */
import { METRICS, type MetricName } from '../eval/metrics.ts';
import type { LeaderboardEntry } from './types.ts';

/** +1 when a higher score of the metric is better, −1 when a lower one is. */
export function metricSign(metric: MetricName): 1 | -1 {
  return METRICS[metric].greaterIsBetter ? 1 : -1;
}

/** Comparator: best first; unfinished or failed trials last (by id), lower fidelity after full. */
export function compareEntries(a: LeaderboardEntry, b: LeaderboardEntry, sign: number): number {
  const okA = a.status === 'ok' ? 1 : 0;
  const okB = b.status === 'ok' ? 1 : 0;
  if (okA !== okB) return okB - okA;
  if (a.fidelity !== b.fidelity) return b.fidelity - a.fidelity;
  if (!okA) return a.id - b.id;
  return (b.cvScore - a.cvScore) * sign || a.id - b.id;
}

/** A ranked copy of the leaderboard. */
export function rankLeaderboard(entries: readonly LeaderboardEntry[], sign: number): LeaderboardEntry[] {
  return [...entries].sort((a, b) => compareEntries(a, b, sign));
}
