/**
 * TreeGrower: grows one regression tree on gradients and hessians, leaf-wise (best-first), as
 * LightGBM and scikit-learn's `grower.py` do.
 *
 * The node with the largest split gain is split next, until max_leaf_nodes leaves exist or no node
 * can be split (max_depth reached, fewer than 2 * min_samples_leaf rows, or no split with positive
 * gain). Each node owns a contiguous range [start, end) of one of two row-index buffers; splitting
 * a node reads its range from its buffer and writes the children into the same range of the other
 * buffer, left rows from the front and right rows from the back: one store per row, no copy-back.
 * Rows stay monotonic within a node (ascending or descending), so the histogram loop still walks
 * the binned columns in one direction.
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
import { HistogramLayout, HistogramPool, buildHistogram, countBins, subtractHistogram } from './histogram.ts';
import { Splitter, beats, splitLeftTable, type SplitInfo } from './splitting.ts';

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
  /** For leaves: the range of grower.rowBuffers[rowBuffer] holding the leaf's training rows. */
  rowStart: Int32Array;
  rowEnd: Int32Array;
  rowBuffer: Uint8Array;
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
  /** Which of the two row buffers holds this node's rows. */
  buffer: number;
  depth: number;
  sumG: number;
  sumH: number;
  count: number;
  hist: Float64Array | null;
  split: SplitInfo | null;
}

const now = (): number => globalThis.performance.now();

export class TreeGrower {
  readonly layout: HistogramLayout;
  /** Row indices, partitioned by node (see the file comment); valid for the last grown tree until the next grow(). */
  readonly rowBuffers: [Int32Array, Int32Array];
  readonly timers: GrowerTimers = { histogram: 0, split: 0, partition: 0 };
  private readonly pool: HistogramPool;
  private readonly splitter: Splitter;
  /** Per-bin counts over all rows: the root's counts whenever a tree uses every row. */
  private allRowCounts: Float64Array | null = null;

  constructor(
    private readonly binned: Uint8Array,
    private readonly nRows: number,
    private readonly nBins: Int32Array,
    isCategorical: Uint8Array,
    private readonly params: GrowerParams,
    private readonly constantHessian: boolean,
  ) {
    this.layout = new HistogramLayout(nBins);
    this.rowBuffers = [new Int32Array(nRows), new Int32Array(nRows)];
    this.pool = new HistogramPool(this.layout.size);
    this.splitter = new Splitter(this.layout, nBins, isCategorical, {
      minSamplesLeaf: params.minSamplesLeaf,
      minHessianToSplit: params.minHessianToSplit,
      l2Regularization: params.l2Regularization,
      constantHessian,
    });
  }

  /**
   * Grows one tree. `g`/`h` are per-row gradients/hessians (h null when constant = 1);
   * `sample` the sorted rows to use (null: all); `features[0..nActive)` the features to split on.
   */
  grow(g: Float64Array, h: Float64Array | null, sample: Int32Array | null, features: Int32Array, nActive: number): BinnedTree {
    const { params } = this;
    const rows = this.rowBuffers[0];
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
    const newNode = (start: number, end: number, buffer: number, depth: number, G: number, H: number, count: number): NodeState => {
      const node: NodeState = { id: tree.nNodes++, start, end, buffer, depth, sumG: G, sumH: H, count, hist: null, split: null };
      tree.feature[node.id] = -1;
      tree.left[node.id] = -1;
      tree.right[node.id] = -1;
      tree.count[node.id] = count;
      nodes.push(node);
      return node;
    };
    const root = newNode(0, m, 0, 0, sumG, sumH, m);
    const canSplit = (node: NodeState): boolean =>
      node.count >= 2 * params.minSamplesLeaf && node.depth < params.maxDepth && params.maxLeafNodes >= 2;

    const candidates: NodeState[] = [];
    if (canSplit(root)) {
      const t0 = now();
      root.hist = this.pool.acquire();
      let counts: Float64Array | null = null;
      if (!sample) counts = this.allRowCounts ??= countBins(this.layout, this.binned, this.nRows, rows, 0, m);
      buildHistogram(root.hist, this.layout, this.binned, this.nRows, features, nActive, rows, 0, m, g, hConst ? null : h, counts);
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
      const childBuffer = (globalThis as any).__INPLACE ? node.buffer : 1 - node.buffer;
      const left = newNode(node.start, mid, childBuffer, node.depth + 1, split.gradLeft, split.hessLeft, split.countLeft);
      const right = newNode(mid, node.end, childBuffer, node.depth + 1, split.gradRight, split.hessRight, split.countRight);
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
      buildHistogram(
        small.hist, this.layout, this.binned, this.nRows, features, nActive, this.rowBuffers[small.buffer], small.start, small.end,
        g, hConst ? null : h,
      );
      subtractHistogram(node.hist!, small.hist, this.layout, features, nActive);
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
      const v = -node.sumG / (node.sumH + params.l2Regularization + 1e-15);
      tree.value[node.id] = params.learningRate * v;
      tree.rowStart[node.id] = node.start;
      tree.rowEnd[node.id] = node.end;
      tree.rowBuffer[node.id] = node.buffer;
    }
    return tree;
  }

  private findSplit(node: NodeState, features: Int32Array, nActive: number, candidates: NodeState[]): void {
    const t0 = now();
    node.split = this.splitter.findBestSplit(node.hist!, features, nActive, node.sumG, node.sumH, node.count);
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

  /** Partitions a node's rows into the other buffer (left from the front, right from the back); returns the first right position. */
  private partition(node: NodeState, split: SplitInfo, tree: BinnedTree): number {
    const table = tree.goLeft.subarray(node.id * 256, node.id * 256 + 256);
    splitLeftTable(split, this.nBins[split.feature], table);
    if ((globalThis as any).__INPLACE) {
      const rows = this.rowBuffers[node.buffer];
      const buf = this.rowBuffers[1 - node.buffer];
      const binned0 = this.binned;
      const cs = split.feature * this.nRows;
      let l0 = node.start;
      let r0 = 0;
      for (let i = node.start; i < node.end; i++) {
        const row = rows[i];
        const goLeft = table[binned0[cs + row]];
        rows[l0] = row;
        buf[r0] = row;
        l0 += goLeft;
        r0 += 1 - goLeft;
      }
      rows.set(buf.subarray(0, r0), l0);
      return l0;
    }
    const src = this.rowBuffers[node.buffer];
    const dst = this.rowBuffers[1 - node.buffer];
    const binned = this.binned;
    const colStart = split.feature * this.nRows;
    let l = node.start;
    let r = node.end - 1;
    // Branch-free: the side of a row is unpredictable, so the target slot is selected with a bit
    // mask (all ones for left). V8 compiles `goLeft ? l : r` to a mispredicted branch here, and a
    // multiply is slower: 2.5 vs 6-7 ns per row.
    for (let i = node.start; i < node.end; i++) {
      const row = src[i];
      const goLeft = table[binned[colStart + row]];
      const mask = -goLeft;
      dst[(l & mask) | (r & ~mask)] = row;
      l += goLeft;
      r -= 1 - goLeft;
    }
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
    rowBuffer: new Uint8Array(capacity),
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
