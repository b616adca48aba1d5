import { describe, expect, it } from 'vitest';
import { compareWithBaseline, formatP, labelsAsProba, metricWithCi, successCriterion } from '../../../src/core/eval/ab.ts';
import { rocAuc } from '../../../src/core/eval/metrics.ts';
import type { Prediction } from '../../../src/core/eval/metrics.ts';
import { Rng } from '../../../src/core/util/random.ts';

/** Binary labels and a classifier that is right on a share `acc` of the rows (chosen at random). */
function labelsWithAccuracy(y: Float64Array, acc: number, rng: Rng): Float64Array {
  return Float64Array.from(y, (v) => (rng.next() < acc ? v : 1 - v));
}

/** Probabilities of a binary classifier whose scores separate the classes by `signal` standard deviations. */
function scorer(y: Float64Array, signal: number, rng: Rng): Prediction {
  const p = Float64Array.from(y, (v) => 1 / (1 + Math.exp(-(signal * (v - 0.5) + rng.normal()))));
  return { values: Float64Array.from(p, (q) => (q >= 0.5 ? 1 : 0)), proba: Float64Array.from(Array.from(p).flatMap((q) => [1 - q, q])) };
}

const binaryY = (n: number, rng: Rng): Float64Array => Float64Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0));

describe('compareWithBaseline: accuracy (McNemar)', () => {
  const rng = new Rng(1);
  const y = binaryY(1000, rng);
  const good = { values: labelsWithAccuracy(y, 0.87, rng) };
  const weak = { values: labelsWithAccuracy(y, 0.8, rng) };

  it('model better: says so, with the CI and the test', () => {
    const r = compareWithBaseline({ task: 'binary', metric: 'accuracy', y, nClasses: 2, model: good, baseline: weak, seed: 1 });
    expect(r.verdict).toBe('better');
    expect(r.test).toBe('McNemar');
    expect(r.pValue).toBeLessThan(0.001);
    expect(r.diff).toBeCloseTo(r.model - r.baselineValue, 15);
    expect(r.ci[0]).toBeGreaterThan(0);
    expect(r.ci[0]).toBeLessThan(r.diff);
    expect(r.ci[1]).toBeGreaterThan(r.diff);
    expect(r.message).toMatch(
      /^The model beats the existing process: accuracy 0\.\d\d vs 0\.\d\d \(\+0\.\d\d, 95 % CI \+0\.\d\d to \+0\.\d\d; McNemar p < 0\.001\)\.$/,
    );
  });

  it('baseline better: says the existing process is better', () => {
    const r = compareWithBaseline({
      task: 'binary',
      metric: 'accuracy',
      y,
      nClasses: 2,
      model: weak,
      baseline: good,
      seed: 1,
      baselineName: 'the current triage rule',
    });
    expect(r.verdict).toBe('worse');
    expect(r.ci[1]).toBeLessThan(0);
    expect(r.message).toMatch(/^The current triage rule is better: accuracy .* \(−0\.\d\d, 95 % CI −0\.\d\d to −0\.\d\d; McNemar p < 0\.001\)\.$/);
  });

  it('equal quality (errors on different rows, b = c): no significant difference', () => {
    const n = 400;
    const yy = binaryY(n, rng);
    const a = Float64Array.from(yy);
    const b = Float64Array.from(yy);
    for (let i = 0; i < 60; i++) a[i] = 1 - a[i]; // the model is wrong on rows 0..59
    for (let i = 60; i < 120; i++) b[i] = 1 - b[i]; // the baseline on rows 60..119
    const r = compareWithBaseline({ task: 'binary', metric: 'accuracy', y: yy, nClasses: 2, model: { values: a }, baseline: { values: b }, seed: 3 });
    expect(r.diff).toBe(0);
    expect(r.verdict).toBe('no-significant-difference');
    expect(r.pValue).toBeGreaterThan(0.5);
    expect(r.ci[0]).toBeLessThan(0);
    expect(r.ci[1]).toBeGreaterThan(0);
    expect(r.message).toMatch(/^No significant difference: accuracy 0\.85 vs 0\.85 \(\+0\.00, 95 % CI −0\.\d+ to \+0\.\d+; McNemar p = 0\.9\d*\)\.$/);
  });

  it('identical predictions: p = 1', () => {
    const r = compareWithBaseline({ task: 'binary', metric: 'balanced_accuracy', y, nClasses: 2, model: good, baseline: good, seed: 1 });
    expect(r.pValue).toBe(1);
    expect(r.verdict).toBe('no-significant-difference');
    expect(r.ci).toEqual([0, 0]);
  });

  it('when McNemar and the metric disagree in direction, neither side is called better', () => {
    // 90 % class 0. The model always says 0 (more rows right, balanced accuracy 0.5); the baseline finds
    // most of class 1 at the cost of some class-0 rows (fewer rows right, higher balanced accuracy).
    const n = 1000;
    const yy = Float64Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const always0 = { values: new Float64Array(n) };
    const finder = { values: Float64Array.from(yy, (v, i) => (v === 1 ? (i % 30 === 0 ? 0 : 1) : i % 5 === 1 ? 1 : 0)) };
    const r = compareWithBaseline({
      task: 'binary',
      metric: 'balanced_accuracy',
      y: yy,
      nClasses: 2,
      model: always0,
      baseline: finder,
      seed: 1,
      resamples: 300,
    });
    expect(r.details.mcnemar!.b).toBeGreaterThan(r.details.mcnemar!.c);
    expect(r.pValue).toBeLessThan(0.05);
    expect(r.diff).toBeLessThan(0);
    expect(r.verdict).toBe('no-significant-difference');
    expect(r.message).toMatch(/McNemar and the balanced accuracy difference point in opposite directions/);
  });

  it('the seed makes the bootstrap reproducible', () => {
    const a = compareWithBaseline({ task: 'binary', metric: 'f1', y, nClasses: 2, model: good, baseline: weak, seed: 42 });
    const b = compareWithBaseline({ task: 'binary', metric: 'f1', y, nClasses: 2, model: good, baseline: weak, seed: 42 });
    expect(a).toEqual(b);
    expect(a.details.bootstrapResamples).toBe(2000);
  });
});

