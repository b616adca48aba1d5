/**
 * Where the CSV reader's rows go (csv-reader.ts extends RowStore): into the column builders, all of
 * them; or a seeded reservoir sample of them (reservoir.ts), put back in file order at the end; or
 * batches of about a set size, handed over as they fill. Also the data-row → file-line map for each.
 * The reader splits a chunk into rows; the store methods here run once per chunk, not per row.
 */
import { ColumnBuilder } from './column-builder.ts';
import { LineMap } from './csv-lines.ts';
import { Reservoir, Strata, stratifiedCapacity, stratifiedSelection } from './reservoir.ts';

/** Sample mode: a column's levels may reach this many times the sample before unused ones are dropped. */
const LEVEL_EXCESS = 4;

export interface StoreOptions {
  /**
   * Keep at most `maxRows` data rows: a seeded uniform reservoir sample (reservoir.ts) of the rows,
   * put back in file order at the end. Without it every row is kept. With `stratify` (a column name,
   * the target) the sample keeps each of that column's values in its share of the whole file
   * (reservoir.ts, stratified); a column with more than MAX_STRATA values is sampled uniformly.
   */
  sample?: { maxRows: number; seed: number; stratify?: string };
  /**
   * Hand the rows over in batches of about `rows` (csv-batches.ts): once that many are stored, the
   * builders go to `onBatch` and fresh ones take the next rows. Memory then stays at one batch.
   */
  batch?: { rows: number; onBatch: (builders: ColumnBuilder[], rows: number, lineOf: (row: number) => number) => void };
}

export class RowStore {
  names: string[] = [];
  builders: ColumnBuilder[] = [];
  /** Data rows stored. */
  rows = 0;
  lineMap = new LineMap();
  /** Batch mode: rows already handed over. */
  private flushed = 0;
  /** The row sample, when `sample` is set. */
  readonly reservoir: Reservoir | null;
  /** Stratified sample: the strata and the stratifying column's index (-1 until the header, or if absent). */
  readonly strata: Strata | null;
  protected stratifyIndex = -1;
  /** Rows a sample keeps (0 without one); a stratified reservoir holds a margin more while reading. */
  private readonly sampleSize: number;
  private stratumOf = new Int32Array(0);

  constructor(private readonly storeOpts: StoreOptions) {
    const sample = storeOpts.sample;
    this.sampleSize = sample ? Math.max(1, Math.floor(sample.maxRows)) : 0;
    this.strata = sample?.stratify !== undefined ? new Strata() : null;
    this.reservoir = sample ? new Reservoir(this.strata ? stratifiedCapacity(this.sampleSize) : this.sampleSize, sample.seed) : null;
  }

  /** Data row (0-based, as stored) → its line in the file. */
  lineOf(row: number): number {
    return this.reservoir ? this.reservoir.lines[row] : this.lineMap.lineOf(row);
  }

  /** Whether rows were left out: the file had more data rows than the sample keeps. */
  get sampled(): boolean {
    return this.reservoir !== null && this.reservoir.seen > this.sampleSize;
  }

  /** Whether the sample kept each value of the stratifying column in its share of the file. */
  get stratified(): boolean {
    return this.sampled && this.strata !== null && !this.strata.overflow && this.stratifyIndex >= 0;
  }

  /** Data rows in the file (more than `rows` when a sample was kept, or batches were handed over). */
  get rowsRead(): number {
    return this.reservoir ? this.reservoir.seen : this.flushed + this.rows;
  }

  /** Batch mode: hands the stored rows to `onBatch` and starts fresh builders. */
  protected flushBatch(): void {
    const batch = this.storeOpts.batch!;
    const lineMap = this.lineMap;
    const offset = this.flushed;
    batch.onBatch(this.builders, this.rows, (row) => lineMap.lineOf(row));
    this.flushed = offset + this.rows;
    this.rows = 0;
    this.builders = this.names.map((name) => new ColumnBuilder(name));
    this.lineMap = new LineMap();
  }

  /**
   * Stores `kept` rows given as cell spans of `input` (row-major, names.length per row, in `starts`
   * and `ends`; `bytes` is the input as bytes when ASCII), from file lines `lines`: the plain splitter's rows.
   */
  protected storeSpans(input: string, bytes: Uint8Array | null, starts: Int32Array, ends: Int32Array, kept: number, lines: number[]): void {
    const n = this.names.length;
    if (this.reservoir) {
      if (this.strata && this.stratifyIndex >= 0) {
        const stratumOf = this.stratumSlots(kept);
        const j = this.stratifyIndex;
        for (let k = 0; k < kept; k++) stratumOf[k] = this.strata.add(input.slice(starts[k * n + j], ends[k * n + j]).trim());
      }
      this.storeSample(kept, lines, (picked, m) => {
        // The picked rows' spans, moved to the front (in order, so no row is overwritten before it moves).
        for (let q = 0; q < m; q++) {
          const from = picked[q] * n;
          if (from !== q * n) {
            starts.copyWithin(q * n, from, from + n);
            ends.copyWithin(q * n, from, from + n);
          }
        }
        for (let j = 0; j < this.builders.length; j++) this.builders[j].appendSpans(input, bytes, starts, ends, n, j, 0, m);
      });
      return;
    }
    if (this.storeOpts.batch) {
      this.storeBatched(kept, lines, (from, to) => {
        for (let j = 0; j < this.builders.length; j++) this.builders[j].appendSpans(input, bytes, starts, ends, n, j, from, to);
      });
      return;
    }
    for (let j = 0; j < this.builders.length; j++) this.builders[j].appendSpans(input, bytes, starts, ends, n, j, 0, kept);
    this.rows += kept;
  }

