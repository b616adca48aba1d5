/**
 * model.onnx against Sieve's runtime (what predict.mjs runs), in ONNX Runtime: every test row of
 * every shared dataset, for every family that exports, and two ensembles. Models are fitted on the
 * first 300 rows of a seeded 80 % split with small settings (fast); the comparison uses the whole 20 %.
 *
 * The reference is Sieve on the CSV's own values (doubles), although the graph's numeric inputs are
 * float32: tree families compare them with thresholds adapted to float32 (trees.ts float32Threshold),
 * the others take them back to their shortest decimal first (decimal.ts). Tolerance 1e-5 relative on
 * probabilities and values (below float32's smallest normal number both count as equal); a label may
 * differ from Sieve's only where its two top probabilities are equal in float32 (counted). Every
 * comparison is written to test-artifacts/onnx-parity.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MemberSpec } from '../../../../src/core/automl/model.ts';
import type { FamilyName } from '../../../../src/core/models/types.ts';
import { manifest } from '../../../helpers/datasets.ts';
import { useWasmBackend } from '../../models/tf-setup.ts';
import { compare, fitSlice, modelFile, onnxOf, runBoth, type Parity } from './helpers.ts';

useWasmBackend();

const TRAIN = 300;
const PARAMS: Partial<Record<FamilyName, MemberSpec['params']>> = {
  gbdt: { max_iter: 10 },
  random_forest: { n_estimators: 5 },
  extra_trees: { n_estimators: 5 },
  linear: {},
  mlp: { hidden_units: 8, max_epochs: 3 },
  naive_bayes: {},
  knn: { n_neighbors: 7 },
};

interface Record_ extends Parity {
  dataset: string;
  family: string;
}
const records: Record_[] = [];

afterAll(() => {
  const dir = path.resolve('test-artifacts');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'onnx-parity.json'), JSON.stringify(records, null, 1));
});

const cases = manifest().flatMap((d) =>
  (Object.keys(PARAMS) as FamilyName[]).filter((f) => !(f === 'naive_bayes' && d.task === 'regression')).map((family) => ({ dataset: d.name, family })),
);

async function check(dataset: string, family: string, members: Omit<MemberSpec, 'features'>[]): Promise<void> {
  const f = await fitSlice(dataset, members, TRAIN);
  const file = modelFile(f);
  const result = onnxOf(file);
  if (!result.ok) throw new Error(result.reason);
  const { sieve, onnx } = await runBoth(f, file, result.onnx.bytes);
  const parity = compare(file, sieve, onnx);
  records.push({ dataset, family, ...parity });
  expect(parity.rows).toBe(f.testRows.length);
  expect(parity.outside, `${parity.outside} values beyond 1e-5 (max ${parity.maxRel})`).toBe(0);
  expect(parity.labelDiffs).toBe(parity.nearTies);
}

describe('model.onnx in ONNX Runtime predicts what Sieve predicts', () => {
  it.each(cases)('$family on $dataset', async ({ dataset, family }) => {
    await check(dataset, family, [{ family: family as FamilyName, params: PARAMS[family as FamilyName]!, weight: 1 }]);
  });

  it('an ensemble of gbdt, linear, naive Bayes and kNN with distance weights (binary, titanic)', async () => {
    await check('titanic', 'ensemble(gbdt, linear, naive_bayes, knn)', [
      { family: 'gbdt', params: { max_iter: 10 }, weight: 0.4 },
      { family: 'linear', params: {}, weight: 0.3 },
      { family: 'naive_bayes', params: {}, weight: 0.2 },
      { family: 'knn', params: { n_neighbors: 9, weights: 'distance' }, weight: 0.1 },
    ]);
  });

  it('an ensemble of extra trees and an MLP (regression, insurance)', async () => {
    await check('insurance', 'ensemble(extra_trees, mlp)', [
      { family: 'extra_trees', params: { n_estimators: 5 }, weight: 0.7 },
      { family: 'mlp', params: { hidden_units: 8, max_epochs: 3 }, weight: 0.3 },
    ]);
  });

  it('an ensemble of random forest, MLP and linear (multiclass, penguins)', async () => {
    await check('penguins', 'ensemble(random_forest, mlp, linear)', [
      { family: 'random_forest', params: { n_estimators: 5 }, weight: 0.4 },
      { family: 'mlp', params: { hidden_units: 8, max_epochs: 3 }, weight: 0.3 },
      { family: 'linear', params: {}, weight: 0.3 },
    ]);
  });
});
