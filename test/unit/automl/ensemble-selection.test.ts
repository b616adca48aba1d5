import { describe, expect, it } from 'vitest';
import { bestOfFamilies, blendAllowed, ensembleCandidates } from '../../../src/core/automl/ensemble-selection.ts';
import { entry } from './board.ts';

describe('ensembleCandidates', () => {
  it('takes the 8 best, plus the best of each family not among them (at any fidelity)', () => {
    const gbdts = Array.from({ length: 10 }, (_, i) => entry(i + 1, { cvScore: 0.9 - i * 0.01 }));
    const linear = [entry(20, { family: 'linear', cvScore: 0.7 }), entry(21, { family: 'linear', cvScore: 0.75 })];
    const knn = entry(30, { family: 'knn', cvScore: 0.6, fidelity: 1 / 3 });
    const ids = ensembleCandidates([...gbdts, ...linear, knn], 1).map((e) => e.id);
    expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 21, 30]);
  });
  it('ranks by the metric direction (a loss: lowest first)', () => {
    const board = [entry(1, { cvScore: 0.5 }), entry(2, { cvScore: 0.2 }), entry(3, { family: 'linear', cvScore: 0.9 })];
    expect(ensembleCandidates(board, -1).map((e) => e.id)).toEqual([2, 1, 3]);
  });
});

describe('bestOfFamilies', () => {
  it('keeps the best successful entry per family, full fidelity only unless asked, ensembles never', () => {
    const board = [
      entry(1, { cvScore: 0.8 }),
      entry(2, { cvScore: 0.95, fidelity: 1 / 3 }),
      entry(3, { family: 'linear', cvScore: 0.85 }),
      entry(4, { family: 'linear', cvScore: 0.99, status: 'failed' }),
      entry(5, { family: 'ensemble', cvScore: 1 }),
    ];
    expect(bestOfFamilies(board, 1).map((e) => e.id)).toEqual([3, 1]);
    expect(bestOfFamilies(board, 1, true).map((e) => e.id)).toEqual([2, 3]);
  });
});

describe('blendAllowed', () => {
  it('sums the members’ prediction time and size against the limits', () => {
    const board = [
      entry(1, { deployment: { predictMsPer1000: 30, modelKb: 10, bundleKb: 100 } }),
      entry(2, { deployment: { predictMsPer1000: 30, modelKb: 10, bundleKb: 100 } }),
    ];
    expect(blendAllowed(undefined, [1, 2], board)).toBe(true);
    expect(blendAllowed({ maxPredictMs: 100 }, [1, 2], board)).toBe(true);
    expect(blendAllowed({ maxPredictMs: 50 }, [1, 2], board)).toBe(false);
    expect(blendAllowed({ maxPredictMs: 50 }, [1], board)).toBe(true);
  });
});
