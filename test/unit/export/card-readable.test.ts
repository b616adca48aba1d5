import { describe, expect, it } from 'vitest';
import { treeRules } from '../../../src/core/export/card-readable.ts';

describe('treeRules', () => {
  it('prints one rule per leaf with the path, categories by label, and where missing values go', () => {
    // Root: age ≤ 30 (missing left); left: a leaf; right: colour ∈ {red} (missing right).
    const tree = {
      feature: [0, -1, 1, -1, -1],
      threshold: [30, 0, 0, 0, 0],
      missingLeft: [1, 0, 0, 0, 0],
      leftCategories: [null, null, [0], null, null],
      left: [1, -1, 3, -1, -1],
      right: [2, -1, 4, -1, -1],
      value: [0, 0, 8, 2, 0, 0, 1, 9, 5, 5],
      valueDim: 2,
    };
    const rules = treeRules(tree, ['age', 'colour'], [undefined, ['red', 'blue']], (v) => `${v[0]}:${v[1]}`);
    expect(rules).toEqual([
      'IF (age ≤ 30 or missing) THEN 8:2',
      'IF age > 30 AND colour ∈ {"red"} THEN 1:9',
      'IF age > 30 AND (colour ∉ {"red"} or missing) THEN 5:5',
    ]);
  });
});
