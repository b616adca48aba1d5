import { describe, expect, it } from 'vitest';
import { allParams, formatParam, keyParams, scoreTimeline, sortedBoard } from '../../../src/app/leaderboard.ts';
import type { LeaderboardEntry } from '../../../src/core/automl/types.ts';

function entry(id: number, over: Partial<LeaderboardEntry> = {}): LeaderboardEntry {
  return {
    id,
    name: `gbdt #${id}`,
    family: 'gbdt',
    params: {},
    features: ['a', 'b'],
    featureSet: 'all',
    fidelity: 1,
    origin: 'search',
    status: 'ok',
    cvScore: 0.5,
    cvStd: 0.01,
    seconds: 1,
    finishedAt: 1000 + id,
    ...over,
  };
}

describe('sortedBoard', () => {
  it('puts the best full-fidelity trial first, then partial fidelity, then cut and failed (by id)', () => {
    const rows = sortedBoard(
      [
        entry(1, { cvScore: 0.7 }),
        entry(2, { cvScore: 0.9, fidelity: 0.33 }),
        entry(3, { status: 'failed', cvScore: NaN }),
        entry(4, { cvScore: 0.8 }),
        entry(5, { status: 'cut', cvScore: NaN }),
      ],
      [],
      'roc_auc',
    );
    expect(rows.map((r) => r.entry.id)).toEqual([4, 1, 2, 3, 5]);
    expect(rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
  });

  it('sorts a lower-is-better metric ascending and keeps earlier runs, marked', () => {
    const rows = sortedBoard([entry(1, { cvScore: 3 }), entry(2, { cvScore: 1 })], [entry(1, { cvScore: 2 })], 'rmse');
    expect(rows.map((r) => [r.entry.cvScore, r.earlier])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
    // Same trial id in two runs: the keys still differ.
    expect(new Set(rows.map((r) => r.key)).size).toBe(3);
  });
});

describe('parameters', () => {
  it('shows the family’s key parameters first, and every parameter in full', () => {
    const e = entry(1, { params: { max_bins: 255, learning_rate: 0.05, max_leaf_nodes: 31, max_iter: 200 } });
    expect(keyParams(e)).toEqual(['learning_rate 0.05', 'max_leaf_nodes 31', 'max_iter 200']);
    expect(allParams(e)).toBe('max_bins = 255, learning_rate = 0.05, max_leaf_nodes = 31, max_iter = 200');
    const ensemble = entry(0, {
      family: 'ensemble',
      members: [
        { id: 3, weight: 0.666 },
        { id: 7, weight: 0.334 },
      ],
    });
    expect(keyParams(ensemble)).toEqual(['#3 × 0.67', '#7 × 0.33']);
  });

  it('formats values without float noise', () => {
    expect(formatParam(0.30000000000000004)).toBe('0.3');
    expect(formatParam(1e-9)).toBe('1.0e-9');
    expect(formatParam(null)).toBe('none');
    expect(formatParam('balanced')).toBe('balanced');
  });
});

describe('scoreTimeline', () => {
  it('steps the best score up only when a full-fidelity trial beats it', () => {
    const start = 10_000;
    const { trials, best } = scoreTimeline(
      [
        entry(1, { cvScore: 0.7, finishedAt: start + 1000 }),
        entry(2, { cvScore: 0.6, finishedAt: start + 2000 }),
        entry(3, { cvScore: 0.95, finishedAt: start + 2500, fidelity: 0.5 }),
        entry(4, { cvScore: 0.8, finishedAt: start + 3000 }),
        entry(5, { status: 'failed', cvScore: NaN, finishedAt: start + 3500 }),
      ],
      start,
      'accuracy',
    );
    expect(trials.map((p) => p.t)).toEqual([1, 2, 3]);
    expect(best).toEqual([
      { t: 1, score: 0.7 },
      { t: 3, score: 0.8 },
    ]);
  });
});
