/**
 * The evaluation plan, decided from the data size and the budget before the search starts:
 * how many folds, whether successive halving on rows pays off, and a static cost model per family
 * (used for cost-aware ordering, so the cheapest useful models report first).
 */
import type { FamilyName } from '../models/types.ts';

export interface EvaluationPlan {
  folds: number;
  /**
   * Times the k-fold split is repeated with another shuffle. On small tables one 5-fold estimate is
   * noisy enough that, over hundreds of trials, the search picks whichever configuration got lucky
   * folds (the winner's curse); averaging r shuffles divides that variance by about r. Three below
   * 1,000 rows, two below 2,500: trials there take a second or less, so the repeats cost little (on
   * pima, titanic and german credit, 3 repeats raised the 60 s test AUC by 0.005–0.01 over 2).
   */
  repeats: number;
  /** Row fractions of the successive-halving rungs, lowest first; [1] when halving is off. */
  rungs: number[];
  /** Promotion ratio: the best 1/eta of a rung go up. */
  eta: number;
}

export function planEvaluation(searchRows: number, budgetSeconds: number, nClasses = 2): EvaluationPlan {
  // Fewer folds when rows × (1 / budget) is large: 5-fold CV on 40k rows leaves too few trials in 60 s.
  // A multiclass boosting iteration grows one tree per class, so K classes count as K times the rows
  // (26-class letter with 16k rows: 5 folds left room for one boosted model in 60 s).
  const work = (searchRows * (nClasses > 2 ? nClasses : 1)) / Math.max(1, budgetSeconds);
  const folds = searchRows > 200_000 ? 2 : work > 300 || searchRows > 20_000 ? 3 : 5;
  const eta = 3;
  const trainPerFold = (searchRows * (folds - 1)) / folds;
  const rungs: number[] = [1];
  // Halving only where the smallest rung still trains on ≥ 2000 rows; not worth it below that.
  if (trainPerFold / eta >= 2000) rungs.unshift(1 / eta);
  if (trainPerFold / (eta * eta) >= 2000) rungs.unshift(1 / (eta * eta));
  const repeats = searchRows < 1000 ? 3 : searchRows < 2500 ? 2 : 1;
  return { folds, repeats, rungs, eta };
}

/**
 * Relative cost of one fit per row and per feature. Only the order matters (cheap families report
 * first); measured trial times take over once a family has run.
 */
const COST_PER_CELL: Record<FamilyName, number> = {
  naive_bayes: 0.2,
  linear: 1,
  gbdt: 2,
  extra_trees: 3,
  random_forest: 4,
  // Measured: a 5-fold MLP trial on california (13k rows × 9 columns) takes 33 s, ~6× the GBDT's.
  mlp: 40,
  knn: 6,
};

export function estimatedTrialSeconds(family: FamilyName, rows: number, features: number, folds: number): number {
  const cells = rows * Math.max(1, features);
  let base = (COST_PER_CELL[family] * cells) / 2e6;
  // kNN scores every validation row against every training row.
  if (family === 'knn') base = (rows * rows * Math.max(1, features)) / (folds * 2e9);
  return base * folds;
}
