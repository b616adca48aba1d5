/**
 * One randomised decision tree on binned data, for random forests and extra trees.
 *
 * Depth-first growth to purity (or max_depth / min_samples_* limits), each node's rows a range of
 * one row array partitioned in place, as in the GBDT grower. split-search.ts finds each node's split
 * (criteria.ts scores it), built-tree.ts stores the nodes.
 *
 * A split is taken when it is valid (min_samples_leaf rows each side, positive weight each side)
 * even with zero impurity decrease, as scikit-learn does with min_impurity_decrease = 0.
 */
import type { Rng } from '../../util/random.ts';
import type { BinMapper } from '../trees/binning.ts';
import type { ForestTreeParams } from './params.ts';
import { NodeStore, type BuiltTree } from './built-tree.ts';
import { isPure, nodeScore, statsLayout } from './criteria.ts';
import { ForestSplitSearch } from './split-search.ts';

export class ForestTreeBuilder {
  /** Values per node: [rows, weight, classes...] or [rows, weight, sum wy, sum wy^2]. */
  private readonly stride: number;
  private readonly crit: number;
  private readonly nClasses: number;
  private readonly rows: Int32Array;
  private readonly buffer: Int32Array;
  private readonly search: ForestSplitSearch;
  private readonly table = new Uint8Array(256);
  private readonly nodeStats: Float64Array;
  /** Node statistics, kept (and grown) across trees. */
  private arena: Float64Array;

  constructor(
    private readonly binned: Uint8Array,
    private readonly nRows: number,
    private readonly mapper: BinMapper,
    private readonly y: Float64Array,
    private readonly params: ForestTreeParams,
  ) {
    ({ nClasses: this.nClasses, crit: this.crit, stride: this.stride } = statsLayout(params));
    this.rows = new Int32Array(nRows);
    this.buffer = new Int32Array(nRows);
    this.search = new ForestSplitSearch(binned, nRows, mapper, y, params, this.rows);
    this.nodeStats = new Float64Array(this.stride);
    this.arena = new Float64Array(1024 * this.stride);
  }

  /**
   * Builds a tree on rows inBag[0..nInBag) (ascending) with per-row weights `weight` (indexed by
   * row). `importance[f]` accumulates each split's weighted impurity decrease, `splits[f]` counts.
   */
  build(inBag: Int32Array, nInBag: number, weight: Float64Array, rng: Rng, importance: Float64Array, splits: Float64Array): BuiltTree {
    const { params, stride, rows, search } = this;
    const nClasses = this.nClasses;
    rows.set(inBag.subarray(0, nInBag));
    const store = new NodeStore(nClasses > 0 ? nClasses : 1, stride, this.arena);
    const root = store.newNode();
    for (let i = 0; i < nInBag; i++) this.addRow(store.arena, root * stride, rows[i], weight);
    // Depth-first: (id, start, end, depth) quadruples.
    const stack: number[] = [root, 0, nInBag, 0];
    const stats = this.nodeStats;
    while (stack.length > 0) {
      const depth = stack.pop()!;
      const end = stack.pop()!;
      const start = stack.pop()!;
      const id = stack.pop()!;
      stats.set(store.arena.subarray(id * stride, (id + 1) * stride));
      const m = end - start;
      const W = stats[1];
      // Leaf value: class frequencies or the weighted mean.
      if (nClasses > 0) for (let k = 0; k < nClasses; k++) store.value[id * nClasses + k] = W > 0 ? stats[2 + k] / W : 1 / nClasses;
      else store.value[id] = W > 0 ? stats[2] / W : 0;
      if (depth >= params.maxDepth || m < params.minSamplesSplit || m < 2 * params.minSamplesLeaf || isPure(stats, nClasses)) continue;
      if (!search.findSplit(start, end, stats, weight, rng)) continue;

      const f = search.bestFeature;
      const mid = this.partition(start, end, f, this.splitTable(f));
      importance[f] += search.bestScore - nodeScore(this.crit, nClasses, stats, 0);
      splits[f] += 1;
      const [l, r] = this.addChildren(store, id, stats);
      stack.push(r, mid, end, depth + 1, l, start, mid, depth + 1);
    }
    this.arena = store.arena;
    return store.finish();
  }

  /** The best split as a lookup table bin -> goes left (1). */
  private splitTable(f: number): Uint8Array {
    const search = this.search;
    const nb = this.mapper.nBins[f];
    const table = this.table;
    table.fill(0);
    if (search.bestIsCat) {
      table.set(search.bestLeftBins.subarray(0, nb + 1));
    } else {
      for (let b = 0; b <= search.bestBin; b++) table[b] = 1;
      table[nb] = search.bestMissingLeft ? 1 : 0;
    }
    return table;
  }

  /** Records the best split at node `id` and creates its two children with their statistics. */
  private addChildren(store: NodeStore, id: number, stats: Float64Array): [number, number] {
    const { search, stride } = this;
    const f = search.bestFeature;
    const l = store.newNode();
    const r = store.newNode();
    const arena = store.arena;
    for (let j = 0; j < stride; j++) {
      arena[l * stride + j] = search.bestLeft[j];
      arena[r * stride + j] = stats[j] - search.bestLeft[j];
    }
    // Counts are exact; a weightless side's weight may drift below 0 by rounding.
    if (arena[r * stride + 1] < 0) arena[r * stride + 1] = 0;
    store.feature[id] = f;
    store.missingLeft[id] = search.bestMissingLeft ? 1 : 0;
    store.leftChild[id] = l;
    store.rightChild[id] = r;
    if (search.bestIsCat) {
      const lb = search.bestLeftBins.slice(0, this.mapper.nBins[f] + 1);
      store.leftBinsOf.set(id, lb);
      const codeToBin = this.mapper.codeToBin[f]!;
      const codes: number[] = [];
      for (let c = 0; c < codeToBin.length; c++) if (lb[codeToBin[c]] === 1) codes.push(c);
      store.leftCategories.set(id, Int32Array.from(codes));
    } else {
      store.binOf[id] = search.bestBin;
      const thr = this.mapper.thresholds[f];
      store.threshold[id] = search.bestBin < thr.length ? thr[search.bestBin] : Infinity;
    }
    return [l, r];
  }

  private addRow(stats: Float64Array, off: number, r: number, weight: Float64Array): void {
    const w = weight[r];
    stats[off] += 1;
    stats[off + 1] += w;
    if (this.nClasses > 0) stats[off + 2 + this.y[r]] += w;
    else {
      const wy = w * this.y[r];
      stats[off + 2] += wy;
      stats[off + 3] += wy * this.y[r];
    }
  }

  /** Stable in-place partition of rows[start..end) by `table`; returns the first right row. */
  private partition(start: number, end: number, f: number, table: Uint8Array): number {
    const { rows, buffer, binned } = this;
    const col = f * this.nRows;
    let l = start;
    let r = 0;
    for (let i = start; i < end; i++) {
      const row = rows[i];
      const goLeft = table[binned[col + row]];
      rows[l] = row;
      buffer[r] = row;
      l += goLeft;
      r += 1 - goLeft;
    }
    rows.set(buffer.subarray(0, r), l);
    return l;
  }
}
