/**
 * Simple reference predictors to compare a model with when the user has no existing process to beat
 * (or in addition to it):
 *
 * - `naiveBaseline`: what you get knowing nothing about the rows — the majority class of the training
 *   rows (with the training class shares as its probabilities) or the training mean.
 * - `bestSingleFeatureRule`: the best one-feature rule (a decision stump) chosen on the training rows —
 *   the kind of rule of thumb a domain expert might already use ("Age ≤ 12.5 → 1 else 0").
 *
 * Both are fitted on the training rows only and predict the test rows, so comparing them with the model
 * on the test rows is fair. The stump search is stump.ts.
 */
import type { Task } from '../models/types.ts';
import type { Prediction } from './metrics.ts';
import { TargetStats, bestCategoricalSplit, bestNumericSplit, goesLeft, type Leaf, type StumpSplit } from './stump.ts';

export interface BaselinePrediction {
  /** Short name for tables ("majority class", "training mean", "best single-feature rule"). */
  name: string;
  /** Plain words: what the baseline predicts. */
  description: string;
  /** Predictions for the test rows (classification: class index and class probabilities). */
  prediction: Prediction;
}

/**
 * Majority class of the training rows, with the training class shares as probabilities for every row
 * (classification), or the training mean (regression). Ties between classes go to the lower index.
 */
export function naiveBaseline(task: Task, yTrain: Float64Array, nClasses: number, nTest: number, classLabels?: readonly string[]): BaselinePrediction {
  if (yTrain.length === 0) throw new RangeError('naive baseline needs at least one training row');
  if (task === 'regression') {
    let s = 0;
    for (let i = 0; i < yTrain.length; i++) s += yTrain[i];
    const m = s / yTrain.length;
    return {
      name: 'training mean',
      description: `Always predicts the training mean, ${formatNumber(m)}`,
      prediction: { values: new Float64Array(nTest).fill(m) },
    };
  }
  const counts = classCounts(yTrain, nClasses, 'training');
  let best = 0;
  for (let k = 1; k < nClasses; k++) if (counts[k] > counts[best]) best = k;
  const proba = new Float64Array(nTest * nClasses);
  for (let i = 0; i < nTest; i++) for (let k = 0; k < nClasses; k++) proba[i * nClasses + k] = counts[k] / yTrain.length;
  const share = Math.round((100 * counts[best]) / yTrain.length);
  return {
    name: 'majority class',
    description: `Always predicts ${classLabel(best, classLabels)} (the most frequent class in training, ${share} %)`,
    prediction: { values: new Float64Array(nTest).fill(best), proba },
  };
}

export interface SingleFeatureRuleOptions {
  task: Task;
  yTrain: Float64Array;
  /** Classes (classification); ignored for regression. */
  nClasses: number;
  /** Training feature columns (one Float64Array per input column, NaN = missing). */
  train: Float64Array[];
  /** Test feature columns, same order as `train`. */
  test: Float64Array[];
  names: readonly string[];
  /** Per column: true when the codes are category levels (the rule is then "column ∈ {levels}"). */
  categorical?: readonly boolean[];
  /** Per categorical column: level names by code, for the description. */
  levels?: readonly (readonly string[] | undefined)[];
  /** Class names by index, for the description. */
  classLabels?: readonly string[];
  /** Fewest training rows on each side of the split (default: max(1, 1 % of the training rows)). */
  minLeaf?: number;
}

export interface SingleFeatureRule extends BaselinePrediction {
  /** The column the rule uses; null when no column splits the training rows (then it is the naive baseline). */
  feature: string | null;
  featureIndex: number;
  /** Training impurity after the split (classification: summed Gini; regression: sum of squared errors). */
  trainImpurity: number;
}

/**
 * The best decision stump over all columns, chosen on the training rows by the usual tree criterion
 * (weighted Gini impurity for classification, squared error for regression — not by the test metric,
 * so nothing is tuned on the test rows). Numeric columns split at the midpoint between two adjacent
 * training values; categorical columns split into a set of levels against the rest (levels ordered by
 * their mean target for regression and binary tasks, which finds the optimal subset; one level against
 * the rest for multiclass). Missing values go to the side that fits the training rows better, or, when
 * training had none, to the side with more training rows; so do categories never seen in training.
 * Each side predicts its majority class with add-one smoothed class shares as probabilities (so log
 * loss stays finite), or its mean.
 */
