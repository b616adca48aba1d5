import { describe, expect, it } from 'vitest';
import { accuracy, r2, rocAuc } from '../../../src/core/eval/metrics.ts';
import { ForestEstimator, extraTreesFamily, randomForestFamily, resolveMaxFeatures } from '../../../src/core/models/forest/index.ts';
import { binaryTable, matrix, multiclassTable, permutation, regressionTable, takeRows, type Table } from './tree-fixtures.ts';

function firstRows(t: Table, n: number, from = 0): Table {
  return takeRows(
    t,
    Array.from({ length: n }, (_, i) => from + i),
  );
}

describe('random forest and extra trees: learning', () => {
  for (const kind of ['random_forest', 'extra_trees'] as const) {
    it(`${kind}: binary classification well above chance, probabilities are averaged leaf frequencies`, async () => {
      const t = binaryTable(2500);
      const train = firstRows(t, 1800);
      const test = firstRows(t, 700, 1800);
      const est = new ForestEstimator(kind, 'binary', { n_estimators: 40 });
      await est.fit(train.X, train.y, 2, { seed: 1 });
      const proba = await est.predictProba(test.X);
      expect(rocAuc(test.y, proba, 2)).toBeGreaterThan(0.93);
      for (let i = 0; i < test.X.rows; i++) {
        expect(proba[2 * i] + proba[2 * i + 1]).toBeCloseTo(1, 12);
        expect(proba[2 * i]).toBeGreaterThanOrEqual(0);
      }
      expect(accuracy(test.y, await est.predict(test.X))).toBeGreaterThan(0.85);
    });

    it(`${kind}: multiclass and regression`, async () => {
      const m = multiclassTable(2000);
      const clf = new ForestEstimator(kind, 'multiclass', { n_estimators: 30 });
      await clf.fit(firstRows(m, 1400).X, firstRows(m, 1400).y, 3, { seed: 2 });
      const mt = firstRows(m, 600, 1400);
      expect(accuracy(mt.y, await clf.predict(mt.X))).toBeGreaterThan(0.8);
      const r = regressionTable(2000);
      const reg = new ForestEstimator(kind, 'regression', { n_estimators: 30 });
      await reg.fit(firstRows(r, 1400).X, firstRows(r, 1400).y, 0, { seed: 2 });
      const rt = firstRows(r, 600, 1400);
      expect(r2(rt.y, await reg.predict(rt.X))).toBeGreaterThan(0.85);
    });
  }

  it('out-of-bag score: accuracy / R² close to the held-out score', async () => {
    const t = binaryTable(2500, 7);
    const rf = new ForestEstimator('random_forest', 'binary', { n_estimators: 50 });
    await rf.fit(firstRows(t, 1800).X, firstRows(t, 1800).y, 2, { seed: 1 });
    const test = firstRows(t, 700, 1800);
    const held = accuracy(test.y, await rf.predict(test.X));
    expect(Math.abs(rf.oobScore() - held)).toBeLessThan(0.04);
    const r = regressionTable(1500, 8);
    const reg = new ForestEstimator('random_forest', 'regression', { n_estimators: 50 });
    await reg.fit(firstRows(r, 1000).X, firstRows(r, 1000).y, 0, { seed: 1 });
    const rt = firstRows(r, 500, 1000);
    expect(Math.abs(reg.oobScore() - r2(rt.y, await reg.predict(rt.X)))).toBeLessThan(0.05);
    const et = new ForestEstimator('extra_trees', 'binary', { n_estimators: 5 });
    await et.fit(t.X, t.y, 2);
    expect(() => et.oobScore()).toThrow(/bootstrap=true/);
  });

  it('importance: normalised mean impurity decrease, informative features first', async () => {
    const t = binaryTable(1500);
    const rf = new ForestEstimator('random_forest', 'binary', { n_estimators: 30 });
    await rf.fit(t.X, t.y, 2, { seed: 3 });
    const imp = rf.featureImportance();
    expect(imp.reduce((a, f) => a + f.gain, 0)).toBeCloseTo(1, 12);
    const top = [...imp].sort((a, b) => b.gain - a.gain).map((f) => f.feature);
    expect(top.slice(0, 3).sort()).toEqual(['cat', 'x0', 'x1']);
    expect(imp.every((f) => f.splits > 0)).toBe(true);
  });

  it('max_features resolves like scikit-learn', () => {
    expect(resolveMaxFeatures('sqrt', 14)).toBe(3);
    expect(resolveMaxFeatures('log2', 14)).toBe(3);
    expect(resolveMaxFeatures(1, 9)).toBe(9);
    expect(resolveMaxFeatures(0.5, 9)).toBe(4);
    expect(resolveMaxFeatures(5, 9)).toBe(5);
    expect(resolveMaxFeatures(0.01, 9)).toBe(1);
  });
});

