import { describe, expect, it } from 'vitest';
import { caruanaEnsemble, linearShare } from '../../../src/core/automl/ensemble.ts';
import { rmse } from '../../../src/core/eval/metrics.ts';
import { Rng } from '../../../src/core/util/random.ts';

describe('Caruana ensemble selection', () => {
  it('averages two models with independent errors and beats both', () => {
    const rng = new Rng(0);
    const n = 500;
    const y = Float64Array.from({ length: n }, () => rng.normal());
    const a = Float64Array.from(y, (v) => v + rng.normal() * 0.5);
    const b = Float64Array.from(y, (v) => v + rng.normal() * 0.5);
    // Biased and unrelated to y: mixing any of it in only hurts.
    const bad = Float64Array.from(y, () => 3 + rng.normal());
    const ens = caruanaEnsemble(
      [
        { id: 1, oof: a },
        { id: 2, oof: b },
        { id: 3, oof: bad },
      ],
      y,
      'regression',
      0,
      'rmse',
    )!;
    expect(ens.weights.get(3) ?? 0).toBe(0);
    expect(ens.weights.get(1)).toBeGreaterThan(0.2);
    expect(ens.weights.get(2)).toBeGreaterThan(0.2);
    expect(ens.score).toBeLessThan(Math.min(rmse(y, a), rmse(y, b)));
  });

  it('keeps a single model when nothing helps', () => {
    const y = Float64Array.from([0, 1, 0, 1]);
    const perfect = Float64Array.from([0.9, 0.1, 0.1, 0.9, 0.9, 0.1, 0.1, 0.9]);
    const noise = Float64Array.from([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    const ens = caruanaEnsemble(
      [
        { id: 1, oof: perfect },
        { id: 2, oof: noise },
      ],
      y,
      'binary',
      2,
      'log_loss',
    )!;
    expect([...ens.weights.keys()]).toEqual([1]);
  });
});

describe('Occam blend toward the simple model', () => {
  /** Regression truth y = x + noise; `chosen` and `simple` are predictions with the given error sizes. */
  function regression(n: number, chosenNoise: number, simpleNoise: number, seed = 0) {
    const rng = new Rng(seed);
    const y = Float64Array.from({ length: n }, () => rng.normal());
    const chosen = Float64Array.from(y, (v) => v + rng.normal() * chosenNoise);
    const simple = Float64Array.from(y, (v) => v + rng.normal() * simpleNoise);
    return { y, chosen, simple };
  }

  it('mixes nothing in when the chosen model is clearly better on many rows', () => {
    // The simple model errs like the chosen one plus noise of its own: any share of it only hurts.
    const { y, chosen } = regression(4000, 0.3, 0);
    const rng = new Rng(9);
    const simple = Float64Array.from(chosen, (v) => v + rng.normal() * 0.8);
    const out = linearShare(chosen, simple, y, 'regression', 0, 'rmse', { seed: 1 });
    expect(out.share).toBe(0);
    expect(out.score).toBe(out.chosenScore);
  });

  it('mixes the simple model in when the lead is within the noise of a small table', () => {
    // Errors partly shared (as two models of the same rows are): the blend is hardly worse, never significantly.
    const rng = new Rng(3);
    const n = 150;
    const y = Float64Array.from({ length: n }, () => rng.normal());
    const common = Float64Array.from({ length: n }, () => rng.normal() * 0.5);
    const chosen = Float64Array.from(y, (v, i) => v + common[i] + rng.normal() * 0.2);
    const simple = Float64Array.from(y, (v, i) => v + common[i] + rng.normal() * 0.25);
    const out = linearShare(chosen, simple, y, 'regression', 0, 'rmse', { seed: 1 });
    expect(out.share).toBeGreaterThanOrEqual(0.5);
    expect(out.chosenScore).toBeLessThan(rmse(y, simple));
    expect(out.score).toBeLessThanOrEqual(rmse(y, simple) + 1e-12);
  });

  it('stops at the first share that is significantly worse, and is reproducible', () => {
    const { y, chosen, simple } = regression(600, 0.4, 0.8, 5);
    const a = linearShare(chosen, simple, y, 'regression', 0, 'rmse', { seed: 2 });
    const b = linearShare(chosen, simple, y, 'regression', 0, 'rmse', { seed: 2 });
    expect(a).toEqual(b);
    // Independent errors: a little of the noisier model even helps, all of it is clearly worse.
    expect(a.share).toBeGreaterThan(0);
    expect(a.share).toBeLessThan(1);
  });

  it('scores class probabilities (AUC) and leaves the chosen predictions when out of time', () => {
    const rng = new Rng(7);
    const n = 200;
    const y = Float64Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0));
    const proba = (noise: number) => {
      const out = new Float64Array(2 * n);
      for (let i = 0; i < n; i++) {
        const p = 1 / (1 + Math.exp(-(2 * y[i] - 1 + rng.normal() * noise)));
        out[2 * i] = 1 - p;
        out[2 * i + 1] = p;
      }
      return out;
    };
    const chosen = proba(1);
    const simple = proba(1.1);
    expect(linearShare(chosen, simple, y, 'binary', 2, 'roc_auc', { seed: 0 }).share).toBeGreaterThan(0);
    const late = linearShare(chosen, simple, y, 'binary', 2, 'roc_auc', { seed: 0, deadline: Date.now() - 1 });
    expect(late.share).toBe(0);
  });
});
