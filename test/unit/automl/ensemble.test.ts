import { describe, expect, it } from 'vitest';
import { caruanaEnsemble } from '../../../src/core/automl/ensemble.ts';
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
    const ens = caruanaEnsemble([{ id: 1, oof: perfect }, { id: 2, oof: noise }], y, 'binary', 2, 'log_loss')!;
    expect([...ens.weights.keys()]).toEqual([1]);
  });
});
