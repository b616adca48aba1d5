import { describe, expect, it } from 'vitest';
import { bootstrapAtThreshold, confusionAt, costCurve, costPer1000, tuneThreshold } from '../../../src/core/eval/threshold.ts';

// A hand-built score table: ten rows, best score first.
const P = [0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.2, 0.1, 0.05];
const POS = [1, 1, 0, 1, 0, 1, 0, 0, 0, 0];

describe('tuneThreshold', () => {
  it('minimises the expected cost on a hand-built score table', () => {
    // Flag the top k: costs with fp = 1, fn = 5 are 20, 15, 10, 11, 6, 7, 2, 3, 4, 5, 6 → k = 6,
    // a threshold halfway between 0.4 (flagged) and 0.3 (not).
    const t = tuneThreshold(P, POS, { costs: { fp: 1, fn: 5 } });
    expect(t.threshold).toBeCloseTo(0.35, 12);
    expect(t.confusion).toEqual({ tp: 4, fp: 2, tn: 4, fn: 0 });
    expect(t.costPer1000).toBeCloseTo(200, 9);
  });

  it('breaks ties towards flagging fewer rows', () => {
    // fp = fn = 1: errors 4, 3, 2, 3, 2, 3, 2, ... → the first 2 is k = 2.
    expect(tuneThreshold(P, POS, { costs: { fp: 1, fn: 1 } }).threshold).toBeCloseTo(0.75, 12);
  });

  it('counts the value of a true positive as a gain', () => {
    // fp = 1, fn = 0, tp worth 3: k = 2 gives −6, k = 4 gives 1 − 9 = −8, k = 6 gives 2 − 12 = −10 (best).
    const t = tuneThreshold(P, POS, { costs: { fp: 1, fn: 0, tp: 3 } });
    expect(t.costPer1000).toBeCloseTo(-1000, 9);
    expect(t.threshold).toBeCloseTo(0.35, 12);
  });

  it('meets a recall target at the best precision', () => {
    const t = tuneThreshold(P, POS, { target: { kind: 'recall', value: 0.75 } });
    expect(t.threshold).toBeCloseTo(0.575, 12);
    expect(t.achieved).toBeCloseTo(0.75, 12);
    expect(t.met).toBe(true);
  });

  it('meets a precision target at the best recall', () => {
    const t = tuneThreshold(P, POS, { target: { kind: 'precision', value: 0.8 } });
    expect(t.threshold).toBeCloseTo(0.75, 12);
    expect(t.achieved).toBe(1);
  });

  it('flags at most the share asked for', () => {
    const t = tuneThreshold(P, POS, { target: { kind: 'flag-rate', value: 0.3 } });
    expect(t.threshold).toBeCloseTo(0.75, 12);
    expect(t.achieved).toBeCloseTo(0.2, 12);
    expect(t.met).toBe(true);
  });

  it('says when a precision target cannot be met', () => {
    const t = tuneThreshold([0.9, 0.8], [0, 1], { target: { kind: 'precision', value: 0.9 } });
    expect(t.met).toBe(false);
  });
});

describe('cost curve and bootstrap', () => {
  it('gives the same cost as the confusion at each threshold', () => {
    const curve = costCurve(P, POS, { fp: 1, fn: 5 }, 21);
    expect(curve).toHaveLength(21);
    for (const point of curve) expect(point.costPer1000).toBeCloseTo(costPer1000(confusionAt(P, POS, point.threshold), { fp: 1, fn: 5 }), 9);
    // Threshold 0 flags everything: 6 false positives of 10 rows.
    expect(curve[0].costPer1000).toBeCloseTo(600, 9);
  });

  it('brackets the observed cost with a bootstrap interval', () => {
    const p = Array.from({ length: 400 }, (_, i) => ((i * 37) % 100) / 100);
    const pos = p.map((v, i) => (v > 0.6 || i % 7 === 0 ? 1 : 0));
    const observed = costPer1000(confusionAt(p, pos, 0.5), { fp: 1, fn: 5 });
    const [lo, hi] = bootstrapAtThreshold(p, pos, 0.5, (c) => costPer1000(c, { fp: 1, fn: 5 }), { seed: 1 });
    expect(lo).toBeLessThan(observed);
    expect(hi).toBeGreaterThan(observed);
    expect(hi - lo).toBeLessThan(observed);
  });
});
