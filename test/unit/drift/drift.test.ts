import { beforeAll, describe, expect, it } from 'vitest';
import { chiSquare999, checkDrift, poissonCritical, psiOf } from '../../../src/core/drift/check.ts';
import { addFrame, emptyCounts, mergeCounts } from '../../../src/core/drift/counts.ts';
import { buildDriftProfile, profileNumbers } from '../../../src/core/drift/profile.ts';
import { flaggedOnSplit, NEW_LEVEL, shiftedRows } from '../../../src/core/drift/shifts.ts';
import type { Frame } from '../../../src/core/data/frame.ts';
import { readCsvFile } from '../../../src/node/read-csv.ts';
import { datasetPath } from '../../helpers/datasets.ts';
import { cat, frame, num } from '../../helpers/frames.ts';

describe('drift statistics', () => {
  it('PSI, its noise level and the Poisson critical count on hand-checked values', () => {
    // Two bins, 50/50 expected, 80/20 observed: (0.3·ln 1.6) + (−0.3·ln 0.4) = 0.4159.
    expect(psiOf([0.5, 0.5], [80, 20], 1e6)).toBeCloseTo(0.3 * Math.log(1.6) - 0.3 * Math.log(0.4), 10);
    expect(psiOf([0.5, 0.5], [50, 50], 1e6)).toBe(0);
    // χ²(9) at 0.999 is 27.88; Wilson–Hilferty gives it within 1 %.
    expect(chiSquare999(9)).toBeGreaterThan(27.6);
    expect(chiSquare999(9)).toBeLessThan(28.2);
    // Poisson(0.5): P(X ≥ 4) = 0.00175, P(X ≥ 5) = 0.00017 → 5.
    expect(poissonCritical(0.5)).toBe(5);
  });

  it('profiles deciles, range and missing rate, and counts a batch exactly', () => {
    const values = Float64Array.from({ length: 100 }, (_, i) => (i === 99 ? NaN : i));
    const p = profileNumbers('x', values);
    expect(p.edges).toEqual([9, 19, 29, 39, 49, 59, 69, 79, 89]);
    expect(p.min).toBe(0);
    expect(p.max).toBe(98);
    expect(p.missingRate).toBeCloseTo(0.01, 12);
    const f = frame(num('x', [-5, 5, 50, 500, null]), cat('c', ['a', 'b', 'zz', null, 'a']));
    const train = frame(
      num(
        'x',
        Array.from({ length: 99 }, (_, i) => i),
      ),
      cat(
        'c',
        Array.from({ length: 99 }, (_, i) => (i % 2 ? 'a' : 'b')),
      ),
    );
    const profile = buildDriftProfile(
      train,
      ['x', 'c'],
      Array.from({ length: 99 }, (_, i) => i),
    );
    const counts = emptyCounts(profile);
    addFrame(profile, counts, f);
    expect(counts.columns[0]).toMatchObject({ rows: 5, missing: 1, outOfRange: 2 });
    expect(counts.columns[1]).toMatchObject({ rows: 5, missing: 1, unseenRows: 1 });
    expect(counts.columns[1].unseen).toEqual({ zz: 1 });
    const twice = emptyCounts(profile);
    mergeCounts(twice, counts);
    mergeCounts(twice, counts);
    mergeCounts(twice, counts, -1);
    expect(twice).toEqual(counts);
    const report = checkDrift(profile, counts);
    expect(report.columns.map((c) => c.unseenCategories)).toEqual([0, 1]);
    expect(report.columns[0].outOfRangeShare).toBeCloseTo(0.5, 12);
  });
});

describe('drift check on real data (insurance, adult sample)', () => {
  let insurance: Frame;
  let adult: Frame;
  const insuranceInputs = ['age', 'sex', 'bmi', 'children', 'smoker', 'region'];
  beforeAll(async () => {
    insurance = (await readCsvFile(datasetPath('insurance'))).frame;
    adult = (await readCsvFile(datasetPath('adult'))).frame;
  });

  it('flags exactly the shifted columns (mean shift in 2, a new category in 1, a missing-rate jump in 1)', () => {
    const spec = { meanShift: ['age', 'bmi'], newCategory: ['region'], missingJump: ['children'] };
    for (let seed = 1; seed <= 10; seed++) {
      expect(flaggedOnSplit(insurance, insuranceInputs, seed, 0.3, spec).sort()).toEqual(['age', 'bmi', 'children', 'region']);
    }
    const adultInputs = adult.columns.map((c) => c.name).filter((n) => n !== 'income');
    const adultSpec = { meanShift: ['age', 'hours_per_week'], newCategory: ['workclass'], missingJump: ['education'] };
    const present = adultSpec.meanShift.concat(adultSpec.newCategory, adultSpec.missingJump).filter((n) => adultInputs.includes(n));
    expect(present.length).toBe(4);
    expect(flaggedOnSplit(adult, adultInputs, 3, 0.2, adultSpec).sort()).toEqual([...present].sort());
  });

  it('flags nothing on a random split in at least 95 of 100 seeds', () => {
    let clean = 0;
    for (let seed = 1; seed <= 100; seed++) if (flaggedOnSplit(insurance, insuranceInputs, seed, 0.3).length === 0) clean++;
    expect(clean).toBeGreaterThanOrEqual(95);
  });

  it('shiftedRows adds the new level and the missing cells it is asked for', () => {
    const rows = Int32Array.from({ length: 200 }, (_, i) => i);
    const s = shiftedRows(insurance, rows, { newCategory: ['region'], newShare: 0.5, missingJump: ['bmi'], missingShare: 0.5, seed: 2 });
    const region = s.columns.find((c) => c.name === 'region')!;
    const bmi = s.columns.find((c) => c.name === 'bmi')!;
    if (region.storage !== 'categorical' || bmi.storage !== 'numeric') throw new Error('unexpected storage');
    const newRows = Array.from(region.codes).filter((c) => region.levels[c] === NEW_LEVEL).length;
    expect(newRows).toBeGreaterThan(70);
    expect(newRows).toBeLessThan(130);
    expect(Array.from(bmi.values).filter(Number.isNaN).length).toBeGreaterThan(70);
  });
});
