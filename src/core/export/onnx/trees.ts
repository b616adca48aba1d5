/**
 * Tree ensembles (gradient boosting, random forest, extra trees) as one `ai.onnx.ml`
 * TreeEnsembleRegressor over the double feature matrix, so thresholds are compared and leaves summed
 * in double. Sieve's trees (trees/flat-tree.ts) map node for node:
 *
 * - numeric split `x <= t`: BRANCH_LEQ with the double threshold (null, +Infinity, sends every
 *   non-missing value left). For a feature that is a float input as given, see float32Threshold;
 * - missing values: `nodes_missing_value_tracks_true` = missingLeft (the true branch is the left child);
 * - native categorical split "code in S goes left": a chain of BRANCH_EQ nodes on the same feature,
 *   one per code of S, each true branch pointing at the left child and each false branch at the next
 *   link (the last at the right child); missing follows missingLeft on the first link. ONNX Runtime
 *   turns such a chain into one set-membership test. An empty S is BRANCH_LEQ -Infinity (every code
 *   goes right).
 *
 * Gradient boosting: tree t adds to output t mod nOutputs, the baseline is added in double after the
 * sum, then the sigmoid or softmax link. Forests: leaf class frequencies (or values) times 1/trees,
 * summed, as TreeEnsemblePredictor does.
 */
import type { FlatTreeJSON } from '../../models/trees/flat-tree.ts';
import type { SerializedEstimator } from '../../models/types.ts';
import { ML_DOMAIN, type GraphBuilder } from './graph.ts';
import { binaryPairs, sigmoid, softmaxRows } from './links.ts';
import { DT } from './proto.ts';

/**
 * The threshold to compare a float32 input with, for the split `x <= t` Sieve made on doubles.
 * Rounding to float32 is monotonic, so every x whose float32 value v lies below float32(t) is <= t
 * and every one above is > t; only v = float32(t) is ambiguous. Such a v stands for the values a CSV
 * gives (a decimal of a few digits, "5.28"): its shortest decimal that rounds to v decides, so
 * t = 5.279999999999999 (a midpoint one double below 5.28) sends v = float32(5.28) right, and t = 0.58
 * (a data value) sends float32(0.58) left, as Sieve does with the doubles 5.28 and 0.58.
 */
export function float32Threshold(t: number): number {
  if (!Number.isFinite(t)) return t;
  const v = Math.fround(t);
  if (!Number.isFinite(v)) return v > 0 ? 3.4028234663852886e38 : v;
  return shortestFloat32Decimal(v) <= t ? v : float32Below(v);
}