  /** Stores the rows `kept` (cells as strings), from file lines `keptLines`: papaparse's rows. */
  protected storeRows(kept: string[][], keptLines: number[]): void {
    if (this.reservoir) {
      if (this.strata && this.stratifyIndex >= 0) {
        const stratumOf = this.stratumSlots(kept.length);
        const j = this.stratifyIndex;
        for (let k = 0; k < kept.length; k++) stratumOf[k] = this.strata.add(kept[k][j].trim());
      }
      this.storeSample(kept.length, keptLines, (picked, m) => {
        const rows = Array.from({ length: m }, (_, q) => kept[picked[q]]);
        for (let j = 0; j < this.builders.length; j++) this.builders[j].append(rows, j, 0, m);
      });
      return;
    }
    if (this.storeOpts.batch) {
      this.storeBatched(kept.length, keptLines, (from, to) => {
        for (let j = 0; j < this.builders.length; j++) this.builders[j].append(kept, j, from, to);
      });
      return;
    }
    for (let j = 0; j < this.builders.length; j++) this.builders[j].append(kept, j, 0, kept.length);
    this.rows += kept.length;
  }

  /** Batch mode: stores `count` rows (file lines `lines`) in pieces, handing over each full batch. */
  private storeBatched(count: number, lines: ArrayLike<number>, append: (from: number, to: number) => void): void {
    const size = this.storeOpts.batch!.rows;
    for (let from = 0; from < count;) {
      const to = Math.min(count, from + (size - this.rows));
      for (let r = from; r < to; r++) this.lineMap.note(this.rows + r - from, lines[r]);
      append(from, to);
      this.rows += to - from;
      from = to;
      if (this.rows >= size) this.flushBatch();
    }
  }

  /**
   * Sample mode: of `count` rows of a batch (file lines `lines`), the reservoir picks some; `append`
   * stores the picked ones behind the stored rows, and each is then moved into its slot.
   */
  private storeSample(count: number, lines: ArrayLike<number>, append: (picked: Int32Array, m: number) => void): void {
    const res = this.reservoir!;
    const first = res.seen;
    const m = res.pick(count);
    if (m === 0) return;
    const base = this.rows;
    res.ensure(base + m);
    append(res.picked, m);
    for (let q = 0; q < m; q++) {
      const pos = base + q;
      const slot = res.slots[q];
      res.lines[slot] = lines[res.picked[q]];
      res.order[slot] = first + res.picked[q];
      if (this.strata) res.strata[slot] = this.stratumOf[res.picked[q]];
      if (slot !== pos) for (const b of this.builders) b.moveRow(pos, slot);
    }
    this.rows = Math.min(res.capacity, base + m);
    for (const b of this.builders) {
      b.truncate(this.rows);
      // Levels of rows that left the sample (a sample of k from n rows stores about k·(1 + ln(n/k)) rows
      // in all): dropped once they are LEVEL_EXCESS times the sample, so memory stays bounded.
      if (b.levels.length > LEVEL_EXCESS * res.capacity) b.compactLevels();
    }
  }

  /** Room for the strata of a batch of `rows` rows. */
  private stratumSlots(rows: number): Int32Array {
    if (this.stratumOf.length < rows) this.stratumOf = new Int32Array(Math.max(rows, 2 * this.stratumOf.length));
    return this.stratumOf;
  }

  /**
   * The sample back in file order, its counts recomputed (rows replaced or dropped changed them). A
   * stratified reservoir holds a margin of rows beyond the sample: here it keeps each stratum's share
   * (uniformly, if stratifying was given up).
   */
  protected finishSample(): void {
    const res = this.reservoir!;
    const size = this.sampleSize;
    if (!this.sampled) return;
    let keep: Int32Array | null = null;
    if (this.rows > size) {
      const seed = this.storeOpts.sample!.seed + 1;
      keep = this.stratified
        ? stratifiedSelection(res.strata, this.rows, this.strata!.counts, size, seed)
        : stratifiedSelection(new Int32Array(this.rows), this.rows, [this.rows], size, seed);
    }
    let perm = res.fileOrder(this.rows);
    if (keep) {
      const kept = new Uint8Array(this.rows);
      for (const p of keep) kept[p] = 1;
      perm = perm.filter((p) => kept[p] === 1);
    }
    for (const b of this.builders) {
      b.permute(perm);
      b.recount();
    }
    res.lines = Int32Array.from(perm, (p) => res.lines[p]);
    res.order = Float64Array.from(perm, (p) => res.order[p]);
    this.rows = perm.length;
  }
}
