/** Small hand-built Frames for unit tests (null = missing). */
import type { CategoricalColumn, Column, ColumnType, Frame, NumericColumn } from '../../src/core/data/frame.ts';

export function num(name: string, values: (number | null)[], type: ColumnType = 'numeric'): NumericColumn {
  return { name, type, storage: 'numeric', values: Float64Array.from(values, (v) => (v === null ? NaN : v)) };
}

/**
 * A categorical column; `levelOrder` fixes the code book (to build frames whose codes differ for the
 * same strings, as two parsed files would).
 */
export function cat(name: string, values: (string | null)[], type: ColumnType = 'categorical', levelOrder?: string[]): CategoricalColumn {
  const levels = levelOrder ? [...levelOrder] : [];
  const index = new Map(levels.map((l, i) => [l, i]));
  const codes = Int32Array.from(values, (v) => {
    if (v === null) return -1;
    let c = index.get(v);
    if (c === undefined) {
      c = levels.length;
      index.set(v, c);
      levels.push(v);
    }
    return c;
  });
  return { name, type, storage: 'categorical', codes, levels };
}

export function frame(...columns: Column[]): Frame {
  const rows = columns[0].storage === 'numeric' ? columns[0].values.length : columns[0].codes.length;
  return { rows, columns };
}

/** The column's values as plain numbers (NaN for missing), for assertions. */
export function values(col: Column): number[] {
  return col.storage === 'numeric' ? Array.from(col.values) : Array.from(col.codes);
}

export function columnOf(f: Frame, name: string): Column {
  const c = f.columns.find((col) => col.name === name);
  if (!c) throw new Error(`test frame has no column ${name}: ${f.columns.map((x) => x.name).join(', ')}`);
  return c;
}
