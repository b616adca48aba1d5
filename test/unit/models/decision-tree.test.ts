/** The decision_tree family: one shallow tree, exported and predicted as a one-tree forest. */
import { describe, expect, it } from 'vitest';
import { decisionTreeFamily } from '../../../src/core/models/decision_tree/index.ts';
import { plainPredictor } from '../../../src/core/models/plain-predictor.ts';
import { binaryTable } from './tree-fixtures.ts';

describe('decision_tree family', () => {
  it('grows one tree no deeper than max_depth, and predicts the same from its JSON', async () => {
    const { X, y } = binaryTable(1500);
    const est = decisionTreeFamily.create('binary', { max_depth: 3 });
    await est.fit(X, y, 2, { seed: 1 });
    const json = est.toJSON();
    const state = json.state as { trees: { feature: number[]; left: number[]; right: number[] }[] };
    expect(state.trees).toHaveLength(1);
    const tree = state.trees[0];
    const depth = (node: number): number => (tree.feature[node] < 0 ? 0 : 1 + Math.max(depth(tree.left[node]), depth(tree.right[node])));
    expect(depth(0)).toBeLessThanOrEqual(3);
    expect(depth(0)).toBeGreaterThan(0);
    const proba = await est.predictProba!(X);
    const plain = plainPredictor(json).predict(X);
    for (let i = 0; i < proba.length; i++) expect(plain[i]).toBeCloseTo(proba[i], 12);
  });

  it('refuses parameters that would make it unreadable or are not its own', () => {
    expect(() => decisionTreeFamily.create('binary', { max_depth: 12 })).toThrow(/not readable/);
    expect(() => decisionTreeFamily.create('binary', { n_estimators: 5 })).toThrow(/unknown parameter/);
  });
});
