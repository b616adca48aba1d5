import { describe, expect, it } from 'vitest';
import { TargetEncoder } from '../../../src/core/prep/target-encode.ts';
import { cat, columnOf, frame, values } from '../../helpers/frames.ts';

const f = frame(cat('c', ['x', 'x', 'x', 'y', 'y', 'z']));
const y = Float64Array.from([1, 1, 0, 0, 0, 1]);

describe('TargetEncoder', () => {
  it('encodes each level as the smoothed positive rate (m-estimate), unseen levels as the prior', () => {
    const step = new TargetEncoder(['c'], { folds: 2, smoothing: 2 });
    step.fit(f, undefined, { y, task: 'binary', nClasses: 2, seed: 1 });
    // prior 3/6; x: (2 + 2*0.5)/(3 + 2) = 0.6; y: (0 + 1)/(2 + 2) = 0.25; z: (1 + 1)/(1 + 2) = 2/3
    const out = values(columnOf(step.transform(frame(cat('c', ['x', 'y', 'z', 'new']))), 'c__te'));
    [0.6, 0.25, 2 / 3, 0.5].forEach((v, i) => expect(out[i]).toBeCloseTo(v, 12));
  });

  it('gives training rows out-of-fold encodings: with one row per fold, a row never sees its own target', () => {
    const step = new TargetEncoder(['c'], { folds: 6, smoothing: 2 });
    step.fit(f, undefined, { y, task: 'binary', nClasses: 2, seed: 3 });
    const oof = values(columnOf(step.transform(f, { outOfFold: true }), 'c__te'));
    // The prior is the other rows' mean too. Row 0 (x, 1): prior 2/5, other x targets 1, 0 →
    // (1 + 2*0.4)/(2 + 2) = 0.45; row 2 (x, 0): prior 3/5, other x 1, 1 → (2 + 1.2)/4 = 0.8;
    // row 3 (y, 0): prior 0.6, other y 0 → (0 + 1.2)/3 = 0.4; row 5 (z, 1): no other z → its prior 0.4.
    [0.45, 0.45, 0.8, 0.4, 0.4, 0.4].forEach((v, i) => expect(oof[i]).toBeCloseTo(v, 12));
  });

  it("keeps a row's out-of-fold encoding independent of its own target", () => {
    const flipped = Float64Array.from(y);
    flipped[0] = 0;
    const a = new TargetEncoder(['c'], { folds: 3, smoothing: 1 });
    a.fit(f, undefined, { y, task: 'binary', nClasses: 2, seed: 9 });
    const b = new TargetEncoder(['c'], { folds: 3, smoothing: 1 });
    b.fit(f, undefined, { y: flipped, task: 'binary', nClasses: 2, seed: 9 });
    expect(values(columnOf(b.transform(f, { outOfFold: true }), 'c__te'))[0]).toBe(values(columnOf(a.transform(f, { outOfFold: true }), 'c__te'))[0]);
    // ...while the full-data encoding, used for scoring, does change.
    expect(values(columnOf(b.transform(f), 'c__te'))[0]).not.toBe(values(columnOf(a.transform(f), 'c__te'))[0]);
  });

  it('makes one column per class for multiclass, and the mean for regression', () => {
    const multi = new TargetEncoder(['c'], { folds: 2, smoothing: 0 });
    multi.fit(f, undefined, { y: Float64Array.from([0, 1, 2, 0, 0, 1]), task: 'multiclass', nClasses: 3, classes: ['lo', 'mid', 'hi'], seed: 0 });
    const out = multi.transform(frame(cat('c', ['x'])));
    expect(out.columns.map((c) => c.name)).toEqual(['c__te=lo', 'c__te=mid', 'c__te=hi']);
    out.columns.forEach((c) => expect(values(c)[0]).toBeCloseTo(1 / 3, 12));

    const reg = new TargetEncoder(['c'], { folds: 2, smoothing: 0 });
    reg.fit(f, undefined, { y: Float64Array.from([1, 2, 6, 10, 20, 5]), task: 'regression', seed: 0 });
    expect(values(columnOf(reg.transform(frame(cat('c', ['x', 'y']))), 'c__te'))).toEqual([3, 15]);
  });

  it('fits on the training rows only; serialises the full encoding but not the fold statistics', () => {
    const step = new TargetEncoder(['c'], { folds: 2, smoothing: 0 });
    step.fit(f, [0, 1, 3], { y, task: 'binary', nClasses: 2, seed: 0 });
    // Only rows 0, 1 (x: 1, 1) and 3 (y: 0) count; z was never seen → prior 2/3.
    expect(values(columnOf(step.transform(frame(cat('c', ['x', 'y', 'z']))), 'c__te'))).toEqual([1, 0, 2 / 3]);
    const back = TargetEncoder.fromJSON(JSON.parse(JSON.stringify(step.toJSON())));
    expect(back.transform(f)).toEqual(step.transform(f));
    expect(() => back.transform(f, { outOfFold: true })).toThrow(/freshly fitted/);
  });
});
