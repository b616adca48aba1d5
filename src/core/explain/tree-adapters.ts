/**
 * Converts Sieve's fitted tree format (src/core/models/trees/flat-tree.ts: per tree flat arrays
 * feature / threshold / missingLeft / leftCategories / left / right / value / valueDim, in memory or
 * as JSON) into the `ShapTree` that Tree SHAP runs on.
 *
 * Tree SHAP needs each node's training cover. The flat format does not store it (yet), so the
 * covers are recomputed by routing rows through the tree (`coverRows`: the training rows, or a
 * sample of them, as feature columns); a tree that carries a `cover` array is used as it is.
 *
 * The adapter is written against the documented format (a structural type, below), not the
 * learners' classes, so it keeps working as long as the format does.
 */
import { goesLeft, type ShapEnsemble, type ShapTree } from './tree-shap.ts';

/** One tree in the flat format, typed arrays (FlatTree) or plain JSON arrays (FlatTreeJSON). */
export interface FlatTreeInput {
  feature: ArrayLike<number>;
  /** x ≤ threshold goes left; null (JSON) or Infinity: every non-missing value goes left. */
  threshold: ArrayLike<number | null>;
  missingLeft: ArrayLike<number>;
  /** Categorical split: codes that go left (others go right); null on numeric nodes and leaves. */
  leftCategories: readonly (ArrayLike<number> | null)[];
  left: ArrayLike<number>;
  right: ArrayLike<number>;
  /** valueDim numbers per node, node-major. */
  value: ArrayLike<number>;
  valueDim: number;
  /** Per-node training cover (rows or hessian sum), if the learner stored it. */
  cover?: ArrayLike<number>;
}

export interface FlatTreeShapOptions {
  /** Which of the valueDim outputs to explain (a class, for classification forests). Default 0. */
  valueIndex?: number;
  /** Rows (feature columns) to count covers from when the tree carries none. */
  coverRows?: Float64Array[];
}

/** One flat tree as a ShapTree. Throws when it has no cover and no rows to compute one from. */
export function flatTreeToShapTree(tree: FlatTreeInput, opts: FlatTreeShapOptions = {}): ShapTree {
  const n = tree.feature.length;
  const dim = tree.valueDim;
  const k = opts.valueIndex ?? 0;
  if (!(Number.isInteger(k) && k >= 0 && k < dim)) throw new RangeError(`tree output ${k} does not exist (the tree has ${dim})`);
  const isCat = new Uint8Array(n);
  const leftSet: (Set<number> | null)[] = new Array(n).fill(null);
  const left = new Int32Array(n);
  const right = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const leaf = tree.feature[i] < 0;
    left[i] = leaf ? -1 : tree.left[i];
    right[i] = leaf ? -1 : tree.right[i];
    const cats = tree.leftCategories[i];
    if (!leaf && cats) {
      isCat[i] = 1;
      leftSet[i] = new Set(Array.from(cats));
    }
  }
  const shap: ShapTree = {
    left,
    right,
    feature: Int32Array.from(tree.feature),
    threshold: Float64Array.from(Array.from(tree.threshold), (v) => (v === null ? Infinity : v)),
    defaultLeft: Uint8Array.from(tree.missingLeft),
    value: Float64Array.from({ length: n }, (_, i) => tree.value[i * dim + k]),
    cover: new Float64Array(n),
    isCategoricalSplit: isCat,
    leftSet,
  };
  if (tree.cover) shap.cover = Float64Array.from(tree.cover);
  else if (opts.coverRows) shap.cover = coverFromRows(shap, opts.coverRows);
  else throw new Error('Tree SHAP needs node covers: the tree has no "cover" array, so pass coverRows (the training rows) to count them');
  return shap;
}

/** Number of the given rows (feature columns) that reach each node. */
export function coverFromRows(tree: ShapTree, columns: Float64Array[]): Float64Array {
  const cover = new Float64Array(tree.left.length);
  const n = columns.length > 0 ? columns[0].length : 0;
  const x = new Float64Array(columns.length);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < columns.length; j++) x[j] = columns[j][i];
    let node = 0;
    cover[0]++;
    while (tree.left[node] >= 0) {
      node = goesLeft(tree, node, x) ? tree.left[node] : tree.right[node];
      cover[node]++;
    }
  }
  return cover;
}

/** The parts of a GBDT model state ('sieve-gbdt-v1') Tree SHAP needs. */
export interface BoostingStateInput {
  nOutputs: number;
  baseline: ArrayLike<number>;
  /** Iteration by iteration, output by output: tree t adds to output t mod nOutputs. */
  trees: readonly FlatTreeInput[];
}

/**
 * A boosting model's trees for one raw output (the regression value, the binary log-odds, or one
 * class's multiclass score) as a ShapEnsemble: baseline + sum of trees. SHAP values are then in raw
 * units (log-odds for classification), where they add up exactly.
 */
export function boostingToShapEnsemble(state: BoostingStateInput, opts: { output?: number; coverRows?: Float64Array[] } = {}): ShapEnsemble {
  const output = opts.output ?? 0;
  if (!(Number.isInteger(output) && output >= 0 && output < state.nOutputs)) {
    throw new RangeError(`boosting output ${output} does not exist (the model has ${state.nOutputs})`);
  }
  const trees = state.trees.filter((_, t) => t % state.nOutputs === output).map((t) => flatTreeToShapTree(t, { coverRows: opts.coverRows }));
  return { trees, baseScore: state.baseline[output], scale: 1 };
}

/**
 * A forest (the mean of its trees) as a ShapEnsemble; `valueIndex` picks the class for
 * classification forests whose leaves hold class frequencies.
 */
export function forestToShapEnsemble(trees: readonly FlatTreeInput[], opts: FlatTreeShapOptions = {}): ShapEnsemble {
  if (trees.length === 0) throw new RangeError('a forest needs at least one tree');
  return { trees: trees.map((t) => flatTreeToShapTree(t, opts)), baseScore: 0, scale: 1 / trees.length };
}
