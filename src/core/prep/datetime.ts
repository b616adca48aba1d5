/**
 * Datetime expansion: a date column (epoch milliseconds, UTC, in the Frame) becomes numeric parts a
 * model can use — year, month (1-12), day of week (0 = Sunday, as JavaScript's getUTCDay), hour, and
 * epoch seconds (the trend). Parts that are constant in the training rows (the hour of a date-only
 * column) are left out. Missing dates give NaN parts, imputed later where the family needs it.
 */
import type { Column, Frame } from '../data/frame.ts';
import { categoricalView, forRows, numericColumn, replaceColumns, requireColumn } from './columns.ts';
import { assertFitted, type PrepStep, type StepJSON } from './step.ts';

export type DatePart = 'year' | 'month' | 'dayofweek' | 'hour' | 'epoch';
export const DATE_PARTS: DatePart[] = ['year', 'month', 'dayofweek', 'hour', 'epoch'];

export interface DatetimeJSON extends StepJSON {
  type: 'datetime';
  columns: string[];
  parts: Record<string, DatePart[]>;
}

export function datePart(ms: number, part: DatePart): number {
  if (Number.isNaN(ms)) return NaN;
  if (part === 'epoch') return ms / 1000;
  const d = new Date(ms);
  switch (part) {
    case 'year':
      return d.getUTCFullYear();
    case 'month':
      return d.getUTCMonth() + 1;
    case 'dayofweek':
      return d.getUTCDay();
    case 'hour':
      return d.getUTCHours();
  }
}

export class DatetimeExpander implements PrepStep {
  readonly type = 'datetime';
  private parts: Record<string, DatePart[]> = {};
  private fitted = false;

  constructor(readonly columns: string[]) {}

  fit(frame: Frame, trainRows?: ArrayLike<number>): void {
    this.parts = {};
    for (const name of this.columns) {
      const ms = epochMillis(requireColumn(frame, name, 'datetime expansion'));
      const kept = DATE_PARTS.filter((part) => {
        if (part === 'epoch') return true;
        let first = NaN;
        let varies = false;
        forRows(frame.rows, trainRows, (i) => {
          const v = datePart(ms[i], part);
          if (Number.isNaN(v) || varies) return;
          if (Number.isNaN(first)) first = v;
          else if (v !== first) varies = true;
        });
        return varies;
      });
      this.parts[name] = kept;
    }
    this.fitted = true;
  }

  transform(frame: Frame): Frame {
    assertFitted(this.fitted, 'datetime expansion');
    return replaceColumns(frame, new Set(this.columns), (col) => {
      const ms = epochMillis(col);
      return this.parts[col.name].map((part) =>
        numericColumn(
          partName(col.name, part),
          ms.map((v) => datePart(v, part)),
        ),
      );
    });
  }

  derivedFrom(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const c of this.columns) for (const p of this.parts[c] ?? []) out[partName(c, p)] = c;
    return out;
  }

  toJSON(): DatetimeJSON {
    return { type: 'datetime', columns: this.columns, parts: this.parts };
  }

  static fromJSON(json: DatetimeJSON): DatetimeExpander {
    const step = new DatetimeExpander(json.columns);
    step.parts = Object.fromEntries(Object.entries(json.parts).map(([k, v]) => [k, [...v]]));
    step.fitted = true;
    return step;
  }
}

export function partName(column: string, part: DatePart): string {
  return `${column}.${part}`;
}

/** Epoch milliseconds; a column that arrives as text in a new file is parsed with Date.parse. */
function epochMillis(col: Column): Float64Array {
  if (col.storage === 'numeric') return col.values;
  const { codes, levels } = categoricalView(col);
  const parsed = levels.map((s) => Date.parse(s));
  return Float64Array.from(codes, (c) => (c < 0 ? NaN : parsed[c]));
}