export function bestSingleFeatureRule(opts: SingleFeatureRuleOptions): SingleFeatureRule {
  const { task, yTrain, train, test, names } = opts;
  const nClasses = task === 'regression' ? 0 : opts.nClasses;
  const n = yTrain.length;
  if (n === 0) throw new RangeError('single-feature rule needs at least one training row');
  if (train.length !== test.length || names.length !== train.length) {
    throw new RangeError(`single-feature rule: got ${train.length} training columns, ${test.length} test columns and ${names.length} names; they must match`);
  }
  train.forEach((c, j) => {
    if (c.length !== n) throw new RangeError(`single-feature rule: training column "${names[j]}" has ${c.length} rows, the target has ${n}`);
  });
  const nTest = test.length > 0 ? test[0].length : 0;
  test.forEach((c, j) => {
    if (c.length !== nTest) throw new RangeError(`single-feature rule: test column "${names[j]}" has ${c.length} rows, expected ${nTest}`);
  });
  if (task !== 'regression') classCounts(yTrain, nClasses, 'training');
  const minLeaf = opts.minLeaf ?? Math.max(1, Math.floor(n / 100));
  const stats = new TargetStats(task, yTrain, nClasses);

  let best: StumpSplit | null = null;
  for (let j = 0; j < train.length; j++) {
    const split = opts.categorical?.[j] ? bestCategoricalSplit(train[j], stats, minLeaf) : bestNumericSplit(train[j], stats, minLeaf);
    if (split && (!best || split.impurity < best.impurity - 1e-12)) best = { ...split, column: j };
  }

  if (!best) {
    const naive = naiveBaseline(task, yTrain, opts.nClasses, nTest, opts.classLabels);
    return {
      ...naive,
      name: 'best single-feature rule',
      description: `No single column splits the training rows; ${lowerFirst(naive.description)}`,
      feature: null,
      featureIndex: -1,
      trainImpurity: stats.impurity(stats.total()),
    };
  }

  // Fit both leaves on the training rows.
  const column = train[best.column];
  const left = stats.empty();
  const right = stats.empty();
  for (let i = 0; i < n; i++) stats.add(goesLeft(best, column[i]) ? left : right, i);
  const leftLeaf = stats.leaf(left);
  const rightLeaf = stats.leaf(right);
  const K = opts.nClasses;
  const values = new Float64Array(nTest);
  const proba = task === 'regression' ? undefined : new Float64Array(nTest * K);
  const testCol = test[best.column];
  for (let i = 0; i < nTest; i++) {
    const leaf = goesLeft(best, testCol[i]) ? leftLeaf : rightLeaf;
    values[i] = leaf.value;
    if (proba && leaf.proba) proba.set(leaf.proba, i * K);
  }
  const name = names[best.column];
  const show = (leaf: Leaf): string => (task === 'regression' ? formatNumber(leaf.value) : classLabel(leaf.value, opts.classLabels));
  let condition: string;
  if (best.kind === 'numeric') {
    condition = `${name} ≤ ${best.threshold}`;
  } else {
    const lv = opts.levels?.[best.column];
    const shown = [...best.leftSet].sort((a, b) => a - b).map((c) => (lv && lv[c] !== undefined ? lv[c] : String(c)));
    condition = `${name} ∈ {${shown.join(', ')}}`;
  }
  let description = `${condition} → ${show(leftLeaf)} else ${show(rightLeaf)}`;
  if (best.missingSeen) description += ` (missing → ${best.missingLeft ? show(leftLeaf) : show(rightLeaf)})`;
  return {
    name: 'best single-feature rule',
    description,
    prediction: proba ? { values, proba } : { values },
    feature: name,
    featureIndex: best.column,
    trainImpurity: best.impurity,
  };
}

function classCounts(y: Float64Array, nClasses: number, what: string): Float64Array {
  if (!Number.isInteger(nClasses) || nClasses < 2) throw new RangeError(`classification needs nClasses >= 2 (got ${nClasses})`);
  const counts = new Float64Array(nClasses);
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!Number.isInteger(v) || v < 0 || v >= nClasses) {
      throw new RangeError(`${what} row ${i}: target ${v} is not a class index 0..${nClasses - 1}`);
    }
    counts[v]++;
  }
  return counts;
}

function classLabel(k: number, labels?: readonly string[]): string {
  return labels && labels[k] !== undefined ? labels[k] : String(k);
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** Up to 4 significant digits, no trailing zeros (12.5, 0.3333, 1.235e+6 → 1235000). */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}
