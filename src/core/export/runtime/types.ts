/**
 * The public shapes of an exported model (model.json's envelope, rows, predictions, errors), shared by
 * the runtime that becomes predict.mjs, the bundle writer and reader, and the page.
 */
import type { FinalModelJSON } from '../../automl/model.ts';
import type { ColumnType } from '../../data/frame.ts';
import type { MetricName } from '../../eval/metrics.ts';
import type { Task } from '../../models/types.ts';

/** One cell of an input row: a number, a string (also for numbers, "29", as in a CSV), a boolean, or null (missing). */
export type RowValue = number | string | boolean | null | Date;
/** One input row, keyed by column name. Other keys (the target, identifiers) are ignored. */
export type Row = Record<string, unknown>;

export type Prediction = ClassPrediction | ValuePrediction;

export interface ClassPrediction {
  /** The predicted class (the most probable one; the first of them on a tie). */
  label: string;
  /** Probability of every class, keyed by class label. */
  probabilities: Record<string, number>;
  /**
   * The conformal prediction set (most probable first): the classes that cannot be ruled out at the
   * model's coverage. It holds the true class for at least that share of new rows exchangeable with
   * the training rows; several classes mean an ambiguous row, none that no class reaches the level.
   * Read-only (frozen): rows with the same set share one array.
   */
  set?: readonly string[];
}

export interface ValuePrediction {
  value: number;
  /** The same number as `value` (the name the interval goes with). */
  prediction?: number;
  /** The conformal interval [lo, hi]: holds the true value for at least the coverage's share of new exchangeable rows. */
  interval?: [number, number];
}

export interface PredictOptions {
  /** Coverage of the intervals or sets (default: the one the model was exported with, e.g. 0.9). */
  coverage?: number;
}

/** Why a row cannot be scored. `row` is 1-based (the first row given is row 1). */
export interface RowError {
  row: number;
  column?: string;
  message: string;
}

/** One input column of the model: its type in the training data and the values seen there. */
export interface InputColumn {
  name: string;
  type: Exclude<ColumnType, 'identifier'>;
  /** Levels seen in the training data (categorical and boolean columns; at most MAX_SCHEMA_LEVELS). */
  levels?: string[];
  /** True when the column had more levels than `levels` lists. */
  levelsTruncated?: boolean;
  /** Boolean columns: the training data's words for false and true ("No" / "Yes"). */
  falseLevel?: string;
  trueLevel?: string;
  /** Share of training rows where the column was empty. */
  missingShare?: number;
}

export interface InputSchema {
  columns: InputColumn[];
}

export const MAX_SCHEMA_LEVELS = 1000;

export const BUNDLE_MODEL_FORMAT = 'sieve-bundle-model';
export const BUNDLE_MODEL_VERSION = 1;

/**
 * model.json of a bundle, format 'sieve-bundle-model' version 1:
 *
 *   {
 *     "format": "sieve-bundle-model", "version": 1,
 *     "created": ISO 8601 time of export,
 *     "app": { "name": "Sieve", "version": the app's package.json version },
 *     "task": "binary" | "multiclass" | "regression", "metric": the project's metric,
 *     "target": the predicted column, "classes": class labels in model order ([] for regression),
 *     "input": InputSchema (every input column, its type, levels seen),
 *     "integrity": { "algorithm": "SHA-256",
 *                    "model": hex SHA-256 of JSON.stringify(model) (compact, as written),
 *                    "files": { "<bundle file>": hex SHA-256 of its bytes, for every other file } },
 *     "model": FinalModelJSON (src/core/automl/model.ts: members with weights, each a fitted pipeline
 *              and estimator whose state each family's estimator.ts documents)
 *   }
 *
 * The hashes detect a damaged or edited bundle; they are not a signature (whoever edits the model can
 * also edit the hash).
 */
export interface BundleModelFile {
  format: typeof BUNDLE_MODEL_FORMAT;
  version: typeof BUNDLE_MODEL_VERSION;
  created: string;
  app: { name: string; version: string };
  task: Task;
  metric: MetricName;
  target: string;
  classes: string[];
  input: InputSchema;
  integrity: { algorithm: 'SHA-256'; model: string; files: Record<string, string> };
  model: FinalModelJSON;
}

export interface LoadOptions {
  /** Check model.json against its recorded SHA-256 (default true). */
  verify?: boolean;
}
