import { describe, expect, it } from 'vitest';
import {
  binOf,
  calibrateIntervals,
  calibrateSets,
  intervals,
  MAX_STORED_SCORES,
  predictionSets,
  scoreTable,
  setCutoff,
  setRule,
  threshold,
} from '../../../src/core/eval/conformal.ts';
import { conformalSummary, reportIntervals, reportSets } from '../../../src/core/eval/conformal-report.ts';
import { Rng } from '../../../src/core/util/random.ts';

describe('conformal thresholds', () => {
  it('exact values on a hand-built example', () => {
    // Residuals |y − ŷ| = 1, 2, ..., 9: for 80 % the rank is ⌈10·0.8⌉ = 8, so q̂ = 8.
    const pred = Array.from({ length: 9 }, () => 0);
    const y = [3, -1, 9, 2, -5, 4, -7, 6, 8];
    const model = calibrateIntervals(pred, y, 0.8);
    expect(model.method).toBe('split');
    expect(model.bins[0].scores).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(threshold(model.bins[0], 0.8)).toBe(8);
    expect(threshold(model.bins[0], 0.5)).toBe(5);
    // ⌈10·0.95⌉ = 10 > 9 rows: no finite interval is guaranteed.
    expect(threshold(model.bins[0], 0.95)).toBe(Infinity);
    const { lower, upper } = intervals(model, [10, -2.5]);
    expect([...lower]).toEqual([2, -10.5]);
    expect([...upper]).toEqual([18, 5.5]);
    expect(() => intervals(model, [1], 1)).toThrow(/coverage/);
  });

  it('CQR intervals on a hand-built example: the quantiles widened by q̂, and holding the point prediction', () => {
    // Scores max(lo − y, y − hi) = −1, 0, 2, 3 → at 60 % rank ⌈5·0.6⌉ = 3: q̂ = 2.
    const model = { kind: 'interval' as const, method: 'cqr' as const, coverage: 0.6, edges: [], bins: [scoreTable([-1, 0, 2, 3])] };
    const { lower, upper } = intervals(model, [5, 20], 0.6, { lo: [4, 10], hi: [8, 12] });
    expect([...lower]).toEqual([2, 8]);
    // The second point prediction (20) lies above hi + q̂ = 14: the interval stretches to hold it.
    expect([...upper]).toEqual([10, 20]);
    expect(() => intervals(model, [5])).toThrow(/quantile/);
  });

  it('LAC sets on a hand-built example', () => {
    // Three classes; p(true) = 0.9, 0.8, 0.6, 0.5 → scores 0.1, 0.2, 0.4, 0.5; at 60 % rank ⌈5·0.6⌉ = 3 → q̂ = 0.4.
    const proba = [0.9, 0.05, 0.05, 0.1, 0.8, 0.1, 0.2, 0.2, 0.6, 0.5, 0.4, 0.1];
    const model = calibrateSets(proba, [0, 1, 2, 0], 3, 0.6);
    expect(model.table.scores.map((s) => +s.toFixed(12))).toEqual([0.1, 0.2, 0.4, 0.5]);
    expect(setCutoff(model)).toBeCloseTo(0.6, 12);
    const sets = predictionSets(model, [0.7, 0.2, 0.1, 0.45, 0.45, 0.1], 3);
    expect([...sets]).toEqual([1, 0, 0, 0, 0, 0]);
    // At 80 %: rank 4 → q̂ = 0.5, cutoff 0.5: neither 0.45 reaches it either; 0.7 does.
    expect([...predictionSets(model, [0.5, 0.45, 0.05], 3, 0.8)]).toEqual([1, 0, 0]);
  });

  it('LAC breaks ties between scores by the raw probabilities', () => {
    // Four binary rows, all calibrated to p(true) = 0.8 (score 0.2, tied); their raw p(true) 0.9, 0.8,
    // 0.7, 0.6 give tie-breaks (the other class's raw probability) 0.1, 0.2, 0.3, 0.4. At 60 %:
    // rank ⌈5·0.6⌉ = 3 → (q̂, t) = (0.2, 0.3).
    const cal = [0.2, 0.8, 0.8, 0.2, 0.2, 0.8, 0.8, 0.2];
    const raw = [0.1, 0.9, 0.8, 0.2, 0.3, 0.7, 0.6, 0.4];
    const model = calibrateSets(cal, [1, 0, 1, 0], 2, 0.6, raw);
    expect(model.table.scores.map((s) => +s.toFixed(12))).toEqual([0.2, 0.2, 0.2, 0.2]);
    expect(model.table.ties!.map((s) => +s.toFixed(12))).toEqual([0.1, 0.2, 0.3, 0.4]);
    const rule = setRule(model);
    expect([+rule.q.toFixed(12), +rule.t.toFixed(12), rule.legacy]).toEqual([0.2, 0.3, false]);
    // Both rows are calibrated to (0.2, 0.8): the first's raw other-class probability 0.25 ≤ 0.3 keeps
    // class 1, the second's 0.35 does not. Class 0 (score 0.8) is out either way.
    expect([...predictionSets(model, [0.2, 0.8, 0.2, 0.8], 2, 0.6, [0.25, 0.75, 0.35, 0.65])]).toEqual([0, 1, 0, 0]);
    // Without tie-breaks (a table from an older bundle) every tied class is in.
    const legacy = { ...model, table: { n: 4, scores: model.table.scores } };
    expect(setRule(legacy).legacy).toBe(true);
    expect([...predictionSets(legacy, [0.2, 0.8, 0.2, 0.8], 2, 0.6, [0.25, 0.75, 0.35, 0.65])]).toEqual([0, 1, 0, 1]);
    // At a coverage past the last rank, every class is in.
    expect([...predictionSets(model, [0.2, 0.8], 2, 0.9, [0.35, 0.65])]).toEqual([1, 1]);
  });

  it('order statistics above MAX_STORED_SCORES err on the wide side only', () => {
    const n = 10_007;
    const sorted = Float64Array.from({ length: n }, (_, i) => i + 1);
    const table = scoreTable(sorted);
    expect(table.scores.length).toBe(MAX_STORED_SCORES);
    for (const c of [0.5, 0.8, 0.9, 0.95, 0.99]) {
      const exact = Math.ceil((n + 1) * c);
      const q = threshold(table, c);
      expect(q).toBeGreaterThanOrEqual(exact);
      expect(q - exact).toBeLessThanOrEqual(n / MAX_STORED_SCORES + 1);
    }
  });

  it('binOf puts a value at an edge into the lower bin', () => {
    expect(binOf([1, 5], 0)).toBe(0);
    expect(binOf([1, 5], 1)).toBe(0);
    expect(binOf([1, 5], 1.01)).toBe(1);
    expect(binOf([1, 5], 9)).toBe(2);
    expect(binOf([], 9)).toBe(0);
  });
});

