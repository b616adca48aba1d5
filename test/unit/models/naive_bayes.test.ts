import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../../src/core/eval/metrics.ts';
import { NaiveBayesEstimator, naiveBayesFamily } from '../../../src/core/models/naive_bayes/index.ts';
import type { FeatureMatrix } from '../../../src/core/prep/matrix.ts';
import { fitPipeline } from '../../../src/core/prep/pipeline.ts';
import { referenceData } from '../../helpers/reference-data.ts';
import { accuracyOf, matrix, softmaxData } from '../../helpers/synthetic.ts';

const gauss = (x: number, mean: number, variance: number) => Math.exp(-((x - mean) ** 2) / (2 * variance)) / Math.sqrt(2 * Math.PI * variance);

/** One numeric feature x and one categorical feature c with 3 levels. */
function mixed(x: number[], c: number[]): FeatureMatrix {
  return {
    rows: x.length,
    features: [
      { name: 'x', kind: 'numeric', source: 'x' },
      { name: 'c', kind: 'categorical', nLevels: 3, source: 'c' },
    ],
    columns: [Float64Array.from(x), Float64Array.from(c)],
  };
}

describe('naive_bayes family', () => {
  // Class 0: x = 1, 3 (mean 2, variance 1), c = 0, 0, 1 ... Class 1: x = 5, 7, 9 (mean 7, variance 8/3), c = 2, 2.
  const X = mixed([1, 3, NaN, 5, 7, 9], [0, 0, 1, 2, 2, NaN]);
  const y = Float64Array.from([0, 0, 0, 1, 1, 1]);

  it('multiplies Gaussian and Laplace-smoothed categorical likelihoods (hand-computed)', async () => {
    const est = new NaiveBayesEstimator('binary', { var_smoothing: 0, alpha: 1 });
    await est.fit(X, y, 2);
    // Priors 1/2, 1/2. Query x = 4, c = 2: P(c=2 | 0) = (0 + 1)/(3 + 3), P(c=2 | 1) = (2 + 1)/(2 + 3).
    const s0 = 0.5 * gauss(4, 2, 1) * (1 / 6);
    const s1 = 0.5 * gauss(4, 7, 8 / 3) * (3 / 5);
    const proba = await est.predictProba(mixed([4], [2]));
    expect(proba[1]).toBeCloseTo(s1 / (s0 + s1), 12);
    // Missing values add nothing: only the categorical evidence remains.
    const onlyC = await est.predictProba(mixed([NaN], [1]));
    const c0 = 0.5 * (2 / 6);
    const c1 = 0.5 * (1 / 5);
    expect(onlyC[0]).toBeCloseTo(c0 / (c0 + c1), 12);
  });

  it('weights counts, means and priors by sample weight', async () => {
    const est = new NaiveBayesEstimator('binary', { var_smoothing: 0 });
    await est.fit(matrix([[0, 0, 10, 10]]), Float64Array.from([0, 0, 1, 1]), 2, { sampleWeight: Float64Array.from([1, 1, 3, 3]) });
    // Class weights 1 + 1 and 3 + 3 → priors 2/8 and 6/8.
    const state = est.toJSON().state as { classLogPrior: number[] };
    expect(state.classLogPrior.map(Math.exp)).toEqual([0.25, 0.75]);
  });

  it('learns a synthetic multiclass problem and round-trips through JSON', async () => {
    const { X: Xs, y: ys } = softmaxData(
      600,
      [
        [3, 0],
        [0, 3],
        [-3, -3],
      ],
      2,
    );
    const est = naiveBayesFamily.create('multiclass');
    await est.fit(Xs, ys, 3, { seed: 1 });
    expect(accuracyOf(ys, await est.predict(Xs))).toBeGreaterThan(0.8);
    const back = naiveBayesFamily.fromJSON(JSON.parse(JSON.stringify(est.toJSON())));
    expect(await back.predictProba!(Xs)).toEqual(await est.predictProba!(Xs));
    const again = naiveBayesFamily.create('multiclass');
    await again.fit(Xs, ys, 3, { seed: 1 });
    expect(again.toJSON()).toEqual(est.toJSON());
  });

  it('refuses regression and bad parameters', () => {
    expect(() => naiveBayesFamily.create('regression')).toThrow(/classification only/);
    expect(() => new NaiveBayesEstimator('binary', { alpha: 0 })).toThrow(/alpha=0 is invalid/);
  });

  /** scikit-learn's GaussianNB on the reference split (computed with sklearn 1.2.1 on these rows). */
  it.each([
    { dataset: 'pima_diabetes', rocAuc: 0.8324074074, logLoss: 0.6436875536 },
    { dataset: 'iris', rocAuc: 1.0, logLoss: 0.0604341862 },
  ])('matches GaussianNB on $dataset', async ({ dataset, rocAuc, logLoss }) => {
    const d = await referenceData(dataset);
    const pipeline = fitPipeline(d.frame, {
      target: d.target,
      features: d.features,
      needs: naiveBayesFamily.needs,
      trainRows: d.trainRows,
      seed: 0,
      task: d.task,
      classes: d.classes,
    });
    const est = naiveBayesFamily.create(d.task);
    const train = pipeline.targetVector(d.frame, d.trainRows);
    await est.fit(pipeline.transformTrain(d.frame), train.y, train.nClasses);
    const Xtest = pipeline.transform(d.frame, d.testRows);
    const test = pipeline.targetVector(d.frame, d.testRows);
    const m = computeMetrics(d.task, test.y, { values: await est.predict(Xtest), proba: await est.predictProba!(Xtest) }, test.nClasses);
    expect(m.roc_auc).toBeCloseTo(rocAuc, 6);
    expect(m.log_loss).toBeCloseTo(logLoss, 6);
  });
});
