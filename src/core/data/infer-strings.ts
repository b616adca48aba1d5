/**
 * The columns type inference (infer.ts) keeps as text: boolean, identifier, free text or categorical,
 * decided from the builder's distinct values; cells stored as numbers join as their text. Levels of
 * categorical and boolean columns are put in a stable order (compareLevels; false before true).
 */
import type { CategoricalColumn, Column, ColumnType } from './frame.ts';
import type { ColumnBuilder } from './column-builder.ts';
import { MODE, exact } from './column-storage.ts';
import { booleanPair, formatNumber, isZeroPadded, parseNumberFast } from './tokens.ts';

/** What finalizing a column needs to know about the file (infer.ts finalizeColumns). */
export interface FinalizeContext {
  rows: number;
  /** Data row → line in the file (1-based), for messages. */
  lineOf: (row: number) => number;
  /** Build the columns' arrays in SharedArrayBuffers (the caller checked that they can be shared). */
  shared?: boolean;
}

export function stringColumn(b: ColumnBuilder, levelOk: boolean[], nonMissing: number, ctx: FinalizeContext): Column {
  const rows = ctx.rows;
  // Cells stored as numbers (numeric mode) join the column as their text.
  const numberLevels = new Map<string, number>();
  const values = b.mode === MODE.NUMERIC ? b.values : null;
  const raw: string[] = [];
  const remap = new Int32Array(b.levels.length).fill(-1);
  for (let c = 0; c < b.levels.length; c++) {
    if (!levelOk[c] || b.counts[c] === 0) continue;
    remap[c] = raw.length;
    raw.push(b.levels[c]);
  }
  const codes = b.codes ?? new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const c = codes[r];
    if (c > 0) codes[r] = remap[c - 1];
    else if (values && values[r] === values[r]) {
      const text = formatNumber(values[r]);
      let code = numberLevels.get(text);
      if (code === undefined) {
        const level = b.dict.get(text);
        code = level !== undefined && level >= 0 && remap[level] >= 0 ? remap[level] : raw.length;
        if (code === raw.length) raw.push(text);
        numberLevels.set(text, code);
      }
      codes[r] = code;
    } else codes[r] = -1;
  }

  const type = stringType(raw, nonMissing, rows);
  let levels = raw;
  if (type === 'categorical' || type === 'boolean') {
    const pair = type === 'boolean' ? booleanPair(raw) : null;
    const order = raw.map((_, i) => i);
    if (pair) order.sort((x, y) => (raw[x] === pair.falseLevel ? -1 : raw[y] === pair.falseLevel ? 1 : 0));
    else order.sort((x, y) => compareLevels(raw[x], raw[y]));
    const newCode = new Int32Array(raw.length);
    order.forEach((old, i) => (newCode[old] = i));
    levels = order.map((i) => raw[i]);
    for (let r = 0; r < rows; r++) if (codes[r] >= 0) codes[r] = newCode[codes[r]];
  }
  const col: CategoricalColumn = { name: b.name, type, storage: 'categorical', codes: exact(codes, rows, ctx.shared), levels };
  return col;
}

function stringType(levels: string[], nonMissing: number, rows: number): ColumnType {
  if (booleanPair(levels)) return 'boolean';
  const distinct = levels.length;
  const mostlyDistinct = distinct >= 0.5 * nonMissing && distinct > 20;
  if (mostlyDistinct && isFreeText(levels)) return 'text';
  if (distinct === nonMissing && nonMissing >= 20 && nonMissing >= 0.9 * rows) return 'identifier';
  return 'categorical';
}

/** Free text: at least half the values (of up to 1000 looked at) contain a space, and they are long. */
function isFreeText(levels: string[]): boolean {
  const n = Math.min(levels.length, 1000);
  let spaced = 0;
  let length = 0;
  for (let i = 0; i < n; i++) {
    const s = levels[Math.floor((i * levels.length) / n)];
    if (s.includes(' ')) spaced++;
    length += s.length;
  }
  return spaced >= 0.5 * n && length / n >= 15;
}

/** Numbers (zero-padded codes too) by value ("2" before "10", "020" before "120"), then text by code point. */
export function compareLevels(a: string, b: string): number {
  const x = levelNumber(a);
  const y = levelNumber(b);
  if (x === x && y === y) return x - y || (a < b ? -1 : a > b ? 1 : 0);
  if (x === x) return -1;
  if (y === y) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function levelNumber(s: string): number {
  const v = parseNumberFast(s);
  return v === v || !isZeroPadded(s) ? v : Number(s);
}
