/**
 * The evaluation plan, decided from the data size and the budget before the search starts:
 * how many folds, whether successive halving on rows pays off, and a static cost model per family
 * (used for cost-aware ordering, so the cheapest useful models report first).
 */
import type { FamilyName } from '../models/types.ts';

/** How trials are validated: chosen by the table's size and the budget (see planEvaluation). */
export type Validation = 'repeated-kfold' | 'kfold' | 'holdout';

export interface EvaluationPlan {
  validation: Validation;
  /** k of the k-fold split; 1 for a holdout. */
  folds: number;
  /**
   * Times the k-fold split is repeated with another shuffle. On small tables one 5-fold estimate is
   * noisy enough that, over hundreds of trials, the search picks whichever configuration got lucky
   * folds (the winner's curse); averaging r shuffles divides that variance by about r. Three below
   * 1,000 rows, two below 2,500: trials there take a second or less, so the repeats cost little
   * (bench/README.md has the measurement).
   */
  repeats: number;
  /** Validation rows of the holdout (0 for k-fold). */
  holdoutRows: number;
  /** Row fractions of the successive-halving rungs, lowest first; [1] when halving is off. */
  rungs: number[];
  /** Promotion ratio: the best 1/eta of a rung go up. */
  eta: number;
  /** The choice in words, for the page and the model card. */
  reason: string;
}

/** Search rows from which one holdout may replace k-fold (below, k-fold always fits). */
export const HOLDOUT_MIN_ROWS = 20_000;
/** Most validation rows of a holdout: 100,000 rows resolve AUC differences of ~0.002. */
export const HOLDOUT_MAX_ROWS = 100_000;
/** Fewest training rows on the lowest successive-halving rung. */
const MIN_RUNG_ROWS = 2000;
/** Most rungs: the lowest trains on 1/27 of the rows (1M rows: ~26,000). */
const MAX_RUNGS = 4;

/**
 * Repeated k-fold on small tables, k-fold in the middle, and one stratified holdout when k-fold would
 * not fit the budget: when one default GBDT trial over k folds would take more than a sixth of it
 * (AutoGluon and H2O switch the same way). `features`: input columns (the cost grows with them).
 */
export function planEvaluation(searchRows: number, budgetSeconds: number, nClasses = 2, features = 10): EvaluationPlan {
  // Fewer folds when rows × (1 / budget) is large: 5-fold CV on 40k rows leaves too few trials in 60 s.
  // A multiclass boosting iteration grows one tree per class, so K classes count as K times the rows.
  const classFactor = nClasses > 2 ? nClasses : 1;
  const work = (searchRows * classFactor) / Math.max(1, budgetSeconds);
  const eta = 3;
  const repeats = searchRows < 1000 ? 3 : searchRows < 2500 ? 2 : 1;
  let folds = searchRows > 200_000 ? 2 : work > 300 || searchRows > 20_000 ? 3 : 5;
  const kfoldSeconds = estimatedTrialSeconds('gbdt', searchRows * classFactor, features, folds);
  const holdout = searchRows >= HOLDOUT_MIN_ROWS && kfoldSeconds > budgetSeconds / 6;
  const holdoutRows = holdout ? Math.min(HOLDOUT_MAX_ROWS, Math.round(0.2 * searchRows)) : 0;
  if (holdout) folds = 1;
  const trainRows = holdout ? searchRows - holdoutRows : (searchRows * (folds - 1)) / folds;
  const rungs: number[] = [1];
  // Halving only where the lowest rung still trains on ≥ 2000 rows; not worth it below that.
  while (rungs.length < MAX_RUNGS && (trainRows * rungs[0]) / eta >= MIN_RUNG_ROWS) rungs.unshift(rungs[0] / eta);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const reason = holdout
    ? `one stratified holdout of ${fmt(holdoutRows)} rows: k-fold cross-validation on ${fmt(searchRows)} rows would take about ${Math.round(kfoldSeconds)} s per default GBDT trial, more than a sixth of the ${fmt(budgetSeconds)} s budget`
    : repeats > 1
      ? `${repeats}× repeated ${folds}-fold cross-validation: on ${fmt(searchRows)} rows one ${folds}-fold estimate is noisy, and trials are quick`
      : `${folds}-fold cross-validation on ${fmt(searchRows)} rows`;
  return { validation: holdout ? 'holdout' : repeats > 1 ? 'repeated-kfold' : 'kfold', folds, repeats, holdoutRows, rungs, eta, reason };
}

/** Training rows of one fit in a trial at full fidelity: a fold's training part, or the holdout's. */
export function trainRowsPerFit(plan: EvaluationPlan, searchRows: number): number {
  return plan.validation === 'holdout' ? searchRows - plan.holdoutRows : (searchRows * (plan.folds - 1)) / plan.folds;
}

/**
 * Relative cost of one fit per row and per feature. Only the order matters (cheap families report
 * first); measured trial times take over once a family has run.
 */
const COST_PER_CELL: Record<FamilyName, number> = {
  naive_bayes: 0.2,
  linear: 1,
  gbdt: 2,
  // Deep trees cost far more per cell than boosting's 31-leaf ones (bench/README.md: default fits).
  extra_trees: 8,
  random_forest: 6,
  // An MLP trial takes several times a GBDT's (bench/README.md).
  mlp: 40,
  knn: 6,
  // One shallow tree: a hundredth of a forest's 100 deep ones, at least.
  decision_tree: 0.3,
};

export function estimatedTrialSeconds(family: FamilyName, rows: number, features: number, folds: number): number {
  const cells = rows * Math.max(1, features);
  let base = (COST_PER_CELL[family] * cells) / 2e6;
  // kNN scores every validation row against every training row.
  if (family === 'knn') base = (rows * rows * Math.max(1, features)) / (folds * 2e9);
  return base * folds;
}
