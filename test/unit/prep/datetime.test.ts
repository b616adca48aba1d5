import { describe, expect, it } from 'vitest';
import { DatetimeExpander } from '../../../src/core/prep/datetime.ts';
import { cat, columnOf, frame, num, values } from '../../helpers/frames.ts';

const monday = Date.UTC(2024, 0, 15, 10); // Monday 15 January 2024, 10:00 UTC
const tuesday = Date.UTC(2023, 6, 4, 0); // Tuesday 4 July 2023, 00:00 UTC

describe('DatetimeExpander', () => {
  it('expands a date into year, month, day of week, hour and epoch seconds', () => {
    const f = frame(num('when', [monday, tuesday, null], 'datetime'));
    const step = new DatetimeExpander(['when']);
    step.fit(f);
    const out = step.transform(f);
    expect(out.columns.map((c) => c.name)).toEqual(['when.year', 'when.month', 'when.dayofweek', 'when.hour', 'when.epoch']);
    expect(out.columns.map((c) => values(c)[0])).toEqual([2024, 1, 1, 10, 1705312800]);
    expect(out.columns.map((c) => values(c)[1])).toEqual([2023, 7, 2, 0, tuesday / 1000]);
    expect(out.columns.map((c) => values(c)[2])).toEqual([NaN, NaN, NaN, NaN, NaN]);
  });

  it('leaves out parts constant in the training rows (the hour of a date-only column)', () => {
    const f = frame(num('d', [Date.UTC(2020, 0, 1), Date.UTC(2021, 5, 3)], 'datetime'));
    const step = new DatetimeExpander(['d']);
    step.fit(f);
    expect(step.transform(f).columns.map((c) => c.name)).toEqual(['d.year', 'd.month', 'd.dayofweek', 'd.epoch']);
  });

  it('parses dates that arrive as text in a new file, and round-trips through JSON', () => {
    const step = new DatetimeExpander(['when']);
    step.fit(frame(num('when', [monday, tuesday], 'datetime')));
    const back = DatetimeExpander.fromJSON(JSON.parse(JSON.stringify(step.toJSON())));
    const out = back.transform(frame(cat('when', ['2024-01-15T10:00:00Z'])));
    expect(values(columnOf(out, 'when.epoch'))).toEqual([monday / 1000]);
  });
});
