/**
 * Where each feature's bins sit in a node's histogram array (the layout histogram.ts describes):
 * its own module so that histogram.ts and bundling.ts, which both index by it, need not import each other.
 */
export class HistogramLayout {
  /** Bin offset of each feature; offsets[p] is the total number of bins (missing bins included). */
  readonly offsets: Int32Array;
  readonly totalBins: number;

  /** 3 * offsets[f]: the array slot where feature f's histogram starts. */
  readonly slotOffsets: Int32Array;

  constructor(readonly nBins: Int32Array) {
    const p = nBins.length;
    this.offsets = new Int32Array(p + 1);
    for (let f = 0; f < p; f++) this.offsets[f + 1] = this.offsets[f] + nBins[f] + 1;
    this.totalBins = this.offsets[p];
    this.slotOffsets = this.offsets.map((o) => 3 * o);
  }

  /** Length of one histogram array. */
  get size(): number {
    return 3 * this.totalBins;
  }
}