describe('compareWithBaseline: ROC AUC and log loss', () => {
  const rng = new Rng(2);
  const y = binaryY(600, rng);
  const strong = scorer(y, 3, rng);
  const weak = scorer(y, 1.5, rng);

  it('binary AUC uses DeLong', () => {
    const r = compareWithBaseline({ task: 'binary', metric: 'roc_auc', y, nClasses: 2, model: strong, baseline: weak, seed: 1 });
    expect(r.test).toBe('DeLong');
    expect(r.verdict).toBe('better');
    expect(r.details.delong!.auc1).toBeCloseTo(r.model, 14);
    expect(r.message).toContain('ROC AUC');
    const back = compareWithBaseline({ task: 'binary', metric: 'roc_auc', y, nClasses: 2, model: weak, baseline: strong, seed: 1 });
    expect(back.verdict).toBe('worse');
  });

  it('a baseline with labels only: its labels are its scores, and the message says so', () => {
    const labelsOnly = { values: weak.values };
    const r = compareWithBaseline({ task: 'binary', metric: 'roc_auc', y, nClasses: 2, model: strong, baseline: labelsOnly, seed: 1 });
    expect(r.metric).toBe('roc_auc');
    expect(r.notes.join(' ')).toMatch(/only labels, so its labels serve as its scores/);
    expect(r.message).toContain('balanced accuracy');
    // Hard-label AUC = balanced accuracy.
    const viaProba = compareWithBaseline({
      task: 'binary',
      metric: 'roc_auc',
      y,
      nClasses: 2,
      model: strong,
      baseline: { values: weak.values, proba: labelsAsProba(weak.values, 2) },
      seed: 1,
    });
    expect(r.baselineValue).toBeCloseTo(viaProba.baselineValue, 15);
    const bal = compareWithBaseline({ task: 'binary', metric: 'balanced_accuracy', y, nClasses: 2, model: strong, baseline: labelsOnly, seed: 1 });
    expect(r.baselineValue).toBeCloseTo(bal.baselineValue, 14);
  });

  it('log loss against labels falls back to accuracy with a note', () => {
    const r = compareWithBaseline({ task: 'binary', metric: 'log_loss', y, nClasses: 2, model: strong, baseline: { values: weak.values }, seed: 1 });
    expect(r.requestedMetric).toBe('log_loss');
    expect(r.metric).toBe('accuracy');
    expect(r.test).toMatch(/McNemar/);
    expect(r.message).toMatch(/Log loss needs probabilities .* uses accuracy instead\./);
  });

  it('log loss with probabilities: bootstrap test, "lower is better"', () => {
    const r = compareWithBaseline({ task: 'binary', metric: 'log_loss', y, nClasses: 2, model: strong, baseline: weak, seed: 1 });
    expect(r.test).toBe('paired bootstrap');
    expect(r.verdict).toBe('better');
    expect(r.diff).toBeLessThan(0);
    expect(r.improvement).toBeCloseTo(-r.diff, 15);
    expect(r.message).toMatch(
      /^The model beats the existing process: log loss \d\.\d+ vs \d\.\d+ \(lower is better; −0\.\d+, 95 % CI −0\.\d+ to −0\.\d+; paired bootstrap p < 0\.001\)\.$/,
    );
  });

  it('multiclass AUC: bootstrap test', () => {
    const k = 3;
    const yy = Float64Array.from({ length: 300 }, () => rng.int(k));
    const make = (signal: number): Prediction => {
      const proba = new Float64Array(300 * k);
      const values = new Float64Array(300);
      for (let i = 0; i < 300; i++) {
        const e = Array.from({ length: k }, (_, c) => Math.exp((c === yy[i] ? signal : 0) + rng.normal()));
        const s = e.reduce((a, b) => a + b, 0);
        e.forEach((v, c) => (proba[i * k + c] = v / s));
        values[i] = e.indexOf(Math.max(...e));
      }
      return { values, proba };
    };
    const r = compareWithBaseline({
      task: 'multiclass',
      metric: 'roc_auc',
      y: yy,
      nClasses: k,
      model: make(2.5),
      baseline: make(0.5),
      seed: 2,
      resamples: 500,
    });
    expect(r.test).toBe('paired bootstrap');
    expect(r.verdict).toBe('better');
  });
});

