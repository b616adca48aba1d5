/**
 * One column's storage while the CSV streams in, before its type is known.
 *
 * A cell is stored either as a number (Float64Array) or as a code into the column's own dictionary of
 * distinct strings (Int32Array, code + 1, 0 = no string). Which of the two arrays exist depends on the
 * column's first real value:
 * - numeric mode (first value a number): every number goes to `values`; the rare strings (junk, "NA",
 *   zero-padded codes) go to the dictionary. A high-cardinality numeric column never keeps its text.
 * - strings mode (first value text): every non-empty cell goes to the dictionary, numbers included, so
 *   a categorical column keeps the exact text of its levels ("020" stays "020").
 * Type inference (infer.ts) then works per distinct string, not per cell.
 *
 * Arrays start at INITIAL_ROWS and double (or jump to the row estimate, see `reserve`), and are cut to
 * size once, at the end. The start is small because a builder exists per column: at 1024 rows each
 * (8 KB of numbers), reading a 3-row file with 50,000 columns peaked at over 500 MB.
 */
import { MISSING_TOKENS, parseNumberBytes, parseNumberFast, parseNumberSpan } from './tokens.ts';
import { MAX_ENTRIES, NOT_FOUND, SpanDict, hashBytes } from './span-dict.ts';

const UNDECIDED = 0;
const NUMERIC = 1;
const STRINGS = 2;
export type BuilderMode = typeof UNDECIDED | typeof NUMERIC | typeof STRINGS;
export const MODE = { UNDECIDED, NUMERIC, STRINGS } as const;

/** Dictionary value for raw strings that are blank after trimming (whitespace-only cells). */
const BLANK = -1;
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

export class ColumnBuilder {
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
  private nextPromoteCheck = PROMOTE_CHECK_LEVELS;
  /**
   * `dict` keyed by bytes, for ASCII chunks in strings mode: made on first use, null once the column
   * has too many distinct cells for it.
   */
  private spanDict: SpanDict | null | undefined;

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

  /** Appends column `j` of `rows[from..to)`. Rows must all have at least j + 1 cells. */
  append(rows: string[][], j: number, from: number, to: number): void {
    this.reserve(this.length + (to - from));
    let k = from;
    while (k < to) {
      if (this.mode === NUMERIC) k = this.appendNumeric(rows, j, k, to);
      else if (this.mode === STRINGS) k = this.appendStrings(rows, j, k, to);
      else k = this.appendUndecided(rows, j, k, to);
    }
    if (this.mode === STRINGS && this.levels.length >= this.nextPromoteCheck) this.maybePromote();
  }

  /**
   * Appends column `j` of rows [from, count) given as spans of `text`: cell (k, j) is
   * `text.slice(starts[k * stride + j], ends[k * stride + j])`. Same result as `append` on those
   * strings; numbers are parsed in place, so a numeric cell never becomes a string. `bytes`, when
   * given, are the text's bytes (ASCII text: same offsets), which numbers are parsed from.
   */
  appendSpans(text: string, bytes: Uint8Array | null, starts: Int32Array, ends: Int32Array, stride: number, j: number, from: number, count: number): void {
    this.reserve(this.length + (count - from));
    let k = from;
    while (k < count) {
      if (this.mode === NUMERIC) k = bytes ? this.appendNumericBytes(text, bytes, starts, ends, stride, j, k, count) : this.appendNumericSpans(text, starts, ends, stride, j, k, count);
      else if (this.mode === STRINGS) {
        k = bytes && this.spanDict !== null
          ? this.appendStringsBytes(text, bytes, (this.spanDict ??= new SpanDict()), starts, ends, stride, j, k, count)
          : this.appendStringsSpans(text, starts, ends, stride, j, k, count);
      }
      else {
        const at = k * stride + j;
        if (this.undecidedCell(text.slice(starts[at], ends[at]))) k++;
      }
    }
    if (this.mode === STRINGS && this.levels.length >= this.nextPromoteCheck) this.maybePromote();
  }

  private appendNumericSpans(text: string, starts: Int32Array, ends: Int32Array, stride: number, j: number, k: number, to: number): number {
    const values = this.values!;
    let r = this.length;
    let numbers = 0;
    let empty = 0;
    for (let at = k * stride + j; k < to; k++, r++, at += stride) {
      const a = starts[at];
      const e = ends[at];
      if (a === e) {
        values[r] = NaN;
        empty++;
        continue;
      }
      const v = parseNumberSpan(text, a, e);
      if (v === v) {
        values[r] = v;
        numbers++;
        continue;
      }
      values[r] = NaN;
      const kind = this.numericSlowCell(text.slice(a, e), r);
      if (kind === 1) numbers++;
      else if (kind === 0) empty++;
    }
    this.length = r;
    this.numbers += numbers;
    this.empty += empty;
    return k;
  }

  private appendNumericBytes(text: string, bytes: Uint8Array, starts: Int32Array, ends: Int32Array, stride: number, j: number, k: number, to: number): number {
    const values = this.values!;
    let r = this.length;
    let numbers = 0;
    let empty = 0;
    for (let at = k * stride + j; k < to; k++, r++, at += stride) {
      const a = starts[at];
      const e = ends[at];
      if (a === e) {
        values[r] = NaN;
        empty++;
        continue;
      }
      const v = parseNumberBytes(bytes, text, a, e);
      if (v === v) {
        values[r] = v;
        numbers++;
        continue;
      }
      values[r] = NaN;
      const kind = this.numericSlowCell(text.slice(a, e), r);
      if (kind === 1) numbers++;
      else if (kind === 0) empty++;
    }
    this.length = r;
    this.numbers += numbers;
    this.empty += empty;
    return k;
  }

