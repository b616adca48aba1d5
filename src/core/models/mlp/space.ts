/** Defaults, search space and portfolio of the multi-layer perceptron family. */
import type { ParamSpace, Params } from '../types.ts';

/**
 * - hidden_layers, hidden_units: depth and width of the hidden part (every hidden layer the same width).
 * - activation: 'relu' or 'tanh' for hidden layers.
 * - dropout: share of hidden units zeroed at each training step (0 = off).
 * - learning_rate: Adam's step size.  alpha: L2 penalty (alpha / 2 * sum of squared weights, biases excluded).
 * - batch_size: rows per optimiser step (large batches keep a GPU busy); capped so that an epoch has
 *   at least 8 steps on small data sets (never below 32 rows).
 * - max_epochs: passes over the training rows at most.
 * - patience: stop after this many epochs without a better validation loss (then keep the best weights).
 * - validation_fraction: share of the training rows held out for early stopping (0 = no early stopping).
 * - class_weight: 'balanced' reweights classes to equal total weight (classification only).
 */
export const MLP_DEFAULTS: Params = {
  hidden_layers: 2,
  hidden_units: 64,
  activation: 'relu',
  dropout: 0.1,
  learning_rate: 0.003,
  alpha: 1e-4,
  batch_size: 512,
  max_epochs: 200,
  patience: 12,
  validation_fraction: 0.1,
  class_weight: 'none',
};

export const MLP_SPACE: ParamSpace[] = [
  { name: 'hidden_layers', type: 'int', low: 1, high: 3 },
  { name: 'hidden_units', type: 'int', low: 16, high: 512, log: true },
  { name: 'activation', type: 'categorical', choices: ['relu', 'tanh'] },
  { name: 'dropout', type: 'float', low: 0, high: 0.5 },
  { name: 'learning_rate', type: 'float', low: 3e-4, high: 3e-2, log: true },
  { name: 'alpha', type: 'float', low: 1e-7, high: 1e-2, log: true },
  { name: 'batch_size', type: 'categorical', choices: [128, 256, 512, 1024] },
];

export const MLP_PORTFOLIO: Params[] = [
  { hidden_layers: 2, hidden_units: 64, dropout: 0.1, learning_rate: 0.003 },
  { hidden_layers: 1, hidden_units: 128, dropout: 0, learning_rate: 0.003, alpha: 1e-3 },
  { hidden_layers: 3, hidden_units: 256, dropout: 0.3, learning_rate: 0.001, batch_size: 512 },
];
