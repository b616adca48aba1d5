/**
 * Input rows (objects keyed by column name) → the columnar Frame the fitted pipeline transforms, with
 * every cell checked against the model's input schema. A row with any bad cell is left out of the
 * Frame and reported (row, column, reason); the others are scored.
 *
 * Cells are read as a CSV cell would be: strings are trimmed; numbers may come as strings ("29");
 * null, undefined, "" and the CSV missing markers (NA, N/A, NaN, null, ?, ...) in a number or date
 * column are missing values, which the pipeline imputes or routes as it did in training.
 * Categories are kept as text (a number becomes its decimal string); a level the model never saw is
 * handled by the pipeline (its "other" level, or treated as missing where there is none).
 * Boolean columns take true/false, the training data's own words ("Yes"/"No", any case), or
 * yes/no, y/n, t/f, 1/0. Dates take ISO 8601 (no offset means UTC), d/m/y or m/d/y with a four-digit
 * year (ambiguous ones read month first, as Sieve's CSV reader does), epoch milliseconds, or a Date.
 *
 * Only the first `maxErrors` problems are listed (100 by default; `problems` and `badRows` count them
 * all): a 30 KB body of empty rows used to give one message per row per column, an 8.7 MB reply, and
 * a 2 MB one more text than a JavaScript string can hold. Messages quote at most 60 characters of any
 * value or name (message-text.ts). A key counts only as the row's own property, so a column called
 * "__proto__", "constructor" or "toString" is missing from a row that lacks it, not read from
 * Object.prototype.
 */
import { dateValue, splitDate } from '../../data/datetime.ts';
import type { CategoricalColumn, Column, Frame, NumericColumn } from '../../data/frame.ts';
import { MISSING_TOKENS, formatNumber } from '../../data/tokens.ts';
import { describe, quoteName } from './message-text.ts';
import { isPlainNumber } from './plain-number.ts';
import type { InputColumn, InputSchema, RowError } from './types.ts';

/** Problems listed by default; the rest are counted. */
export const MAX_LISTED_ERRORS = 100;

export interface RowsFrame {
  frame: Frame;
  /** Index (0-based, into the rows given) of each frame row. */
  kept: number[];
  /** The first `maxErrors` problems, in row order. */
  errors: RowError[];
  /** Every problem found, listed or not. */
  problems: number;
  /** Rows left out because of a problem. */
  badRows: number;
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', 't', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', 'f', '0']);

/** Why a cell was refused (allocated only then: good cells are returned as plain values). */
class CellError {
  constructor(readonly message: string) {}
}

/** A cell read: the number (numeric, date), the text (category), null (missing) or the reason it was refused. */
type Cell = number | string | null | CellError;

export function rowsToFrame(rows: readonly unknown[], schema: InputSchema, maxErrors = MAX_LISTED_ERRORS): RowsFrame {
  const errors: RowError[] = [];
  let problems = 0;
  const kept: number[] = [];
  const cols = schema.columns;
  const readers = cols.map(cellReader);
  const sinks = cols.map((c) => new ColumnSink(c, rows.length));
  // Quoted (and cut) once per column, only when a message needs them.
  const quoted: (string | undefined)[] = new Array(cols.length);
  const nameOf = (j: number): string => (quoted[j] ??= quoteName(cols[j].name));
  const hasOwn = Object.prototype.hasOwnProperty;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      if (problems++ < maxErrors) errors.push({ row: r + 1, message: `row ${r + 1}: expected an object keyed by column name, got ${describe(row)}` });
      continue;
    }
    // Cells go straight to slot `at`; a bad row's cells are overwritten by the next good row.
    const at = kept.length;
    let bad = false;
    for (let j = 0; j < cols.length; j++) {
      const name = cols[j].name;
      const v = (row as Record<string, unknown>)[name];
      // Only an own key holds a value: an inherited "constructor" (a function) or "__proto__" (an
      // object) means the column is missing. The own-key test runs only for values that could be inherited.
      if ((v === undefined || typeof v === 'function' || (typeof v === 'object' && v !== null && name === '__proto__')) && !hasOwn.call(row, name)) {
        if (problems++ < maxErrors)
          errors.push({ row: r + 1, column: name, message: `row ${r + 1}: missing column ${nameOf(j)} (give null for a missing value)` });
        bad = true;
        continue;
      }
      const sink = sinks[j];
      // Fast paths for the usual cells (a finite number, a string with nothing to trim); the readers do the rest.
      if (typeof v === 'number' && sink.numeric && v - v === 0) {
        sink.values![at] = v;
        continue;
      }
      if (typeof v === 'string' && sink.category && v !== '' && printable(v.charCodeAt(0)) && printable(v.charCodeAt(v.length - 1))) {
        sink.setLevel(at, v);
        continue;
      }
      const cell = readers[j](v);
      if (!(cell instanceof CellError)) sink.set(at, cell);
      else {
        if (problems++ < maxErrors) errors.push({ row: r + 1, column: name, message: `row ${r + 1}, column ${nameOf(j)}: ${cell.message}` });
        bad = true;
      }
    }
    if (!bad) kept.push(r);
  }
  const n = kept.length;
  return { frame: { rows: n, columns: sinks.map((s) => s.column(n)) }, kept, errors, problems, badRows: rows.length - n };
}

