/**
 * The columnar Frame: how a parsed CSV lives in memory everywhere in Sieve.
 *
 * One typed array per column, never an array of row objects. Two storages:
 * - numeric: Float64Array, NaN for missing. Used for `numeric`, `datetime` (epoch milliseconds, UTC)
 *   and an `identifier` of whole numbers (row numbers).
 * - categorical: Int32Array of codes into `levels`, -1 for missing. Used for `categorical`, `boolean`,
 *   `text` and `identifier` (levels keep the original strings, so class labels stay as the user wrote them).
 */
import { clipText, quoteName } from '../export/runtime/message-text.ts';

export type ColumnType = 'numeric' | 'boolean' | 'categorical' | 'datetime' | 'text' | 'identifier';

export interface NumericColumn {
  name: string;
  type: ColumnType;
  storage: 'numeric';
  values: Float64Array;
}

export interface CategoricalColumn {
  name: string;
  type: ColumnType;
  storage: 'categorical';
  codes: Int32Array;
  levels: string[];
}

export type Column = NumericColumn | CategoricalColumn;

export interface Frame {
  rows: number;
  columns: Column[];
}

export function columnByName(frame: Frame, name: string): Column {
  const col = frame.columns.find((c) => c.name === name);
  if (!col) {
    // Bounded: a wide file has 20,000 names, and any name can be long.
    const shown = frame.columns
      .slice(0, 20)
      .map((c) => clipText(c.name))
      .join(', ');
    const more = frame.columns.length > 20 ? ` and ${frame.columns.length - 20} more` : '';
    throw new Error(`Column ${quoteName(name)} is not in the data. Columns: ${shown}${more}`);
  }
  return col;
}

/** The cell as a display string ('' when missing). */
export function cellText(col: Column, row: number): string {
  if (col.storage === 'numeric') {
    const v = col.values[row];
    if (Number.isNaN(v)) return '';
    return col.type === 'datetime' ? new Date(v).toISOString() : String(v);
  }
  const code = col.codes[row];
  return code < 0 ? '' : col.levels[code];
}

/** A new Frame holding only the given rows (in that order). */
export function takeRows(frame: Frame, rows: ArrayLike<number>): Frame {
  const n = rows.length;
  const columns = frame.columns.map((col): Column => {
    if (col.storage === 'numeric') {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = col.values[rows[i]];
      return { ...col, values };
    }
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = col.codes[rows[i]];
    return { ...col, codes };
  });
  return { rows: n, columns };
}
