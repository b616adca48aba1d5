/**
 * Choosing the winner, part 3: Occam's blend. The chosen predictions won on the very out-of-fold rows
 * that picked them, so their lead over a simpler model is inflated; the best regularised linear trial
 * is mixed in for as long as out of fold that is not significantly worse (ensemble.ts: linearShare).
 *
 * Classification only: a regression metric squares the errors of a few extreme rows, which widens
 * the bootstrap interval until "not significantly worse" no longer means "as good" (bench/README.md
 * has the run that showed it).
 */
import { blendPredictions, linearShare } from './ensemble.ts';
import { bestOfFamilies } from './ensemble-selection.ts';
import type { LeaderboardEntry, ResolvedProject, TrialResult } from './types.ts';

export interface Member {
  id: number;
  weight: number;
}

export interface OccamBlend {
  members: Member[];
  cvScore: number;
  /** Why the blend was preferred, in words (the winner's note). */
  note: string;
}

/** The best linear trial with out-of-fold predictions, among those within the constraints (classification only). */
export function bestLinearTrial(
  board: LeaderboardEntry[],
  results: Map<number, TrialResult>,
  classification: boolean,
  sign: number,
  anyFidelity: boolean,
): LeaderboardEntry | undefined {
  if (!classification) return undefined;
  return bestOfFamilies(
    board.filter((e) => !e.breaks),
    sign,
    anyFidelity,
  ).find((e) => e.family === 'linear' && results.get(e.id)?.oof);
}

/**
 * The chosen members with the linear trial mixed in, or null when no share of it passes (or the
 * chosen predictions are that trial alone, or an OOF is missing). Without a deadline (a run with
 * --max-trials) the whole search runs: reproducible; past one the share found so far stands.
 */
export function occamBlend(
  members: Member[],
  linear: LeaderboardEntry,
  oofOf: (id: number) => Float64Array | null,
  y: Float64Array,
  project: Pick<ResolvedProject, 'task' | 'nClasses' | 'metric' | 'seed'>,
  deadline: number | undefined,
): OccamBlend | null {
  if (members.length === 1 && members[0].id === linear.id) return null;
  const parts = members.map((m) => ({ weight: m.weight, pred: oofOf(m.id) }));
  const linearOof = oofOf(linear.id);
  if (!linearOof || parts.some((p) => !p.pred)) return null;
  const chosen = blendPredictions(parts as { weight: number; pred: Float64Array }[]);
  const occam = linearShare(chosen, linearOof, y, project.task, project.nClasses, project.metric, { seed: project.seed, deadline });
  if (occam.share === 0) return null;
  const mixed = new Map(members.map((m) => [m.id, m.weight * (1 - occam.share)]));
  mixed.set(linear.id, (mixed.get(linear.id) ?? 0) + occam.share);
  const fmt = (v: number) => v.toFixed(4);
  return {
    members: [...mixed]
      .filter(([, weight]) => weight > 0)
      .map(([id, weight]) => ({ id, weight }))
      .sort((a, b) => b.weight - a.weight),
    cvScore: occam.score,
    note: `${Math.round(occam.share * 100)} % of logistic regression #${linear.id} blended in: out of fold ${fmt(occam.score)} against ${fmt(occam.chosenScore)} without it, not significantly worse (95 % paired bootstrap) and simpler, so likelier to hold up on new rows`,
  };
}
