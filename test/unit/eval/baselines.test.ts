import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bestSingleFeatureRule, naiveBaseline } from '../../../src/core/eval/baselines.ts';
import { roundThreshold } from '../../../src/core/eval/stump.ts';
import { Rng } from '../../../src/core/util/random.ts';
import { datasetPath } from '../../helpers/datasets.ts';

describe('naiveBaseline', () => {
  it('majority class with the training shares as probabilities', () => {
    const b = naiveBaseline('binary', Float64Array.from([0, 1, 1, 1, 0]), 2, 3, ['no', 'yes']);
    expect(Array.from(b.prediction.values)).toEqual([1, 1, 1]);
    expect(Array.from(b.prediction.proba!)).toEqual([0.4, 0.6, 0.4, 0.6, 0.4, 0.6]);
    expect(b.description).toBe('Always predicts yes (the most frequent class in training, 60 %)');
  });

  it('training mean for regression', () => {
    const b = naiveBaseline('regression', Float64Array.from([1, 2, 4]), 0, 2);
    expect(Array.from(b.prediction.values)).toEqual([7 / 3, 7 / 3]);
    expect(b.description).toBe('Always predicts the training mean, 2.333');
  });

  it('rejects targets that are not class indices', () => {
    expect(() => naiveBaseline('multiclass', Float64Array.from([0, 3]), 3, 1)).toThrow(/training row 1: target 3 is not a class index 0..2/);
  });
});

describe('bestSingleFeatureRule', () => {
  it('finds the informative column and its threshold (synthetic)', () => {
    const rng = new Rng(1);
    const n = 400;
    const age = Float64Array.from({ length: n }, () => Math.round(rng.uniform(0, 80)));
    const noise = Float64Array.from({ length: n }, () => rng.normal());
    const y = Float64Array.from(age, (a) => (a <= 12 ? (rng.next() < 0.9 ? 1 : 0) : rng.next() < 0.1 ? 1 : 0));
    const rule = bestSingleFeatureRule({
      task: 'binary',
      yTrain: y,
      nClasses: 2,
      train: [noise, age],
      test: [Float64Array.from([0, 0, 0]), Float64Array.from([5, 12, 13])],
      names: ['noise', 'Age'],
    });
    expect(rule.feature).toBe('Age');
    expect(rule.description).toBe('Age ≤ 12.5 → 1 else 0');
    expect(Array.from(rule.prediction.values)).toEqual([1, 1, 0]);
    // Add-one smoothed probabilities, rows sum to 1.
    const p = rule.prediction.proba!;
    expect(p[0] + p[1]).toBeCloseTo(1, 15);
    expect(p[1]).toBeGreaterThan(0.8);
  });

  it("matches scikit-learn's depth-1 tree on the Pima diabetes data", () => {
    const lines = fs.readFileSync(datasetPath('pima_diabetes'), 'utf8').trim().split(/\r?\n/);
    const header = lines[0].split(',');
    const rows = lines.slice(1).map((l) => l.split(',').map(Number));
    const target = header.indexOf('Outcome');
    const features = header.map((_, j) => j).filter((j) => j !== target);
    const cols = features.map((j) => Float64Array.from(rows, (r) => r[j]));
    const y = Float64Array.from(rows, (r) => r[target]);
    const rule = bestSingleFeatureRule({
      task: 'binary',
      yTrain: y,
      nClasses: 2,
      train: cols,
      test: cols,
      names: features.map((j) => header[j]),
      minLeaf: 1,
    });
    // scikit-learn 1.2 DecisionTreeClassifier(max_depth=1): Glucose ≤ 127.5, leaves 485 rows
    // (Gini 0.3125008) and 283 rows (Gini 0.47362309).
    expect(rule.description).toBe('Glucose ≤ 127.5 → 0 else 1');
    expect(rule.trainImpurity).toBeCloseTo(485 * 0.3125008 + 283 * 0.47362309, 4);
  });

  it('categorical column: a set of levels, described by name', () => {
    const rng = new Rng(2);
    const n = 300;
    const city = Float64Array.from({ length: n }, () => rng.int(4));
    // Levels 1 and 3 are expensive.
    const y = Float64Array.from(city, (c) => (c === 1 || c === 3 ? 100 : 20) + rng.normal());
    const rule = bestSingleFeatureRule({
      task: 'regression',
      yTrain: y,
      nClasses: 0,
      train: [city],
      test: [Float64Array.from([0, 1, 2, 3, 7, NaN])],
      names: ['city'],
      categorical: [true],
      levels: [['Oslo', 'Paris', 'Rome', 'Tokyo']],
    });
    expect(rule.description).toMatch(/^city ∈ \{Oslo, Rome\} → (19|20)\.\d+ else (99|100)\.\d+$/);
    const v = Array.from(rule.prediction.values);
    expect(v[0]).toBeCloseTo(20, 0);
    expect(v[1]).toBeCloseTo(100, 0);
    expect(v[2]).toBeCloseTo(20, 0);
    expect(v[3]).toBeCloseTo(100, 0);
    // An unseen level and a missing value follow the larger training side.
    expect(v[4]).toBe(v[5]);
  });

  it('multiclass categorical: one level against the rest', () => {
    const colour = Float64Array.from({ length: 90 }, (_, i) => i % 3);
    const y = Float64Array.from(colour, (c) => (c === 2 ? 2 : 0));
    const rule = bestSingleFeatureRule({
      task: 'multiclass',
      yTrain: y,
      nClasses: 3,
      train: [colour],
      test: [Float64Array.from([2, 0])],
      names: ['colour'],
      categorical: [true],
    });
    expect(rule.description).toBe('colour ∈ {2} → 2 else 0');
    expect(Array.from(rule.prediction.values)).toEqual([2, 0]);
  });

  it('missing values go to the side that fits them', () => {
    // Missing rows behave like the high values.
    const x = Float64Array.from([1, 2, 3, 4, 10, 11, 12, 13, NaN, NaN]);
    const y = Float64Array.from([0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    const rule = bestSingleFeatureRule({ task: 'binary', yTrain: y, nClasses: 2, train: [x], test: [Float64Array.from([NaN, 3])], names: ['x'] });
    expect(rule.description).toBe('x ≤ 7 → 0 else 1 (missing → 1)');
    expect(Array.from(rule.prediction.values)).toEqual([1, 0]);
  });

  it('no usable column: falls back to the naive baseline and says so', () => {
    const rule = bestSingleFeatureRule({
      task: 'binary',
      yTrain: Float64Array.from([0, 1, 1]),
      nClasses: 2,
      train: [Float64Array.from([5, 5, 5])],
      test: [Float64Array.from([5])],
      names: ['constant'],
    });
    expect(rule.feature).toBeNull();
    expect(rule.description).toMatch(/^No single column splits the training rows; always predicts 1/);
  });

  it('explains mismatched inputs', () => {
    expect(() =>
      bestSingleFeatureRule({
        task: 'binary',
        yTrain: Float64Array.from([0, 1]),
        nClasses: 2,
        train: [new Float64Array(3)],
        test: [new Float64Array(1)],
        names: ['a'],
      }),
    ).toThrow(/training column "a" has 3 rows, the target has 2/);
  });
});

describe('roundThreshold', () => {
  it('picks the shortest number between two training values', () => {
    expect(roundThreshold(12, 13)).toBe(12.5);
    expect(roundThreshold(0.1234, 0.2)).toBe(0.16);
    expect(roundThreshold(1000.5, 1000.6)).toBe(1000.5);
    expect(roundThreshold(1, 100)).toBe(50);
  });
});
