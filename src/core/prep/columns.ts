/**
 * Column helpers shared by the preprocessing steps.
 *
 * A fitted step must work on frames it has never seen (a scoring CSV parsed later), whose categorical
 * codes index *that* frame's own `levels`. So steps remember level *strings*, and map a new frame's
 * codes to their fitted indices through the strings (`mapToFittedLevels`). A column may also be typed
 * differently in a new file (a numeric column with one stray word becomes categorical): steps read
 * through `numericValues` / `categoricalView`, which convert instead of failing.
 */
import type { CategoricalColumn, Column, Frame, NumericColumn } from '../data/frame.ts';

/** The column's values as numbers; categorical levels are parsed (unparseable → NaN). */
export function numericValues(col: Column): Float64Array {
  if (col.storage === 'numeric') return col.values;
  const parsed = col.levels.map((s) => parseNumber(s));
  const out = new Float64Array(col.codes.length);
  for (let i = 0; i < out.length; i++) {
    const c = col.codes[i];
    out[i] = c < 0 ? NaN : parsed[c];
  }
  return out;
}

function parseNumber(s: string): number {
  const t = s.trim();
  if (t === '') return NaN;
  const v = Number(t);
  return Number.isFinite(v) ? v : NaN;
}

/** The column as codes + level strings; numeric values become their decimal strings. */
export function categoricalView(col: Column): { codes: Int32Array; levels: string[] } {
  if (col.storage === 'categorical') return { codes: col.codes, levels: col.levels };
  const index = new Map<number, number>();
  const levels: string[] = [];
  const codes = new Int32Array(col.values.length);
  for (let i = 0; i < codes.length; i++) {
    const v = col.values[i];
    if (Number.isNaN(v)) {
      codes[i] = -1;
      continue;
    }
    let c = index.get(v);
    if (c === undefined) {
      c = levels.length;
      index.set(v, c);
      levels.push(col.type === 'datetime' ? new Date(v).toISOString() : String(v));
    }
    codes[i] = c;
  }
  return { codes, levels };
}

/**
 * Per-row index into `fitted` (a list of level strings): -1 where the cell is missing, `unseen` where
 * the level is not among the fitted ones.
 */
export function mapToFittedLevels(col: Column, fitted: readonly string[], unseen: number): Int32Array {
  const { codes, levels } = categoricalView(col);
  const index = new Map<string, number>();
  fitted.forEach((level, i) => index.set(level, i));
  const byCode = levels.map((level) => index.get(level) ?? unseen);
  const out = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = codes[i] < 0 ? -1 : byCode[codes[i]];
  return out;
}

/** Counts of each level over `rows` (all rows when omitted), keyed by level string. */
export function levelCounts(col: Column, rows?: ArrayLike<number>): Map<string, number> {
  const { codes, levels } = categoricalView(col);
  const counts = new Float64Array(levels.length);
  forRows(codes.length, rows, (i) => {
    const c = codes[i];
    if (c >= 0) counts[c]++;
  });
  const out = new Map<string, number>();
  levels.forEach((level, c) => {
    // Two codes can carry the same string only in hand-built frames; add them up.
    if (counts[c] > 0) out.set(level, (out.get(level) ?? 0) + counts[c]);
  });
  return out;
}

/** Calls fn(row) for each of `rows`, or for 0..n-1 when rows is omitted. */
export function forRows(n: number, rows: ArrayLike<number> | undefined, fn: (row: number) => void): void {
  if (rows) for (let k = 0; k < rows.length; k++) fn(rows[k]);
  else for (let i = 0; i < n; i++) fn(i);
}

/** Levels sorted by count (descending), ties by string, so every choice of "top levels" is deterministic. */
export function levelsByCount(counts: Map<string, number>): string[] {
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0])).map((e) => e[0]);
}

/** Code-unit order, the order of scikit-learn's np.unique on strings for everything in the BMP. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function numericColumn(name: string, values: Float64Array, type: Column['type'] = 'numeric'): NumericColumn {
  return { name, type, storage: 'numeric', values };
}

export function categoricalColumn(name: string, codes: Int32Array, levels: string[], type: Column['type'] = 'categorical'): CategoricalColumn {
  return { name, type, storage: 'categorical', codes, levels };
}

/**
 * Rebuilds a frame, replacing each column whose name is in `replace` by the columns the function
 * returns (in place, so feature order stays stable); other columns pass through untouched.
 */
export function replaceColumns(frame: Frame, names: ReadonlySet<string>, fn: (col: Column) => Column[]): Frame {
  const columns: Column[] = [];
  for (const col of frame.columns) {
    if (names.has(col.name)) columns.push(...fn(col));
    else columns.push(col);
  }
  return { rows: frame.rows, columns };
}

/** The named column, or a clear error saying which step needed it. */
export function requireColumn(frame: Frame, name: string, step: string): Column {
  const col = frame.columns.find((c) => c.name === name);
  if (!col) throw new Error(`${step}: column "${name}" is missing from the data`);
  return col;
}
