/**
 * What a ColumnBuilder (column-builder.ts, which extends ColumnStorage) fills: one column's arrays
 * and its dictionary of distinct strings, how they grow, the switch of a strings column that turns
 * out numeric, and the row operations a sample needs (reservoir.ts: rows are appended, moved into
 * their slot, the tail dropped, then put in file order and recounted). The per-cell append loops
 * are in column-builder.ts; the storage scheme is described there.
 */
import { parseNumberFast } from './tokens.ts';
import type { SpanDict } from './span-dict.ts';

const UNDECIDED = 0;
const NUMERIC = 1;
const STRINGS = 2;
export type BuilderMode = typeof UNDECIDED | typeof NUMERIC | typeof STRINGS;
export const MODE = { UNDECIDED, NUMERIC, STRINGS } as const;

/** Dictionary value for raw strings that are blank after trimming (whitespace-only cells). */
export const BLANK = -1;
/** Rows reserved by a new builder, before any row or estimate is known. */
export const INITIAL_ROWS = 16;
/** Strings mode with this many distinct values is checked for being a numeric column after all. */
const PROMOTE_CHECK_LEVELS = 4096;

/**
 * A copy of `s` that does not keep its parent alive. Cells cut out of a 1 MB chunk by the parser are
 * V8 "sliced strings" that pin the whole chunk; a dictionary holding one per distinct value would keep
 * the entire file's text in memory. Concatenating then slicing forces a flat copy (short strings are
 * copied by V8 anyway).
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

export class ColumnStorage {
  readonly name: string;
  mode: BuilderMode = UNDECIDED;
  /** Rows stored. */
  length = 0;
  capacity: number;
  /** Numbers (numeric mode); NaN where the cell is empty or a string. */
  values: Float64Array | null = null;
  /** Dictionary codes + 1; 0 = not a string (a number in numeric mode, or an empty cell). */
  codes: Int32Array | null = null;
  /** Raw cell text → level index (BLANK for whitespace-only). Keys with spaces around map to the trimmed level. */
  readonly dict = new Map<string, number>();
  readonly levels: string[] = [];
  readonly counts: number[] = [];
  /** Row (0-based, data rows) where each level was first seen, for messages that name a line. */
  readonly firstRow: number[] = [];
  /** Empty or whitespace-only cells. */
  empty = 0;
  /** Cells stored as numbers in `values`. */
  numbers = 0;
  /** Distinct values that had spaces around them (trimmed). */
  trimmedDistinct = 0;
  protected nextPromoteCheck = PROMOTE_CHECK_LEVELS;
  /**
   * `dict` keyed by bytes, for ASCII chunks in strings mode: made on first use, null once the column
   * has too many distinct cells for it.
   */
  protected spanDict: SpanDict | null | undefined;

  constructor(name: string, capacity = INITIAL_ROWS) {
    this.name = name;
    this.capacity = Math.max(INITIAL_ROWS, capacity);
  }

  /** Makes room for `rows` rows in total (called with the estimated final row count, and before each chunk). */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const capacity = Math.max(rows, this.capacity * 2);
    if (this.values) this.values = grow(this.values, capacity) as Float64Array;
    if (this.codes) this.codes = grow(this.codes, capacity) as Int32Array;
    this.capacity = capacity;
  }

  // ---- row sampling (reservoir.ts): rows are appended, moved into their slot, the tail dropped ----

  /** Copies row `from` over row `to` (a sampled row into the slot of the row it replaces). */
  moveRow(from: number, to: number): void {
    if (this.values) this.values[to] = this.values[from];
    if (this.codes) this.codes[to] = this.codes[from];
  }

  /**
   * Keeps the first `rows` rows; the rows after them are cleared, since appends rely on fresh cells
   * (a strings-mode append leaves an empty cell's code at 0). Counts go stale: call `recount`.
   */
  truncate(rows: number): void {
    if (rows >= this.length) return;
    this.values?.fill(NaN, rows, this.length);
    this.codes?.fill(0, rows, this.length);
    this.length = rows;
  }

  /** Reorders the rows: row i becomes the old row perm[i]. */
  permute(perm: Int32Array): void {
    const n = perm.length;
    if (this.values) {
      const old = this.values;
      const values = new Float64Array(Math.max(n, INITIAL_ROWS));
      for (let i = 0; i < n; i++) values[i] = old[perm[i]];
      this.values = values;
    }
    if (this.codes) {
      const old = this.codes;
      const codes = new Int32Array(Math.max(n, INITIAL_ROWS));
      for (let i = 0; i < n; i++) codes[i] = old[perm[i]];
      this.codes = codes;
    }
    this.capacity = Math.max(n, INITIAL_ROWS);
    this.length = n;
  }

  /**
   * Recomputes the cell counts (empty, numbers, per level, each level's first row) from the stored
   * rows, after rows were replaced or dropped: a level whose cells all left counts 0, which type
   * inference treats as unused.
   */
  recount(): void {
    const n = this.length;
    const values = this.values;
    const codes = this.codes;
    this.counts.fill(0);
    this.firstRow.fill(-1);
    let empty = 0;
    let numbers = 0;
    for (let r = 0; r < n; r++) {
      const c = codes ? codes[r] : 0;
      if (c > 0) {
        if (this.counts[c - 1]++ === 0) this.firstRow[c - 1] = r;
      } else if (values && values[r] === values[r]) numbers++;
      else empty++;
    }
    this.empty = empty;
    this.numbers = numbers;
    this.orderLevelsByFirstRow();
  }

  /**
   * Sample mode: drops the levels no stored row uses any more, so a column of mostly distinct text
   * (names, ids) holds the sample's values, not every value read from the file.
   */
  compactLevels(): void {
    this.recount();
    // recount put the unused levels last.
    let live = this.levels.length;
    while (live > 0 && this.counts[live - 1] === 0) live--;
    if (live === this.levels.length) return;
    for (const [key, c] of this.dict) if (c >= live) this.dict.delete(key);
    this.levels.length = live;
    this.counts.length = live;
    this.firstRow.length = live;
  }

  /**
   * Levels renumbered in the order their first stored row has (unused ones last), as reading the
   * stored rows alone would have numbered them: text and identifier columns keep that order.
   */
  private orderLevelsByFirstRow(): void {
    const L = this.levels.length;
    const first = this.firstRow;
    const order = Array.from({ length: L }, (_, c) => c);
    order.sort((a, b) => (first[a] < 0 ? Infinity : first[a]) - (first[b] < 0 ? Infinity : first[b]) || a - b);
    const index = new Int32Array(L);
    order.forEach((old, i) => (index[old] = i));
    const levels = order.map((c) => this.levels[c]);
    const counts = order.map((c) => this.counts[c]);
    const firstRow = order.map((c) => first[c]);
    for (let c = 0; c < L; c++) {
      this.levels[c] = levels[c];
      this.counts[c] = counts[c];
      this.firstRow[c] = firstRow[c];
    }
    const codes = this.codes;
    if (codes) for (let r = 0; r < this.length; r++) if (codes[r] > 0) codes[r] = index[codes[r] - 1] + 1;
    for (const [key, c] of this.dict) if (c >= 0) this.dict.set(key, index[c]);
    this.spanDict = null;
  }

  protected startMode(mode: BuilderMode): void {
    this.mode = mode;
    if (mode === NUMERIC) {
      const values = new Float64Array(this.capacity);
      values.fill(NaN, 0, this.length);
      this.values = values;
    } else this.codes ??= new Int32Array(this.capacity);
  }

  /** Stores a non-empty string cell at row r (dictionary lookup, adding the level if new). */
  protected storeString(s: string, r: number): void {
    let c = this.dict.get(s);
    if (c === undefined) c = this.addString(s, r);
    if (c === BLANK) {
      this.empty++;
      return;
    }
    this.codes ??= new Int32Array(this.capacity);
    this.codes[r] = c + 1;
    this.counts[c]++;
  }

  private addString(raw: string, r: number): number {
    const t = raw.trim();
    const key = detach(raw);
    if (t.length === 0) {
      this.dict.set(key, BLANK);
      return BLANK;
    }
    if (t.length !== raw.length) {
      this.trimmedDistinct++;
      let c = this.dict.get(t);
      if (c === undefined) c = this.newLevel(detach(t), r);
      this.dict.set(key, c);
      return c;
    }
    return this.newLevel(key, r);
  }

  private newLevel(level: string, r: number): number {
    const c = this.levels.length;
    this.levels.push(level);
    this.counts.push(0);
    this.firstRow.push(r);
    this.dict.set(level, c);
    return c;
  }

  /**
   * A column whose first value was text but whose values are overwhelmingly numbers (e.g. a junk first
   * row) switches to numeric mode, so it stops keeping one string per distinct number.
   */
  protected maybePromote(): void {
    this.nextPromoteCheck *= 2;
    const levelValue = this.levels.map((l) => parseNumberFast(l));
    let numericCells = 0;
    let stringCells = 0;
    for (let c = 0; c < this.levels.length; c++) {
      if (levelValue[c] === levelValue[c]) numericCells += this.counts[c];
      else stringCells += this.counts[c];
    }
    if (numericCells < 0.95 * (numericCells + stringCells)) return;
    const values = new Float64Array(this.capacity);
    const codes = this.codes!;
    for (let r = 0; r < this.length; r++) {
      const c = codes[r] - 1;
      const v = c >= 0 ? levelValue[c] : NaN;
      values[r] = v;
      if (v === v) codes[r] = 0;
    }
    for (let c = 0; c < this.levels.length; c++) {
      if (levelValue[c] !== levelValue[c]) continue;
      // The level is dead: its cells are numbers now. Free the text; counts 0 marks it unused.
      this.dict.delete(this.levels[c]);
      this.levels[c] = '';
      this.counts[c] = 0;
    }
    this.values = values;
    this.numbers = numericCells;
    this.mode = NUMERIC;
  }
}

function grow(a: Float64Array | Int32Array, capacity: number): Float64Array | Int32Array {
  const next = a instanceof Float64Array ? new Float64Array(capacity) : new Int32Array(capacity);
  next.set(a);
  return next;
}

/**
 * An exact-length copy (so a worker can transfer the buffer), or the array itself when already exact.
 * `shared`: the copy is made in a SharedArrayBuffer (always a copy), for a frame that will be shared
 * with workers (shared-frame.ts), which then needs no second copy.
 */
export function exact<T extends Float64Array | Int32Array>(a: T, length: number, shared = false): T {
  if (shared) {
    const out = a instanceof Float64Array ? new Float64Array(new SharedArrayBuffer(length * 8)) : new Int32Array(new SharedArrayBuffer(length * 4));
    out.set(a.subarray(0, length));
    return out as T;
  }
  return (a.length === length ? a : a.slice(0, length)) as T;
}
