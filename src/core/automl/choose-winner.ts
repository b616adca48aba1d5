/**
 * Stage 3 of the experiment, choosing the winner from the search's trials: the Caruana ensemble when
 * it beats the best single trial out of fold; otherwise that trial, or by the one-standard-error rule
 * its equal on fewer features (unless cross-validation rejected the selection); then Occam's blend
 * with the best linear trial. A blend of several trials joins the leaderboard as an ensemble entry.
 */
import type { EnsembleResult } from './ensemble.ts';
import { blendAllowed, type OofSample } from './ensemble-selection.ts';
import type { ExperimentPlan } from './experiment-plan.ts';
import { ensembleEntry } from './leaderboard-entry.ts';
import { bestLinearTrial, occamBlend, type Member } from './occam-blend.ts';
import { preferParsimony } from './parsimony.ts';
import type { Reporter, Search } from './search.ts';
import type { LeaderboardEntry } from './types.ts';

export interface WinnerInputs {
  plan: ExperimentPlan;
  search: Pick<Search, 'leaderboard' | 'results' | 'best' | 'scheduler'>;
  ensemble: EnsembleResult | null;
  sample: OofSample;
  refitFits(ids: number[]): boolean;
  /** Absolute ms for Occam's bootstrap, asked when it starts; undefined in reproducible runs (no deadline). */
  occamDeadline(): number | undefined;
  /** Said of the winner when nothing else is (the budget-too-short fallback). */
  fallbackNote?: string;
  report: Reporter;
}

/** The winner, its members with weights, and each member's leaderboard entry. */
export interface Winner {
  entry: LeaderboardEntry;
  members: { weight: number; entry: LeaderboardEntry }[];
}

export function chooseWinner(inputs: WinnerInputs): Winner {
  const { plan, search, report } = inputs;
  const board = search.leaderboard;
  const top = search.best!;
  let { members, cvScore } = ensembleOrSingle(inputs, top);
  let note: string | undefined;
  const linear = bestLinearTrial(board, search.results, plan.classification, plan.sign, plan.anyFidelity);
  const oneModel = !!plan.project.constraints?.readable;
  const occam =
    linear &&
    !oneModel &&
    blendAllowed(plan.project.constraints, [...members.map((m) => m.id), linear.id], board) &&
    occamBlend(members, linear, inputs.sample.oofOf, inputs.sample.y, plan.project, inputs.occamDeadline());
  if (occam && inputs.refitFits(occam.members.map((m) => m.id))) {
    ({ members, cvScore, note } = occam);
    report.phase('ensemble', occam.note);
  }
  let entry: LeaderboardEntry;
  if (members.length > 1) {
    entry = ensembleEntry(members, cvScore, board, note);
    board.push(entry);
    report.emit({ type: 'trial-finished', entry });
    report.emit({ type: 'best', entry });
  } else {
    // (A share of 1 leaves the linear trial alone: it is the winner then, with the reason.)
    entry = board.find((e) => e.id === members[0].id)!;
    if (note) entry.note = note;
  }
  if (inputs.fallbackNote && !entry.note) entry.note = inputs.fallbackNote;
  return { entry, members: members.map((m) => ({ weight: m.weight, entry: board.find((e) => e.id === m.id)! })) };
}

/** The ensemble's members when it beats the best trial out of fold, else the (parsimonious) best trial alone. */
function ensembleOrSingle({ plan, search, ensemble }: WinnerInputs, top: LeaderboardEntry): { members: Member[]; cvScore: number } {
  const { sign } = plan;
  if (ensemble && ensemble.weights.size >= 2 && ensemble.score * sign > top.cvScore * sign) {
    return { members: [...ensemble.weights].map(([id, weight]) => ({ id, weight })), cvScore: ensemble.score };
  }
  const foldsOf = (id: number) => search.results.get(id)?.foldScores.length ?? 1;
  const single = search.scheduler.selectionOutcome === 'reverted' ? top : preferParsimony(top, search.leaderboard, foldsOf, sign);
  return { members: [{ id: single.id, weight: 1 }], cvScore: single.cvScore };
}
