import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../src/core/data/frame.ts';
import { columnValues, rebuildFrame } from '../../../src/core/data/column-values.ts';

const frame: Frame = {
  rows: 4,
  columns: [
    { name: 'x', type: 'numeric', storage: 'numeric', values: Float64Array.of(1.5, NaN, 3, 4) },
    { name: 'c', type: 'categorical', storage: 'categorical', levels: ['a', 'b'], codes: Int32Array.of(0, -1, 1, 0) },
  ],
} as Frame;

describe('columnValues', () => {
  it('reads numeric values and categorical codes (missing as NaN) of the given rows, in their order', () => {
    expect([...columnValues(frame.columns[0], Int32Array.of(3, 1, 0))]).toEqual([4, NaN, 1.5]);
    expect([...columnValues(frame.columns[1], Int32Array.of(2, 1, 0))]).toEqual([1, NaN, 0]);
  });
});

describe('rebuildFrame', () => {
  it('round-trips values into columns with the same names and levels (NaN codes back to -1)', () => {
    const values = frame.columns.map((c) => columnValues(c, Int32Array.of(2, 1)));
    const rebuilt = rebuildFrame(frame.columns, values);
    expect(rebuilt.rows).toBe(2);
    const [x, c] = rebuilt.columns;
    expect(x.storage === 'numeric' && [...x.values]).toEqual([3, NaN]);
    expect(c.storage === 'categorical' && [...c.codes]).toEqual([1, -1]);
    expect(c.storage === 'categorical' && c.levels).toEqual(['a', 'b']);
  });
});
