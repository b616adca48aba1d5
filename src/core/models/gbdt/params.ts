/**
 * GBDT parameters: names and defaults of scikit-learn's HistGradientBoosting where one exists, plus
 * `subsample` (row fraction per iteration, LightGBM's bagging_fraction) and `colsample` (feature
 * fraction per tree, LightGBM's feature_fraction).
 */
import type { Params, Task } from '../types.ts';
import { MAX_BINS_LIMIT } from '../trees/binning.ts';
import type { LossName } from './loss.ts';
import { ParamReader } from '../shared/param-reader.ts';

export const GBDT_DEFAULTS: Params = {
  /** 'auto': log_loss for classification, squared_error for regression; 'quantile' fits the `quantile` quantile. */
  loss: 'auto',
  learning_rate: 0.1,
  max_iter: 100,
  /** null: no limit. */
  max_leaf_nodes: 31,
  /** null: no limit (edges from the root to the deepest leaf). */
  max_depth: null,
  min_samples_leaf: 20,
  l2_regularization: 0,
  max_bins: 255,
  /** 'auto': on when there are more than 10,000 rows (as scikit-learn). */
  early_stopping: 'auto',
  validation_fraction: 0.1,
  n_iter_no_change: 10,
  tol: 1e-7,
  subsample: 1.0,
  colsample: 1.0,
  /** null, or monotonic constraints by input column, "name:1,other:-1" (+1 increasing, −1 decreasing; monotonic.ts). */
  monotonic_cst: null,
};

export interface GbdtConfig {
  loss: LossName;
  /** Quantile of loss 'quantile'. */
  quantile: number;
  learningRate: number;
  maxIter: number;
  maxLeafNodes: number;
  maxDepth: number;
  minSamplesLeaf: number;
  l2Regularization: number;
  maxBins: number;
  earlyStopping: 'auto' | boolean;
  validationFraction: number;
  nIterNoChange: number;
  tol: number;
  subsample: number;
  colsample: number;
  monotonicCst: string | null;
}

/** Validates every parameter up front; throws naming the bad one. */
export function readGbdtParams(task: Task, params: Params): GbdtConfig {
  // `quantile` (in (0, 1), default 0.5: the median) belongs to loss 'quantile' only: it is read here but
  // kept out of GBDT_DEFAULTS, so that the trials and model cards of other losses do not list it.
  const r = new ParamReader('gbdt', params, { ...GBDT_DEFAULTS, quantile: 0.5 });
  const lossParam = r.choice('loss', ['auto', 'log_loss', 'squared_error', 'absolute_error', 'quantile'] as const);
  const classification = task !== 'regression';
  let loss: LossName;
  if (lossParam === 'auto') loss = classification ? 'log_loss' : 'squared_error';
  else loss = lossParam;
  if (classification && loss !== 'log_loss') r.invalid('loss', `'log_loss' or 'auto' for a ${task} task`);
  if (!classification && loss === 'log_loss') r.invalid('loss', `'squared_error', 'absolute_error', 'quantile' or 'auto' for regression`);
  const quantile = r.float('quantile', 0, 1, { lowOpen: true, highOpen: true });
  const es = r.value('early_stopping');
  if (es !== 'auto' && es !== true && es !== false) r.invalid('early_stopping', `'auto', true or false`);
  const maxLeaf = r.int('max_leaf_nodes', 2, Number.MAX_SAFE_INTEGER, true);
  const maxDepth = r.int('max_depth', 1, Number.MAX_SAFE_INTEGER, true);
  const mono = r.value('monotonic_cst');
  if (mono !== null && typeof mono !== 'string') r.invalid('monotonic_cst', 'null or a string "column:1,other:-1"');
  return {
    loss,
    quantile,
    learningRate: r.float('learning_rate', 0, Infinity, { lowOpen: true }),
    maxIter: r.int('max_iter', 1),
    maxLeafNodes: maxLeaf ?? Infinity,
    maxDepth: maxDepth ?? Infinity,
    minSamplesLeaf: r.int('min_samples_leaf', 1),
    l2Regularization: r.float('l2_regularization', 0, Infinity),
    maxBins: r.int('max_bins', 2, MAX_BINS_LIMIT),
    earlyStopping: es as 'auto' | boolean,
    validationFraction: r.float('validation_fraction', 0, 1, { lowOpen: true, highOpen: true }),
    nIterNoChange: r.int('n_iter_no_change', 1),
    tol: r.float('tol', 0, Infinity),
    subsample: r.float('subsample', 0, 1, { lowOpen: true }),
    colsample: r.float('colsample', 0, 1, { lowOpen: true }),
    monotonicCst: (mono as string | null) || null,
  };
}
