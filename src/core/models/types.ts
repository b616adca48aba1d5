/**
 * One estimator interface for every model family (scikit-learn's conventions, async because the
 * tfjs families may run on a GPU).
 *
 * Targets: for classification `y[i]` is the class index 0..nClasses-1; for regression the value.
 * Probabilities: row-major Float64Array of length rows * nClasses (binary: nClasses = 2).
 */
import type { BinnedMatrix } from './trees/binning.ts';
import type { FeatureMatrix } from '../prep/matrix.ts';

export type Task = 'binary' | 'multiclass' | 'regression';

export type FamilyName = 'gbdt' | 'random_forest' | 'extra_trees' | 'linear' | 'knn' | 'naive_bayes' | 'mlp' | 'decision_tree';

export const FAMILY_NAMES: FamilyName[] = ['gbdt', 'random_forest', 'extra_trees', 'linear', 'knn', 'naive_bayes', 'mlp', 'decision_tree'];

/** The families a search uses unless told otherwise: every one but the single readable tree. */
export const DEFAULT_FAMILIES: FamilyName[] = FAMILY_NAMES.filter((f) => f !== 'decision_tree');

export interface FitProgress {
  iteration: number;
  total: number;
  /** Validation loss where the family tracks one (early stopping). */
  validationLoss?: number;
}

export interface FitOptions {
  sampleWeight?: Float64Array;
  /** Aborts the fit; checked every iteration. A fit stopped this way throws an AbortError. */
  signal?: AbortSignal;
  /** Absolute deadline (Date.now() milliseconds); a fit past it stops early and keeps what it has. */
  deadline?: number;
  onProgress?: (p: FitProgress) => void;
  /** Seed for every random choice of the fit (subsampling, initialisation, splits). */
  seed?: number;
}

export type ParamValue = number | string | boolean | null;
export type Params = Record<string, ParamValue>;

/** One dimension of a family's hyperparameter search space. */
export type ParamSpace =
  | { name: string; type: 'float'; low: number; high: number; log?: boolean; condition?: ParamCondition }
  | { name: string; type: 'int'; low: number; high: number; log?: boolean; condition?: ParamCondition }
  | { name: string; type: 'categorical'; choices: ParamValue[]; condition?: ParamCondition };

/** The dimension is active only when another parameter has one of the given values. */
export interface ParamCondition {
  param: string;
  values: ParamValue[];
}

/** How a family wants its features prepared. */
export interface FeatureNeeds {
  /** 'native': categorical codes as they are; 'onehot': numbers only (one-hot + target encoding). */
  categorical: 'native' | 'onehot';
  /** Whether numeric features must be imputed (no NaN) and standardised. */
  scale: boolean;
}

export interface FeatureImportance {
  feature: string;
  gain: number;
  splits: number;
}

export interface Estimator {
  readonly family: FamilyName;
  readonly task: Task;
  readonly params: Params;
  fit(X: FeatureMatrix, y: Float64Array, nClasses: number, opts?: FitOptions): Promise<void>;
  /**
   * Tree learners: fit on rows already binned (a view of the run's shared BinnedStore) instead of a
   * Float64 matrix; the model then predicts the raw matrix those rows were binned from.
   */
  fitBinned?(data: BinnedMatrix, y: Float64Array, nClasses: number, opts?: FitOptions): Promise<void>;
  /** Class index (classification) or value (regression) per row. */
  predict(X: FeatureMatrix): Promise<Float64Array>;
  /** Row-major class probabilities; classifiers only. */
  predictProba?(X: FeatureMatrix): Promise<Float64Array>;
  featureImportance?(): FeatureImportance[];
  toJSON(): SerializedEstimator;
  /** Frees tensors and other resources; the estimator is unusable afterwards. */
  dispose?(): void;
}

export interface SerializedEstimator {
  family: FamilyName;
  task: Task;
  params: Params;
  nClasses: number;
  state: unknown;
}

export interface FamilySpec {
  name: FamilyName;
  /** Plain-language one-liner for the leaderboard and the model card. */
  description: string;
  tasks: Task[];
  needs: FeatureNeeds;
  /** Documented defaults; every parameter a user can set. */
  defaults: Params;
  space: ParamSpace[];
  /** A few proven configurations, tried first by the AutoML engine (cheapest first). */
  portfolio: Params[];
  create(task: Task, params?: Params): Estimator;
  fromJSON(json: SerializedEstimator): Estimator;
}
