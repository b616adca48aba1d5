/**
 * The fitted-tree format shared by gradient boosting, random forest and extra trees: one tree is a
 * set of flat, node-indexed arrays over RAW feature values (not bins), so a dependency-free
 * predictor can evaluate it.
 *
 * Serialised form of one tree (plain JSON, all arrays of length nNodes unless stated):
 *
 *   {
 *     "feature":         number[]            feature column per node; -1 marks a leaf
 *     "threshold":       (number | null)[]   numeric split: x <= threshold goes left; null means
 *                                            +Infinity (every non-missing value goes left); 0 on
 *                                            leaves and categorical nodes
 *     "missingLeft":     (0 | 1)[]           where a missing value (NaN) goes: 1 left, 0 right
 *     "leftCategories":  (number[] | null)[] categorical split: the category codes that go left,
 *                                            ascending; every other non-missing code goes right;
 *                                            null on numeric nodes and leaves
 *     "left", "right":   number[]            child node indices; -1 on leaves
 *     "value":           number[]            valueDim numbers per node, node-major
 *                                            (value[node * valueDim + j]); meaningful on leaves
 *     "valueDim":        number              1 for GBDT trees and regression forests, nClasses
 *                                            for classification forests (leaf class frequencies)
 *   }
 *
 * Evaluating a row x (node 0 is the root):
 *
 *   let node = 0;
 *   while (feature[node] >= 0) {
 *     const v = x[feature[node]];
 *     const goLeft = Number.isNaN(v) ? missingLeft[node] === 1
 *       : leftCategories[node] ? leftCategories[node].includes(v)
 *       : v <= (threshold[node] ?? Infinity);
 *     node = goLeft ? left[node] : right[node];
 *   }
 *   output += value[node * valueDim .. node * valueDim + valueDim]
 *
 * How the tree outputs combine (sum plus baseline, average) is stated by each family's state.
 */
import type { FeatureMatrix } from '../../prep/matrix.ts';

export interface FlatTree {
  nNodes: number;
  valueDim: number;
  feature: Int32Array;
  threshold: Float64Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  leftCategories: (Int32Array | null)[];
  value: Float64Array;
}

export interface FlatTreeJSON {
  feature: number[];
  threshold: (number | null)[];
  missingLeft: number[];
  leftCategories: (number[] | null)[];
  left: number[];
  right: number[];
  value: number[];
  valueDim: number;
}

export function flatTreeToJSON(t: FlatTree): FlatTreeJSON {
  return {
    feature: Array.from(t.feature),
    // JSON has no Infinity: +Infinity ("all non-missing values go left") is written as null.
    threshold: Array.from(t.threshold, (v) => (v === Infinity ? null : v)),
    missingLeft: Array.from(t.missingLeft),
    leftCategories: t.leftCategories.map((c) => (c ? Array.from(c) : null)),
    left: Array.from(t.left),
    right: Array.from(t.right),
    value: Array.from(t.value),
    valueDim: t.valueDim,
  };
}

/** Rebuilds a tree from its JSON, checking shapes and child indices so a damaged file fails clearly. */
export function flatTreeFromJSON(j: FlatTreeJSON, nFeatures: number, where = 'tree'): FlatTree {
  const bad = (msg: string): never => {
    throw new Error(`invalid model file: ${where}: ${msg}`);
  };
  if (!j || !Array.isArray(j.feature)) bad('missing "feature" array');
  const n = j.feature.length;
  if (n === 0) bad('a tree needs at least one node');
  for (const key of ['threshold', 'missingLeft', 'leftCategories', 'left', 'right'] as const) {
    if (!Array.isArray(j[key]) || j[key].length !== n) bad(`"${key}" must have ${n} entries`);
  }
  const dim = j.valueDim;
  if (!Number.isInteger(dim) || dim < 1) bad('"valueDim" must be a positive integer');
  if (!Array.isArray(j.value) || j.value.length !== n * dim) bad(`"value" must have ${n * dim} entries`);
  const t: FlatTree = {
    nNodes: n,
    valueDim: dim,
    feature: Int32Array.from(j.feature),
    threshold: Float64Array.from(j.threshold, (v) => (v === null ? Infinity : v)),
    missingLeft: Uint8Array.from(j.missingLeft),
    left: Int32Array.from(j.left),
    right: Int32Array.from(j.right),
    leftCategories: j.leftCategories.map((c) => (c ? Int32Array.from(c) : null)),
    value: Float64Array.from(j.value),
  };
  for (let i = 0; i < n; i++) {
    const f = t.feature[i];
    if (f < 0) continue;
    if (f >= nFeatures) bad(`node ${i} uses feature ${f} but the model has ${nFeatures} features`);
    if (!(t.left[i] > i && t.left[i] < n && t.right[i] > i && t.right[i] < n)) {
      bad(`node ${i} has child indices ${t.left[i]}, ${t.right[i]} outside (${i}, ${n})`);
    }
  }
  return t;
}