/** The shortest decimal (as the double a parser gives for it) whose float32 rounding is v. */
function shortestFloat32Decimal(v: number): number {
  for (let p = 1; p < 9; p++) {
    const d = Number(v.toPrecision(p));
    if (Math.fround(d) === v) return d;
  }
  return v;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The largest float32 below v (v finite). */
function float32Below(v: number): number {
  if (v === 0) return -1.401298464324817e-45;
  f32[0] = v;
  u32[0] += v > 0 ? -1 : 1;
  return f32[0];
}

interface Ensemble {
  trees: FlatTreeJSON[];
  /** Output column of tree t. */
  target: (t: number) => number;
  nTargets: number;
  /** Multiplier of every leaf value. */
  scale: number;
  /** Features that are float32 inputs as given: their thresholds are rounded to float32. */
  float32: readonly boolean[];
}

/** The TreeEnsembleRegressor attributes, as lists with an entry per ONNX node and per leaf value. */
interface NodeLists {
  treeIds: number[];
  nodeIds: number[];
  featureIds: number[];
  modes: string[];
  values: number[];
  trueIds: number[];
  falseIds: number[];
  missingTrue: number[];
  tTree: number[];
  tNode: number[];
  tId: number[];
  tWeight: number[];
}

function treeEnsemble(g: GraphBuilder, X: string, e: Ensemble): string {
  const l: NodeLists = {
    treeIds: [],
    nodeIds: [],
    featureIds: [],
    modes: [],
    values: [],
    trueIds: [],
    falseIds: [],
    missingTrue: [],
    tTree: [],
    tNode: [],
    tId: [],
    tWeight: [],
  };
  e.trees.forEach((tree, t) => addTree(l, tree, t, e));
  const values = l.values;
  return g.op(
    'TreeEnsembleRegressor',
    [X],
    {
      nodes_treeids: { ints: l.treeIds },
      nodes_nodeids: { ints: l.nodeIds },
      nodes_featureids: { ints: l.featureIds },
      nodes_modes: { strings: l.modes },
      nodes_values_as_tensor: { tensor: { type: DT.DOUBLE, dims: [values.length], values } },
      nodes_truenodeids: { ints: l.trueIds },
      nodes_falsenodeids: { ints: l.falseIds },
      nodes_missing_value_tracks_true: { ints: l.missingTrue },
      target_treeids: { ints: l.tTree },
      target_nodeids: { ints: l.tNode },
      target_ids: { ints: l.tId },
      target_weights_as_tensor: { tensor: { type: DT.DOUBLE, dims: [l.tWeight.length], values: l.tWeight } },
      n_targets: { int: e.nTargets },
      aggregate_function: { string: 'SUM' },
      post_transform: { string: 'NONE' },
    },
    ML_DOMAIN,
  );
}

/** Tree `t` into the lists: a categorical split becomes a chain of BRANCH_EQ nodes, one per left level. */
function addTree(l: NodeLists, tree: FlatTreeJSON, t: number, e: Ensemble): void {
  const n = tree.feature.length;
  // ONNX node id of each Sieve node: categorical nodes take one id per chain link.
  const firstId = new Int32Array(n);
  let next = 0;
  for (let i = 0; i < n; i++) {
    firstId[i] = next;
    const cats = tree.feature[i] >= 0 ? tree.leftCategories[i] : null;
    next += cats && cats.length > 1 ? cats.length : 1;
  }
  const push = (id: number, feature: number, mode: string, value: number, yes: number, no: number, missing: number): void => {
    l.treeIds.push(t);
    l.nodeIds.push(id);
    l.featureIds.push(feature);
    l.modes.push(mode);
    l.values.push(value);
    l.trueIds.push(yes);
    l.falseIds.push(no);
    l.missingTrue.push(missing);
  };
  for (let i = 0; i < n; i++) {
    const f = tree.feature[i];
    const id = firstId[i];
    if (f < 0) {
      push(id, 0, 'LEAF', 0, 0, 0, 0);
      const dim = tree.valueDim;
      for (let k = 0; k < dim; k++) {
        l.tTree.push(t);
        l.tNode.push(id);
        l.tId.push(dim === 1 ? e.target(t) : k);
        l.tWeight.push(e.scale === 1 ? tree.value[i * dim + k] : e.scale * tree.value[i * dim + k]);
      }
      continue;
    }
    const left = firstId[tree.left[i]];
    const right = firstId[tree.right[i]];
    const missing = tree.missingLeft[i] ? 1 : 0;
    const cats = tree.leftCategories[i];
    if (!cats) {
      const thr = tree.threshold[i] ?? Infinity;
      push(id, f, 'BRANCH_LEQ', e.float32[f] ? float32Threshold(thr) : thr, left, right, missing);
    } else if (cats.length === 0) {
      push(id, f, 'BRANCH_LEQ', -Infinity, left, right, missing);
    } else {
      cats.forEach((c, k) => push(id + k, f, 'BRANCH_EQ', c, left, k + 1 < cats.length ? id + k + 1 : right, k === 0 ? missing : 0));
    }
  }
}

/** Probabilities [N, K] (classification) or values [N, 1] (regression), double. */
export function gbdtHead(g: GraphBuilder, X: string, est: SerializedEstimator, float32: readonly boolean[]): string {
  const s = est.state as { nOutputs: number; baseline: number[]; trees: FlatTreeJSON[] };
  const K = s.nOutputs;
  const sum = treeEnsemble(g, X, { trees: s.trees, target: (t) => t % K, nTargets: K, scale: 1, float32 });
  const raw = g.op('Add', [g.double('baseline', s.baseline, [1, K]), g.op('Cast', [sum], { to: { int: DT.DOUBLE } })]);
  if (est.task === 'regression') return raw;
  if (K === 1) return binaryPairs(g, sigmoid(g, raw));
  return softmaxRows(g, raw);
}

export function forestHead(g: GraphBuilder, X: string, est: SerializedEstimator, float32: readonly boolean[]): string {
  const s = est.state as { valueDim: number; trees: FlatTreeJSON[] };
  const sum = treeEnsemble(g, X, { trees: s.trees, target: () => 0, nTargets: s.valueDim, scale: 1 / s.trees.length, float32 });
  return g.op('Cast', [sum], { to: { int: DT.DOUBLE } });
}
