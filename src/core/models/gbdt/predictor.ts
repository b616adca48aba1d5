/**
 * Prediction for fitted boosting models: grown (binned) trees become raw-threshold FlatTrees, and the
 * ensemble turns raw scores into predictions.
 *
 * A numeric split "bin <= b" becomes "x <= thresholds[b]" (the bin's upper edge; +Infinity when b is
 * the last real bin, i.e. the split separates missing from non-missing). A categorical split's
 * left-bin set becomes the list of category codes whose bin goes left — for features with more
 * than max_bins levels the shared "other" bin expands to all its codes.
 */
import type { Task } from '../types.ts';
import { TreeEnsemblePredictor, type FlatTree } from '../trees/flat-tree.ts';
import type { BinMapper } from '../trees/binning.ts';
import type { BinnedTree } from './grower.ts';
import { sigmoid } from './loss.ts';

export function binnedTreeToFlat(tree: BinnedTree, mapper: BinMapper): FlatTree {
  const n = tree.nNodes;
  const flat: FlatTree = {
    nNodes: n,
    valueDim: 1,
    feature: tree.feature.slice(0, n),
    threshold: new Float64Array(n),
    missingLeft: tree.missingLeft.slice(0, n),
    left: tree.left.slice(0, n),
    right: tree.right.slice(0, n),
    leftCategories: new Array<Int32Array | null>(n).fill(null),
    value: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const f = tree.feature[i];
    if (f < 0) {
      flat.value[i] = tree.value[i];
      continue;
    }
    if (tree.isCategorical[i]) {
      const leftBins = tree.leftBins[i]!;
      const codeToBin = mapper.codeToBin[f]!;
      const codes: number[] = [];
      for (let c = 0; c < codeToBin.length; c++) if (leftBins[codeToBin[c]] === 1) codes.push(c);
      flat.leftCategories[i] = Int32Array.from(codes);
    } else {
      const thr = mapper.thresholds[f];
      flat.threshold[i] = tree.bin[i] < thr.length ? thr[tree.bin[i]] : Infinity;
    }
  }
  return flat;
}

/**
 * Raw scores of a boosting ensemble: baseline plus the sum of the trees. Trees are stored
 * iteration by iteration, class by class (tree t adds to output t mod nOutputs).
 */
export function makeBoostingPredictor(trees: FlatTree[], nOutputs: number): TreeEnsemblePredictor {
  const offsets = Int32Array.from(trees, (_, t) => t % nOutputs);
  return new TreeEnsemblePredictor(trees, offsets, nOutputs);
}

/** Row-major raw scores (n x nOutputs) to row-major class probabilities (n x nClasses). */
export function rawToProba(raw: Float64Array, n: number, nOutputs: number, nClasses: number): Float64Array {
  const out = new Float64Array(n * nClasses);
  if (nOutputs === 1) {
    for (let i = 0; i < n; i++) {
      const p = sigmoid(raw[i]);
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let k = 0; k < nOutputs; k++) max = Math.max(max, raw[i * nOutputs + k]);
    let sum = 0;
    for (let k = 0; k < nOutputs; k++) sum += out[i * nClasses + k] = Math.exp(raw[i * nOutputs + k] - max);
    for (let k = 0; k < nOutputs; k++) out[i * nClasses + k] /= sum;
  }
  return out;
}

/** Class index (argmax, first on ties) or regression value per row. */
export function rawToPrediction(task: Task, raw: Float64Array, n: number, nOutputs: number): Float64Array {
  const out = new Float64Array(n);
  if (task === 'regression') {
    out.set(raw.subarray(0, n));
    return out;
  }
  if (nOutputs === 1) {
    for (let i = 0; i < n; i++) out[i] = raw[i] > 0 ? 1 : 0;
    return out;
  }
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < nOutputs; k++) if (raw[i * nOutputs + k] > raw[i * nOutputs + best]) best = k;
    out[i] = best;
  }
  return out;
}
