import { describe, expect, it } from 'vitest';
import { bestLinearTrial, occamBlend } from '../../../src/core/automl/occam-blend.ts';
import { Rng } from '../../../src/core/util/random.ts';
import { entry, result } from './board.ts';

const project = { task: 'binary' as const, nClasses: 2, metric: 'roc_auc' as const, seed: 0 };

/** 200 binary rows and out-of-fold probabilities (rows × 2) whose logit noise is `noise`. */
function binary(seed: number) {
  const rng = new Rng(seed);
  const n = 200;
  const y = Float64Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0));
  const proba = (noise: number, flip = false) => {
    const out = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-((flip ? -1 : 1) * (2 * y[i] - 1) + rng.normal() * noise)));
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    }
    return out;
  };
  return { y, proba };
}

describe('occamBlend', () => {
  const linear = entry(9, { family: 'linear' });
  it('mixes the linear trial into the chosen members when out of fold that is not significantly worse', () => {
    const { y, proba } = binary(7);
    const oofs = new Map([
      [1, proba(1)],
      [2, proba(1)],
      [9, proba(1.1)],
    ]);
    const blend = occamBlend(
      [
        { id: 1, weight: 0.5 },
        { id: 2, weight: 0.5 },
      ],
      linear,
      (id) => oofs.get(id) ?? null,
      y,
      project,
      undefined,
    )!;
    expect(blend).not.toBeNull();
    const weights = new Map(blend.members.map((m) => [m.id, m.weight]));
    const share = weights.get(9)!;
    expect(share).toBeGreaterThan(0);
    expect(weights.get(1)).toBeCloseTo(0.5 * (1 - share), 12);
    expect(blend.members.reduce((a, m) => a + m.weight, 0)).toBeCloseTo(1, 12);
    // Heaviest first, and the note states the share and both scores.
    expect(blend.members.map((m) => m.weight)).toEqual([...blend.members.map((m) => m.weight)].sort((a, b) => b - a));
    expect(blend.note).toMatch(new RegExp(`^${Math.round(share * 100)} % of logistic regression #9 blended in: out of fold 0\\.\\d{4} against 0\\.\\d{4}`));
  });
  it('returns null when the linear trial only hurts, is the chosen model itself, or lacks predictions', () => {
    const { y, proba } = binary(3);
    const oofs = new Map([
      [1, proba(1)],
      [9, proba(0.2, true)],
    ]);
    const oofOf = (id: number) => oofs.get(id) ?? null;
    expect(occamBlend([{ id: 1, weight: 1 }], linear, oofOf, y, project, undefined)).toBeNull();
    expect(occamBlend([{ id: 9, weight: 1 }], linear, oofOf, y, project, undefined)).toBeNull();
    expect(occamBlend([{ id: 2, weight: 1 }], linear, oofOf, y, project, undefined)).toBeNull();
  });
  it('keeps the chosen members when past the deadline before the first share', () => {
    const { y, proba } = binary(7);
    const oofs = new Map([
      [1, proba(1)],
      [9, proba(1.1)],
    ]);
    expect(occamBlend([{ id: 1, weight: 1 }], linear, (id) => oofs.get(id) ?? null, y, project, Date.now() - 1)).toBeNull();
  });
});

describe('bestLinearTrial', () => {
  const oof = new Float64Array(4);
  const results = new Map([
    [1, result(1, oof)],
    [2, result(2, oof)],
    [3, result(3, oof)],
    [4, result(4)],
  ]);
  const board = [
    entry(1, { family: 'gbdt', cvScore: 0.9 }),
    entry(2, { family: 'linear', cvScore: 0.8 }),
    entry(3, { family: 'linear', cvScore: 0.85, breaks: ['bundle too large'] }),
    entry(4, { family: 'linear', cvScore: 0.88 }),
  ];
  it('is the best linear trial within the constraints, when it has out-of-fold predictions', () => {
    // #4 is the best linear trial but kept none (a lower rung under k-fold, say): no blend.
    expect(bestLinearTrial(board, results, true, 1, false)).toBeUndefined();
    expect(bestLinearTrial(board.slice(0, 3), results, true, 1, false)?.id).toBe(2);
  });
  it('is none for regression, or when no linear trial qualifies', () => {
    expect(bestLinearTrial(board, results, false, 1, false)).toBeUndefined();
    expect(bestLinearTrial(board.slice(0, 1), results, true, 1, false)).toBeUndefined();
  });
});
