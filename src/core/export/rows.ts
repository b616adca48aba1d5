/**
 * Frame rows as the row objects a bundle's predict() takes: numbers for numeric columns, ISO 8601
 * strings for dates, the level text for categories, null where the cell is missing. This is how
 * the CLI and the page hand a parsed CSV to a bundle, and how Sieve uses a bundle as the champion.
 */
import type { Frame } from '../data/frame.ts';
import type { Row } from './runtime/types.ts';

export function frameRows(frame: Frame, columns: readonly string[], rows?: ArrayLike<number>): Row[] {
  const cols = columns.map((name) => frame.columns.find((c) => c.name === name));
  const n = rows ? rows.length : frame.rows;
  const out: Row[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows ? rows[i] : i;
    const row: Row = {};
    cols.forEach((col, j) => {
      // A column the frame lacks stays absent, so predict() reports it as a missing column.
      if (!col) return;
      let v: number | string | null;
      if (col.storage === 'numeric') {
        const x = col.values[r];
        v = Number.isNaN(x) ? null : col.type === 'datetime' ? new Date(x).toISOString() : x;
      } else {
        const c = col.codes[r];
        v = c < 0 ? null : col.levels[c];
      }
      // defineProperty: a column called "__proto__" must stay an ordinary key.
      Object.defineProperty(row, columns[j], { value: v, enumerable: true, writable: true, configurable: true });
    });
    out[i] = row;
  }
  return out;
}
