import { describe, expect, it } from 'vitest';
import { kFold, subsampleRows, trainTestSplit } from '../../../src/core/eval/split.ts';

const y = Float64Array.from({ length: 1000 }, (_, i) => (i % 10 < 3 ? 1 : 0)); // 30 % positives

describe('trainTestSplit', () => {
  it('is stratified, disjoint, complete and seeded', () => {
    const a = trainTestSplit(y, { testSize: 0.2, seed: 0, stratify: true });
    expect(a.test.length).toBe(200);
    expect(a.train.length).toBe(800);
    const all = new Set([...a.train, ...a.test]);
    expect(all.size).toBe(1000);
    const pos = [...a.test].filter((i) => y[i] === 1).length;
    expect(pos).toBe(60);
    const b = trainTestSplit(y, { testSize: 0.2, seed: 0, stratify: true });
    expect([...b.test]).toEqual([...a.test]);
    const c = trainTestSplit(y, { testSize: 0.2, seed: 1, stratify: true });
    expect([...c.test]).not.toEqual([...a.test]);
  });

  it('rejects a bad test size', () => {
    expect(() => trainTestSplit(y, { testSize: 1.5, seed: 0, stratify: false })).toThrow(/between 0 and 1/);
  });
});

describe('kFold', () => {
  it('partitions the rows with balanced classes', () => {
    const folds = kFold(y, { k: 5, seed: 3, stratify: true });
    expect(folds).toHaveLength(5);
    const seen = new Int32Array(1000);
    for (const f of folds) {
      expect(f.valid.length).toBe(200);
      expect(f.train.length).toBe(800);
      expect([...f.valid].filter((i) => y[i] === 1).length).toBe(60);
      for (const i of f.valid) seen[i]++;
    }
    expect(seen.every((c) => c === 1)).toBe(true);
  });
});

describe('subsampleRows', () => {
  it('keeps the requested size and class balance', () => {
    const rows = Int32Array.from({ length: 1000 }, (_, i) => i);
    const s = subsampleRows(rows, y, 100, 0, true);
    expect(s.length).toBe(100);
    expect([...s].filter((i) => y[i] === 1).length).toBe(30);
  });
});