describe('compareWithBaseline: regression', () => {
  const rng = new Rng(3);
  const n = 300;
  const y = Float64Array.from({ length: n }, () => rng.normal() * 10 + 50);
  const close = { values: Float64Array.from(y, (v) => v + rng.normal() * 2) };
  const far = { values: Float64Array.from(y, (v) => v + rng.normal() * 3) };
  const alsoClose = { values: Float64Array.from(y, (v) => v + rng.normal() * 2) };

  it('RMSE: lower is better, t-test on squared errors, Wilcoxon reported', () => {
    const r = compareWithBaseline({ task: 'regression', metric: 'rmse', y, nClasses: 0, model: close, baseline: far, seed: 1 });
    expect(r.verdict).toBe('better');
    expect(r.test).toBe('paired t-test on squared errors');
    expect(r.diff).toBeLessThan(0);
    expect(r.details.wilcoxon!.pValue).toBeLessThan(0.05);
    expect(r.message).toMatch(
      /^The model beats the existing process: RMSE \d+\.\d+ vs \d+\.\d+ \(lower is better; −\d\.\d+, 95 % CI −\d\.\d+ to −\d\.\d+; paired t-test on squared errors p [<=] [\d.]+\)\.$/,
    );
  });

  it('MAE: worse model is called worse', () => {
    const r = compareWithBaseline({ task: 'regression', metric: 'mae', y, nClasses: 0, model: far, baseline: close, seed: 1 });
    expect(r.verdict).toBe('worse');
    expect(r.test).toBe('paired t-test on absolute errors');
    expect(r.diff).toBeGreaterThan(0);
    expect(r.message.startsWith('The existing process is better: MAE')).toBe(true);
  });

  it('two equally good predictors: no significant difference', () => {
    const r = compareWithBaseline({ task: 'regression', metric: 'r2', y, nClasses: 0, model: close, baseline: alsoClose, seed: 1 });
    expect(r.verdict).toBe('no-significant-difference');
    expect(r.pValue).toBeGreaterThan(0.05);
    expect(r.ci[0]).toBeLessThan(0);
    expect(r.ci[1]).toBeGreaterThan(0);
  });
});

describe('compareWithBaseline: verdicts over many simulated A/B tests', () => {
  it('equal predictors are called different about 5 % of the time; a clearly better one almost always', () => {
    const rng = new Rng(77);
    let falseAlarms = 0;
    let detected = 0;
    const sims = 60;
    for (let s = 0; s < sims; s++) {
      const y = binaryY(300, rng);
      const same1 = { values: labelsWithAccuracy(y, 0.8, rng) };
      const same2 = { values: labelsWithAccuracy(y, 0.8, rng) };
      const better = { values: labelsWithAccuracy(y, 0.92, rng) };
      const opts = { task: 'binary' as const, metric: 'accuracy' as const, y, nClasses: 2, seed: s, resamples: 200 };
      if (compareWithBaseline({ ...opts, model: same1, baseline: same2 }).verdict !== 'no-significant-difference') falseAlarms++;
      if (compareWithBaseline({ ...opts, model: better, baseline: same2 }).verdict === 'better') detected++;
    }
    expect(falseAlarms / sims).toBeLessThanOrEqual(0.12);
    expect(detected / sims).toBeGreaterThanOrEqual(0.95);
  });
});