/**
 * All trees of an ensemble compiled into one set of flat arrays (global node indices) for fast
 * prediction. Tree t adds its leaf's valueDim numbers into output columns
 * [outputOffsets[t], outputOffsets[t] + valueDim) of the row.
 *
 * Per node, one Int32 `meta` holds the feature index and three flags (categorical, missing-left,
 * categorical inline), -1 for leaves; children sit side by side (children[2 * node] left,
 * [2 * node + 1] right) so the next node is picked by index arithmetic rather than a branch the CPU
 * would mispredict. A categorical node whose left codes are all below 32 keeps their bits inline in
 * catWordStart (one array read instead of three); a leaf's threshold slot holds its first value.
 *
 * The traversal loop (leaves) writes these masks as literals: in the bundled predict.mjs the module's
 * constants are variables V8 reloads and checks at every use, three times a level (measured: 12 % of
 * a 100-tree GBDT's predict time). Keep the literals equal to the constants.
 */
const META_CATEGORICAL = 1 << 30; // 0x40000000
const META_MISSING_LEFT = 1 << 29; // 0x20000000
const META_CAT_INLINE = 1 << 28; // 0x10000000
const META_FEATURE = (1 << 28) - 1; // 0x0fffffff

export class TreeEnsemblePredictor {
  private readonly roots: Int32Array;
  private readonly meta: Int32Array;
  private readonly threshold: Float64Array;
  private readonly children: Int32Array;
  private readonly catWordStart: Int32Array;
  private readonly catWordCount: Int32Array;
  private readonly catBits: Uint32Array;
  private readonly valueStart: Int32Array;
  private readonly values: Float64Array;
  private readonly valueDims: Int32Array;
  /** Features some node splits on by category: their codes are copied as int32 too (-1 missing, -2 not a code). */
  private readonly categoricalFeatures: Int32Array;

  constructor(
    trees: FlatTree[],
    private readonly outputOffsets: Int32Array,
    readonly nOutputs: number,
  ) {
    let total = 0;
    let words = 0;
    let nValues = 0;
    for (const t of trees) {
      total += t.nNodes;
      nValues += t.value.length;
      for (const c of t.leftCategories) if (c && c.length && c[c.length - 1] >= 32) words += (c[c.length - 1] >> 5) + 1;
    }
    this.roots = new Int32Array(trees.length);
    this.valueDims = new Int32Array(trees.length);
    this.meta = new Int32Array(total);
    this.threshold = new Float64Array(total);
    this.children = new Int32Array(2 * total);
    this.catWordStart = new Int32Array(total);
    this.catWordCount = new Int32Array(total);
    this.catBits = new Uint32Array(words);
    this.valueStart = new Int32Array(total);
    this.values = new Float64Array(nValues);
    let base = 0;
    let w = 0;
    let v = 0;
    const catFeatures = new Set<number>();
    trees.forEach((t, ti) => {
      this.roots[ti] = base;
      this.valueDims[ti] = t.valueDim;
      this.values.set(t.value, v);
      for (let i = 0; i < t.nNodes; i++) {
        const g = base + i;
        const f = t.feature[i];
        this.valueStart[g] = v + i * t.valueDim;
        if (f < 0) {
          this.meta[g] = -1;
          // A leaf has no threshold: the slot holds its (first) value, read without valueStart.
          this.threshold[g] = t.value[i * t.valueDim];
          continue;
        }
        if (f > META_FEATURE) throw new Error(`feature index ${f} is too large for the predictor`);
        let m = f | (t.missingLeft[i] ? META_MISSING_LEFT : 0);
        this.threshold[g] = t.threshold[i];
        this.children[2 * g] = base + t.left[i];
        this.children[2 * g + 1] = base + t.right[i];
        const cats = t.leftCategories[i];
        if (cats) {
          m |= META_CATEGORICAL;
          catFeatures.add(f);
          const nw = cats.length ? (cats[cats.length - 1] >> 5) + 1 : 0;
          if (nw <= 1) {
            m |= META_CAT_INLINE;
            let bits = 0;
            for (let k = 0; k < cats.length; k++) bits |= 1 << cats[k];
            this.catWordStart[g] = bits;
          } else {
            this.catWordStart[g] = w;
            this.catWordCount[g] = nw;
            for (let k = 0; k < cats.length; k++) this.catBits[w + (cats[k] >> 5)] |= 1 << (cats[k] & 31);
            w += nw;
          }
        }
        this.meta[g] = m;
      }
      base += t.nNodes;
      v += t.value.length;
    });
    this.categoricalFeatures = Int32Array.from([...catFeatures].sort((a, b) => a - b));
  }

