/**
 * A forest tree's form once built (raw-value FlatTree for prediction, bin form for out-of-bag
 * scoring), the growable storage the builder fills node by node, and the walk of a binned row.
 */
import type { FlatTree } from '../trees/flat-tree.ts';

/** A built tree: raw-value form for prediction, bin form for out-of-bag scoring. */
export interface BuiltTree {
  flat: FlatTree;
  /** Per node: split bin (numeric: bins <= bin go left) or -1. */
  bin: Int32Array;
  /** Per node: categorical left-bin table (missing bin included), else null. */
  leftBins: (Uint8Array | null)[];
}

function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T, size: number): T {
  const b = new (a.constructor as { new (n: number): T })(size);
  b.set(a);
  return b;
}

/**
 * Node fields in typed arrays that double when full (no per-node JS objects or boxed numbers), and
 * each node's statistics (`stride` values) in one growing arena that the builder keeps across trees.
 */
export class NodeStore {
  nNodes = 0;
  private cap = 1024;
  feature = new Int32Array(this.cap);
  threshold = new Float64Array(this.cap);
  missingLeft = new Uint8Array(this.cap);
  leftChild = new Int32Array(this.cap);
  rightChild = new Int32Array(this.cap);
  binOf = new Int32Array(this.cap);
  value: Float64Array;
  readonly leftCategories = new Map<number, Int32Array>();
  readonly leftBinsOf = new Map<number, Uint8Array>();

  constructor(
    readonly valueDim: number,
    private readonly stride: number,
    /** Node statistics, `stride` values per node; replaced by a larger copy when full. */
    public arena: Float64Array,
  ) {
    this.value = new Float64Array(this.cap * valueDim);
  }

  /** A new leaf with zeroed statistics; returns its id. */
  newNode(): number {
    const id = this.nNodes++;
    if (id === this.cap) {
      const cap = (this.cap *= 2);
      this.feature = grow(this.feature, cap);
      this.threshold = grow(this.threshold, cap);
      this.missingLeft = grow(this.missingLeft, cap);
      this.leftChild = grow(this.leftChild, cap);
      this.rightChild = grow(this.rightChild, cap);
      this.binOf = grow(this.binOf, cap);
      this.value = grow(this.value, cap * this.valueDim);
    }
    this.feature[id] = -1;
    this.leftChild[id] = -1;
    this.rightChild[id] = -1;
    this.binOf[id] = -1;
    const stride = this.stride;
    if ((id + 1) * stride > this.arena.length) {
      const grown = new Float64Array(this.arena.length * 2);
      grown.set(this.arena);
      this.arena = grown;
    }
    this.arena.fill(0, id * stride, (id + 1) * stride);
    return id;
  }

  /** The tree, trimmed to its nodes. */
  finish(): BuiltTree {
    const n = this.nNodes;
    const valueDim = this.valueDim;
    const cats = new Array<Int32Array | null>(n).fill(null);
    const bins = new Array<Uint8Array | null>(n).fill(null);
    for (const [id, c] of this.leftCategories) cats[id] = c;
    for (const [id, b] of this.leftBinsOf) bins[id] = b;
    return {
      flat: {
        nNodes: n,
        valueDim,
        feature: this.feature.slice(0, n),
        threshold: this.threshold.slice(0, n),
        missingLeft: this.missingLeft.slice(0, n),
        left: this.leftChild.slice(0, n),
        right: this.rightChild.slice(0, n),
        leftCategories: cats,
        value: this.value.slice(0, n * valueDim),
      },
      bin: this.binOf.slice(0, n),
      leftBins: bins,
    };
  }
}

/** Output index (leaf node) of a built tree for one binned row. */
export function leafOfBinnedRow(tree: BuiltTree, nBins: Int32Array, binned: Uint8Array, nRows: number, row: number): number {
  const { feature, left, right, missingLeft } = tree.flat;
  let node = 0;
  let f = feature[0];
  while (f >= 0) {
    const b = binned[f * nRows + row];
    let goLeft: boolean;
    const lb = tree.leftBins[node];
    if (lb) goLeft = lb[b] === 1;
    else if (b === nBins[f]) goLeft = missingLeft[node] === 1;
    else goLeft = b <= tree.bin[node];
    node = goLeft ? left[node] : right[node];
    f = feature[node];
  }
  return node;
}
