import { describe, expect, it } from 'vitest';
import { OneHotEncoder } from '../../../src/core/prep/onehot.ts';
import { cat, columnOf, frame, values } from '../../helpers/frames.ts';

// 200 rows: a 120, b 70, c 9, d 1 → at 1% (2 rows) d is rare.
const labels = [...Array(120).fill('a'), ...Array(70).fill('b'), ...Array(9).fill('c'), 'd'];
const train = frame(cat('c', labels));

describe('OneHotEncoder', () => {
  it('gives each frequent level a column and buckets rare ones into __other__', () => {
    const step = new OneHotEncoder(['c']);
    step.fit(train);
    const out = step.transform(train);
    expect(out.columns.map((c) => c.name)).toEqual(['c=a', 'c=b', 'c=c', 'c=__other__']);
    expect(values(columnOf(out, 'c=a')).slice(118, 122)).toEqual([1, 1, 0, 0]);
    expect(values(columnOf(out, 'c=__other__'))[199]).toBe(1);
  });

  it('keeps at most maxLevels levels, the most frequent', () => {
    const step = new OneHotEncoder(['c'], { minFrequency: 0, maxLevels: 2 });
    step.fit(train);
    expect(step.outputColumns()).toEqual(['c=a', 'c=b', 'c=__other__']);
    expect(values(columnOf(step.transform(train), 'c=__other__')).reduce((a, b) => a + b)).toBe(10);
  });

  it('maps a new frame by level strings: unseen → __other__, missing → zeros', () => {
    const step = new OneHotEncoder(['c']);
    step.fit(train);
    // Different code book order than the training frame, an unseen level and a missing cell.
    const scoring = frame(cat('c', ['b', 'zzz', null, 'a'], 'categorical', ['zzz', 'b', 'a']));
    const out = step.transform(scoring);
    const row = (i: number) => out.columns.map((c) => values(c)[i]);
    expect(row(0)).toEqual([0, 1, 0, 0]);
    expect(row(1)).toEqual([0, 0, 0, 1]);
    expect(row(2)).toEqual([0, 0, 0, 0]);
    expect(row(3)).toEqual([1, 0, 0, 0]);
  });

  it('has no __other__ column without rare levels; an unseen level is then all zeros', () => {
    const step = new OneHotEncoder(['c']);
    step.fit(frame(cat('c', ['x', 'y', 'x'])));
    const out = step.transform(frame(cat('c', ['q'])));
    expect(out.columns.map((c) => c.name)).toEqual(['c=x', 'c=y']);
    expect(out.columns.map((c) => values(c)[0])).toEqual([0, 0]);
  });

  it('fits on the training rows only and round-trips through JSON', () => {
    const f = frame(cat('c', ['x', 'x', 'y', 'z']));
    const step = new OneHotEncoder(['c'], { minFrequency: 0, maxLevels: 30 });
    step.fit(f, [0, 1, 2]);
    expect(step.outputColumns()).toEqual(['c=x', 'c=y']);
    const back = OneHotEncoder.fromJSON(JSON.parse(JSON.stringify(step.toJSON())));
    expect(back.transform(f)).toEqual(step.transform(f));
  });
});