  /**
   * Sums the trees' outputs (times `scale`) onto `init` per row: row-major n x nOutputs.
   * Rows are processed in blocks copied to row-major order so one row's features sit together
   * (a block stays in L2 cache), and trees are the outer loop inside a block so one tree stays in
   * L1. Features split on by category are copied a second time as int32 codes, checked once per cell
   * rather than at every categorical node a row passes.
   */
  predict(X: FeatureMatrix, init: Float64Array | null, scale = 1): Float64Array {
    const n = X.rows;
    const p = X.columns.length;
    const K = this.nOutputs;
    const out = new Float64Array(n * K);
    if (init) for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) out[i * K + k] = init[k];
    const BLOCK = 1024;
    const xr = new Float64Array(Math.min(n, BLOCK) * p);
    const xc = new Int32Array(this.categoricalFeatures.length ? Math.min(n, BLOCK) * p : 0);
    const leafOf = new Int32Array(Math.min(n, BLOCK));
    const { roots, outputOffsets, valueStart, values, valueDims, threshold, categoricalFeatures } = this;
    for (let b0 = 0; b0 < n; b0 += BLOCK) {
      const m = Math.min(BLOCK, n - b0);
      for (let j = 0; j < p; j++) {
        const col = X.columns[j];
        for (let i = 0; i < m; i++) xr[i * p + j] = col[b0 + i];
      }
      for (let c = 0; c < categoricalFeatures.length; c++) {
        const j = categoricalFeatures[c];
        const col = X.columns[j];
        for (let i = 0; i < m; i++) {
          const x = col[b0 + i];
          const code = x | 0;
          xc[i * p + j] = code === x && code >= 0 ? code : x !== x ? -1 : -2;
        }
      }
      for (let t = 0; t < roots.length; t++) {
        this.leaves(roots[t], xr, xc, p, m, leafOf);
        const dim = valueDims[t];
        const off = outputOffsets[t];
        if (dim === 1) {
          let o = b0 * K + off;
          for (let i = 0; i < m; i++) {
            out[o] += scale * threshold[leafOf[i]];
            o += K;
          }
        } else {
          for (let i = 0; i < m; i++) {
            const vs = valueStart[leafOf[i]];
            const o = (b0 + i) * K + off;
            for (let j = 0; j < dim; j++) out[o + j] += scale * values[vs + j];
          }
        }
      }
    }
    return out;
  }

  /**
   * Leaf node of one tree for each of the m rows of a row-major block. The categorical test is inlined,
   * every array is a local, the flags are literals (see above) and the node index stays an int32 (no
   * overflow checks): this loop is most of the time of a tree model's prediction.
   */
  private leaves(root: number, xr: Float64Array, xc: Int32Array, p: number, m: number, leafOf: Int32Array): void {
    const { meta, threshold, children, catWordStart, catWordCount, catBits } = this;
    const r0 = root | 0;
    for (let i = 0; i < m; i++) {
      const base = (i * p) | 0;
      let node = r0;
      let mt = meta[node];
      while (mt >= 0) {
        const at = (base + (mt & 0x0fffffff)) | 0; // META_FEATURE
        let right: number;
        if ((mt & 0x40000000) === 0) {
          // Not META_CATEGORICAL. x <= t goes left; NaN fails every comparison and goes where missingLeft says.
          const x = xr[at];
          right = x <= threshold[node] ? 0 : x !== x && (mt & 0x20000000) !== 0 ? 0 : 1;
        } else {
          // The code as an int32: -1 missing (goes where missingLeft says), -2 not a code (goes right).
          const c = xc[at];
          if (c < 0)
            right = c === -1 && (mt & 0x20000000) !== 0 ? 0 : 1; // META_MISSING_LEFT
          // META_CAT_INLINE: the left codes' bits are catWordStart[node] itself.
          else if ((mt & 0x10000000) !== 0) right = c < 32 && (catWordStart[node] >>> c) & 1 ? 0 : 1;
          else {
            // A code goes left when its bit is set; a code the node does not list goes right.
            const word = c >> 5;
            right = word >= catWordCount[node] ? 1 : (catBits[(catWordStart[node] + word) | 0] >>> (c & 31)) & 1 ? 0 : 1;
          }
        }
        node = children[(node << 1) | right];
        mt = meta[node];
      }
      leafOf[i] = node;
    }
  }
}

/** Checks that a matrix given to predict has the columns the model was fitted on. */
export function checkPredictMatrix(X: FeatureMatrix, featureNames: string[], family: string): void {
  if (X.columns.length !== featureNames.length) {
    throw new Error(`${family}: the model was fitted on ${featureNames.length} features but predict got ${X.columns.length}`);
  }
  for (let j = 0; j < X.columns.length; j++) {
    if (X.columns[j].length < X.rows) {
      throw new Error(`${family}: feature '${X.features[j]?.name ?? j}' has ${X.columns[j].length} values for ${X.rows} rows`);
    }
  }
}
