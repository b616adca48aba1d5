/**
 * Exact Tree SHAP for tree ensembles: Lundberg, Erion & Lee (2018), "Consistent individualized feature
 * attribution for tree ensembles", Algorithm 2 (path-dependent), in O(leaves · depth²) per tree, ported
 * from the reference implementation in shap (tree_shap.h: extend_path / unwind_path /
 * unwound_path_sum / tree_shap_recursive).
 *
 * "Path-dependent" means a column outside the coalition is integrated out by following both children of
 * its splits, weighted by the training cover (row count or hessian sum) of each child; no background data
 * is needed. The values satisfy base + Σ values = prediction exactly (to rounding), where base is the
 * cover-weighted mean leaf value.
 *
 * Written against the small `ShapTree` type below so it does not depend on any learner's internals.
 */

/**
 * One binary tree as flat arrays indexed by node (node 0 is the root).
 * A node is a leaf when left[node] < 0.
 */
export interface ShapTree {
  left: Int32Array;
  right: Int32Array;
  /** Split column (ignored for leaves). */
  feature: Int32Array;
  /** Numeric split: goes left when x ≤ threshold (x < threshold when `strictLess`). */
  threshold: Float64Array;
  /** 1: missing values (NaN) go left. */
  defaultLeft: Uint8Array;
  /** Leaf output (ignored for internal nodes). */
  value: Float64Array;
  /** Training cover of every node (rows or hessian sum reaching it); only child ratios matter. */
  cover: Float64Array;
  /** Per node, 1 when the split is categorical: left when the category code is in `leftSet[node]`. */
  isCategoricalSplit?: Uint8Array;
  leftSet?: readonly (ReadonlySet<number> | null | undefined)[];
  /** true: numeric splits go left on x < threshold (XGBoost); false/absent: x ≤ threshold (LightGBM, scikit-learn). */
  strictLess?: boolean;
}

/** Trees whose outputs combine as baseScore + scale · Σ trees (GBDT: scale 1; random forest: 1 / trees). */
export interface ShapEnsemble {
  trees: ShapTree[];
  baseScore?: number;
  scale?: number;
}

export interface TreeShapValues {
  /** baseScore + scale · Σ cover-weighted mean leaf value. */
  base: number;
  values: number[];
  /** The ensemble's output for the row. */
  prediction: number;
}

/** Whether row x goes to the left child of `node`. */
export function goesLeft(tree: ShapTree, node: number, x: ArrayLike<number>): boolean {
  const v = x[tree.feature[node]];
  if (Number.isNaN(v)) return tree.defaultLeft[node] === 1;
  if (tree.isCategoricalSplit && tree.isCategoricalSplit[node] === 1) return tree.leftSet?.[node]?.has(v) ?? false;
  return tree.strictLess ? v < tree.threshold[node] : v <= tree.threshold[node];
}

/** Leaf value reached by row x. */
export function predictTree(tree: ShapTree, x: ArrayLike<number>): number {
  let node = 0;
  while (tree.left[node] >= 0) node = goesLeft(tree, node, x) ? tree.left[node] : tree.right[node];
  return tree.value[node];
}

/**
 * Share of a node's cover that goes to its left child. Computed from the children's covers (not the
 * parent's), so the two shares always add to 1 even if a learner's covers are not exactly additive;
 * two empty children split evenly.
 */
function leftShare(tree: ShapTree, node: number): number {
  const l = tree.cover[tree.left[node]];
  const r = tree.cover[tree.right[node]];
  return l + r > 0 ? l / (l + r) : 0.5;
}

/** Cover-weighted mean leaf value (the tree's expected output over its training rows). */
export function treeExpectedValue(tree: ShapTree): number {
  const walk = (node: number): number => {
    if (tree.left[node] < 0) return tree.value[node];
    const s = leftShare(tree, node);
    return s * walk(tree.left[node]) + (1 - s) * walk(tree.right[node]);
  };
  return walk(0);
}

function treeDepth(tree: ShapTree): number {
  const walk = (node: number): number => (tree.left[node] < 0 ? 0 : 1 + Math.max(walk(tree.left[node]), walk(tree.right[node])));
  return walk(0);
}

/** Exact path-dependent SHAP values of row x for an ensemble; `nFeatures` = number of input columns. */
export function treeShap(model: ShapEnsemble, x: ArrayLike<number>, nFeatures: number): TreeShapValues {
  const scale = model.scale ?? 1;
  const phi = new Float64Array(nFeatures);
  let base = model.baseScore ?? 0;
  let prediction = model.baseScore ?? 0;
  for (const tree of model.trees) {
    validateTree(tree, nFeatures);
    base += scale * treeExpectedValue(tree);
    prediction += scale * predictTree(tree, x);
    addTreeShap(tree, x, phi, scale);
  }
  return { base, values: Array.from(phi), prediction };
}

