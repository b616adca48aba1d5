/**
 * TreeGrower: grows one regression tree on gradients and hessians, leaf-wise (best-first), as
 * LightGBM and scikit-learn's `grower.py` do.
 *
 * The node with the largest split gain is split next, until max_leaf_nodes leaves exist or no node
 * can be split (max_depth reached, fewer than 2 * min_samples_leaf rows, or no split with positive
 * gain). Each node owns a contiguous range of one row-index array (`rows`); splitting a node
 * partitions its range in place, stably, so every node's rows stay in increasing order and the
 * histogram loop reads the binned columns forwards. (A double-buffered partition writing each row
 * once, left rows from the front and right rows from the back, measured slower in the full grower.)
 *
 * Histograms: after a split only the smaller child's histogram is built from its rows; the larger
 * child's comes from parent - smaller, computed in place in the parent's buffer (the parent is
 * not needed any more). Buffers come from a pool reused across nodes and trees.
 *
 * Leaf values are Newton steps: -learning_rate * G / (H + l2_regularization).
 *
 * Timing counters (ms, cumulative over the grower's life) tell where a fit spends its time without
 * a profiler, as scikit-learn's grower does.
 */
import { activeBundles, planBundling, type ActiveBundles, type Bundling } from './bundling.ts';
import { HistogramPool, buildHistogram, countBins, subtractHistogram } from './histogram.ts';
import { HistogramLayout } from './histogram-layout.ts';
import { Splitter, splitLeftTable, type SplitInfo } from './splitting.ts';
import { beats } from '../trees/gain-ties.ts';
import { childBounds, clampValue, type MonotonicConstraints } from './monotonic.ts';

export interface GrowerParams {
  /** Maximum leaves per tree; Infinity for no limit. */
  maxLeafNodes: number;
  /** Maximum depth (edges from the root); Infinity for no limit. */
  maxDepth: number;
  minSamplesLeaf: number;
  l2Regularization: number;
  minHessianToSplit: number;
  /** Shrinkage applied to leaf values. */
  learningRate: number;
  /** Per-feature monotonic constraints (+1, −1, 0), or null/absent (monotonic.ts). */
  monotonic?: MonotonicConstraints;
}

/** A tree over bins, as grown. Nodes are numbered in creation order (children after parents). */
export interface BinnedTree {
  nNodes: number;
  /** Split feature; -1 for leaves. */
  feature: Int32Array;
  isCategorical: Uint8Array;
  /** Numeric splits: non-missing bins <= bin go left. */
  bin: Int32Array;
  missingLeft: Uint8Array;
  /** Categorical splits: bins (missing bin included) that go left; null elsewhere. */
  leftBins: (Uint8Array | null)[];
  /** goLeft[node * 256 + binCode]: the split as a lookup table over every bin code. */
  goLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  gain: Float64Array;
  count: Float64Array;
  /** For leaves: the range of the grower's `rows` array holding the leaf's training rows. */
  rowStart: Int32Array;
  rowEnd: Int32Array;
}

export interface GrowerTimers {
  histogram: number;
  split: number;
  partition: number;
}

interface NodeState {
  id: number;
  start: number;
  end: number;
  depth: number;
  sumG: number;
  sumH: number;
  count: number;
  hist: Float64Array | null;
  split: SplitInfo | null;
  /** Bounds on the node's value under monotonic constraints (±Infinity without). */
  lo: number;
  hi: number;
}

const now = (): number => globalThis.performance.now();

export class TreeGrower {
  readonly layout: HistogramLayout;
  /** Row indices, partitioned by node; valid for the last grown tree until the next grow(). */
  readonly rows: Int32Array;
  readonly timers: GrowerTimers = { histogram: 0, split: 0, partition: 0 };
  private readonly partitionBuffer: Int32Array;
  private readonly pool: HistogramPool;
  private readonly splitter: Splitter;
  /** Per-bin counts over all rows: the root's counts whenever a tree uses every row. */
  private allRowCounts: Float64Array | null = null;
  /** Low-cardinality features packed into shared columns for large nodes (bundling.ts). */
  private readonly bundling: Bundling | null;

  constructor(
    private readonly binned: Uint8Array,
    private readonly nRows: number,
    private readonly nBins: Int32Array,
    isCategorical: Uint8Array,
    private readonly params: GrowerParams,
    private readonly constantHessian: boolean,
  ) {
    this.layout = new HistogramLayout(nBins);
    this.rows = new Int32Array(nRows);
    this.partitionBuffer = new Int32Array(nRows);
    this.bundling = planBundling(binned, nRows, this.layout);
    this.pool = new HistogramPool(this.layout.size + (this.bundling?.scratchSize ?? 0));
    this.splitter = new Splitter(this.layout, nBins, isCategorical, {
      minSamplesLeaf: params.minSamplesLeaf,
      minHessianToSplit: params.minHessianToSplit,
      l2Regularization: params.l2Regularization,
      constantHessian,
      monotonic: params.monotonic ?? null,
    });
  }

