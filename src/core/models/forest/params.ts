/**
 * Random forest / extra trees parameters, named as scikit-learn's RandomForest* / ExtraTrees*.
 *
 * Differences from scikit-learn, all documented here:
 *   - max_features: 'sqrt' | 'log2' | a number. A number in (0, 1] is a fraction of the features
 *     (1 = all of them), a number > 1 a count. 'auto' (the default) means 'sqrt' for
 *     classification and 1.0 for regression, scikit-learn >= 1.1's defaults.
 *   - criterion 'auto': 'gini' for classification, 'squared_error' for regression.
 *   - max_bins: the trees split on the same quantile bins as GBDT (histogram forests, as LightGBM's
 *     rf mode), so thresholds are bin edges rather than midpoints between any two values.
 */
import type { Params, Task } from '../types.ts';
import { MAX_BINS_LIMIT } from '../trees/binning.ts';
import { ParamReader } from '../shared/param-reader.ts';

export type ForestKind = 'random_forest' | 'extra_trees';
export type Criterion = 'gini' | 'entropy' | 'squared_error';

export function forestDefaults(kind: ForestKind): Params {
  return {
    n_estimators: 100,
    criterion: 'auto',
    max_depth: null,
    min_samples_split: 2,
    min_samples_leaf: 1,
    max_features: 'auto',
    bootstrap: kind === 'random_forest',
    /** Rows drawn per tree with bootstrap, as a fraction of the training rows; null = all. */
    max_samples: null,
    max_bins: 255,
  };
}

export interface ForestConfig {
  nEstimators: number;
  criterion: Criterion;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Fraction of features (<= 1) or count (> 1); resolved against p at fit time. */
  maxFeatures: number | 'sqrt' | 'log2';
  bootstrap: boolean;
  maxSamples: number | null;
  maxBins: number;
}

/** One tree's settings, resolved from ForestConfig for the tree builder and its split search. */
export interface ForestTreeParams {
  criterion: Criterion;
  /** Classes (classification) or 0 (regression). */
  nClasses: number;
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxFeatures: number;
  extraTrees: boolean;
}

export function readForestParams(kind: ForestKind, task: Task, params: Params): ForestConfig {
  const r = new ParamReader(kind, params, forestDefaults(kind));
  const classification = task !== 'regression';
  const crit = r.choice('criterion', ['auto', 'gini', 'entropy', 'squared_error'] as const);
  const criterion: Criterion = crit === 'auto' ? (classification ? 'gini' : 'squared_error') : crit;
  if (classification && criterion === 'squared_error') r.invalid('criterion', `'gini', 'entropy' or 'auto' for a ${task} task`);
  if (!classification && criterion !== 'squared_error') r.invalid('criterion', `'squared_error' or 'auto' for regression`);
  const mf = r.value('max_features');
  let maxFeatures: ForestConfig['maxFeatures'];
  if (mf === 'auto') maxFeatures = classification ? 'sqrt' : 1;
  else if (mf === 'sqrt' || mf === 'log2') maxFeatures = mf;
  else if (typeof mf === 'number' && Number.isFinite(mf) && mf > 0 && (mf <= 1 || Number.isInteger(mf))) maxFeatures = mf;
  else return r.invalid('max_features', `'auto', 'sqrt', 'log2', a fraction in (0, 1] or an integer count > 1`);
  const bootstrap = r.value('bootstrap');
  if (typeof bootstrap !== 'boolean') r.invalid('bootstrap', 'true or false');
  const maxSamplesRaw = r.value('max_samples');
  let maxSamples: number | null = null;
  if (maxSamplesRaw !== null) maxSamples = r.float('max_samples', 0, 1, { lowOpen: true });
  return {
    nEstimators: r.int('n_estimators', 1),
    criterion,
    maxDepth: r.int('max_depth', 1, Number.MAX_SAFE_INTEGER, true) ?? Infinity,
    minSamplesSplit: r.int('min_samples_split', 2),
    minSamplesLeaf: r.int('min_samples_leaf', 1),
    maxFeatures,
    bootstrap: bootstrap as boolean,
    maxSamples,
    maxBins: r.int('max_bins', 2, MAX_BINS_LIMIT),
  };
}

/** Number of features tried per split. */
export function resolveMaxFeatures(mf: ForestConfig['maxFeatures'], p: number): number {
  let k: number;
  if (mf === 'sqrt') k = Math.floor(Math.sqrt(p));
  else if (mf === 'log2') k = Math.floor(Math.log2(p));
  else if (mf <= 1) k = Math.floor(mf * p);
  else k = mf;
  return Math.max(1, Math.min(p, k));
}