/** Adds scale × the SHAP values of one tree for row x into phi. */
export function addTreeShap(tree: ShapTree, x: ArrayLike<number>, phi: Float64Array, scale = 1): void {
  // The hot loop of exact SHAP (once per tree and row explained): it stays whole because extend,
  // unwind and the recursion share the path arrays below through the closure.
  const depth = treeDepth(tree);
  // Every recursion level gets its own slice of the path arrays (as in shap's C++), so a child's
  // changes never disturb the parent's path; slices for depth D fit in (D + 2)(D + 3) / 2 entries.
  const size = ((depth + 2) * (depth + 3)) / 2 + 1;
  const feat = new Int32Array(size);
  const zero = new Float64Array(size);
  const one = new Float64Array(size);
  const pw = new Float64Array(size);

  const extend = (off: number, ud: number, zf: number, of: number, fi: number): void => {
    feat[off + ud] = fi;
    zero[off + ud] = zf;
    one[off + ud] = of;
    pw[off + ud] = ud === 0 ? 1 : 0;
    for (let i = ud - 1; i >= 0; i--) {
      pw[off + i + 1] += (of * pw[off + i] * (i + 1)) / (ud + 1);
      pw[off + i] = (zf * pw[off + i] * (ud - i)) / (ud + 1);
    }
  };

  const unwind = (off: number, ud: number, pathIndex: number): void => {
    const of = one[off + pathIndex];
    const zf = zero[off + pathIndex];
    let next = pw[off + ud];
    for (let i = ud - 1; i >= 0; i--) {
      if (of !== 0) {
        const tmp = pw[off + i];
        pw[off + i] = (next * (ud + 1)) / ((i + 1) * of);
        next = tmp - (pw[off + i] * zf * (ud - i)) / (ud + 1);
      } else {
        pw[off + i] = (pw[off + i] * (ud + 1)) / (zf * (ud - i));
      }
    }
    for (let i = pathIndex; i < ud; i++) {
      feat[off + i] = feat[off + i + 1];
      zero[off + i] = zero[off + i + 1];
      one[off + i] = one[off + i + 1];
    }
  };

  const unwoundSum = (off: number, ud: number, pathIndex: number): number => {
    const of = one[off + pathIndex];
    const zf = zero[off + pathIndex];
    let next = pw[off + ud];
    let total = 0;
    for (let i = ud - 1; i >= 0; i--) {
      if (of !== 0) {
        const tmp = (next * (ud + 1)) / ((i + 1) * of);
        total += tmp;
        next = pw[off + i] - tmp * zf * ((ud - i) / (ud + 1));
      } else {
        total += pw[off + i] / zf / ((ud - i) / (ud + 1));
      }
    }
    return total;
  };

  const recurse = (node: number, ud: number, parentOff: number, pz: number, po: number, pf: number): void => {
    const off = parentOff + ud + 1;
    // Copy the parent's path (its first ud entries), then extend it with the split that led here.
    for (let i = 0; i < ud; i++) {
      feat[off + i] = feat[parentOff + i];
      zero[off + i] = zero[parentOff + i];
      one[off + i] = one[parentOff + i];
      pw[off + i] = pw[parentOff + i];
    }
    extend(off, ud, pz, po, pf);

    if (tree.left[node] < 0) {
      const v = tree.value[node] * scale;
      for (let i = 1; i <= ud; i++) {
        const w = unwoundSum(off, ud, i);
        phi[feat[off + i]] += w * (one[off + i] - zero[off + i]) * v;
      }
      return;
    }

    const split = tree.feature[node];
    const left = goesLeft(tree, node, x);
    const hot = left ? tree.left[node] : tree.right[node];
    const cold = left ? tree.right[node] : tree.left[node];
    const share = leftShare(tree, node);
    const hotZero = left ? share : 1 - share;
    const coldZero = 1 - hotZero;

    // A column already split on higher up the path: undo that entry, and carry its fractions down.
    let incomingZero = 1;
    let incomingOne = 1;
    let pathIndex = 0;
    for (; pathIndex <= ud; pathIndex++) if (feat[off + pathIndex] === split) break;
    if (pathIndex !== ud + 1) {
      incomingZero = zero[off + pathIndex];
      incomingOne = one[off + pathIndex];
      unwind(off, ud, pathIndex);
      ud -= 1;
    }
    // A child whose fractions are both 0 has weight 0 in every coalition (no training row reached it and
    // x does not go there); skipping it also avoids dividing by its zero fraction.
    if (hotZero * incomingZero > 0 || incomingOne > 0) recurse(hot, ud + 1, off, hotZero * incomingZero, incomingOne, split);
    if (coldZero * incomingZero > 0) recurse(cold, ud + 1, off, coldZero * incomingZero, 0, split);
  };

  // The root's path starts with a dummy entry (feature −1) that never receives a value.
  recurse(0, 0, -1, 1, 1, -1);
}

function validateTree(tree: ShapTree, nFeatures: number): void {
  const n = tree.left.length;
  for (const [name, arr] of [
    ['right', tree.right],
    ['feature', tree.feature],
    ['threshold', tree.threshold],
    ['defaultLeft', tree.defaultLeft],
    ['value', tree.value],
    ['cover', tree.cover],
  ] as const) {
    if (arr.length !== n) throw new RangeError(`ShapTree: ${name} has ${arr.length} entries, left has ${n}`);
  }
  for (let i = 0; i < n; i++) {
    if (tree.left[i] >= 0) {
      if (tree.left[i] >= n || tree.right[i] < 0 || tree.right[i] >= n) throw new RangeError(`ShapTree: node ${i} has a child outside the tree`);
      if (tree.feature[i] < 0 || tree.feature[i] >= nFeatures) {
        throw new RangeError(`ShapTree: node ${i} splits on column ${tree.feature[i]}, but there are ${nFeatures} columns`);
      }
    }
  }
}
