/**
 * Parity: a bundle's predict.mjs, imported from an unzipped bundle in Node, predicts what Sieve
 * predicts (FinalModel.predictRows) on the test split, to 1e-6 — for every model family, for each
 * task, and for an ensemble.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { MemberSpec } from '../../../src/core/automl/model.ts';
import { frameRows } from '../../../src/core/export/rows.ts';
import { useWasmBackend } from '../models/tf-setup.ts';
import { exportAndImport, fit } from './fixtures.ts';

useWasmBackend();

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

type Case = { name: string; dataset: string; members: Omit<MemberSpec, 'features'>[] };

const one = (family: MemberSpec['family'], params: MemberSpec['params'] = {}) => [{ family, params, weight: 1 }];

const CASES: Case[] = [
  { name: 'gbdt, binary (native categories)', dataset: 'titanic', members: one('gbdt', { max_iter: 60 }) },
  { name: 'gbdt, regression', dataset: 'insurance', members: one('gbdt', { max_iter: 60 }) },
  { name: 'gbdt, multiclass', dataset: 'iris', members: one('gbdt', { max_iter: 30 }) },
  { name: 'random_forest, multiclass', dataset: 'iris', members: one('random_forest', { n_estimators: 30 }) },
  { name: 'random_forest, binary', dataset: 'titanic', members: one('random_forest', { n_estimators: 30 }) },
  { name: 'extra_trees, regression', dataset: 'insurance', members: one('extra_trees', { n_estimators: 30 }) },
  { name: 'linear, binary (one-hot, target encoding)', dataset: 'titanic', members: one('linear') },
  { name: 'linear, regression', dataset: 'insurance', members: one('linear') },
  { name: 'linear, multiclass', dataset: 'iris', members: one('linear') },
  { name: 'knn, binary (many tied distances)', dataset: 'titanic', members: one('knn', { n_neighbors: 7, weights: 'uniform' }) },
  { name: 'knn, regression, distance weights', dataset: 'insurance', members: one('knn', { n_neighbors: 15, weights: 'distance' }) },
  { name: 'naive_bayes, binary', dataset: 'titanic', members: one('naive_bayes') },
  { name: 'naive_bayes, multiclass', dataset: 'iris', members: one('naive_bayes') },
  { name: 'mlp, regression', dataset: 'insurance', members: one('mlp', { hidden_units: 16, max_epochs: 25 }) },
  { name: 'mlp, binary (tanh)', dataset: 'titanic', members: one('mlp', { hidden_units: 16, max_epochs: 25, activation: 'tanh' }) },
  {
    name: 'ensemble of gbdt, linear and knn, binary',
    dataset: 'titanic',
    members: [
      { family: 'gbdt', params: { max_iter: 40 }, weight: 0.5 },
      { family: 'linear', params: {}, weight: 0.3 },
      { family: 'knn', params: { n_neighbors: 9 }, weight: 0.2 },
    ],
  },
  {
    name: 'ensemble of extra_trees and mlp, regression',
    dataset: 'insurance',
    members: [
      { family: 'extra_trees', params: { n_estimators: 20 }, weight: 0.7 },
      { family: 'mlp', params: { hidden_units: 8, max_epochs: 15 }, weight: 0.3 },
    ],
  },
];

describe('bundle parity with Sieve', () => {
  it.each(CASES)('$name ($dataset)', async ({ dataset, members }) => {
    const f = await fit(dataset, members, 3);
    const expected = await f.model.predictRows(f.data.frame, f.testRows);
    const { mod, cleanup } = await exportAndImport(f);
    cleanups.push(cleanup);
    const model = await mod.loadModel();
    const rows = frameRows(f.data.frame, model.inputColumns, f.testRows);
    const raw = model.predictRaw(rows);
    expect(raw.kept).toHaveLength(f.testRows.length);
    const predictions = model.predict(rows);
    if (f.project.task === 'regression') {
      expect(raw.proba).toBeUndefined();
      let worst = 0;
      expected.values.forEach((v, i) => {
        worst = Math.max(worst, Math.abs(v - raw.values[i]) / Math.max(1, Math.abs(v)));
        expect(predictions[i].value).toBe(raw.values[i]);
      });
      expect(worst).toBeLessThan(1e-6);
      return;
    }
    const K = f.project.classes.length;
    let worst = 0;
    expected.proba!.forEach((p, i) => (worst = Math.max(worst, Math.abs(p - raw.proba![i]))));
    expect(worst).toBeLessThan(1e-6);
    expect(Array.from(raw.values)).toEqual(Array.from(expected.values));
    predictions.forEach((p, i) => {
      expect(p.label).toBe(f.project.classes[expected.values[i]]);
      f.project.classes.forEach((c, k) => expect(p.probabilities![c]).toBeCloseTo(expected.proba![i * K + k], 12));
    });
  });
});
