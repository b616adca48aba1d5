/** The AutoML engine's shared vocabulary: the project a user defines, trials, results and events. */
import type { Frame } from '../data/frame.ts';
import type { BinnedStore } from '../models/trees/binned-store.ts';
import type { Fold } from '../eval/split.ts';
import type { MetricName } from '../eval/metrics.ts';
import type { FamilyName, Params, Task } from '../models/types.ts';
import type { SearchStrategy } from '../search/samplers.ts';
import type { CalibrationChoice } from '../eval/calibration.ts';
import type { Costs, OperatingTarget } from '../eval/threshold.ts';
import type { DeploymentConstraints } from './constraints.ts';

export interface ProjectDefinition {
  target: string;
  /** Inferred from the target when absent. */
  task?: Task;
  /** Default: ROC AUC (binary), log loss (multiclass), RMSE (regression). */
  metric?: MetricName;
  /** Success criterion: the metric must reach this value (≥ for higher-is-better metrics, ≤ otherwise). */
  successThreshold?: number;
  /** Wall-clock budget for the whole run, final refit included. Default 60 s. */
  budgetSeconds?: number;
  /** Stop after this many trials instead of at the budget (reproducible runs). */
  maxTrials?: number;
  search?: SearchStrategy;
  seed?: number;
  exclude?: string[];
  /** The existing process's prediction column: never a feature; compared with the winner on the test split. */
  baselineColumn?: string;
  /** Held-out test share, never seen by the search. Default 0.2. */
  testSize?: number;
  /** Coverage of the conformal prediction intervals (regression) or sets (classification). Default 0.9. */
  coverage?: number;
  /** Regression intervals: 'auto' (default) keeps the narrowest valid method; the others force one (tests, comparisons). */
  conformalMethod?: 'auto' | 'split' | 'mondrian' | 'cqr';
  /**
   * Explicit held-out rows (0-based frame rows) instead of a seeded split, e.g. to score on the very
   * rows another tool was scored on. Rows without a target are ignored.
   */
  testRows?: ArrayLike<number>;
  /** Restrict the families searched. */
  families?: FamilyName[];
  /** Binary: the class that counts as positive (default: the minority class). */
  positive?: string;
  /** Binary: what a false positive and a false negative cost (and a true positive is worth), in the user's unit. */
  costs?: Costs;
  /** Binary: recall ≥ R, precision ≥ P or at most F of the rows flagged, at the best value of the other quantity. */
  operatingTarget?: OperatingTarget;
  /** Success criterion in costs: saves at least this much per 1,000 cases compared with the existing process. */
  successSavingsPer1000?: number;
  /** Multiclass: costMatrix[true class][predicted class]. */
  costMatrix?: number[][];
  /** Classifiers: how probabilities are calibrated out of fold (default auto: by cross-fitted log loss). */
  calibration?: CalibrationChoice;
  /** Limits the deployment sets: prediction time, bundle size, a readable model, monotonic effects. */
  constraints?: DeploymentConstraints;
}

export interface ResolvedProject {
  target: string;
  task: Task;
  metric: MetricName;
  successThreshold?: number;
  budgetSeconds: number;
  maxTrials?: number;
  search: SearchStrategy;
  seed: number;
  testSize: number;
  /** Coverage of the conformal intervals or sets (absent in projects saved before it existed: 0.9). */
  coverage?: number;
  conformalMethod?: ProjectDefinition['conformalMethod'];
  baselineColumn?: string;
  families: FamilyName[];
  /** Input columns offered to the search (target, exclusions, baseline and identifiers removed). */
  features: string[];
  /** Columns removed before the search, with the reason. */
  removed: { name: string; reason: string }[];
  classes: string[];
  nClasses: number;
  /** Positive class, costs, operating target, cost matrix and calibration (see decision-goal.ts). */
  decision?: DecisionGoal;
  constraints?: DeploymentConstraints;
  /** Families the constraints rule out, and why (the page says so). */
  familiesExcluded?: { family: FamilyName; reason: string }[];
}

/** The decision part of a project, checked against the data by resolveDecisionGoal (decision-goal.ts). */
export interface DecisionGoal {
  /** Binary: index (into classes) of the class that counts as positive. */
  positiveClass?: number;
  costs?: Costs;
  operatingTarget?: OperatingTarget;
  costMatrix?: number[][];
  calibration: CalibrationChoice;
  /** Success criterion in costs: the model saves at least this much per 1,000 cases against the existing process. */
  savingsPer1000?: number;
}

export type FeatureSetName = 'all' | 'selected';