/** Heteroscedastic data: noise grows with x, the model predicts 2x (the truth) plus a small bias. */
function simulate(rng: Rng, n: number): { pred: Float64Array; y: Float64Array } {
  const pred = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = rng.uniform(0, 10);
    pred[i] = 2 * x + 0.1;
    y[i] = 2 * x + (0.2 + x) * rng.normal();
  }
  return { pred, y };
}

describe('coverage over repeated seeded simulations', () => {
  it('split and Mondrian intervals cover 90 % on average, and Mondrian holds per predicted-value bin', () => {
    const sims = 200;
    const rng = new Rng(7);
    let split = 0;
    let mondrian = 0;
    let lowBins = 0;
    let lowSplit = 0;
    let mondrianWidth = 0;
    let splitWidth = 0;
    for (let s = 0; s < sims; s++) {
      const cal = simulate(rng, 1000);
      const test = simulate(rng, 200);
      const m = calibrateIntervals(cal.pred, cal.y, 0.9, 'mondrian');
      const r = reportIntervals(m, cal, test.pred, test.y);
      mondrian += r.achieved;
      mondrianWidth += r.meanWidth!;
      splitWidth += r.baselineMeanWidth!;
      const rs = reportIntervals(calibrateIntervals(cal.pred, cal.y, 0.9, 'split'), cal, test.pred, test.y);
      split += rs.achieved;
      lowSplit += rs.slices[0].achieved;
      lowBins += r.slices[0].achieved;
    }
    expect(split / sims).toBeGreaterThan(0.89);
    expect(split / sims).toBeLessThan(0.915);
    expect(mondrian / sims).toBeGreaterThan(0.89);
    expect(mondrian / sims).toBeLessThan(0.915);
    // The lowest decile has the least noise: one global width over-covers it badly, Mondrian far less.
    expect(lowSplit / sims).toBeGreaterThan(0.99);
    expect(lowBins / sims).toBeGreaterThan(0.88);
    expect(lowBins / sims).toBeLessThan(lowSplit / sims - 0.005);
    expect(mondrianWidth).toBeLessThan(0.95 * splitWidth);
  });

  it('the automatic choice picks Mondrian under heteroscedastic noise and split under constant noise', () => {
    const rng = new Rng(11);
    expect(calibrateIntervals(...(Object.values(simulate(rng, 2000)) as [Float64Array, Float64Array]), 0.9).method).toBe('mondrian');
    const pred = Float64Array.from({ length: 2000 }, () => rng.uniform(0, 10));
    const y = Float64Array.from(pred, (p) => p + rng.normal());
    expect(calibrateIntervals(pred, y, 0.9).method).toBe('split');
    // Too few rows for two bins of MIN_BIN_ROWS: split.
    expect(calibrateIntervals(pred.slice(0, 300), y.slice(0, 300), 0.9).method).toBe('split');
  });

  it('LAC sets cover 90 % on average with calibrated probabilities', () => {
    const sims = 200;
    const rng = new Rng(5);
    const K = 3;
    const draw = (n: number) => {
      const proba = new Float64Array(n * K);
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const logits = [rng.normal() * 2, rng.normal() * 2, rng.normal() * 2];
        const z = logits.reduce((a, v) => a + Math.exp(v), 0);
        for (let k = 0; k < K; k++) proba[i * K + k] = Math.exp(logits[k]) / z;
        const u = rng.next();
        y[i] = u < proba[i * K] ? 0 : u < proba[i * K] + proba[i * K + 1] ? 1 : 2;
      }
      return { proba, y };
    };
    let achieved = 0;
    let size = 0;
    for (let s = 0; s < sims; s++) {
      const cal = draw(500);
      const test = draw(200);
      const r = reportSets(calibrateSets(cal.proba, cal.y, K, 0.9), test.proba, test.y, ['a', 'b', 'c']);
      achieved += r.achieved;
      size += r.meanSetSize!;
      expect(r.slices.map((sl) => sl.name)).toEqual(['a', 'b', 'c']);
    }
    expect(achieved / sims).toBeGreaterThan(0.89);
    expect(achieved / sims).toBeLessThan(0.915);
    expect(size / sims).toBeGreaterThan(1);
    expect(size / sims).toBeLessThan(K);
  });

  it('LAC sets still cover 90 % when calibrated probabilities tie (a step calibrator), ties broken by the raw ones', () => {
    // Binary: raw P(1) = σ(z), z ~ N(0, 3²), the label drawn from it; the calibrated P(1) a five-step
    // function of the raw one (as an isotonic calibrator gives), so most calibration scores tie. The
    // threshold lands on a tie: every tied class in the set would cover far more than 90 %.
    const sims = 200;
    const rng = new Rng(9);
    const draw = (n: number) => {
      const raw = new Float64Array(2 * n);
      const cal = new Float64Array(2 * n);
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const p = 1 / (1 + Math.exp(-3 * rng.normal()));
        const step = Math.min(1 - 1e-4, Math.max(1e-4, Math.round(p * 4) / 4));
        raw[2 * i] = 1 - p;
        raw[2 * i + 1] = p;
        cal[2 * i] = 1 - step;
        cal[2 * i + 1] = step;
        y[i] = rng.next() < p ? 1 : 0;
      }
      return { raw, cal, y };
    };
    let achieved = 0;
    let untied = 0;
    for (let s = 0; s < sims; s++) {
      const c = draw(500);
      const t = draw(200);
      achieved += reportSets(calibrateSets(c.cal, c.y, 2, 0.9, c.raw), t.cal, t.y, ['0', '1'], t.raw).achieved;
      untied += reportSets(calibrateSets(c.cal, c.y, 2, 0.9), t.cal, t.y, ['0', '1']).achieved;
    }
    expect(achieved / sims).toBeGreaterThan(0.89);
    expect(achieved / sims).toBeLessThan(0.915);
    // The calibrated probabilities alone cannot break the ties: the sets then over-cover.
    expect(untied / sims).toBeGreaterThan(0.93);
  });

  it('conformalSummary has the CLI contract fields', () => {
    const rng = new Rng(1);
    const cal = simulate(rng, 400);
    const r = reportIntervals(calibrateIntervals(cal.pred, cal.y, 0.9), cal, cal.pred, cal.y);
    expect(Object.keys(conformalSummary(r)).slice(0, 4)).toEqual(['method', 'coverage', 'achieved', 'meanWidth']);
  });
});
