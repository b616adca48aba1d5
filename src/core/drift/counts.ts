/**
 * Running counts of scored rows against a training profile: per column the rows, missing cells,
 * rows per profile bin (or level), values outside the training range and levels never seen; the same
 * for the predictions. Counts add up, and subtract: one batch (a CSV file, scored in parts) or the
 * last N requests of serve.mjs (a window that drops its oldest request) are both one DriftCounts.
 */
import type { Frame } from '../data/frame.ts';
import { binIndex, type CategoricalProfile, type ColumnProfile, type DriftProfile, type NumericProfile } from './profile.ts';

/** Unseen levels kept by name per column (the rest are counted in unseenRows only). */
const MAX_UNSEEN_NAMED = 50;

export interface ColumnCounts {
  rows: number;
  missing: number;
  /** Rows per profile bin or level (+ "other" for categorical); [] for text. */
  bins: number[];
  /** Numeric: values below the training minimum or above its maximum. */
  outOfRange: number;
  /** Categorical: rows whose level the training rows never had, and those levels (up to 50) with their rows. */
  unseenRows: number;
  unseen: Record<string, number>;
}

export interface DriftCounts {
  columns: ColumnCounts[];
  predictions?: ColumnCounts;
}

function emptyColumn(p: ColumnProfile | NumericProfile | CategoricalProfile): ColumnCounts {
  return {
    rows: 0,
    missing: 0,
    bins: p.kind === 'text' ? [] : new Array(p.shares.length).fill(0),
    outOfRange: 0,
    unseenRows: 0,
    unseen: Object.create(null) as Record<string, number>,
  };
}

export function emptyCounts(profile: DriftProfile): DriftCounts {
  return { columns: profile.columns.map(emptyColumn), predictions: profile.predictions ? emptyColumn(profile.predictions) : undefined };
}

/** A numeric value (NaN: missing) into the counts. */
function addNumber(p: NumericProfile, c: ColumnCounts, v: number): void {
  c.rows++;
  if (Number.isNaN(v)) {
    c.missing++;
    return;
  }
  c.bins[binIndex(p.edges, v)]++;
  if (v < p.min || v > p.max) c.outOfRange++;
}

/** Per-level lookups of a categorical profile, built once per profile. */
const lookups = new WeakMap<CategoricalProfile, { bin: Map<string, number>; known: Set<string> | null }>();

function lookupOf(p: CategoricalProfile) {
  let l = lookups.get(p);
  if (!l) {
    l = { bin: new Map(p.levels.map((name, i) => [name, i])), known: p.known ? new Set(p.known) : null };
    lookups.set(p, l);
  }
  return l;
}

function addLabel(p: CategoricalProfile, c: ColumnCounts, label: string | null, times = 1): void {
  c.rows += times;
  if (label === null) {
    c.missing += times;
    return;
  }
  const { bin, known } = lookupOf(p);
  c.bins[bin.get(label) ?? p.levels.length] += times;
  if (known && !known.has(label)) {
    c.unseenRows += times;
    if (label in c.unseen || Object.keys(c.unseen).length < MAX_UNSEEN_NAMED) c.unseen[label] = (c.unseen[label] ?? 0) + times;
  }
}

/**
 * Adds a frame's rows (every row, or those listed) to the counts: columns by name (a column the frame
 * lacks is left alone), and the predictions made for those rows (values, or rows × K probabilities).
 */
export function addFrame(
  profile: DriftProfile,
  counts: DriftCounts,
  frame: Frame,
  predictions?: { values: ArrayLike<number>; proba?: ArrayLike<number>; classes?: readonly string[] },
): void {
  profile.columns.forEach((p, j) => {
    const col = frame.columns.find((c) => c.name === p.name);
    if (!col) return;
    const c = counts.columns[j];
    if (p.kind === 'numeric') {
      if (col.storage === 'numeric') for (let r = 0; r < frame.rows; r++) addNumber(p, c, col.values[r]);
      else for (let r = 0; r < frame.rows; r++) addNumber(p, c, col.codes[r] < 0 ? NaN : Number(col.levels[col.codes[r]]));
    } else if (p.kind === 'categorical') {
      if (col.storage === 'categorical') {
        // Per level, not per row: a batch's codes are counted first, then each level looked up once.
        const perCode = new Float64Array(col.levels.length);
        let missing = 0;
        for (let r = 0; r < frame.rows; r++) {
          const code = col.codes[r];
          if (code < 0) missing++;
          else perCode[code]++;
        }
        if (missing) addLabel(p, c, null, missing);
        perCode.forEach((n, code) => n && addLabel(p, c, col.levels[code], n));
      } else for (let r = 0; r < frame.rows; r++) addLabel(p, c, Number.isNaN(col.values[r]) ? null : String(col.values[r]));
    } else {
      c.rows += frame.rows;
      for (let r = 0; r < frame.rows; r++) if (col.storage === 'numeric' ? Number.isNaN(col.values[r]) : col.codes[r] < 0) c.missing++;
    }
  });
  if (predictions && profile.predictions && counts.predictions) addPredictions(profile.predictions, counts.predictions, predictions);
}

function addPredictions(
  p: NumericProfile | CategoricalProfile,
  c: ColumnCounts,
  pred: { values: ArrayLike<number>; proba?: ArrayLike<number>; classes?: readonly string[] },
): void {
  const n = pred.values.length;
  if (p.kind === 'numeric') {
    if (pred.proba) for (let i = 0; i < n; i++) addNumber(p, c, pred.proba[i * 2 + 1]);
    else for (let i = 0; i < n; i++) addNumber(p, c, pred.values[i]);
  } else for (let i = 0; i < n; i++) addLabel(p, c, pred.classes?.[pred.values[i]] ?? String(pred.values[i]));
}

/** a += sign · b, column by column (sign −1: drop a request that left serve.mjs's window). */
export function mergeCounts(a: DriftCounts, b: DriftCounts, sign: 1 | -1 = 1): void {
  const merge = (x: ColumnCounts, y: ColumnCounts) => {
    x.rows += sign * y.rows;
    x.missing += sign * y.missing;
    x.outOfRange += sign * y.outOfRange;
    x.unseenRows += sign * y.unseenRows;
    for (let i = 0; i < x.bins.length; i++) x.bins[i] += sign * y.bins[i];
    for (const [level, n] of Object.entries(y.unseen)) {
      const v = (x.unseen[level] ?? 0) + sign * n;
      if (v > 0) {
        if (level in x.unseen || Object.keys(x.unseen).length < MAX_UNSEEN_NAMED) x.unseen[level] = v;
      } else delete x.unseen[level];
    }
  };
  a.columns.forEach((x, j) => merge(x, b.columns[j]));
  if (a.predictions && b.predictions) merge(a.predictions, b.predictions);
}
