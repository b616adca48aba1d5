/**
 * Stage 1 of the experiment, the plan: resolve the project once, hold out the test split, choose how
 * trials are validated (repeated k-fold, k-fold or one holdout, by size and budget: plan.ts) and
 * build the folds, and put together the TrialContext every trial runner receives.
 *
 * The test split is set aside first, so nothing later (folds, filters, selection, ensemble) sees it.
 */
import type { Frame } from '../data/frame.ts';
import { kFold, trainTestSplit, type Fold } from '../eval/split.ts';
import { buildBinnedStore, STORE_FAMILIES } from '../models/trees/binned-store.ts';
import { DEFAULT_BUNDLE_BASE_KB, limitsDeployment } from './deployment.ts';
import { planEvaluation, type EvaluationPlan } from './plan.ts';
import { ProjectError, resolveProject, type ProjectTarget } from './project.ts';
import { metricSign } from './ranking.ts';
import type { ProjectDefinition, ResolvedProject, TrialContext, ValidationSummary } from './types.ts';

/** Everything decided before the first trial; read by every later stage. */
export interface ExperimentPlan {
  project: ResolvedProject;
  /** The encoded target over all frame rows, and the rows that have one. */
  target: ProjectTarget;
  classification: boolean;
  /** A --max-trials run without a budget: no deadlines, results handled in id order (reproducible). */
  deterministic: boolean;
  /** +1 when a higher score is better. */
  sign: 1 | -1;
  searchRows: Int32Array;
  testRows: Int32Array;
  evaluation: EvaluationPlan;
  folds: Fold[];
  /** The rows with out-of-fold predictions: every search row, or a holdout's validation rows. */
  oofRows: Int32Array;
  /** A holdout compares trials across rungs (a large table may never reach full rows in the budget). */
  anyFidelity: boolean;
  ctx: TrialContext;
  validation: ValidationSummary;
}

export function planExperiment(frame: Frame, def: ProjectDefinition, bundleBaseKb = DEFAULT_BUNDLE_BASE_KB): ExperimentPlan {
  const { project, target } = resolveProject(frame, def);
  const classification = project.task !== 'regression';
  const { searchRows, testRows } = holdOut(target.rows, target.y, project.testSize, project.seed, classification, def.testRows);
  const evaluation = planEvaluation(searchRows.length, project.budgetSeconds, project.nClasses, project.features.length);
  const folds = buildFolds(evaluation, searchRows, target.y, project.seed, classification);
  // Under a holdout only its validation rows get out-of-fold predictions; the ensemble is chosen there.
  const oofRows = evaluation.validation === 'holdout' ? folds[0].valid : searchRows;
  const anyFidelity = evaluation.validation === 'holdout';
  const ctx: TrialContext = {
    frame,
    target: project.target,
    task: project.task,
    nClasses: project.nClasses,
    classes: project.classes,
    metric: project.metric,
    y: target.y,
    searchRows,
    folds,
    oofRows,
    // The two highest rungs keep their predictions on the holdout (small: ≤ 100,000 rows each).
    oofMinFidelity: anyFidelity ? evaluation.rungs[Math.max(0, evaluation.rungs.length - 2)] : 1,
    // Tree trials read one binned copy of the inputs, shared by every worker, instead of each
    // preprocessing its folds into Float64 matrices (thresholds from the search rows, never the test's).
    binned: project.families.some((f) => STORE_FAMILIES.has(f)) ? buildBinnedStore(frame, project.features, searchRows, project.seed) : undefined,
    ...(limitsDeployment(project.constraints) ? { deployment: { bundleBaseKb } } : {}),
  };
  const { validation: kind, folds: k, repeats, holdoutRows, reason } = evaluation;
  return {
    project,
    target,
    classification,
    deterministic: project.maxTrials !== undefined && def.budgetSeconds === undefined,
    sign: metricSign(project.metric),
    searchRows,
    testRows,
    evaluation,
    folds,
    oofRows,
    anyFidelity,
    ctx,
    validation: { kind, folds: k, repeats, holdoutRows, reason },
  };
}

/** The plan in words, for the 'preparing' phase. */
export function describePlan(plan: ExperimentPlan): string {
  const { validation: kind, holdoutRows, repeats, folds } = plan.evaluation;
  const cv = kind === 'holdout' ? `a holdout of ${holdoutRows} rows` : repeats > 1 ? `${repeats}×${folds}-fold CV` : `${folds}-fold CV`;
  return `${plan.searchRows.length} rows for the search (${cv}), ${plan.testRows.length} held out for the test`;
}

/** The folds of the plan over the search rows (frame row indices), seeded after the test split's seed. */
export function buildFolds(plan: EvaluationPlan, searchRows: Int32Array, y: Float64Array, seed: number, stratify: boolean): Fold[] {
  const ySearch = Float64Array.from(searchRows, (r) => y[r]);
  const toRows = (positions: ArrayLike<number>) => Int32Array.from(positions, (i) => searchRows[i]);
  if (plan.validation === 'holdout') {
    const split = trainTestSplit(ySearch, { testSize: plan.holdoutRows / searchRows.length, seed: seed + 1, stratify });
    return [{ train: toRows(split.train), valid: toRows(split.test) }];
  }
  const folds: Fold[] = [];
  for (let r = 0; r < plan.repeats; r++) {
    for (const f of kFold(ySearch, { k: plan.folds, seed: seed + 1 + r, stratify })) folds.push({ train: toRows(f.train), valid: toRows(f.valid) });
  }
  return folds;
}

/** The test split (seeded and stratified, or the user's explicit rows) and the search rows left. */
export function holdOut(
  rows: Int32Array,
  y: Float64Array,
  testSize: number,
  seed: number,
  stratify: boolean,
  explicit?: ArrayLike<number>,
): { searchRows: Int32Array; testRows: Int32Array } {
  if (explicit) {
    const inTest = new Uint8Array(y.length);
    for (let i = 0; i < explicit.length; i++) {
      const r = explicit[i];
      if (!(Number.isInteger(r) && r >= 0 && r < y.length)) throw new ProjectError(`test row ${r} does not exist (the data has ${y.length} rows)`);
      inTest[r] = 1;
    }
    const testRows = rows.filter((r) => inTest[r] === 1);
    const searchRows = rows.filter((r) => inTest[r] === 0);
    if (testRows.length === 0 || searchRows.length < 10) throw new ProjectError('the explicit test rows leave no test rows or fewer than 10 rows to search on');
    return { searchRows, testRows };
  }
  const yPresent = Float64Array.from(rows, (r) => y[r]);
  const split = trainTestSplit(yPresent, { testSize, seed, stratify });
  return { searchRows: Int32Array.from(split.train, (i) => rows[i]), testRows: Int32Array.from(split.test, (i) => rows[i]) };
}
