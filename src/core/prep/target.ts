/**
 * The target column: which task it implies, which rows have it, and its encoding for estimators
 * (class indices 0..K-1 for classification, the value for regression).
 *
 * Task inference (`inferTask`), in order:
 * 1. a categorical / boolean / text column → classification: 2 distinct labels = binary, more = multiclass;
 * 2. a numeric column with exactly 2 distinct values → binary (0/1, 1/2, -1/1 …);
 * 3. a numeric column whose values are all whole numbers with at most 10 distinct values → multiclass
 *    (ratings, counts of cylinders); the user can override it to regression;
 * 4. any other numeric or datetime column → regression.
 * A target with one distinct value, or none, is an error: there is nothing to learn.
 *
 * Class order follows scikit-learn's LabelEncoder: sorted — numerically when every label is a number
 * (so "2" < "10"), else by string. The class set is read from every row that has a target, not just
 * the training rows: it is the definition of the problem (sklearn encodes labels before splitting too),
 * and it keeps class indices the same across every fold and split of one data set.
 */
import { columnByName, type Column, type Frame } from '../data/frame.ts';
import type { Task } from '../models/types.ts';
import { categoricalView, compareStrings, forRows, levelCounts, numericValues } from './columns.ts';

/** Whole-number targets with at most this many distinct values are treated as classes. */
export const MAX_INTEGER_CLASSES = 10;

export function inferTask(frame: Frame, target: string): Task {
  const col = columnByName(frame, target);
  if (col.storage === 'numeric' && col.type !== 'boolean') {
    const distinct = new Set<number>();
    let allIntegers = true;
    for (const v of col.values) {
      if (Number.isNaN(v)) continue;
      distinct.add(v);
      if (!Number.isInteger(v)) allIntegers = false;
    }
    checkDistinct(target, distinct.size, () => cellOf(col));
    if (col.type === 'datetime') return 'regression';
    if (distinct.size === 2) return 'binary';
    if (allIntegers && distinct.size <= MAX_INTEGER_CLASSES) return 'multiclass';
    return 'regression';
  }
  const counts = levelCounts(col);
  checkDistinct(target, counts.size, () => cellOf(col));
  return counts.size === 2 ? 'binary' : 'multiclass';
}

function checkDistinct(target: string, distinct: number, example: () => string): void {
  if (distinct === 0) throw new Error(`Target "${target}" has no values: every row is empty. Choose another target column.`);
  if (distinct === 1) {
    throw new Error(`Target "${target}" has the same value ("${example()}") in every row: there is nothing to predict. Choose another target column.`);
  }
}

function cellOf(col: Column): string {
  const { codes, levels } = categoricalView(col);
  for (const c of codes) if (c >= 0) return levels[c];
  return '';
}

/** Rows whose target is present (a model cannot learn from, or be scored on, the others). */
export function rowsWithTarget(frame: Frame, target: string): Int32Array {
  const col = columnByName(frame, target);
  const out: number[] = [];
  for (let i = 0; i < frame.rows; i++) {
    if (col.storage === 'numeric' ? !Number.isNaN(col.values[i]) : col.codes[i] >= 0) out.push(i);
  }
  return Int32Array.from(out);
}

/** The class labels of a classification target over `rows` (every row when omitted), in encoder order. */
export function targetClasses(frame: Frame, target: string, rows?: ArrayLike<number>): string[] {
  const labels = [...levelCounts(columnByName(frame, target), rows).keys()];
  return sortLabels(labels);
}

export function sortLabels(labels: string[]): string[] {
  const nums = labels.map((l) => (l.trim() === '' ? NaN : Number(l)));
  if (nums.every((v) => Number.isFinite(v))) {
    return labels
      .map((l, i) => ({ l, v: nums[i] }))
      .sort((a, b) => a.v - b.v || compareStrings(a.l, b.l))
      .map((e) => e.l);
  }
  return [...labels].sort(compareStrings);
}

export interface EncodedTarget {
  /** Class index or value per row, in the order of `rows`. */
  y: Float64Array;
  nClasses: number;
  /** Class labels (classification), [] for regression. */
  classes: string[];
}

/**
 * Encodes the target over `rows` (every row when omitted). A missing target, or a class not in
 * `classes`, is an error naming the row (1-based, as a spreadsheet shows it below the header).
 */
export function encodeTarget(frame: Frame, target: string, task: Task, classes: string[], rows?: ArrayLike<number>): EncodedTarget {
  const col = columnByName(frame, target);
  const n = rows ? rows.length : frame.rows;
  const y = new Float64Array(n);
  if (task === 'regression') {
    const values = numericValues(col);
    let k = 0;
    forRows(frame.rows, rows, (i) => {
      const v = values[i];
      if (Number.isNaN(v)) throw missingTarget(target, i);
      y[k++] = v;
    });
    return { y, nClasses: 0, classes: [] };
  }
  const index = new Map(classes.map((c, i) => [c, i]));
  const { codes, levels } = categoricalView(col);
  const byCode = levels.map((l) => index.get(l) ?? -1);
  let k = 0;
  forRows(frame.rows, rows, (i) => {
    const c = codes[i];
    if (c < 0) throw missingTarget(target, i);
    const cls = byCode[c];
    if (cls < 0) {
      throw new Error(`Target "${target}" has the label "${levels[c]}" in row ${i + 1}, which is not one of the model's classes (${classes.join(', ')}).`);
    }
    y[k++] = cls;
  });
  return { y, nClasses: classes.length, classes };
}

function missingTarget(target: string, row: number): Error {
  return new Error(`Target "${target}" is missing in row ${row + 1}; leave such rows out first (rowsWithTarget).`);
}