  /**
   * Grows one tree. `g`/`h` are per-row gradients/hessians (h null when constant = 1);
   * `sample` the sorted rows to use (null: all); `features[0..nActive)` the features to split on.
   *
   * A hot loop that stays whole: it runs once per tree per boosting iteration, and the best-first
   * loop, the node closures and the histogram-pool hand-over (parent buffer to the larger child)
   * share state that helpers would have to pass back and forth per node.
   */
  grow(g: Float64Array, h: Float64Array | null, sample: Int32Array | null, features: Int32Array, nActive: number): BinnedTree {
    const { params, rows } = this;
    const hConst = this.constantHessian || h === null;
    let m: number;
    if (sample) {
      rows.set(sample);
      m = sample.length;
    } else {
      for (let i = 0; i < this.nRows; i++) rows[i] = i;
      m = this.nRows;
    }
    let sumG = 0;
    let sumH = 0;
    for (let k = 0; k < m; k++) {
      const r = rows[k];
      sumG += g[r];
      if (!hConst) sumH += h![r];
    }
    if (hConst) sumH = m;

    // Node capacity: every leaf holds >= min_samples_leaf rows, and the limits bound it too.
    let maxNodes = 2 * Math.floor(m / params.minSamplesLeaf) + 1;
    if (Number.isFinite(params.maxLeafNodes)) maxNodes = Math.min(maxNodes, 2 * params.maxLeafNodes - 1);
    if (params.maxDepth < 30) maxNodes = Math.min(maxNodes, 2 ** (params.maxDepth + 1) - 1);
    const tree = allocTree(Math.max(1, maxNodes));
    const nodes: NodeState[] = [];
    const newNode = (start: number, end: number, depth: number, G: number, H: number, count: number): NodeState => {
      const node: NodeState = { id: tree.nNodes++, start, end, depth, sumG: G, sumH: H, count, hist: null, split: null, lo: -Infinity, hi: Infinity };
      tree.feature[node.id] = -1;
      tree.left[node.id] = -1;
      tree.right[node.id] = -1;
      tree.count[node.id] = count;
      nodes.push(node);
      return node;
    };
    const root = newNode(0, m, 0, sumG, sumH, m);
    const canSplit = (node: NodeState): boolean => node.count >= 2 * params.minSamplesLeaf && node.depth < params.maxDepth && params.maxLeafNodes >= 2;

    const bundles: ActiveBundles | null = this.bundling ? activeBundles(this.bundling, features, nActive) : null;
    const candidates: NodeState[] = [];
    if (canSplit(root)) {
      const t0 = now();
      root.hist = this.pool.acquire();
      let counts: Float64Array | null = null;
      if (!sample) counts = this.allRowCounts ??= countBins(this.layout, this.binned, this.nRows, rows, 0, m);
      buildHistogram(root.hist, this.layout, this.binned, this.nRows, features, nActive, rows, 0, m, g, hConst ? null : h, counts, bundles);
      this.timers.histogram += now() - t0;
      this.findSplit(root, features, nActive, candidates);
    }

    let nLeaves = 1;
    while (candidates.length > 0) {
      let bi = 0;
      // Largest gain first; near-equal gains go to the older candidate (order-independent ties).
      for (let i = 1; i < candidates.length; i++) if (beats(candidates[i].split!.gain, candidates[bi].split!.gain)) bi = i;
      const node = candidates[bi];
      candidates.splice(bi, 1);
      const split = node.split!;

      const t0 = now();
      const mid = this.partition(node, split, tree);
      this.timers.partition += now() - t0;
      const left = newNode(node.start, mid, node.depth + 1, split.gradLeft, split.hessLeft, split.countLeft);
      const right = newNode(mid, node.end, node.depth + 1, split.gradRight, split.hessRight, split.countRight);
      if (params.monotonic) {
        const cst = split.isCategorical || split.valueLeft === undefined ? 0 : params.monotonic[split.feature];
        const b = childBounds(cst, node.lo, node.hi, split.valueLeft ?? 0, split.valueRight ?? 0);
        [left.lo, left.hi] = b.left;
        [right.lo, right.hi] = b.right;
      }
      this.recordSplit(tree, node, split, left.id, right.id);
      nLeaves++;

      if (nLeaves >= params.maxLeafNodes) {
        this.release(node);
        for (const c of candidates) this.release(c);
        candidates.length = 0;
        break;
      }
      const splitLeft = canSplit(left);
      const splitRight = canSplit(right);
      if (!splitLeft && !splitRight) {
        this.release(node);
        continue;
      }
      // Build the smaller child, subtract for the larger (reusing the parent's buffer).
      const t1 = now();
      const [small, large] = left.count <= right.count ? [left, right] : [right, left];
      small.hist = this.pool.acquire();
      buildHistogram(small.hist, this.layout, this.binned, this.nRows, features, nActive, rows, small.start, small.end, g, hConst ? null : h, null, bundles);
      subtractHistogram(node.hist!, small.hist, this.layout, features, nActive, hConst);
      large.hist = node.hist;
      node.hist = null;
      this.timers.histogram += now() - t1;
      if (splitLeft) this.findSplit(left, features, nActive, candidates);
      else this.release(left);
      if (splitRight) this.findSplit(right, features, nActive, candidates);
      else this.release(right);
    }
    for (const node of nodes) {
      if (tree.feature[node.id] >= 0) continue;
      const v = clampValue(-node.sumG / (node.sumH + params.l2Regularization + 1e-15), node.lo, node.hi);
      tree.value[node.id] = params.learningRate * v;
      tree.rowStart[node.id] = node.start;
      tree.rowEnd[node.id] = node.end;
    }
    return tree;
  }

