/** The test helper that reproduces scikit-learn's train_test_split, checked against numpy's own output. */
import { describe, expect, it } from 'vitest';
import { sklearnTestRows } from '../../helpers/sklearn-split.ts';

describe('sklearnTestRows', () => {
  it('reproduces numpy RandomState(0).permutation(10) = [2 8 4 9 1 6 7 3 0 5] (unstratified split)', () => {
    // ShuffleSplit takes the first ceil(0.2 * 10) = 2 entries of the permutation as the test set.
    expect(Array.from(sklearnTestRows(10, 0.2, 0, null))).toEqual([2, 8]);
    expect(Array.from(sklearnTestRows(10, 0.5, 0, null))).toEqual([1, 2, 4, 8, 9]);
  });

  it('keeps class shares in a stratified split', () => {
    const labels = [...Array(30).fill('a'), ...Array(10).fill('b')];
    const test = sklearnTestRows(40, 0.2, 0, labels);
    expect(test.length).toBe(8);
    expect(Array.from(test).filter((i) => labels[i] === 'b').length).toBe(2);
  });
});
