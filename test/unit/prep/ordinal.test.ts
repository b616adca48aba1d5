import { describe, expect, it } from 'vitest';
import { OrdinalEncoder } from '../../../src/core/prep/ordinal.ts';
import { cat, columnOf, frame, values } from '../../helpers/frames.ts';

describe('OrdinalEncoder', () => {
  it('uses the training levels sorted by string as the code book and maps new frames by string', () => {
    const step = new OrdinalEncoder(['c']);
    step.fit(frame(cat('c', ['b', 'a', 'c', 'b', null])));
    const scoring = frame(cat('c', ['c', 'a', 'b', 'new', null], 'categorical', ['new', 'c', 'b', 'a']));
    const out = columnOf(step.transform(scoring), 'c');
    expect(out.storage).toBe('categorical');
    if (out.storage !== 'categorical') return;
    expect(out.levels).toEqual(['a', 'b', 'c']);
    // Unseen and missing are both missing (-1) when there is no __other__ code.
    expect(values(out)).toEqual([2, 0, 1, -1, -1]);
  });

  it('caps the code book at maxLevels, the rarest levels sharing __other__ (which also takes unseen levels)', () => {
    const step = new OrdinalEncoder(['c'], 3);
    step.fit(frame(cat('c', ['d', 'd', 'd', 'b', 'b', 'a', 'c'])));
    const out = columnOf(step.transform(frame(cat('c', ['a', 'b', 'c', 'd', 'zz']))), 'c');
    if (out.storage !== 'categorical') throw new Error('expected categorical');
    // Kept: the two most frequent (d, b), sorted; then __other__.
    expect(out.levels).toEqual(['b', 'd', '__other__']);
    expect(values(out)).toEqual([2, 0, 2, 1, 2]);
  });

  it('round-trips through JSON', () => {
    const f = frame(cat('c', ['x', 'y', 'y']));
    const step = new OrdinalEncoder(['c']);
    step.fit(f);
    expect(OrdinalEncoder.fromJSON(JSON.parse(JSON.stringify(step.toJSON()))).transform(f)).toEqual(step.transform(f));
  });
});
