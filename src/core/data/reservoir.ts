/**
 * A seeded uniform reservoir sample of a CSV's data rows, chosen while the file streams past
 * (Algorithm R: row i, 0-based, takes a random slot j in [0, i] and is kept in slot j when j < the
 * capacity; every row ends up in the sample with the same probability, capacity / rows). The reader
 * (csv-reader.ts) appends each kept row behind the stored ones and moves it into its slot; this class
 * only decides, and remembers each stored row's file line and original row number, so the sample can
 * be put back in file order at the end and messages still name the right line.
 */
import { Rng } from '../util/random.ts';

export class Reservoir {
  /** Data rows offered so far. */
  seen = 0;
  /** Per stored position: the row's line in the file and its index among all data rows. */
  lines = new Int32Array(0);
  order = new Float64Array(0);
  /** The last `pick`: batch indexes of the rows kept and the slot of each. */
  picked = new Int32Array(0);
  slots = new Int32Array(0);
  private readonly rng: Rng;

  constructor(
    readonly capacity: number,
    readonly seed: number,
  ) {
    this.rng = new Rng(seed);
  }

  /**
   * Decides for the next `count` rows, the reservoir holding `stored` rows: fills `picked` and `slots`
   * and returns how many are kept. A kept row goes to slot `stored + q` while the reservoir fills,
   * then to the slot of the row it replaces.
   */
  pick(count: number): number {
    if (this.picked.length < count) {
      this.picked = new Int32Array(Math.max(count, 2 * this.picked.length));
      this.slots = new Int32Array(this.picked.length);
    }
    let m = 0;
    for (let k = 0; k < count; k++) {
      const i = this.seen++;
      const slot = i < this.capacity ? i : this.rng.int(i + 1);
      if (slot >= this.capacity) continue;
      this.picked[m] = k;
      this.slots[m] = slot;
      m++;
    }
    return m;
  }

  /** Room for `positions` stored positions (the capacity plus a batch appended behind it). */
  ensure(positions: number): void {
    if (this.lines.length >= positions) return;
    const size = Math.max(positions, 2 * this.lines.length);
    const lines = new Int32Array(size);
    lines.set(this.lines);
    const order = new Float64Array(size);
    order.set(this.order);
    this.lines = lines;
    this.order = order;
  }

  /** Whether rows were left out (more rows than the capacity went past). */
  get sampled(): boolean {
    return this.seen > this.capacity;
  }

  /** Positions 0..rows-1 sorted by their original row number: the sample in file order. */
  fileOrder(rows: number): Int32Array {
    const perm = Int32Array.from({ length: rows }, (_, i) => i);
    const order = this.order;
    perm.sort((a, b) => order[a] - order[b]);
    return perm;
  }
}
