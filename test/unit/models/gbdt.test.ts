import { describe, expect, it } from 'vitest';
import { accuracy, r2, rocAuc } from '../../../src/core/eval/metrics.ts';
import { GbdtEstimator, gbdtFamily, shouldStop } from '../../../src/core/models/gbdt/index.ts';
import type { FeatureMatrix } from '../../../src/core/prep/matrix.ts';
import { binaryTable, matrix, multiclassTable, permutation, regressionTable, takeRows } from './tree-fixtures.ts';

const FAST = { max_iter: 40, early_stopping: false };

function split<T extends { X: FeatureMatrix; y: Float64Array }>(t: T, nTrain: number) {
  const n = t.X.rows;
  return {
    train: takeRows(
      t,
      Array.from({ length: nTrain }, (_, i) => i),
    ),
    test: takeRows(
      t,
      Array.from({ length: n - nTrain }, (_, i) => nTrain + i),
    ),
  };
}

describe('gbdt estimator: learning', () => {
  it('binary classification: well above chance, probabilities sum to 1', async () => {
    const { train, test } = split(binaryTable(3000), 2000);
    const est = new GbdtEstimator('binary', FAST);
    await est.fit(train.X, train.y, 2, { seed: 1 });
    const proba = await est.predictProba(test.X);
    expect(rocAuc(test.y, proba, 2)).toBeGreaterThan(0.95);
    expect(accuracy(test.y, await est.predict(test.X))).toBeGreaterThan(0.88);
    for (let i = 0; i < test.X.rows; i++) expect(proba[2 * i] + proba[2 * i + 1]).toBeCloseTo(1, 12);
  });

  it('multiclass classification: one tree per class per iteration, accurate', async () => {
    const { train, test } = split(multiclassTable(3000), 2000);
    const est = new GbdtEstimator('multiclass', { max_iter: 30, early_stopping: false });
    await est.fit(train.X, train.y, 3, { seed: 1 });
    expect(est.toJSON().state).toMatchObject({ nOutputs: 3, nIter: 30 });
    expect((est.toJSON().state as { trees: unknown[] }).trees.length).toBe(90);
    expect(accuracy(test.y, await est.predict(test.X))).toBeGreaterThan(0.85);
  });

  it('regression: high R² with squared and absolute error', async () => {
    const { train, test } = split(regressionTable(3000), 2000);
    for (const loss of ['squared_error', 'absolute_error']) {
      const est = new GbdtEstimator('regression', { max_iter: 150, early_stopping: false, loss });
      await est.fit(train.X, train.y, 0, { seed: 1 });
      expect(r2(test.y, await est.predict(test.X))).toBeGreaterThan(0.9);
    }
  });

  it('uses categorical features natively and ranks informative features first', async () => {
    const t = binaryTable(2000);
    const est = new GbdtEstimator('binary', FAST);
    await est.fit(t.X, t.y, 2, { seed: 1 });
    const imp = est.featureImportance();
    expect(imp.map((f) => f.feature)).toEqual(['x0', 'x1', 'cat', 'noise', 'noise_cat']);
    expect(imp.reduce((a, f) => a + f.gain, 0)).toBeCloseTo(1, 12);
    const byGain = [...imp].sort((a, b) => b.gain - a.gain).map((f) => f.feature);
    expect(byGain.slice(0, 3).sort()).toEqual(['cat', 'x0', 'x1']);
    const json = est.toJSON().state as { trees: { leftCategories: (number[] | null)[] }[] };
    const catSplits = json.trees.flatMap((tr) => tr.leftCategories.filter((c) => c !== null));
    expect(catSplits.length).toBeGreaterThan(0);
  });

  it('subsample and colsample still learn, and change the model', async () => {
    const { train, test } = split(binaryTable(3000), 2000);
    const a = new GbdtEstimator('binary', FAST);
    const b = new GbdtEstimator('binary', { ...FAST, subsample: 0.7, colsample: 0.6 });
    await a.fit(train.X, train.y, 2, { seed: 1 });
    await b.fit(train.X, train.y, 2, { seed: 1 });
    const pb = await b.predictProba(test.X);
    expect(rocAuc(test.y, pb, 2)).toBeGreaterThan(0.93);
    expect(Array.from(pb)).not.toEqual(Array.from(await a.predictProba(test.X)));
  });
});

