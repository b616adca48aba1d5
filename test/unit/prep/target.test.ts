import { describe, expect, it } from 'vitest';
import { encodeTarget, inferTask, rowsWithTarget, sortLabels, targetClasses } from '../../../src/core/prep/target.ts';
import { cat, frame, num } from '../../helpers/frames.ts';

describe('inferTask', () => {
  it('reads categorical and boolean targets as classification', () => {
    expect(inferTask(frame(cat('y', ['a', 'b', 'a'])), 'y')).toBe('binary');
    expect(inferTask(frame(cat('y', ['yes', 'no', null], 'boolean')), 'y')).toBe('binary');
    expect(inferTask(frame(cat('y', ['a', 'b', 'c'])), 'y')).toBe('multiclass');
  });

  it('reads two numeric values as binary, few whole numbers as multiclass, the rest as regression', () => {
    expect(inferTask(frame(num('y', [0, 1, 1, null])), 'y')).toBe('binary');
    expect(inferTask(frame(num('y', [2.5, 7.25, 2.5])), 'y')).toBe('binary');
    expect(inferTask(frame(num('y', [1, 2, 3, 2])), 'y')).toBe('multiclass');
    expect(
      inferTask(
        frame(
          num(
            'y',
            Array.from({ length: 10 }, (_, i) => i),
          ),
        ),
        'y',
      ),
    ).toBe('multiclass');
    expect(
      inferTask(
        frame(
          num(
            'y',
            Array.from({ length: 11 }, (_, i) => i),
          ),
        ),
        'y',
      ),
    ).toBe('regression');
    expect(inferTask(frame(num('y', [1.5, 2, 3])), 'y')).toBe('regression');
    expect(inferTask(frame(num('y', [Date.UTC(2020, 0, 1), Date.UTC(2021, 0, 1), Date.UTC(2022, 0, 1)], 'datetime')), 'y')).toBe('regression');
  });

  it('refuses a constant or empty target with a clear message', () => {
    expect(() => inferTask(frame(num('y', [3, 3, null])), 'y')).toThrow(/same value \("3"\) in every row/);
    expect(() => inferTask(frame(cat('y', ['a', 'a'])), 'y')).toThrow(/same value \("a"\)/);
    expect(() => inferTask(frame(num('y', [null, null])), 'y')).toThrow(/no values/);
    expect(() => inferTask(frame(num('y', [1])), 'nope')).toThrow(/Column "nope" is not in the data/);
  });
});

describe('target rows and classes', () => {
  it('lists the rows that have a target', () => {
    expect(Array.from(rowsWithTarget(frame(num('y', [1, null, 2]), cat('c', ['a', 'b', 'c'])), 'y'))).toEqual([0, 2]);
    expect(Array.from(rowsWithTarget(frame(cat('y', [null, 'a'])), 'y'))).toEqual([1]);
  });

  it('orders classes like LabelEncoder: numbers numerically, strings by code unit', () => {
    expect(sortLabels(['10', '9', '100'])).toEqual(['9', '10', '100']);
    expect(sortLabels(['b', 'B', 'a'])).toEqual(['B', 'a', 'b']);
    expect(targetClasses(frame(num('y', [1, 0, 1, null])), 'y')).toEqual(['0', '1']);
    expect(targetClasses(frame(cat('y', ['no', 'yes', 'no'])), 'y', [0, 2])).toEqual(['no']);
  });

  it('encodes classes to indices and values to numbers, naming the row of a bad cell', () => {
    const f = frame(cat('y', ['b', 'a', null, 'c']), num('v', [1.5, null, 3, 4]));
    expect(Array.from(encodeTarget(f, 'y', 'binary', ['a', 'b'], [0, 1]).y)).toEqual([1, 0]);
    expect(() => encodeTarget(f, 'y', 'binary', ['a', 'b'])).toThrow(/missing in row 3/);
    expect(() => encodeTarget(f, 'y', 'binary', ['a', 'b'], [3])).toThrow(/label "c" in row 4/);
    expect(Array.from(encodeTarget(f, 'v', 'regression', [], [0, 2]).y)).toEqual([1.5, 3]);
    // A numeric target typed as text in another file still encodes.
    expect(Array.from(encodeTarget(frame(cat('v', ['2', '0.5'])), 'v', 'regression', []).y)).toEqual([2, 0.5]);
    expect(Array.from(encodeTarget(frame(num('k', [1, 0])), 'k', 'binary', ['0', '1']).y)).toEqual([1, 0]);
  });
});
