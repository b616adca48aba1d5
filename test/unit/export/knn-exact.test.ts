/**
 * Sieve's kNN (tfjs candidate search + exact ranking) gives exactly the plain full search's answer,
 * also where float32 scores cannot tell candidates apart: the case that would break parity with the
 * bundle if the candidate set were trusted blindly.
 */
import { describe, expect, it } from 'vitest';
import { KnnEstimator } from '../../../src/core/models/knn/estimator.ts';
import { knnModelFromJSON, knnVotesPlain } from '../../../src/core/models/knn/predict-plain.ts';
import { tf } from '../../../src/core/models/tf.ts';
import type { FeatureMatrix } from '../../../src/core/prep/matrix.ts';
import { useWasmBackend } from '../models/tf-setup.ts';

useWasmBackend();

const matrix = (columns: Float64Array[]): FeatureMatrix => ({
  rows: columns[0].length,
  features: columns.map((_, j) => ({ name: `f${j}`, kind: 'numeric', source: `f${j}` })),
  columns,
});

describe('knn: Sieve and the plain search agree exactly', () => {
  it('when float32 scores tie but the exact distances differ (the nearest rows come last)', async () => {
    const n = 200;
    // Every row is 1000 away on f0; on f1 they differ by 0.001, far below float32's resolution at 1e6.
    const X = matrix([new Float64Array(n).fill(1000), Float64Array.from({ length: n }, (_, i) => (n - i) * 1e-3)]);
    const y = Float64Array.from({ length: n }, (_, i) => i);
    const est = new KnnEstimator('regression', { n_neighbors: 3 });
    await est.fit(X, y, 0);
    const Q = matrix([Float64Array.from([0, 0]), Float64Array.from([0, 0.05])]);
    const before = tf.memory().numTensors;
    const sieve = await est.predict(Q);
    expect(tf.memory().numTensors).toBe(before);
    // The exact nearest: the last three rows (197, 198, 199) and rows 149-151.
    expect(Array.from(sieve)).toEqual([198, 150]);
    expect(Array.from(sieve)).toEqual(Array.from(knnVotesPlain(knnModelFromJSON(est.toJSON()), Q)));
  });

  it('with many duplicate rows, distance weights and sample weights, across query chunks', async () => {
    const n = 300;
    const cols = [0, 1, 2].map((j) => Float64Array.from({ length: n }, (_, i) => ((i >> j) & 1) + (j === 2 ? (i % 5) * 0.5 : 0)));
    const X = matrix(cols);
    const y = Float64Array.from({ length: n }, (_, i) => (i * 7919) % 3);
    const w = Float64Array.from({ length: n }, (_, i) => 1 + (i % 4));
    const est = new KnnEstimator('multiclass', { n_neighbors: 6, weights: 'distance' }, n * 7);
    await est.fit(X, y, 3, { sampleWeight: w });
    const Q = matrix(cols.map((c) => Float64Array.from(c.subarray(0, 50), (v, i) => v + (i % 3) * 0.25)));
    const sieve = await est.predictProba(Q);
    expect(Array.from(sieve)).toEqual(Array.from(knnVotesPlain(knnModelFromJSON(est.toJSON()), Q)));
  });
});
