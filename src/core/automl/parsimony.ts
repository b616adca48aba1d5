/**
 * Choosing the winner, part 2: the one-standard-error rule for features. If a trial on the selected
 * features scores within one standard error of the best trial on all features, it is preferred:
 * fewer inputs, the same quality within the noise of cross-validation.
 */
import type { LeaderboardEntry } from './types.ts';

/**
 * `best`, or the best full-fidelity trial on the selected features when it is within one standard
 * error of `best` (its fold scores' standard deviation over √folds).
 */
export function preferParsimony(best: LeaderboardEntry, board: LeaderboardEntry[], foldsOf: (id: number) => number, sign: number): LeaderboardEntry {
  if (best.featureSet === 'selected' || best.family === 'ensemble') return best;
  const se = Number.isFinite(best.cvStd) ? best.cvStd / Math.sqrt(Math.max(1, foldsOf(best.id))) : 0;
  const alt = board
    .filter((e) => e.status === 'ok' && !e.breaks && e.fidelity >= 1 && e.featureSet === 'selected' && e.family !== 'ensemble')
    .sort((a, b) => (b.cvScore - a.cvScore) * sign)[0];
  if (alt && (best.cvScore - alt.cvScore) * sign <= se) return alt;
  return best;
}
