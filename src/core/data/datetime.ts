/**
 * Date and date-time strings, recognised once per distinct value of a column (never per cell):
 * ISO 8601 (`2021-03-04`, `2021-03-04T10:22:05.123Z`, `2021-03-04 10:22`, `2021/03/04`) and the
 * day-first / month-first forms `4/3/2021`, `04.03.2021`, `4-3-2021 10:22` with a four-digit year.
 * Values become epoch milliseconds (UTC; a written offset is applied, a missing one means UTC).
 */

export type DateOrder = 'iso' | 'dmy' | 'mdy';

const ISO = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const DAY_MONTH = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?$/;

/** A date string split into parts, before the day/month order of the slash form is known. */
export interface DateParts {
  form: 'iso' | 'slash';
  /** For ISO: year, month, day. For the slash form: first, second, year. */
  a: number;
  b: number;
  c: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  offsetMinutes: number;
}

export function splitDate(s: string): DateParts | null {
  if (s.length < 8 || s.length > 35) return null;
  let m = ISO.exec(s);
  if (m) {
    return {
      form: 'iso',
      a: +m[1],
      b: +m[2],
      c: +m[3],
      ...time(m[4], m[5], m[6], m[7]),
      offsetMinutes: offset(m[8]),
    };
  }
  m = DAY_MONTH.exec(s);
  if (m) {
    return { form: 'slash', a: +m[1], b: +m[3], c: +m[4], ...time(m[5], m[6], m[7], m[8]), offsetMinutes: 0 };
  }
  return null;
}

function time(h?: string, mi?: string, sec?: string, frac?: string) {
  return {
    hour: h ? +h : 0,
    minute: mi ? +mi : 0,
    second: sec ? +sec : 0,
    millis: frac ? Math.round(+`0.${frac}` * 1000) : 0,
  };
}

function offset(z?: string): number {
  if (!z || z === 'Z') return 0;
  const sign = z[0] === '-' ? -1 : 1;
  const digits = z.slice(1).replace(':', '');
  return sign * (+digits.slice(0, 2) * 60 + (digits.length > 2 ? +digits.slice(2) : 0));
}

/** Epoch milliseconds for parts read in the given order; NaN when the calendar date does not exist. */
export function dateValue(p: DateParts, order: DateOrder): number {
  let year: number, month: number, day: number;
  if (p.form === 'iso') [year, month, day] = [p.a, p.b, p.c];
  else if (order === 'dmy') [day, month, year] = [p.a, p.b, p.c];
  else [month, day, year] = [p.a, p.b, p.c];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  if (p.hour > 24 || p.minute > 59 || p.second > 60) return NaN;
  const utc = Date.UTC(year, month - 1, day, p.hour, p.minute, p.second, p.millis);
  return utc - p.offsetMinutes * 60_000;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The day/month order for a column's slash-form dates: a first part above 12 proves day-first, a
 * second part above 12 proves month-first; both at once means these are not dates of one format
 * (null). When nothing proves either, month-first is assumed and reported as ambiguous.
 */
export function slashOrder(parts: readonly DateParts[]): { order: DateOrder; ambiguous: boolean } | null {
  let firstOver12 = false;
  let secondOver12 = false;
  for (const p of parts) {
    if (p.form !== 'slash') continue;
    if (p.a > 12) firstOver12 = true;
    if (p.b > 12) secondOver12 = true;
  }
  if (firstOver12 && secondOver12) return null;
  if (firstOver12) return { order: 'dmy', ambiguous: false };
  if (secondOver12) return { order: 'mdy', ambiguous: false };
  return { order: 'mdy', ambiguous: true };
}