/** A printable ASCII character other than a space: nothing String.prototype.trim would remove. */
function printable(c: number): boolean {
  return c > 32 && c < 127;
}

/** One column being filled: numbers (NaN missing) or category codes into first-seen levels (-1 missing). */
class ColumnSink {
  readonly numeric: boolean;
  /** Categorical or text (not boolean, whose words are mapped by its reader). */
  readonly category: boolean;
  readonly values: Float64Array | null;
  private readonly codes: Int32Array | null;
  private readonly index = new Map<string, number>();
  private readonly levels: string[] = [];

  constructor(
    private readonly spec: InputColumn,
    capacity: number,
  ) {
    this.numeric = spec.type === 'numeric' || spec.type === 'datetime';
    this.category = spec.type === 'categorical' || spec.type === 'text';
    this.values = this.numeric ? new Float64Array(capacity) : null;
    this.codes = this.numeric ? null : new Int32Array(capacity);
  }

  set(at: number, v: number | string | null): void {
    if (this.numeric) {
      this.values![at] = v === null ? NaN : (v as number);
      return;
    }
    if (v === null) this.codes![at] = -1;
    else this.setLevel(at, v as string);
  }

  setLevel(at: number, v: string): void {
    let code = this.index.get(v);
    if (code === undefined) {
      code = this.levels.length;
      this.index.set(v, code);
      this.levels.push(v);
    }
    this.codes![at] = code;
  }

  column(n: number): Column {
    const { name, type } = this.spec;
    if (this.numeric) {
      const values = this.values!.length === n ? this.values! : this.values!.slice(0, n);
      const col: NumericColumn = { name, type, storage: 'numeric', values };
      return col;
    }
    const codes = this.codes!.length === n ? this.codes! : this.codes!.slice(0, n);
    const col: CategoricalColumn = { name, type, storage: 'categorical', codes, levels: this.levels };
    return col;
  }
}

function cellReader(c: InputColumn): (v: unknown) => Cell {
  switch (c.type) {
    case 'numeric':
      return readNumber;
    case 'datetime':
      return readDate;
    case 'boolean':
      return c.falseLevel !== undefined && c.trueLevel !== undefined ? booleanReader(c.falseLevel, c.trueLevel) : readCategory;
    default:
      return readCategory;
  }
}

const MISSING = null;
const bad = (message: string): CellError => new CellError(message);

function readNumber(v: unknown): Cell {
  if (v === null || v === undefined) return MISSING;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return MISSING;
    return Number.isFinite(v) ? v : bad(`expected a finite number, got ${v}`);
  }
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '' || MISSING_TOKENS.has(t)) return MISSING;
    if (isPlainNumber(t)) {
      const x = Number(t);
      if (Number.isFinite(x)) return x;
    }
  }
  return bad(`expected a number, got ${describe(v)}`);
}

function readDate(v: unknown): Cell {
  if (v === null || v === undefined) return MISSING;
  if (v instanceof Date) {
    const t = v.getTime();
    return Number.isNaN(t) ? bad('expected a date-time, got an invalid Date') : t;
  }
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return MISSING;
    return Number.isFinite(v) ? v : bad(`expected a date-time, got ${v}`);
  }
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '' || MISSING_TOKENS.has(t)) return MISSING;
    const parts = splitDate(t);
    if (parts) {
      // One value cannot prove its day/month order: day-first only when the first part cannot be a month.
      const ms = dateValue(parts, parts.form === 'slash' && parts.a > 12 ? 'dmy' : 'mdy');
      if (!Number.isNaN(ms)) return ms;
    }
  }
  return bad(`expected a date-time like "2021-03-04" or "2021-03-04T10:22:00Z", got ${describe(v)}`);
}

function readCategory(v: unknown): Cell {
  if (v === null || v === undefined) return MISSING;
  if (typeof v === 'string') {
    const t = v.trim();
    return t === '' ? MISSING : t;
  }
  if (typeof v === 'number') return Number.isNaN(v) ? MISSING : formatNumber(v);
  if (typeof v === 'boolean') return String(v);
  return bad(`expected a string, got ${describe(v)}`);
}

function booleanReader(falseLevel: string, trueLevel: string): (v: unknown) => Cell {
  const f = falseLevel.toLowerCase();
  const t = trueLevel.toLowerCase();
  const TRUE = trueLevel;
  const FALSE = falseLevel;
  const words = `${quoteName(trueLevel)} / ${quoteName(falseLevel)}`;
  return (v) => {
    if (v === null || v === undefined) return MISSING;
    if (typeof v === 'boolean') return v ? TRUE : FALSE;
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return MISSING;
      if (v === 1) return TRUE;
      if (v === 0) return FALSE;
    } else if (typeof v === 'string') {
      const s = v.trim();
      if (s === '') return MISSING;
      const low = s.toLowerCase();
      if (low === t || TRUE_WORDS.has(low)) return TRUE;
      if (low === f || FALSE_WORDS.has(low)) return FALSE;
    }
    return bad(`expected true or false (or ${words}), got ${describe(v)}`);
  };
}