describe('random forest and extra trees: behaviour', () => {
  it('sample weights matter', async () => {
    const t = regressionTable(800, 5);
    const w = Float64Array.from({ length: 800 }, (_, i) => (t.X.columns[0][i] > 0 ? 10 : 0.1));
    const a = new ForestEstimator('random_forest', 'regression', { n_estimators: 10 });
    const b = new ForestEstimator('random_forest', 'regression', { n_estimators: 10 });
    await a.fit(t.X, t.y, 0, { seed: 1 });
    await b.fit(t.X, t.y, 0, { seed: 1, sampleWeight: w });
    const pa = await a.predict(t.X);
    const pb = await b.predict(t.X);
    let diff = 0;
    for (let i = 0; i < pa.length; i++) diff += Math.abs(pa[i] - pb[i]);
    expect(diff / pa.length).toBeGreaterThan(0.01);
  });

  it('extra trees without bootstrap: shuffling the rows does not change predictions', async () => {
    const t = binaryTable(800, 4);
    const shuffled = takeRows(t, permutation(800, 3));
    const a = new ForestEstimator('extra_trees', 'binary', { n_estimators: 10 });
    const b = new ForestEstimator('extra_trees', 'binary', { n_estimators: 10 });
    await a.fit(t.X, t.y, 2, { seed: 5 });
    await b.fit(shuffled.X, shuffled.y, 2, { seed: 5 });
    const pa = await a.predictProba(t.X);
    const pb = await b.predictProba(t.X);
    for (let i = 0; i < pa.length; i++) expect(pb[i]).toBeCloseTo(pa[i], 10);
  });

  it('the same seed gives the same forest; another seed a different one', async () => {
    const t = multiclassTable(600, 9);
    const fit = async (seed: number) => {
      const est = new ForestEstimator('random_forest', 'multiclass', { n_estimators: 8 });
      await est.fit(t.X, t.y, 3, { seed });
      return JSON.stringify(est.toJSON());
    };
    expect(await fit(1)).toBe(await fit(1));
    expect(await fit(1)).not.toBe(await fit(2));
  });

  it('toJSON -> JSON text -> fromJSON predicts the same', async () => {
    const t = binaryTable(600, 2);
    for (const fam of [randomForestFamily, extraTreesFamily]) {
      const est = fam.create('binary', { n_estimators: 8 });
      await est.fit(t.X, t.y, 2, { seed: 1 });
      const back = fam.fromJSON(JSON.parse(JSON.stringify(est.toJSON())));
      expect(Array.from(await back.predictProba!(t.X))).toEqual(Array.from(await est.predictProba!(t.X)));
      expect(back.featureImportance!()).toEqual(est.featureImportance!());
    }
    const rf = randomForestFamily.create('binary', { n_estimators: 2 });
    await rf.fit(t.X, t.y, 2);
    expect(() => extraTreesFamily.fromJSON(rf.toJSON())).toThrow(/expected family 'extra_trees'/);
  });

  it('aborts with an AbortError and stops at the deadline keeping the trees so far', async () => {
    const t = binaryTable(400);
    const ctrl = new AbortController();
    const run = new ForestEstimator('random_forest', 'binary', { n_estimators: 50 }).fit(t.X, t.y, 2, {
      signal: ctrl.signal,
      onProgress: (p) => p.iteration === 3 && ctrl.abort(),
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    const est = new ForestEstimator('random_forest', 'binary', { n_estimators: 500 });
    await est.fit(t.X, t.y, 2, { deadline: Date.now() - 1 });
    expect(est.nTrees).toBe(1);
    expect(est.stoppedEarly).toBe(true);
    expect((await est.predict(t.X)).length).toBe(400);
  });

  it('handles a constant target, an all-missing feature, and rejects a single class', async () => {
    const t = regressionTable(300);
    const reg = new ForestEstimator('random_forest', 'regression', { n_estimators: 5 });
    await reg.fit(t.X, new Float64Array(300).fill(4.25), 0);
    for (const v of await reg.predict(t.X)) expect(v).toBe(4.25);
    const b = binaryTable(500);
    const X = matrix([
      ['gone', new Float64Array(500).fill(NaN)],
      ['x0', b.X.columns[0]],
    ]);
    const clf = new ForestEstimator('extra_trees', 'binary', { n_estimators: 10 });
    await clf.fit(X, b.y, 2);
    expect(clf.featureImportance()[0]).toMatchObject({ feature: 'gone', gain: 0, splits: 0 });
    expect(rocAuc(b.y, await clf.predictProba(X), 2)).toBeGreaterThan(0.7);
    await expect(clf.fit(X, new Float64Array(500), 2)).rejects.toThrow(/single class/);
  });

  it('respects max_depth and min_samples_leaf', async () => {
    const t = regressionTable(1000);
    const est = new ForestEstimator('random_forest', 'regression', { n_estimators: 3, max_depth: 4, min_samples_leaf: 30 });
    await est.fit(t.X, t.y, 0, { seed: 1 });
    const trees = (est.toJSON().state as { trees: { feature: number[]; left: number[]; right: number[] }[] }).trees;
    for (const tr of trees) {
      const depth = new Array(tr.feature.length).fill(0);
      for (let i = 0; i < tr.feature.length; i++) {
        if (tr.feature[i] >= 0) depth[tr.left[i]] = depth[tr.right[i]] = depth[i] + 1;
      }
      expect(Math.max(...depth)).toBeLessThanOrEqual(4);
      expect(tr.feature.filter((f) => f < 0).length).toBeLessThanOrEqual(16);
    }
  });

  it('validates parameters up front, naming the bad value', () => {
    expect(() => new ForestEstimator('random_forest', 'binary', { n_estimators: 0 })).toThrow(/n_estimators=0/);
    expect(() => new ForestEstimator('random_forest', 'binary', { max_features: 'half' })).toThrow(/max_features="half"/);
    expect(() => new ForestEstimator('random_forest', 'binary', { max_features: 2.5 })).toThrow(/max_features=2.5/);
    expect(() => new ForestEstimator('random_forest', 'regression', { criterion: 'gini' })).toThrow(/criterion/);
    expect(() => new ForestEstimator('extra_trees', 'binary', { bootstrap: 'no' })).toThrow(/bootstrap="no"/);
  });

  it('family specs: defaults, space and portfolio are valid for every task', () => {
    for (const fam of [randomForestFamily, extraTreesFamily]) {
      expect(fam.needs).toEqual({ categorical: 'native', scale: false });
      for (const params of [fam.defaults, ...fam.portfolio]) {
        for (const task of fam.tasks) expect(() => fam.create(task, params)).not.toThrow();
      }
      for (const dim of fam.space) expect(dim.name in fam.defaults).toBe(true);
    }
    expect(randomForestFamily.defaults.bootstrap).toBe(true);
    expect(extraTreesFamily.defaults.bootstrap).toBe(false);
  });
});