  private findSplit(node: NodeState, features: Int32Array, nActive: number, candidates: NodeState[]): void {
    const t0 = now();
    node.split = this.splitter.findBestSplit(node.hist!, features, nActive, node.sumG, node.sumH, node.count, node.lo, node.hi);
    this.timers.split += now() - t0;
    if (node.split) candidates.push(node);
    else this.release(node);
  }

  private release(node: NodeState): void {
    if (node.hist) {
      this.pool.release(node.hist);
      node.hist = null;
    }
  }

  /** Stable in-place partition of a node's rows by its split; returns the first right-child position. */
  private partition(node: NodeState, split: SplitInfo, tree: BinnedTree): number {
    const table = tree.goLeft.subarray(node.id * 256, node.id * 256 + 256);
    splitLeftTable(split, this.nBins[split.feature], table);
    const { rows, partitionBuffer: buf, binned } = this;
    const colStart = split.feature * this.nRows;
    let l = node.start;
    let r = 0;
    // Branch-free: the side of a row is unpredictable, so write it to both places and advance one
    // cursor. Writing rows[l] is safe because l <= i: that slot has been read already.
    for (let i = node.start; i < node.end; i++) {
      const row = rows[i];
      const goLeft = table[binned[colStart + row]];
      rows[l] = row;
      buf[r] = row;
      l += goLeft;
      r += 1 - goLeft;
    }
    rows.set(buf.subarray(0, r), l);
    return l;
  }

  private recordSplit(tree: BinnedTree, node: NodeState, split: SplitInfo, left: number, right: number): void {
    const id = node.id;
    tree.feature[id] = split.feature;
    tree.isCategorical[id] = split.isCategorical ? 1 : 0;
    tree.bin[id] = split.bin;
    tree.missingLeft[id] = split.missingLeft ? 1 : 0;
    tree.leftBins[id] = split.leftBins;
    tree.left[id] = left;
    tree.right[id] = right;
    tree.gain[id] = split.gain;
  }
}

function allocTree(capacity: number): BinnedTree {
  return {
    nNodes: 0,
    feature: new Int32Array(capacity),
    isCategorical: new Uint8Array(capacity),
    bin: new Int32Array(capacity),
    missingLeft: new Uint8Array(capacity),
    leftBins: new Array<Uint8Array | null>(capacity).fill(null),
    goLeft: new Uint8Array(capacity * 256),
    left: new Int32Array(capacity),
    right: new Int32Array(capacity),
    value: new Float64Array(capacity),
    gain: new Float64Array(capacity),
    count: new Float64Array(capacity),
    rowStart: new Int32Array(capacity),
    rowEnd: new Int32Array(capacity),
  };
}

/** Adds the tree's value to out[offset + r] for every row r of a binned matrix (column-major, nRows rows). */
export function predictBinned(tree: BinnedTree, binned: Uint8Array, nRows: number, out: Float64Array, offset: number): void {
  const { feature, goLeft, left, right, value } = tree;
  for (let r = 0; r < nRows; r++) {
    let node = 0;
    let f = feature[0];
    while (f >= 0) {
      node = goLeft[node * 256 + binned[f * nRows + r]] === 1 ? left[node] : right[node];
      f = feature[node];
    }
    out[offset + r] += value[node];
  }
}
