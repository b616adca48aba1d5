import { describe, expect, it } from 'vitest';
import { preferParsimony } from '../../../src/core/automl/parsimony.ts';
import { entry } from './board.ts';

/** Four folds: a standard error of cvStd / 2. */
const folds = () => 4;

describe('preferParsimony (one-standard-error rule)', () => {
  const best = entry(1, { cvScore: 0.9, cvStd: 0.04 });
  it('prefers the best trial on the selected features when it is within one standard error (0.02)', () => {
    const board = [best, entry(2, { featureSet: 'selected', cvScore: 0.885 }), entry(3, { featureSet: 'selected', cvScore: 0.87 })];
    expect(preferParsimony(best, board, folds, 1).id).toBe(2);
  });
  it('keeps the best trial when the selected one trails by more than one standard error', () => {
    const board = [best, entry(2, { featureSet: 'selected', cvScore: 0.875 })];
    expect(preferParsimony(best, board, folds, 1).id).toBe(1);
  });
  it('reads the sign: for a loss a higher score trails', () => {
    const loss = entry(1, { cvScore: 0.3, cvStd: 0.04 });
    expect(preferParsimony(loss, [loss, entry(2, { featureSet: 'selected', cvScore: 0.315 })], folds, -1).id).toBe(2);
    expect(preferParsimony(loss, [loss, entry(2, { featureSet: 'selected', cvScore: 0.33 })], folds, -1).id).toBe(1);
  });
  it('never picks a lower rung, a failed trial or one that breaks a constraint', () => {
    const board = [
      best,
      entry(2, { featureSet: 'selected', cvScore: 0.9, fidelity: 1 / 3 }),
      entry(3, { featureSet: 'selected', cvScore: 0.9, status: 'failed' }),
      entry(4, { featureSet: 'selected', cvScore: 0.9, breaks: ['too slow'] }),
    ];
    expect(preferParsimony(best, board, folds, 1).id).toBe(1);
  });
  it('leaves a winner already on the selected features, or without a spread, alone when nothing ties it', () => {
    const selected = entry(5, { featureSet: 'selected', cvScore: 0.9 });
    expect(preferParsimony(selected, [selected, entry(6, { featureSet: 'selected', cvScore: 0.95 })], folds, 1).id).toBe(5);
    const noSpread = entry(1, { cvScore: 0.9, cvStd: NaN });
    expect(preferParsimony(noSpread, [noSpread, entry(2, { featureSet: 'selected', cvScore: 0.899 })], folds, 1).id).toBe(1);
    expect(preferParsimony(noSpread, [noSpread, entry(2, { featureSet: 'selected', cvScore: 0.9 })], folds, 1).id).toBe(2);
  });
});
