/**
 * A seeded reservoir sample of a CSV's data rows, chosen while the file streams past
 * (Algorithm R: row i, 0-based, takes a random slot j in [0, i] and is kept in slot j when j < the
 * capacity; every row ends up in the sample with the same probability, capacity / rows). The reader
 * (csv-reader.ts) appends each kept row behind the stored ones and moves it into its slot; this class
 * only decides, and remembers each stored row's file line and original row number, so the sample can
 * be put back in file order at the end and messages still name the right line.
 *
 * Stratified (`Strata`): the reservoir holds a margin more rows than asked for, every row's stratum
 * (its cell in the stratifying column, the target) is counted, stored rows remember theirs, and at the
 * end `stratifiedSelection` keeps exactly the share of each stratum the whole file has (largest
 * remainder), chosen at random among its stored rows. Within a stratum the stored rows are a uniform
 * sample of its rows, so the kept ones are too. A stratum whose stored rows fall short of its share
 * (only likely for a class of a few dozen rows in the sample) keeps all of them, and the other strata
 * fill the difference.
 */
import { Rng } from '../util/random.ts';

/** Strata beyond this many (a continuous column) are not worth it: the sample is then uniform. */
export const MAX_STRATA = 1000;

/** Rows a stratified reservoir holds beyond the sample it returns, so each stratum can get its share. */
export function stratifiedCapacity(maxRows: number): number {
  return maxRows + Math.ceil(0.02 * maxRows) + 1000;
}

/** The strata of a stratified sample: each distinct cell text of the column, with its count among all rows. */
export class Strata {
  readonly ids = new Map<string, number>();
  counts: number[] = [];
  /** More distinct values than MAX_STRATA: stratifying was given up, the sample is uniform. */
  overflow = false;

  /** The stratum id of a cell, counting it (-1 once overflowed). */
  add(key: string): number {
    if (this.overflow) return -1;
    let id = this.ids.get(key);
    if (id === undefined) {
      if (this.ids.size >= MAX_STRATA) {
        this.overflow = true;
        this.ids.clear();
        this.counts = [];
        return -1;
      }
      id = this.ids.size;
      this.ids.set(key, id);
      this.counts.push(0);
    }
    this.counts[id]++;
    return id;
  }
}

export class Reservoir {
  /** Data rows offered so far. */
  seen = 0;
  /** Per stored position: the row's line in the file and its index among all data rows. */
  lines = new Int32Array(0);
  order = new Float64Array(0);
  /** Per stored position: the row's stratum (stratified samples only). */
  strata = new Int32Array(0);
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
    const strata = new Int32Array(size);
    strata.set(this.strata);
    this.lines = lines;
    this.order = order;
    this.strata = strata;
  }

  /** Positions 0..rows-1 sorted by their original row number: the sample in file order. */
  fileOrder(rows: number): Int32Array {
    const perm = Int32Array.from({ length: rows }, (_, i) => i);
    const order = this.order;
    perm.sort((a, b) => order[a] - order[b]);
    return perm;
  }
}

/**
 * How many rows of each stratum a sample of `size` keeps: the file's shares by largest remainder,
 * capped by the rows each stratum has stored (`available`); what a capped stratum cannot take goes to
 * the others the same way, until the sample is full or every stored row is in it.
 */
export function allocateStrata(size: number, counts: readonly number[], available: readonly number[]): number[] {
  const k = counts.length;
  const take = new Array<number>(k).fill(0);
  let left = Math.min(
    size,
    available.reduce((a, b) => a + b, 0),
  );
  while (left > 0) {
    const open: number[] = [];
    for (let c = 0; c < k; c++) if (take[c] < available[c]) open.push(c);
    const weight = open.reduce((a, c) => a + counts[c], 0);
    if (open.length === 0 || weight === 0) break;
    const quota = open.map((c) => (left * counts[c]) / weight);
    const extra = open.map((c, i) => Math.min(Math.floor(quota[i]), available[c] - take[c]));
    let given = extra.reduce((a, b) => a + b, 0);
    open.forEach((c, i) => (take[c] += extra[i]));
    // Largest remainders get the rows the floors left, one each, among strata with room.
    const order = open.map((c, i) => ({ c, r: quota[i] - Math.floor(quota[i]) })).sort((a, b) => b.r - a.r || a.c - b.c);
    for (const { c } of order) {
      if (given >= left) break;
      if (take[c] < available[c]) {
        take[c]++;
        given++;
      }
    }
    if (given === 0) break;
    left -= given;
  }
  return take;
}

/**
 * The stored positions a stratified sample of `size` keeps (ascending): per stratum its allocation,
 * chosen uniformly at random (seeded) among the stratum's stored rows.
 */
export function stratifiedSelection(strata: Int32Array, rows: number, counts: readonly number[], size: number, seed: number): Int32Array {
  const byStratum: number[][] = counts.map(() => []);
  for (let p = 0; p < rows; p++) byStratum[strata[p]].push(p);
  const take = allocateStrata(
    size,
    counts,
    byStratum.map((b) => b.length),
  );
  const rng = new Rng(seed);
  const out: number[] = [];
  byStratum.forEach((positions, c) => {
    // A partial Fisher–Yates shuffle: the first take[c] entries are a uniform random subset.
    for (let i = 0; i < take[c]; i++) {
      const j = i + rng.int(positions.length - i);
      const t = positions[i];
      positions[i] = positions[j];
      positions[j] = t;
      out.push(positions[i]);
    }
  });
  return Int32Array.from(out).sort();
}
