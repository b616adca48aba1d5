import { describe, expect, it } from 'vitest';
import type { Prediction } from '../../../src/core/eval/metrics.ts';
import { samplingShap } from '../../../src/core/explain/sampling-shap.ts';
import { Rng } from '../../../src/core/util/random.ts';

/** A model given as a plain function of one row, batched the way the explainers call it. */
function batched(f: (x: number[]) => number, calls?: { rows: number }): (cols: Float64Array[]) => Promise<Prediction> {
  return async (cols) => {
    const n = cols[0].length;
    if (calls) calls.rows += n;
    return { values: Float64Array.from({ length: n }, (_, i) => f(cols.map((c) => c[i]))) };
  };
}

/** Exact interventional Shapley values: v(S) = mean over background rows of f(x_S, z_rest), all subsets. */
function exactShapley(f: (x: number[]) => number, bg: Float64Array[], x: number[]): number[] {
  const d = x.length;
  const nb = bg[0].length;
  const v = (S: number): number => {
    let s = 0;
    for (let b = 0; b < nb; b++) s += f(x.map((xv, j) => (S & (1 << j) ? xv : bg[j][b])));
    return s / nb;
  };
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  return x.map((_, j) => {
    let phi = 0;
    for (let S = 0; S < 1 << d; S++) {
      if (S & (1 << j)) continue;
      const size = [...Array(d).keys()].filter((t) => S & (1 << t)).length;
      phi += ((fact(size) * fact(d - size - 1)) / fact(d)) * (v(S | (1 << j)) - v(S));
    }
    return phi;
  });
}

function background(rng: Rng, d: number, n: number): Float64Array[] {
  return Array.from({ length: d }, () => Float64Array.from({ length: n }, () => rng.normal()));
}

describe('samplingShap', () => {
  it('additive model: every permutation gives the exact answer w_j (x_j − mean z_j)', async () => {
    const rng = new Rng(1);
    const w = [2, -1, 0.5, 0];
    const f = (x: number[]) => 3 + x.reduce((s, v, j) => s + w[j] * v, 0);
    const bg = background(rng, 4, 50);
    const x = [1, 2, -3, 4];
    const r = await samplingShap({ predict: batched(f), background: bg, row: x, samples: 4, seed: 1 });
    x.forEach((xv, j) => {
      const m = bg[j].reduce((a, b) => a + b, 0) / 50;
      expect(r.values[j]).toBeCloseTo(w[j] * (xv - m), 12);
    });
  });

  it('sum property holds exactly, whatever the number of samples', async () => {
    const rng = new Rng(2);
    const f = (x: number[]) => Math.sin(x[0]) * x[1] + Math.max(0, x[2] - x[3]) * x[4];
    const bg = background(rng, 5, 30);
    const x = [0.3, -1.2, 2, 0.5, 1.5];
    for (const samples of [2, 10, 64]) {
      const r = await samplingShap({ predict: batched(f), background: bg, row: x, samples, seed: samples });
      expect(r.prediction).toBeCloseTo(f(x), 15);
      expect(r.base + r.values.reduce((a, b) => a + b, 0)).toBeCloseTo(f(x), 12);
    }
  });

  it('interactions: converges to the exact Shapley values', async () => {
    const rng = new Rng(3);
    const f = (x: number[]) => x[0] * x[1] + 2 * x[2] * x[3] * x[1] + x[4] ** 2;
    const bg = background(rng, 5, 20);
    const x = [1.5, -2, 0.7, 1.1, -0.4];
    const exact = exactShapley(f, bg, x);
    const r = await samplingShap({ predict: batched(f), background: bg, row: x, samples: 400, seed: 4 });
    const scale = Math.max(...exact.map(Math.abs));
    for (let j = 0; j < 5; j++) expect(Math.abs(r.values[j] - exact[j])).toBeLessThan(0.05 * scale);
  });

  it('is reproducible, batches its calls, and explains a class probability', async () => {
    const rng = new Rng(5);
    const bg = background(rng, 3, 10);
    const calls = { rows: 0 };
    const predict = async (cols: Float64Array[]): Promise<Prediction> => {
      const n = cols[0].length;
      calls.rows += n;
      const proba = new Float64Array(n * 2);
      for (let i = 0; i < n; i++) {
        const p = 1 / (1 + Math.exp(-(cols[0][i] - cols[1][i])));
        proba[2 * i] = 1 - p;
        proba[2 * i + 1] = p;
      }
      return { values: Float64Array.from({ length: n }, (_, i) => (proba[2 * i + 1] > 0.5 ? 1 : 0)), proba };
    };
    const a = await samplingShap({ predict, background: bg, row: [2, -1, 0], samples: 8, seed: 9, nClasses: 2 });
    const b = await samplingShap({ predict, background: bg, row: [2, -1, 0], samples: 8, seed: 9, nClasses: 2 });
    expect(a).toEqual(b);
    expect(a.prediction).toBeCloseTo(1 / (1 + Math.exp(-3)), 15);
    expect(a.values[2]).toBeCloseTo(0, 15); // the model ignores column 2
    // One row + background + 8 permutations × 2 intermediate coalitions × 10 background rows, twice.
    expect(calls.rows).toBe(2 * (1 + 10 + 8 * 2 * 10));
  });

  it('explains mismatched inputs', async () => {
    const bg = [new Float64Array(3), new Float64Array(3)];
    await expect(samplingShap({ predict: batched(() => 0), background: bg, row: [1] })).rejects.toThrow(/1 values for 2 columns/);
  });
});
