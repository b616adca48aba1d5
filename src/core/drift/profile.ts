/**
 * The training profile a bundle carries for its drift check: per input column, what its values
 * looked like in the rows the model was trained on, compactly (a few hundred numbers a column).
 *
 *   numeric and date columns: decile cut points and the share of non-missing rows in each bin,
 *                             the range [min, max], the missing rate;
 *   categorical and boolean:  the (up to MAX_PROFILE_LEVELS) most frequent levels' shares and the
 *                             rest's, every level seen (up to MAX_KNOWN_LEVELS), the share of rows
 *                             whose level occurs once (Good-Turing's estimate of how often a new
 *                             exchangeable row brings a level never seen), the missing rate;
 *   free text:                the missing rate only;
 *   predictions:              the same summary of the model's predictions on rows it never saw (the
 *                             test split): the value (regression), P(positive class) (binary), or the
 *                             predicted label (multiclass).
 */
import type { Column, Frame } from '../data/frame.ts';

export const PROFILE_BINS = 10;
export const MAX_PROFILE_LEVELS = 30;
export const MAX_KNOWN_LEVELS = 1000;

export interface NumericProfile {
  name: string;
  kind: 'numeric';
  /** Rows profiled (missing included). */
  rows: number;
  missingRate: number;
  /** Ascending interior cut points: bin b holds values ≤ edges[b] (and > edges[b − 1]). */
  edges: number[];
  /** Share of non-missing rows per bin (edges.length + 1 of them). */
  shares: number[];
  min: number;
  max: number;
}

export interface CategoricalProfile {
  name: string;
  kind: 'categorical';
  rows: number;
  missingRate: number;
  /** The most frequent levels; shares has one more entry, for every other level. */
  levels: string[];
  shares: number[];
  /** Every level seen, or null when there were more than MAX_KNOWN_LEVELS. */
  known: string[] | null;
  /** Share of non-missing rows whose level occurs once (Good-Turing: the chance a new row's level is unseen). */
  singletonShare: number;
}

export interface TextProfile {
  name: string;
  kind: 'text';
  rows: number;
  missingRate: number;
}

export type ColumnProfile = NumericProfile | CategoricalProfile | TextProfile;

export interface DriftProfile {
  columns: ColumnProfile[];
  /** The model's predictions on held-out rows (name 'prediction'). */
  predictions?: NumericProfile | CategoricalProfile;
}

/** Profile of `rows` of a frame's column. */
export function profileColumn(col: Column, rows: ArrayLike<number>): ColumnProfile {
  if (col.storage === 'numeric')
    return profileNumbers(
      col.name,
      Float64Array.from(rows as ArrayLike<number>, (r) => col.values[r]),
    );
  const labels: (string | null)[] = Array.from(rows as ArrayLike<number>, (r) => (col.codes[r] < 0 ? null : col.levels[col.codes[r]]));
  if (col.type === 'text' || col.type === 'identifier') {
    return { name: col.name, kind: 'text', rows: labels.length, missingRate: labels.filter((l) => l === null).length / Math.max(1, labels.length) };
  }
  return profileLabels(col.name, labels);
}

export function profileNumbers(name: string, values: Float64Array): NumericProfile {
  const present = values.filter((v) => !Number.isNaN(v)).sort();
  const n = present.length;
  const edges: number[] = [];
  for (let b = 1; b < PROFILE_BINS && n > 0; b++) {
    const e = present[Math.min(n - 1, Math.ceil((b * n) / PROFILE_BINS) - 1)];
    // The top value is no cut point: nothing would lie above it.
    if (e < present[n - 1] && (edges.length === 0 || e > edges[edges.length - 1])) edges.push(e);
  }
  const counts = new Float64Array(edges.length + 1);
  for (let i = 0; i < n; i++) counts[binIndex(edges, present[i])]++;
  return {
    name,
    kind: 'numeric',
    rows: values.length,
    missingRate: values.length ? (values.length - n) / values.length : 0,
    edges,
    shares: Array.from(counts, (c) => (n ? c / n : 0)),
    min: n ? present[0] : NaN,
    max: n ? present[n - 1] : NaN,
  };
}

export function profileLabels(name: string, labels: readonly (string | null)[]): CategoricalProfile {
  const freq = new Map<string, number>();
  let missing = 0;
  for (const l of labels) {
    if (l === null) missing++;
    else freq.set(l, (freq.get(l) ?? 0) + 1);
  }
  const n = labels.length - missing;
  const byCount = [...freq].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const top = byCount.slice(0, MAX_PROFILE_LEVELS);
  const rest = byCount.slice(MAX_PROFILE_LEVELS).reduce((a, [, c]) => a + c, 0);
  let singletons = 0;
  for (const [, c] of byCount) if (c === 1) singletons++;
  return {
    name,
    kind: 'categorical',
    rows: labels.length,
    missingRate: labels.length ? missing / labels.length : 0,
    levels: top.map(([l]) => l),
    shares: [...top.map(([, c]) => (n ? c / n : 0)), n ? rest / n : 0],
    known: freq.size <= MAX_KNOWN_LEVELS ? [...freq.keys()].sort() : null,
    singletonShare: n ? singletons / n : 0,
  };
}

/** The bin of a value (same rule as the conformal bins: a value at a cut point belongs below it). */
export function binIndex(edges: readonly number[], value: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (value <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The drift profile of a model's training rows: each input column over `rows`, and the predictions
 * it made on held-out rows (values, or rows × K probabilities with the class labels).
 */
export function buildDriftProfile(
  frame: Frame,
  inputs: readonly string[],
  rows: ArrayLike<number>,
  predictions?: { values: ArrayLike<number>; proba?: ArrayLike<number>; classes?: readonly string[] },
): DriftProfile {
  const columns = inputs.map((name) => {
    const col = frame.columns.find((c) => c.name === name);
    if (!col) throw new Error(`the drift profile needs column "${name}", which the data lacks`);
    return profileColumn(col, rows);
  });
  return { columns, predictions: predictions ? predictionProfile(predictions) : undefined };
}

/** What the drift check compares batch predictions with: see DriftProfile. */
export function predictionProfile(p: {
  values: ArrayLike<number>;
  proba?: ArrayLike<number>;
  classes?: readonly string[];
}): NumericProfile | CategoricalProfile {
  const classes = p.classes ?? [];
  if (!p.proba) return profileNumbers('prediction', Float64Array.from(p.values));
  if (classes.length === 2)
    return profileNumbers(
      'prediction',
      Float64Array.from({ length: p.values.length }, (_, i) => p.proba![i * 2 + 1]),
    );
  return profileLabels(
    'prediction',
    Array.from(p.values, (v) => classes[v]),
  );
}
