/**
 * Choosing the winner, part 1: Caruana ensemble selection over the search's trials, on a sample of
 * their out-of-fold predictions, within what is left of the budget.
 *
 * Every member is refitted on all search rows afterwards: candidates too slow to refit are left
 * out, and an ensemble whose refit would not fit loses its slowest member and is selected again (a
 * small ensemble beats falling back to one model). Under deployment limits an ensemble costs the sum
 * of its members' time and size.
 */
import { samplePositions } from '../eval/split.ts';
import { caruanaEnsemble, type EnsembleResult } from './ensemble.ts';
import { constraintBreaks, SEARCH_MARGIN, summedDeployment } from './deployment.ts';
import type { DeploymentConstraints } from './constraints.ts';
import type { ExperimentPlan } from './experiment-plan.ts';
import type { LeaderboardEntry, TrialResult } from './types.ts';

/**
 * The out-of-fold rows selection and the Occam blend work on: at most 8,000 sampled ones (each greedy
 * step scores every candidate and the metric dominates the cost; a sample picks the same weights to
 * within noise), their targets, and each trial's predictions on them.
 */
export interface OofSample {
  y: Float64Array;
  /** A trial's out-of-fold predictions on the sampled rows (null for one without). */
  oofOf(id: number): Float64Array | null;
}

export function oofSample(plan: ExperimentPlan, results: Map<number, TrialResult>): OofSample {
  const { oofRows, project, classification, target } = plan;
  const width = classification ? project.nClasses : 1;
  const positions = samplePositions(oofRows.length, 8000, project.seed);
  return {
    y: Float64Array.from(positions, (p) => target.y[oofRows[p]]),
    oofOf: (id) => (results.get(id)?.oof ? gatherRows(results.get(id)!.oof!, positions, width) : null),
  };
}

/**
 * The trials the ensemble may draw on: the 8 best, plus the best of every other family. The top of a
 * long search is often eight near-copies of one configuration; an ensemble gains from members that
 * err differently (AutoGluon stacks the best model of each type for the same reason).
 */
export function ensembleCandidates(finished: LeaderboardEntry[], sign: number): LeaderboardEntry[] {
  const top = [...finished].sort((a, b) => (b.cvScore - a.cvScore) * sign).slice(0, 8);
  const covered = new Set(top.map((e) => e.family));
  return [...top, ...bestOfFamilies(finished, sign, true).filter((e) => !covered.has(e.family))];
}

/** The best full-fidelity entry of each family (or of any fidelity), best first. */
export function bestOfFamilies(board: LeaderboardEntry[], sign: number, anyFidelity = false): LeaderboardEntry[] {
  const byFamily = new Map<string, LeaderboardEntry>();
  for (const e of board) {
    if (e.status !== 'ok' || (!anyFidelity && e.fidelity < 1) || e.family === 'ensemble') continue;
    const b = byFamily.get(e.family);
    if (!b || (e.cvScore - b.cvScore) * sign > 0) byFamily.set(e.family, e);
  }
  return [...byFamily.values()].sort((a, b) => (b.cvScore - a.cvScore) * sign);
}

/** Whether a blend of these trials stays within the deployment limits (summed time and size). */
export function blendAllowed(constraints: DeploymentConstraints | undefined, ids: number[], board: LeaderboardEntry[]): boolean {
  return !constraintBreaks(constraints, summedDeployment(ids.map((id) => board.find((e) => e.id === id)!)), SEARCH_MARGIN).length;
}

/** What the selection needs besides the trials: their OOF sample and whether a refit of some fits. */
export interface SelectionInputs {
  plan: ExperimentPlan;
  board: LeaderboardEntry[];
  results: Map<number, TrialResult>;
  sample: OofSample;
  refitFits(ids: number[]): boolean;
  refitSeconds(ids: number[]): number;
}

/** The Caruana ensemble of two or more members, or null (a readable model is one model: never). */
export function selectEnsemble({ plan, board, results, sample, refitFits, refitSeconds }: SelectionInputs): EnsembleResult | null {
  const { project, sign, anyFidelity } = plan;
  if (project.constraints?.readable) return null;
  const usable = board.filter((e) => e.status === 'ok' && !e.breaks && (anyFidelity || e.fidelity >= 1) && results.get(e.id)?.oof);
  let candidates = ensembleCandidates(usable, sign).filter((c) => refitFits([c.id]));
  for (let attempt = 0; attempt < 4 && candidates.length >= 2; attempt++) {
    const ens = caruanaEnsemble(
      candidates.map((c) => ({ id: c.id, oof: sample.oofOf(c.id)! })),
      sample.y,
      project.task,
      project.nClasses,
      project.metric,
    );
    if (!ens || ens.weights.size < 2) return ens;
    const ids = [...ens.weights.keys()];
    if (!blendAllowed(project.constraints, ids, board)) return null;
    if (refitFits(ids)) return ens;
    const slowest = ids.reduce((a, b) => (refitSeconds([a]) >= refitSeconds([b]) ? a : b));
    candidates = candidates.filter((c) => c.id !== slowest);
  }
  return null;
}

function gatherRows(pred: Float64Array, positions: Int32Array, width: number): Float64Array {
  const out = new Float64Array(positions.length * width);
  for (let i = 0; i < positions.length; i++) for (let k = 0; k < width; k++) out[i * width + k] = pred[positions[i] * width + k];
  return out;
}
