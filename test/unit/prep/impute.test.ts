import { describe, expect, it } from 'vitest';
import { hasIndicatorSupport, Imputer, median } from '../../../src/core/prep/impute.ts';
import { cat, columnOf, frame, num, values } from '../../helpers/frames.ts';

function roundTrip(step: Imputer): Imputer {
  return Imputer.fromJSON(JSON.parse(JSON.stringify(step.toJSON())));
}

describe('Imputer', () => {
  const f = frame(num('x', [1, null, 3, 10, null]), cat('c', ['a', 'b', null, 'b', 'a']));

  it('fills numeric with the training median and categorical with the training mode, adding indicators', () => {
    const step = new Imputer(['x', 'c']);
    step.fit(f, [0, 1, 2, 3]); // training rows: x = 1, NaN, 3, 10 → median 3; c = a, b, NaN, b → mode b
    const out = step.transform(f);
    expect(out.columns.map((c) => c.name)).toEqual(['x', 'x__missing', 'c', 'c__missing']);
    expect(values(columnOf(out, 'x'))).toEqual([1, 3, 3, 10, 3]);
    expect(values(columnOf(out, 'x__missing'))).toEqual([0, 1, 0, 0, 1]);
    const c = columnOf(out, 'c');
    expect(c.storage).toBe('categorical');
    if (c.storage !== 'categorical') return;
    expect(Array.from(c.codes, (k) => c.levels[k])).toEqual(['a', 'b', 'b', 'b', 'a']);
    expect(values(columnOf(out, 'c__missing'))).toEqual([0, 0, 1, 0, 0]);
  });

  it('adds no indicator for a column complete in the training rows, but still fills later gaps', () => {
    const step = new Imputer(['x']);
    step.fit(f, [0, 2, 3]);
    const out = step.transform(f);
    expect(out.columns.map((c) => c.name)).toEqual(['x', 'c']);
    expect(values(columnOf(out, 'x'))).toEqual([1, 3, 3, 10, 3]);
  });

  it('adds an indicator only where enough training rows are missing to learn it from', () => {
    // One missing value among 100 rows: an indicator would be fitted to that single row.
    const xs = Array.from({ length: 100 }, (_, i) => (i === 7 ? null : i));
    const step = new Imputer(['x']);
    step.fit(frame(num('x', xs)));
    expect(step.indicatorColumns()).toEqual([]);
    const five = Array.from({ length: 100 }, (_, i) => (i % 20 === 0 ? null : i));
    const step5 = new Imputer(['x']);
    step5.fit(frame(num('x', five)));
    expect(step5.indicatorColumns()).toEqual(['x__missing']);
    expect(hasIndicatorSupport(0, 10)).toBe(false);
    expect(hasIndicatorSupport(4, 1000)).toBe(false);
    expect(hasIndicatorSupport(5, 1000)).toBe(true);
    expect(hasIndicatorSupport(2, 10)).toBe(true); // 20 % of a small table
  });

  it('computes the median like numpy and breaks mode ties by the smallest string', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
    const step = new Imputer(['c']);
    step.fit(frame(cat('c', ['b', 'a', 'b', 'a', null])));
    expect(step.toJSON().categorical[0].mode).toBe('a');
  });

  it('fills an all-missing numeric column with 0 (the pipeline drops such columns first)', () => {
    const step = new Imputer(['x']);
    step.fit(frame(num('x', [null, null, 5])), [0, 1]);
    expect(values(columnOf(step.transform(frame(num('x', [null, 2, 5]))), 'x'))).toEqual([0, 2, 5]);
  });

  it('reads a column retyped in a new file (numbers arriving as text)', () => {
    const step = new Imputer(['x']);
    step.fit(f, [0, 1, 2, 3]);
    const asText = frame(cat('x', ['7', null, 'oops']), cat('c', ['a', 'a', 'a']));
    expect(values(columnOf(step.transform(asText), 'x'))).toEqual([7, 3, 3]);
  });

  it('round-trips through JSON', () => {
    const step = new Imputer(['x', 'c']);
    step.fit(f, [0, 1, 2, 3]);
    expect(roundTrip(step).transform(f)).toEqual(step.transform(f));
  });
});
