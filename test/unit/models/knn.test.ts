import { describe, expect, it } from 'vitest';
import { KnnEstimator, knnFamily } from '../../../src/core/models/knn/index.ts';
import { tf } from '../../../src/core/models/tf.ts';
import { accuracyOf, matrix, r2Of, softmaxData, xorData } from '../../helpers/synthetic.ts';
import { useWasmBackend } from './tf-setup.ts';

useWasmBackend();

// Training points on a line: 0, 1, 2, 10, 11 with classes 0, 0, 1, 1, 1 and values 0, 1, 2, 10, 11.
const Xtrain = matrix([[0, 1, 2, 10, 11]]);
const yClass = Float64Array.from([0, 0, 1, 1, 1]);
const yValue = Float64Array.from([0, 1, 2, 10, 11]);

describe('knn family', () => {
  it('votes among the k nearest rows (uniform weights)', async () => {
    const est = new KnnEstimator('binary', { n_neighbors: 3 });
    await est.fit(Xtrain, yClass, 2);
    // Query 0.9: neighbours 1, 0, 2 → classes 0, 0, 1. Query 10.4: 10, 11, 2 → 1, 1, 1.
    const proba = await est.predictProba(matrix([[0.9, 10.4]]));
    [2 / 3, 1 / 3, 0, 1].forEach((v, i) => expect(proba[i]).toBeCloseTo(v, 6));
    expect(Array.from(await est.predict(matrix([[0.9, 10.4]])))).toEqual([0, 1]);
  });

  it('weights by inverse distance and averages values for regression', async () => {
    const est = new KnnEstimator('regression', { n_neighbors: 2, weights: 'distance' });
    await est.fit(Xtrain, yValue, 0);
    // Query 1.25: neighbours 1 (d 0.25) and 2 (d 0.75) → (1*4 + 2*4/3) / (4 + 4/3) = 1.25.
    const [v] = await est.predict(matrix([[1.25]]));
    expect(v).toBeCloseTo(1.25, 4);
    const uniform = new KnnEstimator('regression', { n_neighbors: 2 });
    await uniform.fit(Xtrain, yValue, 0);
    expect((await uniform.predict(matrix([[1.25]])))[0]).toBeCloseTo(1.5, 5);
  });

  it('caps k at the training size and gives the same answer across query chunks', async () => {
    const { X, y } = softmaxData(
      300,
      [
        [0, 0],
        [2, 0],
        [0, 2],
      ],
      1,
    );
    const big = new KnnEstimator('multiclass', { n_neighbors: 7 });
    const chunked = new KnnEstimator('multiclass', { n_neighbors: 7 }, 300 * 16); // 16 queries per chunk
    await big.fit(X, y, 3);
    await chunked.fit(X, y, 3);
    expect(await chunked.predictProba(X)).toEqual(await big.predictProba(X));
    const all = new KnnEstimator('binary', { n_neighbors: 50 });
    await all.fit(Xtrain, yClass, 2);
    const p = await all.predictProba(matrix([[0]]));
    expect(p[0]).toBeCloseTo(0.4, 6);
    expect(p[1]).toBeCloseTo(0.6, 6);
  });

  it('learns a non-linear boundary', async () => {
    const train = xorData(600, 2);
    const test = xorData(300, 3);
    const est = knnFamily.create('binary', { n_neighbors: 9, weights: 'distance' });
    await est.fit(train.X, train.y, 2);
    expect(accuracyOf(test.y, await est.predict(test.X))).toBeGreaterThan(0.9);
    const reg = knnFamily.create('regression', { n_neighbors: 5 });
    const yr = Float64Array.from(train.X.columns[0], (v, i) => v * v + train.X.columns[1][i]);
    await reg.fit(train.X, yr, 0);
    expect(r2Of(yr, await reg.predict(train.X))).toBeGreaterThan(0.9);
  });

  it('weights neighbours by their sample weight', async () => {
    const est = new KnnEstimator('binary', { n_neighbors: 3 });
    await est.fit(Xtrain, yClass, 2, { sampleWeight: Float64Array.from([1, 1, 4, 1, 1]) });
    // Query 0.9: neighbours rows 1, 0, 2 with weights 1, 1, 4 → class 1 share 4/6.
    const proba = await est.predictProba(matrix([[0.9]]));
    expect(proba[1]).toBeCloseTo(4 / 6, 6);
  });

  it('is deterministic, round-trips through JSON and leaves no tensor behind', async () => {
    const { X, y } = softmaxData(
      120,
      [
        [0, 0],
        [1, -1],
      ],
      4,
    );
    const before = tf.memory().numTensors;
    const a = new KnnEstimator('binary', { n_neighbors: 5, weights: 'distance' });
    await a.fit(X, y, 2, { seed: 1 });
    const pa = await a.predictProba(X);
    await a.predict(X);
    expect(tf.memory().numTensors).toBe(before);
    const b = knnFamily.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(await b.predictProba!(X)).toEqual(pa);
  });

  it('validates parameters and inputs', async () => {
    expect(() => new KnnEstimator('binary', { n_neighbors: 0 })).toThrow(/n_neighbors=0 is invalid/);
    expect(() => new KnnEstimator('binary', { weights: 'gaussian' })).toThrow(/weights/);
    const est = new KnnEstimator('binary');
    await est.fit(Xtrain, yClass, 2);
    await expect(est.predict(matrix([[1], [2]]))).rejects.toThrow(/fitted on 1 features, got 2/);
  });
});
