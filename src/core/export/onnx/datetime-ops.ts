/**
 * Datetime parts in ONNX double arithmetic, equal to prep/datetime.ts's `datePart` (JavaScript's UTC
 * getters) for every date a double holds to the millisecond: the input is epoch milliseconds (UTC),
 * NaN when missing (NaN flows through every part). Year and month come from the day number by Howard
 * Hinnant's `civil_from_days`, with floor division written as Floor(Div(...)), exact on these integers.
 */
import { DATE_PARTS, type DatePart } from '../../prep/datetime.ts';
import type { GraphBuilder } from './graph.ts';

export function isDatePart(s: string): s is DatePart {
  return (DATE_PARTS as string[]).includes(s);
}

const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;

export function datetimePart(g: GraphBuilder, ms: string, part: DatePart): string {
  const k = (v: number): string => g.double('k', [v], []);
  const add = (a: string, b: string): string => g.op('Add', [a, b]);
  const sub = (a: string, b: string): string => g.op('Sub', [a, b]);
  const mul = (a: string, b: string): string => g.op('Mul', [a, b]);
  const fdiv = (a: string, b: number): string => g.op('Floor', [g.op('Div', [a, k(b)])]);
  if (part === 'epoch') return g.op('Div', [ms, k(1000)]);
  const days = fdiv(ms, MS_PER_DAY);
  if (part === 'hour') return fdiv(sub(ms, mul(days, k(MS_PER_DAY))), MS_PER_HOUR);
  if (part === 'dayofweek') {
    // 1970-01-01 was a Thursday (4).
    const t = add(days, k(4));
    return sub(t, mul(fdiv(t, 7), k(7)));
  }
  // civil_from_days: z = days + 719468; era = floor(z / 146097); doe = z - era * 146097;
  // yoe = floor((doe - floor(doe / 1460) + floor(doe / 36524) - floor(doe / 146096)) / 365);
  // doy = doe - (365 yoe + floor(yoe / 4) - floor(yoe / 100)); mp = floor((5 doy + 2) / 153);
  // month = mp < 10 ? mp + 3 : mp - 9; year = yoe + 400 era + (month <= 2).
  const z = add(days, k(719468));
  const era = fdiv(z, 146097);
  const doe = sub(z, mul(era, k(146097)));
  const yoe = fdiv(add(sub(doe, fdiv(doe, 1460)), sub(fdiv(doe, 36524), fdiv(doe, 146096))), 365);
  const doy = sub(doe, sub(add(mul(yoe, k(365)), fdiv(yoe, 4)), fdiv(yoe, 100)));
  const mp = fdiv(add(mul(doy, k(5)), k(2)), 153);
  const month = g.op('Where', [g.op('Less', [mp, k(10)]), add(mp, k(3)), sub(mp, k(9))]);
  if (part === 'month') return month;
  const early = g.op('Cast', [g.op('LessOrEqual', [month, k(2)])], { to: { int: 11 } });
  return add(add(yoe, mul(era, k(400))), early);
}