export interface TrialSpec {
  id: number;
  family: FamilyName;
  params: Params;
  featureSet: FeatureSetName;
  features: string[];
  /** Share of each fold's training rows used (successive halving on rows); 1 = full fidelity. */
  fidelity: number;
  rung: number;
  origin: 'portfolio' | 'search' | 'promotion';
  /** Compute permutation importance of every input column on each validation fold. */
  computeImportance: boolean;
  seed: number;
  /** Absolute time (ms since epoch) by which the trial must end. */
  deadline: number;
}

export interface TrialResult {
  id: number;
  status: 'ok' | 'failed' | 'cut';
  /** Mean of the fold scores (the metric in its own units). */
  score: number;
  foldScores: number[];
  seconds: number;
  /** Mean seconds of one fold's fit (pipeline + model), the basis of refit estimates. */
  foldFitSeconds: number;
  /** Seconds spent on permutation importance (the probe only): not part of what a fit costs. */
  importanceSeconds?: number;
  /** Out-of-fold predictions over the context's `oofRows`, in that order (when kept: see TrialContext). */
  oof?: Float64Array;
  /** Repeated CV only: the first repeat's out-of-fold predictions (each row predicted by one model). */
  oofFirstRepeat?: Float64Array;
  /** Deployment figures of the trial's configuration fitted on the first fold (when the project limits them). */
  deployment?: { predictMsPer1000: number; modelKb: number; bundleKb: number };
  permutation?: Record<string, number[]>;
  gain?: Record<string, number>;
  error?: string;
}

/** What a trial worker needs besides the spec: the data and the evaluation protocol. */
export interface TrialContext {
  frame: Frame;
  target: string;
  task: Task;
  nClasses: number;
  classes: string[];
  metric: MetricName;
  /** Encoded target over all frame rows (class index or value; NaN where missing). */
  y: Float64Array;
  /** Rows the search may see (the test split excluded). */
  searchRows: Int32Array;
  /** Cross-validation folds (or one holdout), as frame row indices within searchRows. */
  folds: Fold[];
  /**
   * The rows that get out-of-fold predictions, ascending: every search row under k-fold, the
   * validation rows of a holdout. Defaults to searchRows.
   */
  oofRows?: Int32Array;
  /** Trials at this fidelity or above keep their out-of-fold predictions (default 1: full only). */
  oofMinFidelity?: number;
  /**
   * The plain input columns binned once for every tree trial (shared memory where the host has it);
   * absent: every trial preprocesses its own folds.
   */
  binned?: BinnedStore;
  /** Measure each trial's prediction time and size (deployment.ts): the project limits them. */
  deployment?: { bundleBaseKb: number };
}

/** How trials were validated (chosen from the table's size and the budget), and why, in words. */
export interface ValidationSummary {
  kind: 'repeated-kfold' | 'kfold' | 'holdout';
  folds: number;
  repeats: number;
  /** Validation rows of the holdout (0 under k-fold). */
  holdoutRows: number;
  reason: string;
}

export interface LeaderboardEntry {
  id: number;
  name: string;
  family: FamilyName | 'ensemble';
  params: Params;
  features: string[];
  featureSet: FeatureSetName;
  fidelity: number;
  origin: TrialSpec['origin'] | 'ensemble';
  status: TrialResult['status'];
  cvScore: number;
  cvStd: number;
  seconds: number;
  finishedAt: number;
  members?: { id: number; weight: number }[];
  /** Why this entry was preferred although another scored higher out of fold (Occam's blend). */
  note?: string;
  error?: string;
  /** Measured deployment figures (when the project limits them). */
  deployment?: { predictMsPer1000: number; modelKb: number; bundleKb: number };
  /** The deployment constraints this entry breaks: it stays on the leaderboard but cannot win or enter an ensemble. */
  breaks?: string[];
}

/** 'assess' (after 'done'): the caller compares the winner with the baseline and explains it (see assess.ts). */
export type Phase = 'preparing' | 'portfolio' | 'feature-selection' | 'search' | 'ensemble' | 'refit' | 'done' | 'assess';

export type ExperimentEvent =
  | {
      type: 'run-started';
      project: ResolvedProject;
      searchRows: number;
      testRows: number;
      folds: number;
      repeats: number;
      workers: number;
      validation: ValidationSummary;
    }
  | { type: 'phase'; phase: Phase; message: string }
  | { type: 'trial-started'; trial: TrialSpec }
  | { type: 'trial-finished'; entry: LeaderboardEntry }
  | { type: 'best'; entry: LeaderboardEntry }
  | { type: 'features'; selected: string[]; dropped: { name: string; reason: string }[] }
  | { type: 'progress'; elapsedSeconds: number; remainingSeconds: number; trials: number; fraction: number }
  | { type: 'run-finished'; elapsedSeconds: number; cancelled: boolean };
