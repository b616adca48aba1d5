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
 *
 * This file holds the per-cell append loops (strings, spans, bytes). The arrays, the dictionary,
 * growth, promotion and the sample's row operations are ColumnStorage (column-storage.ts), which
 * ColumnBuilder extends.
 */
import { MISSING_TOKENS, parseNumberBytes, parseNumberFast, parseNumberSpan } from './tokens.ts';
import { MAX_ENTRIES, NOT_FOUND, SpanDict, hashBytes } from './span-dict.ts';
import { BLANK as BLANK_LEVEL, ColumnStorage, MODE } from './column-storage.ts';

// Local constants rather than imported bindings: the loops below read them per cell.
const { NUMERIC, STRINGS } = MODE;
const BLANK = BLANK_LEVEL;

export class ColumnBuilder extends ColumnStorage {
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
      if (this.mode === NUMERIC)
        k = bytes ? this.appendNumericBytes(text, bytes, starts, ends, stride, j, k, count) : this.appendNumericSpans(text, starts, ends, stride, j, k, count);
      else if (this.mode === STRINGS) {
        k =
          bytes && this.spanDict !== null
            ? this.appendStringsBytes(text, bytes, (this.spanDict ??= new SpanDict()), starts, ends, stride, j, k, count)
            : this.appendStringsSpans(text, starts, ends, stride, j, k, count);
      } else {
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

  /** Until the first real value: count empties, keep missing-value tokens; stop at the first real value. */
  private appendUndecided(rows: string[][], j: number, k: number, to: number): number {
    for (; k < to; k++) if (!this.undecidedCell(rows[k][j])) return k;
    return k;
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
}
