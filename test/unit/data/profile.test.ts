/** Profile statistics against hand-computed values, the column warnings, and the target warnings. */
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../src/core/data/frame.ts';
import { profileFrame, targetWarnings } from '../../../src/core/data/profile.ts';
import { binaryAuc } from '../../../src/core/data/warnings.ts';
import { Rng } from '../../../src/core/util/random.ts';
import { ingestText } from './helpers.ts';

const numeric = (name: string, values: number[]) => ({ name, type: 'numeric' as const, storage: 'numeric' as const, values: Float64Array.from(values) });
const categorical = (name: string, levels: string[], codes: number[], type: 'categorical' | 'boolean' | 'identifier' = 'categorical') => ({
  name,
  type,
  storage: 'categorical' as const,
  levels,
  codes: Int32Array.from(codes),
});

describe('profileFrame statistics', () => {
  it('numeric summary by hand: x = 1, 2, 3, 4, 10 and one missing', async () => {
    const r = await ingestText('x,c\n1,a\n2,b\n,a\n3,a\n4,\n10,b\n');
    const x = r.profile.columns[0];
    expect(x).toMatchObject({ name: 'x', type: 'numeric', missing: 1, distinct: 5, missingTokens: [''] });
    const n = x.numeric!;
    expect(n.min).toBe(1);
    expect(n.max).toBe(10);
    expect(n.mean).toBe(4);
    // Sample std: squared deviations 9 + 4 + 1 + 0 + 36 = 50, / (5 - 1) = 12.5.
    expect(n.std).toBeCloseTo(Math.sqrt(12.5), 12);
    // Linear interpolation at p·(n−1): p05 → 1 + 0.2·1, p95 → 4 + 0.8·6.
    expect(n.quantiles).toEqual({ p05: 1.2, p25: 2, p50: 3, p75: 4, p95: expect.closeTo(8.8, 12) });
    // Whole numbers over a range under 20: one bin per integer, centred.
    expect(n.histogram.edges).toEqual([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5]);
    expect(n.histogram.counts).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0, 1]);
    const c = r.profile.columns[1];
    expect(c).toMatchObject({
      type: 'categorical',
      missing: 1,
      distinct: 2,
      topLevels: [
        { level: 'a', count: 3 },
        { level: 'b', count: 2 },
      ],
    });
    expect(r.profile.rows).toBe(6);
  });

  it('20 equal-width bins for continuous values, counts adding up', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i / 10);
    const p = profileFrame({ rows: 1000, columns: [numeric('v', values)] });
    const h = p.columns[0].numeric!.histogram;
    expect(h.edges).toHaveLength(21);
    expect(h.edges[0]).toBe(0);
    expect(h.edges[20]).toBe(99.9);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(h.counts[0]).toBe(50);
    expect(p.columns[0].numeric!.quantiles.p50).toBeCloseTo(49.95, 10);
  });

  it('top 10 levels, most frequent first, ties in level order', () => {
    const levels = Array.from({ length: 12 }, (_, i) => `L${i}`);
    const codes: number[] = [];
    levels.forEach((_, i) => {
      for (let k = 0; k < (i === 11 ? 50 : i % 3) + 1; k++) codes.push(i);
    });
    const p = profileFrame({ rows: codes.length, columns: [categorical('c', levels, codes)] });
    expect(p.columns[0].topLevels!.map((l) => `${l.level}:${l.count}`)).toEqual([
      'L11:51',
      'L2:3',
      'L5:3',
      'L8:3',
      'L1:2',
      'L4:2',
      'L7:2',
      'L10:2',
      'L0:1',
      'L3:1',
    ]);
  });

  it('duplicate rows counted exactly (checked against a brute-force count)', () => {
    const rng = new Rng(7);
    const rows = 2000;
    const a = Array.from({ length: rows }, () => rng.int(3));
    const b = Array.from({ length: rows }, () => (rng.next() < 0.1 ? NaN : rng.int(4) / 2));
    const c = Array.from({ length: rows }, () => rng.int(5) - 1);
    const frame: Frame = { rows, columns: [numeric('a', a), numeric('b', b), categorical('c', ['p', 'q', 'r', 's'], c)] };
    const seen = new Set<string>();
    let expected = 0;
    for (let i = 0; i < rows; i++) {
      const key = `${a[i]}|${b[i]}|${c[i]}`;
      if (seen.has(key)) expected++;
      else seen.add(key);
    }
    const p = profileFrame(frame);
    expect(p.duplicateRows).toBe(expected);
    expect(p.warnings.find((w) => w.kind === 'duplicate-rows')?.message).toMatch(new RegExp(`^${expected} row`));
  });
});