describe('gbdt estimator: behaviour', () => {
  it('integer sample weights give the same model as repeating the rows', async () => {
    // Numeric features with few distinct values, so both fits find the same bin thresholds.
    const t = regressionTable(400, 21);
    const cols = [0, 1, 3].map((j) => Float64Array.from(t.X.columns[j], (v) => Math.round(v * 10) / 10));
    const X = matrix([
      ['u', cols[0]],
      ['v', cols[1]],
      ['noise', cols[2]],
    ]);
    const w = Float64Array.from({ length: 400 }, (_, i) => 1 + (i % 3));
    const repeated: number[] = [];
    w.forEach((k, i) => {
      for (let r = 0; r < k; r++) repeated.push(i);
    });
    const dup = takeRows({ X, y: t.y }, repeated);
    const params = { max_iter: 10, early_stopping: false, min_samples_leaf: 1, max_leaf_nodes: 8 };
    const weighted = new GbdtEstimator('regression', params);
    const copies = new GbdtEstimator('regression', params);
    await weighted.fit(X, t.y, 0, { sampleWeight: w });
    await copies.fit(dup.X, dup.y, 0);
    const pw = await weighted.predict(X);
    const pc = await copies.predict(X);
    for (let i = 0; i < pw.length; i++) expect(pw[i]).toBeCloseTo(pc[i], 8);
    const plain = new GbdtEstimator('regression', params);
    await plain.fit(X, t.y, 0);
    const pp = await plain.predict(X);
    expect(pp.some((v, i) => Math.abs(v - pw[i]) > 1e-3)).toBe(true);
  });

  it('shuffling the rows does not change predictions beyond float noise', async () => {
    const t = binaryTable(1500, 4);
    const shuffled = takeRows(t, permutation(1500, 9));
    const a = new GbdtEstimator('binary', FAST);
    const b = new GbdtEstimator('binary', FAST);
    await a.fit(t.X, t.y, 2, { seed: 3 });
    await b.fit(shuffled.X, shuffled.y, 2, { seed: 3 });
    const pa = await a.predictProba(t.X);
    const pb = await b.predictProba(t.X);
    // Sums in another order differ in their last bits; ties between equal gains must not flip.
    for (let i = 0; i < pa.length; i++) expect(pb[i]).toBeCloseTo(pa[i], 10);
    const ta = (a.toJSON().state as { trees: { feature: number[] }[] }).trees.map((tr) => tr.feature);
    const tb = (b.toJSON().state as { trees: { feature: number[] }[] }).trees.map((tr) => tr.feature);
    expect(tb).toEqual(ta);
  });

  it('the same seed gives the same model, with subsampling too', async () => {
    const t = binaryTable(1000, 5);
    const params = { ...FAST, subsample: 0.8, colsample: 0.8 };
    const a = new GbdtEstimator('binary', params);
    const b = new GbdtEstimator('binary', params);
    await a.fit(t.X, t.y, 2, { seed: 42 });
    await b.fit(t.X, t.y, 2, { seed: 42 });
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
  });

  it('toJSON -> JSON text -> fromJSON predicts the same', async () => {
    const t = multiclassTable(800, 6);
    const est = new GbdtEstimator('multiclass', { max_iter: 15, early_stopping: false });
    await est.fit(t.X, t.y, 3, { seed: 1 });
    const text = JSON.stringify(est.toJSON());
    const back = gbdtFamily.fromJSON(JSON.parse(text));
    expect(Array.from(await back.predictProba!(t.X))).toEqual(Array.from(await est.predictProba(t.X)));
    expect(back.featureImportance!()).toEqual(est.featureImportance());
  });

  it('aborts with an AbortError, from the signal or mid-fit', async () => {
    const t = binaryTable(500);
    const ctrl = new AbortController();
    ctrl.abort();
    const est = new GbdtEstimator('binary', FAST);
    await expect(est.fit(t.X, t.y, 2, { signal: ctrl.signal })).rejects.toMatchObject({ name: 'AbortError' });
    const mid = new AbortController();
    const iters: number[] = [];
    const run = new GbdtEstimator('binary', { max_iter: 100, early_stopping: false }).fit(t.X, t.y, 2, {
      signal: mid.signal,
      onProgress: (p) => {
        iters.push(p.iteration);
        if (p.iteration === 5) mid.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(Math.max(...iters)).toBe(5);
  });

  it('stops at the deadline and keeps the trees fitted so far', async () => {
    const t = binaryTable(500);
    const est = new GbdtEstimator('binary', { max_iter: 1000, early_stopping: false });
    await est.fit(t.X, t.y, 2, { deadline: Date.now() - 1 });
    expect(est.nIter).toBe(1);
    expect(est.fitInfo!.stoppedByDeadline).toBe(true);
    expect(rocAuc(t.y, await est.predictProba(t.X), 2)).toBeGreaterThan(0.8);
  });

  it('early stopping: auto turns on above 10,000 rows and stops before max_iter', async () => {
    const t = binaryTable(10_500, 8);
    const est = new GbdtEstimator('binary', { max_iter: 500, learning_rate: 0.5 });
    const losses: number[] = [];
    await est.fit(t.X, t.y, 2, { seed: 1, onProgress: (p) => p.validationLoss !== undefined && losses.push(p.validationLoss) });
    expect(est.fitInfo!.earlyStopped).toBe(true);
    expect(est.nIter).toBeLessThan(500);
    expect(losses.length).toBe(est.nIter);
    const small = new GbdtEstimator('binary', { max_iter: 20 });
    await small.fit(
      takeRows(
        t,
        Array.from({ length: 2000 }, (_, i) => i),
      ).X,
      t.y.slice(0, 2000),
      2,
    );
    expect(small.fitInfo!.validationLoss).toEqual([]);
  });

  it("early stopping rule matches scikit-learn's _should_stop", () => {
    expect(shouldStop([5, 4, 3], 2, 0)).toBe(false);
    expect(shouldStop([5, 4, 4, 4], 2, 0)).toBe(true);
    expect(shouldStop([5, 4, 4, 3.9], 2, 0)).toBe(false);
    expect(shouldStop([5, 4, 4, 3.9], 2, 0.5)).toBe(true);
  });

  it('a constant target gives constant predictions', async () => {
    const t = regressionTable(300);
    const y = new Float64Array(300).fill(0.1);
    const est = new GbdtEstimator('regression', FAST);
    await est.fit(t.X, y, 0);
    for (const v of await est.predict(t.X)) expect(v).toBeCloseTo(0.1, 12);
  });

  it('an all-missing feature is harmless', async () => {
    const t = binaryTable(600);
    const X = matrix([
      ['gone', new Float64Array(600).fill(NaN)],
      ['x0', t.X.columns[0]],
    ]);
    const est = new GbdtEstimator('binary', FAST);
    await est.fit(X, t.y, 2);
    expect(est.featureImportance()[0]).toMatchObject({ feature: 'gone', gain: 0, splits: 0 });
    expect(rocAuc(t.y, await est.predictProba(X), 2)).toBeGreaterThan(0.75);
  });

  it('single-class training data gives a clear error', async () => {
    const t = binaryTable(100);
    const est = new GbdtEstimator('binary', FAST);
    await expect(est.fit(t.X, new Float64Array(100).fill(1), 2)).rejects.toThrow(/single class/);
  });

  it('validates parameters up front, naming the bad value', () => {
    expect(() => new GbdtEstimator('binary', { learning_rate: -1 })).toThrow(/learning_rate=-1/);
    expect(() => new GbdtEstimator('binary', { max_leaf_nodes: 1 })).toThrow(/max_leaf_nodes=1/);
    expect(() => new GbdtEstimator('binary', { max_bins: 300 })).toThrow(/max_bins=300.*\[2, 255\]/);
    expect(() => new GbdtEstimator('binary', { early_stopping: 'yes' })).toThrow(/early_stopping="yes"/);
    expect(() => new GbdtEstimator('binary', { loss: 'squared_error' })).toThrow(/loss/);
    expect(() => new GbdtEstimator('regression', { subsample: 0 })).toThrow(/subsample=0/);
    expect(() => new GbdtEstimator('regression', { max_iters: 5 })).toThrow(/unknown parameter 'max_iters'/);
    expect(() => new GbdtEstimator('regression', { max_depth: null, max_leaf_nodes: null })).not.toThrow();
  });

  it('reports bad input data clearly', async () => {
    const t = binaryTable(50);
    const est = new GbdtEstimator('binary', FAST);
    await expect(est.fit(t.X, t.y.slice(0, 10), 2)).rejects.toThrow(/10 values but the matrix has 50 rows/);
    const y = t.y.slice();
    y[7] = 2;
    await expect(est.fit(t.X, y, 2)).rejects.toThrow(/row 7/);
    await expect(est.predict(t.X)).rejects.toThrow(/not fitted/);
  });

  it('family spec: defaults, space and portfolio are valid parameter sets', () => {
    expect(gbdtFamily.needs).toEqual({ categorical: 'native', scale: false });
    for (const params of [gbdtFamily.defaults, ...gbdtFamily.portfolio]) {
      for (const task of gbdtFamily.tasks) expect(() => gbdtFamily.create(task, params)).not.toThrow();
    }
    for (const dim of gbdtFamily.space) expect(dim.name in gbdtFamily.defaults).toBe(true);
  });
});