  /** appendStringsSpans with the cells looked up as bytes first (span-dict.ts); a miss goes to `dict`. */
  private appendStringsBytes(
    text: string,
    bytes: Uint8Array,
    spans: SpanDict,
    starts: Int32Array,
    ends: Int32Array,
    stride: number,
    j: number,
    k: number,
    to: number,
  ): number {
    const codes = this.codes!;
    const counts = this.counts;
    let r = this.length;
    let empty = 0;
    for (let at = k * stride + j; k < to; k++, r++, at += stride) {
      const a = starts[at];
      const e = ends[at];
      if (a === e) {
        empty++;
        continue;
      }
      const h = hashBytes(bytes, a, e);
      let c = spans.get(bytes, a, e, h);
      if (c === NOT_FOUND) {
        if (spans.size >= MAX_ENTRIES) {
          // Too many distinct cells to be worth it: the rest of the column goes through `dict` alone.
          this.spanDict = null;
          break;
        }
        const s = text.slice(a, e);
        const known = this.dict.get(s);
        if (known === undefined) {
          this.storeString(s, r);
          spans.set(bytes, a, e, h, this.dict.get(s)!);
          continue;
        }
        spans.set(bytes, a, e, h, known);
        c = known;
      }
      if (c === BLANK) {
        empty++;
        continue;
      }
      codes[r] = c + 1;
      counts[c]++;
    }
    this.length = r;
    this.empty += empty;
    return k;
  }

  private appendStringsSpans(text: string, starts: Int32Array, ends: Int32Array, stride: number, j: number, k: number, to: number): number {
    const codes = this.codes!;
    const counts = this.counts;
    const dict = this.dict;
    let r = this.length;
    let empty = 0;
    for (let at = k * stride + j; k < to; k++, r++, at += stride) {
      const a = starts[at];
      const e = ends[at];
      if (a === e) {
        empty++;
        continue;
      }
      const s = text.slice(a, e);
      const c = dict.get(s);
      if (c === undefined) {
        this.storeString(s, r);
        continue;
      }
      if (c === BLANK) {
        empty++;
        continue;
      }
      codes[r] = c + 1;
      counts[c]++;
    }
    this.length = r;
    this.empty += empty;
    return k;
  }

  /**
   * One cell before the column's mode is known. Returns true when the cell was stored (empty or a
   * missing-value token); false when it is the first real value, which starts a mode and is left
   * for that mode's loop to store.
   */
  private undecidedCell(s: string): boolean {
    if (s.length === 0) {
      this.empty++;
      this.length++;
      return true;
    }
    const t = s.trim();
    if (t.length === 0) {
      this.empty++;
      this.length++;
      return true;
    }
    if (MISSING_TOKENS.has(t)) {
      this.storeString(s, this.length++);
      return true;
    }
    const v = parseNumberFast(t);
    this.startMode(v === v ? NUMERIC : STRINGS);
    return false;
  }

  /**
   * A numeric-mode cell that is not a plain number (values[r] is already NaN): spaces around a
   * number, a blank cell, or a string. Returns 1 when it was a number after all (stored), 0 when
   * blank, -1 when stored as a string.
   */
  private numericSlowCell(s: string, r: number): number {
    const t = s.trim();
    if (t.length === 0) return 0;
    if (t.length !== s.length) {
      const v = parseNumberFast(t);
      if (v === v) {
        this.values![r] = v;
        return 1;
      }
    }
    this.storeString(s, r);
    return -1;
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

  /** Until the first real value: count empties, keep missing-value tokens; stop at the first real value. */
  private appendUndecided(rows: string[][], j: number, k: number, to: number): number {
    for (; k < to; k++) if (!this.undecidedCell(rows[k][j])) return k;
    return k;
  }

  private startMode(mode: BuilderMode): void {
    this.mode = mode;
    if (mode === NUMERIC) {
      const values = new Float64Array(this.capacity);
      values.fill(NaN, 0, this.length);
      this.values = values;
    } else this.codes ??= new Int32Array(this.capacity);
  }

  private appendNumeric(rows: string[][], j: number, k: number, to: number): number {
    const values = this.values!;
    let r = this.length;
    let numbers = 0;
    let empty = 0;
    for (; k < to; k++, r++) {
      const s = rows[k][j];
      if (s.length === 0) {
        values[r] = NaN;
        empty++;
        continue;
      }
      const v = parseNumberFast(s);
      if (v === v) {
        values[r] = v;
        numbers++;
        continue;
      }
      // Slow path: spaces around a number, a blank cell, or a string.
      values[r] = NaN;
      const kind = this.numericSlowCell(s, r);
      if (kind === 1) numbers++;
      else if (kind === 0) empty++;
    }
    this.length = r;
    this.numbers += numbers;
    this.empty += empty;
    return k;
  }

  private appendStrings(rows: string[][], j: number, k: number, to: number): number {
    const codes = this.codes!;
    const counts = this.counts;
    const dict = this.dict;
    let r = this.length;
    let empty = 0;
    for (; k < to; k++, r++) {
      const s = rows[k][j];
      if (s.length === 0) {
        empty++;
        continue;
      }
      const c = dict.get(s);
      if (c === undefined) {
        this.storeString(s, r);
        continue;
      }
      if (c === BLANK) {
        empty++;
        continue;
      }
      codes[r] = c + 1;
      counts[c]++;
    }
    this.length = r;
    this.empty += empty;
    return k;
  }

  /** Stores a non-empty string cell at row r (dictionary lookup, adding the level if new). */
  private storeString(s: string, r: number): void {
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
  private maybePromote(): void {
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