describe('compareWithBaseline: input errors', () => {
  const y = Float64Array.from([0, 1, 1, 0]);
  const p = { values: Float64Array.from([0, 1, 0, 0]) };
  it('names the problem', () => {
    expect(() => compareWithBaseline({ task: 'binary', metric: 'rmse', y, nClasses: 2, model: p, baseline: p })).toThrow(/rmse is for regression/);
    expect(() => compareWithBaseline({ task: 'binary', metric: 'accuracy', y, nClasses: 2, model: { values: new Float64Array(3) }, baseline: p })).toThrow(
      /model gave 3 predictions for 4 test rows/,
    );
    expect(() =>
      compareWithBaseline({ task: 'binary', metric: 'accuracy', y, nClasses: 2, model: p, baseline: { values: Float64Array.from([0, 1, 2, 0]) } }),
    ).toThrow(/test row 2 is 2, not a class index/);
    expect(() => compareWithBaseline({ task: 'binary', metric: 'roc_auc', y: new Float64Array(4), nClasses: 2, model: p, baseline: p })).toThrow(
      /both classes/,
    );
  });
});

describe('successCriterion', () => {
  it('greater-is-better metric, met, with a CI above the threshold', () => {
    const r = successCriterion({ metric: 'roc_auc', threshold: 0.85, value: 0.9213, ci: [0.9104, 0.9322] });
    expect(r.met).toBe(true);
    expect(r.ciVerdict).toBe('met');
    expect(r.message).toBe('ROC AUC 0.92 ≥ 0.85: met; 95 % CI 0.91–0.93');
  });

  it('greater-is-better metric, not met', () => {
    const r = successCriterion({ metric: 'accuracy', threshold: 0.9, value: 0.87, ci: [0.85, 0.89] });
    expect(r.met).toBe(false);
    expect(r.ciVerdict).toBe('not met');
    expect(r.message).toBe('accuracy 0.87 < 0.90: not met; 95 % CI 0.85–0.89');
  });

  it('lower-is-better metric uses ≤, and a straddling CI is called uncertain', () => {
    const met = successCriterion({ metric: 'rmse', threshold: 3.5, value: 3.1, ci: [2.9, 3.6] });
    expect(met.met).toBe(true);
    expect(met.ciVerdict).toBe('uncertain');
    expect(met.message).toBe('RMSE 3.10 ≤ 3.50: met; 95 % CI 2.90–3.60, which crosses the threshold, so more test rows are needed to be sure');
    const notMet = successCriterion({ metric: 'mae', threshold: 2, value: 2.4 });
    expect(notMet.met).toBe(false);
    expect(notMet.message).toBe('MAE 2.40 > 2.00: not met');
  });

  it('shows enough digits to tell a near miss from the threshold', () => {
    const r = successCriterion({ metric: 'roc_auc', threshold: 0.85, value: 0.8496 });
    expect(r.met).toBe(false);
    expect(r.message).toBe('ROC AUC 0.8496 < 0.8500: not met');
  });
});

describe('metricWithCi', () => {
  it('gives the metric and a bootstrap CI around it, ready for successCriterion', () => {
    const rng = new Rng(8);
    const y = binaryY(500, rng);
    const pred = scorer(y, 2, rng);
    const r = metricWithCi({ task: 'binary', metric: 'roc_auc', y, nClasses: 2, prediction: pred, seed: 1 });
    expect(r.value).toBeCloseTo(rocAuc(y, pred.proba!, 2), 14);
    expect(r.ci[0]).toBeLessThan(r.value);
    expect(r.ci[1]).toBeGreaterThan(r.value);
    // Normal-theory width of an AUC near 0.84 with 200 + 300 rows: about ± 0.035.
    expect(r.ci[1] - r.ci[0]).toBeGreaterThan(0.04);
    expect(r.ci[1] - r.ci[0]).toBeLessThan(0.1);
    const c = successCriterion({ metric: 'roc_auc', threshold: 0.8, value: r.value, ci: r.ci });
    expect(c.message).toMatch(/^ROC AUC 0\.\d\d [≥<] 0\.80: (met|not met); 95 % CI 0\.\d\d–0\.\d\d/);
  });
});

describe('formatP', () => {
  it('formats p-values for messages', () => {
    expect(formatP(0.0004)).toBe('< 0.001');
    expect(formatP(0.0234)).toBe('= 0.023');
    expect(formatP(0.0499)).toBe('= 0.0499');
    expect(formatP(1)).toBe('= 1');
  });
});