describe('column warnings', () => {
  it('constant, heavy-missing, id-like, high-cardinality, numeric-code; none for an ordinary column', () => {
    const rows = 200;
    const idx = Array.from({ length: rows }, (_, i) => i);
    const frame: Frame = {
      rows,
      columns: [
        numeric(
          'same',
          idx.map(() => 5),
        ),
        numeric(
          'mostlyEmpty',
          idx.map((i) => (i < 150 ? NaN : i)),
        ),
        categorical(
          'id',
          idx.map((i) => `u${i}`),
          idx,
          'identifier',
        ),
        categorical(
          'zip',
          Array.from({ length: 120 }, (_, i) => `z${i}`),
          idx.map((i) => i % 120),
        ),
        categorical(
          'city',
          Array.from({ length: 60 }, (_, i) => `c${i}`),
          idx.map((i) => i % 60),
        ),
        numeric(
          'pclass',
          idx.map((i) => 1 + (i % 3)),
        ),
        numeric(
          'height',
          idx.map((i) => 150 + ((i * 37) % 50) + 0.5),
        ),
        numeric(
          'binary',
          idx.map((i) => i % 2),
        ),
      ],
    };
    const kinds = profileFrame(frame).warnings.map((w) => `${w.column}:${w.kind}`);
    expect(kinds).toEqual(['same:constant', 'mostlyEmpty:heavy-missing', 'id:id-like', 'zip:id-like', 'city:high-cardinality', 'pclass:numeric-code']);
  });
});

describe('targetWarnings', () => {
  const rng = new Rng(3);
  const rows = 1000;
  const idx = Array.from({ length: rows }, (_, i) => i);
  const y = idx.map(() => (rng.next() < 0.3 ? 1 : 0));
  const noise = idx.map(() => rng.normal());

  it('flags a numeric feature that nearly equals a binary target (AUC), not a noisy one', () => {
    const leak = y.map((v, i) => v * 10 + noise[i] * 0.5);
    const weak = y.map((v, i) => v + noise[i] * 2);
    const frame: Frame = { rows, columns: [numeric('y', y), numeric('leak', leak), numeric('weak', weak), numeric('noise', noise)] };
    const w = targetWarnings(frame, 'y');
    expect(w.map((x) => `${x.column}:${x.kind}`)).toEqual(['leak:leakage']);
    expect(w[0].message).toMatch(/^leak alone predicts y almost perfectly \(univariate ROC AUC 1\.000\)/);
  });

  it('flags a 1:1 level mapping for a categorical target, and class imbalance', () => {
    const target = idx.map((i) => (i % 10 === 0 ? 1 : 0));
    const frame: Frame = {
      rows,
      columns: [
        categorical('churn', ['no', 'yes'], target, 'boolean'),
        categorical('status', ['active', 'cancelled'], target),
        categorical(
          'region',
          ['n', 's', 'e'],
          idx.map((i) => i % 3),
        ),
      ],
    };
    const w = targetWarnings(frame, 'churn');
    expect(w.map((x) => `${x.column}:${x.kind}`)).toEqual(['churn:class-imbalance', 'status:leakage']);
    expect(w[0].message).toMatch(/"yes" is 10\.0% of rows against 90\.0% for "no"/);
  });

  it('regression: R² of a numeric feature, η² of a categorical one; missing target reported', () => {
    const x = idx.map((i) => i / 10);
    const target = x.map((v, i) => (i === 5 ? NaN : 3 * v + 2 + noise[i] * 0.01));
    const frame: Frame = {
      rows,
      columns: [
        numeric('price', target),
        numeric('size', x),
        categorical(
          'band',
          ['lo', 'hi'],
          idx.map((i) => (i < 500 ? 0 : 1)),
        ),
        numeric('noise', noise),
      ],
    };
    const w = targetWarnings(frame, 'price');
    expect(w.map((v) => `${v.column}:${v.kind}`)).toEqual(['price:target-missing', 'size:leakage']);
    const steps = idx.map((i) => (i < 500 ? 10 : 20) + noise[i] * 0.01);
    const f2: Frame = {
      rows,
      columns: [
        numeric('t', steps),
        categorical(
          'band',
          ['lo', 'hi'],
          idx.map((i) => (i < 500 ? 0 : 1)),
        ),
      ],
    };
    expect(targetWarnings(f2, 't')[0].message).toMatch(/η²/);
  });

  it('binaryAuc matches a pairwise count, ties counting one half', () => {
    const v = Float64Array.from([0.1, 0.4, 0.35, 0.8, 0.4, 0.2]);
    const lab = Int32Array.from([0, 0, 1, 1, 1, 0]);
    let wins = 0;
    let pairs = 0;
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 6; j++)
        if (lab[i] === 1 && lab[j] === 0) {
          pairs++;
          wins += v[i] > v[j] ? 1 : v[i] === v[j] ? 0.5 : 0;
        }
    expect(binaryAuc(v, lab)).toBeCloseTo(wins / pairs, 12);
  });

  it('an unknown target names the columns', () => {
    expect(() => targetWarnings({ rows: 1, columns: [numeric('a', [1])] }, 'b')).toThrow(/Column "b" is not in the data. Columns: a/);
  });
});
