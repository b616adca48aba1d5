/**
 * What the page shows and keeps of a run: the summary of a finished run (the Compare and Ship steps
 * draw it, IndexedDB keeps it with the experiment) and one row's explanation. The experiment worker
 * computes them (workers/run-summary.ts, run-assessment.ts, row-explanation.ts) as plain data that
 * crosses postMessage; the page owns their shape, so a change here is a change to saved results.
 */
import type { ConstraintsResult } from '../core/automl/experiment.ts';
import type { Assessment } from '../core/automl/assess.ts';
import type { DecisionReport } from '../core/automl/decisions.ts';
import type { RowExplanation } from '../core/automl/explain-row.ts';
import type { MonotonicCheck } from '../core/automl/monotonic-check.ts';
import type { LeaderboardEntry, ResolvedProject, ValidationSummary } from '../core/automl/types.ts';
import type { ColumnType } from '../core/data/frame.ts';
import type { ConformalReport } from '../core/eval/conformal-report.ts';
import type { MetricName } from '../core/eval/metrics.ts';

export interface RocCurve {
  /** The positive class of this one-vs-rest curve. */
  label: string;
  auc: number;
  /** [false-positive rate, true-positive rate] from (0, 0) to (1, 1). */
  points: [number, number][];
}

export interface ClassificationCharts {
  classes: string[];
  /** counts[actual][predicted] on the test split. */
  confusion: number[][];
  /** Binary: one curve for the positive class; multiclass: one-vs-rest per class (at most MAX_ROC_CURVES, workers/run-summary.ts). */
  roc: RocCurve[];
}

export interface RegressionCharts {
  points: { actual: number; predicted: number }[];
  /** Test rows in all (points may be a sample of them). */
  total: number;
}

export interface ImportanceChart {
  /** 'gain': split gain of the tree models; 'permutation': drop of the test score when a column is shuffled. */
  kind: 'gain' | 'permutation';
  metric?: MetricName;
  /** Largest first. For permutation, `value` is the mean drop (positive = the column helps) and `std` its spread. */
  items: { feature: string; value: number; std?: number }[];
  /** Test rows and shuffles used (permutation only). */
  rows?: number;
  repeats?: number;
}

export interface RunSummary {
  project: ResolvedProject;
  winner: LeaderboardEntry;
  leaderboard: LeaderboardEntry[];
  /** Every metric of the task on the held-out test split. */
  test: Record<string, number>;
  testRows: number;
  searchRows: number;
  folds: number;
  /** How trials were validated, and why (absent in results saved before it was recorded). */
  validation?: ValidationSummary;
  /** Rows the final model was fitted on (fewer than searchRows when all of them did not fit the budget). */
  refitRows?: number;
  elapsedSeconds: number;
  trials: number;
  cancelled: boolean;
  selectedFeatures: string[];
  droppedFeatures: { name: string; reason: string }[];
  classification?: ClassificationCharts;
  regression?: RegressionCharts;
  /** Permutation importance on the test split when the assessment has it; else gain (trees) or our own permutation. */
  importance: ImportanceChart | null;
  /** Why there is no importance chart, when there is none. */
  importanceNote?: string;
  /** Split-gain importance of a tree winner, shown beside the permutation importance. */
  gainImportance?: ImportanceChart;
  /** A/B comparison with the existing process, the success check and the explanations (workers/run-assessment.ts). */
  assessment?: RunAssessment;
  /** Why the assessment, or part of it, is missing. */
  assessmentNote?: string;
  /** Rows the page may ask the worker to explain. */
  explainRows?: ExplainRows;
  /** Conformal intervals or sets on the test split (calibrated out of fold); absent in older runs. */
  conformal?: ConformalReport;
  /** Calibration (reliability before and after) and the decision threshold with its cost curve. */
  decisions?: DecisionReport;
  /** Deployment constraints with the final model's measured figures, and the monotonic ICE checks. */
  constraints?: ConstraintsResult;
  monotonicChecks?: MonotonicCheck[];
}

export interface RunAssessment extends Assessment {
  /** Test rows and shuffles per column behind `importance` (when present). */
  importanceRows?: number;
  importanceRepeats?: number;
  /** Types of the model's input columns (dates on a partial-dependence axis are drawn as dates). */
  columnTypes: Record<string, ColumnType>;
}

/** Frame rows the page may ask the worker to explain, and the background rows of those explanations. */
export interface ExplainRows {
  /** The test split's frame rows, in order: the row picker's "test row i" is test[i − 1]. */
  test: Int32Array;
  /** A spread-out sample of the search rows: the reference ("average") rows of SHAP. */
  background: Int32Array;
}

export interface ExplainedRow extends RowExplanation {
  /** The row's value of each input column, as text ('' when missing). */
  values: Record<string, string>;
  /** The row's target as written in the CSV ('' when missing). */
  actual: string;
  /** The model's prediction: a class label, or the predicted value as a number in text. */
  predicted: string;
  /** Classification: the model's probability of the predicted class. */
  probability?: number;
}
