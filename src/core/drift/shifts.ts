/**
 * Generated shifts, to test the drift check on known answers (tests, `npm run bench:conformal`, the
 * e2e test's shifted CSV): a copy of some rows of a frame with chosen columns changed.
 *
 *   meanShift: numeric columns moved by `sd` standard deviations (of those rows);
 *   newCategory: categorical columns where a share of the rows get a level never seen ("__new__");
 *   missingJump: columns where a share of the non-missing cells become missing.
 */
import type { Column, Frame } from '../data/frame.ts';
import { Rng } from '../util/random.ts';
import { checkDrift } from './check.ts';
import { addFrame, emptyCounts } from './counts.ts';
import { buildDriftProfile } from './profile.ts';

export interface ShiftSpec {
  meanShift?: string[];
  /** Standard deviations to move by (default 1). */
  sd?: number;
  newCategory?: string[];
  /** Share of rows given the new level (default 0.2). */
  newShare?: number;
  missingJump?: string[];
  /** Share of cells made missing (default 0.3). */
  missingShare?: number;
  seed?: number;
}

export const NEW_LEVEL = '__new__';

/** The rows of the frame as a new frame, shifted as the spec says (other columns copied as they are). */
export function shiftedRows(frame: Frame, rows: ArrayLike<number>, spec: ShiftSpec = {}): Frame {
  const rng = new Rng(spec.seed ?? 1);
  const n = rows.length;
  const columns = frame.columns.map((col): Column => {
    if (col.storage === 'numeric') {
      const values = Float64Array.from(rows as ArrayLike<number>, (r) => col.values[r]);
      if (spec.meanShift?.includes(col.name)) {
        const present = values.filter((v) => !Number.isNaN(v));
        const mean = present.reduce((a, b) => a + b, 0) / Math.max(1, present.length);
        const sd = Math.sqrt(present.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, present.length - 1));
        for (let i = 0; i < n; i++) values[i] += (spec.sd ?? 1) * sd;
      }
      if (spec.missingJump?.includes(col.name)) for (let i = 0; i < n; i++) if (rng.next() < (spec.missingShare ?? 0.3)) values[i] = NaN;
      return { ...col, values };
    }
    const codes = Int32Array.from(rows as ArrayLike<number>, (r) => col.codes[r]);
    let levels = col.levels;
    if (spec.newCategory?.includes(col.name)) {
      levels = [...col.levels, NEW_LEVEL];
      for (let i = 0; i < n; i++) if (rng.next() < (spec.newShare ?? 0.2)) codes[i] = levels.length - 1;
    }
    if (spec.missingJump?.includes(col.name)) for (let i = 0; i < n; i++) if (rng.next() < (spec.missingShare ?? 0.3)) codes[i] = -1;
    return { ...col, codes, levels };
  });
  return { rows: n, columns };
}

/**
 * The columns the drift check flags (verdict not stable) when `frame`'s rows are split at random
 * (`testShare` of them as the batch) and the batch is shifted as the spec says (no spec: a plain
 * random split, where nothing should be flagged).
 */
export function flaggedOnSplit(frame: Frame, inputs: readonly string[], seed: number, testShare: number, spec?: ShiftSpec): string[] {
  const rng = new Rng(seed);
  const order = rng.shuffle(Int32Array.from({ length: frame.rows }, (_, i) => i));
  const nTest = Math.round(testShare * frame.rows);
  const profile = buildDriftProfile(frame, inputs, order.subarray(nTest));
  const batch = shiftedRows(frame, order.subarray(0, nTest), { ...spec, seed: seed + 1 });
  const counts = emptyCounts(profile);
  addFrame(profile, counts, batch);
  return checkDrift(profile, counts)
    .columns.filter((c) => c.verdict !== 'stable')
    .map((c) => c.name);
}
