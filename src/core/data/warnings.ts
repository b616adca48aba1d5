/**
 * Data-quality warnings: per column (constant, id-like, high-cardinality, heavy-missing, numeric-code),
 * for the whole table (duplicate-rows), and for a chosen target (class-imbalance, leakage).
 */
import { columnByName, type Column, type Frame } from './frame.ts';
import type { ColumnProfile, Warning } from './profile-types.ts';
import { sortFloat64 } from './sort.ts';
import { clipText, quoteName } from '../export/runtime/message-text.ts';

const HIGH_CARDINALITY = 50;
const HEAVY_MISSING = 0.5;
/** A feature that predicts the target at least this well on its own is suspected of leaking it. */
export const LEAKAGE_SCORE = 0.98;
/** Minority / majority class size below this is an imbalance worth a warning (1 : 4). */
export const IMBALANCE_RATIO = 0.25;
/** Rows looked at for target warnings (an even stride through the table): plenty for a 0.98 threshold. */
const TARGET_SAMPLE = 100_000;

const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

export function columnWarnings(col: Column, p: ColumnProfile, rows: number, sorted: Float64Array | null): Warning[] {
  const out: Warning[] = [];
  // Messages show at most 60 characters of the name (a header can be one 5 MB name); `column` keeps it whole.
  const name = clipText(col.name);
  const nonMissing = rows - p.missing;
  const warn = (kind: string, message: string) => out.push({ column: col.name, kind, message });

  if (rows > 1 && p.distinct <= 1) {
    warn(
      'constant',
      p.distinct === 0 ? `${name} has no values: every cell is missing.` : `${name} has the same value in every non-missing row, so it carries no information.`,
    );
  }
  if (p.missing > HEAVY_MISSING * rows) {
    warn('heavy-missing', `${name} is ${pct(p.missing, rows)} missing (${p.missing} of ${rows} rows).`);
  }

  if (col.type === 'identifier') {
    warn('id-like', `${name} is unique per row (an identifier): it cannot generalise to new rows and is not used as a feature.`);
  } else if (col.type === 'categorical') {
    if (p.distinct > HIGH_CARDINALITY && p.distinct >= 0.5 * nonMissing) {
      warn('id-like', `${name} has ${p.distinct} distinct values in ${nonMissing} rows, nearly one per row, like an ID: it will hardly generalise.`);
    } else if (p.distinct > HIGH_CARDINALITY) {
      warn('high-cardinality', `${name} has ${p.distinct} distinct levels: one-hot encoding would add that many columns (rare levels are best grouped).`);
    }
  } else if (col.type === 'numeric' && sorted && sorted.length >= 20) {
    // The whole-number scan runs only for the two shapes that need it.
    const allDistinct = p.distinct === sorted.length && p.missing === 0;
    const fewSmall = p.distinct >= 2 && p.distinct <= 10 && sorted[0] >= 1 && sorted[sorted.length - 1] <= 20;
    const integers = (allDistinct || fewSmall) && sorted.every(Number.isInteger);
    if (integers && allDistinct) {
      warn('id-like', `${name} holds a different whole number in every row, like an ID; check it is a real measurement.`);
    } else if (integers && fewSmall) {
      const shown = [...new Set(sorted)].join(', ');
      warn(
        'numeric-code',
        `${name} holds only ${p.distinct} whole numbers (${shown}): probably a category code; treat it as categorical if the order means nothing.`,
      );
    }
  }
  return out;
}

export function duplicateRowsWarning(duplicates: number, rows: number, idsIgnored: boolean): Warning | null {
  if (duplicates === 0) return null;
  return {
    kind: 'duplicate-rows',
    message: `${duplicates} row(s) (${pct(duplicates, rows)}) repeat an earlier row exactly${idsIgnored ? ' (identifier columns ignored)' : ''}; duplicates can inflate test scores.`,
  };
}

/** The task a target implies: classes when categorical/boolean or a few whole numbers (≤ 20, < 5 % of rows). */
export function targetIsClassification(col: Column): boolean {
  if (col.storage === 'categorical') return true;
  if (col.type === 'datetime') return false;
  const seen = new Set<number>();
  let present = 0;
  for (const v of col.values) {
    if (v !== v) continue;
    present++;
    if (!Number.isInteger(v)) return false;
    if (seen.size <= 20) seen.add(v);
  }
  return seen.size <= 20 && seen.size < Math.max(3, 0.05 * present);
}

/**
 * Warnings that depend on the chosen target: `class-imbalance` (a class under 1 : 4 of the largest, a
 * class with under 10 rows, or a single class) and `leakage` (a single feature that predicts the target
 * almost perfectly: univariate ROC AUC, or class purity of its levels/bins, or R² / η² >= 0.98).
 */
export function targetWarnings(frame: Frame, target: string): Warning[] {
  const y = columnByName(frame, target);
  const out: Warning[] = [];
  const rows = sampleRows(frame.rows, (i) => !isMissingAt(y, i));
  const missing = frame.rows - countPresent(y);
  if (missing > 0) {
    out.push({
      column: target,
      kind: 'target-missing',
      message: `${clipText(target)} is missing in ${missing} row(s); those rows are left out of training and testing.`,
    });
  }
  if (rows.length === 0) return out;

  const classification = targetIsClassification(y);
  let labels: Int32Array | null = null;
  let classes: string[] = [];
  if (classification) {
    ({ labels, classes } = classLabels(y, rows));
    out.push(...imbalanceWarnings(target, labels, classes));
  }

  // Row → its index in the sample, to find each feature's present rows' labels.
  const pos = new Int32Array(frame.rows).fill(-1);
  rows.forEach((r, k) => (pos[r] = k));
  for (const x of frame.columns) {
    if (x === y || x.type === 'identifier' || x.type === 'text') continue;
    const present = rows.filter((i) => !isMissingAt(x, i));
    if (present.length < 20) continue;
    const sub = present.map((r) => pos[r]);
    const score = classification
      ? classificationScore(x, present, sub, labels!, classes.length)
      : regressionScore(x, present, (y as { values: Float64Array }).values);
    if (score && score.value >= LEAKAGE_SCORE) {
      out.push({
        column: x.name,
        kind: 'leakage',
        message: `${clipText(x.name)} alone predicts ${clipText(target)} almost perfectly (${score.measure} ${score.value.toFixed(3)}): it may be derived from the target or only known afterwards. Check it, and drop it if so.`,
      });
    }
  }
  return out;
}

function isMissingAt(col: Column, i: number): boolean {
  return col.storage === 'numeric' ? col.values[i] !== col.values[i] : col.codes[i] < 0;
}

function countPresent(col: Column): number {
  let n = 0;
  for (let i = 0; i < (col.storage === 'numeric' ? col.values.length : col.codes.length); i++) if (!isMissingAt(col, i)) n++;
  return n;
}

/** Up to TARGET_SAMPLE rows passing `keep`, evenly spread (deterministic). */
function sampleRows(n: number, keep: (i: number) => boolean): number[] {
  const step = Math.max(1, n / TARGET_SAMPLE);
  const out: number[] = [];
  for (let t = 0; t < n; t += step) {
    const i = Math.floor(t);
    if (keep(i)) out.push(i);
  }
  return out;
}

function classLabels(y: Column, rows: number[]): { labels: Int32Array; classes: string[] } {
  const index = new Map<string, number>();
  const classes: string[] = [];
  const labels = new Int32Array(rows.length);
  rows.forEach((r, k) => {
    const key = y.storage === 'numeric' ? String(y.values[r]) : y.levels[y.codes[r]];
    let c = index.get(key);
    if (c === undefined) {
      c = classes.length;
      index.set(key, c);
      classes.push(key);
    }
    labels[k] = c;
  });
  return { labels, classes };
}

function imbalanceWarnings(target: string, labels: Int32Array, classes: string[]): Warning[] {
  const counts = new Array<number>(classes.length).fill(0);
  for (const c of labels) counts[c]++;
  const n = labels.length;
  if (classes.length === 1) {
    return [
      { column: target, kind: 'class-imbalance', message: `${clipText(target)} has a single class (${quoteName(classes[0])}): there is nothing to predict.` },
    ];
  }
  const order = counts.map((_, i) => i).sort((a, b) => counts[b] - counts[a]);
  const major = order[0];
  const minor = order[order.length - 1];
  const tiny = order.filter((c) => counts[c] < 10);
  const parts: string[] = [];
  if (counts[minor] < IMBALANCE_RATIO * counts[major]) {
    parts.push(`${quoteName(classes[minor])} is ${pct(counts[minor], n)} of rows against ${pct(counts[major], n)} for ${quoteName(classes[major])}`);
  }
  if (tiny.length) {
    const listed = tiny
      .slice(0, 5)
      .map((c) => quoteName(classes[c]))
      .join(', ');
    const more = tiny.length > 5 ? ` and ${tiny.length - 5} more classes` : '';
    parts.push(`${listed}${more} ha${tiny.length === 1 ? 's' : 've'} fewer than 10 rows`);
  }
  if (!parts.length) return [];
  return [
    {
      column: target,
      kind: 'class-imbalance',
      message: `${clipText(target)} is imbalanced: ${parts.join('; ')}. Accuracy will flatter a model; prefer balanced accuracy or ROC AUC (splits are stratified).`,
    },
  ];
}

interface Score {
  measure: string;
  value: number;
}

function classificationScore(x: Column, rows: number[], sub: number[], labels: Int32Array, k: number): Score | null {
  const y = Int32Array.from(sub, (s) => labels[s]);
  if (x.storage === 'numeric') {
    const v = Float64Array.from(rows, (r) => x.values[r]);
    if (k === 2) {
      const auc = binaryAuc(v, y);
      return { measure: 'univariate ROC AUC', value: Math.max(auc, 1 - auc) };
    }
    return groupPurity(quantileBins(v), y, k, 'class purity of its value bins');
  }
  const codes = Int32Array.from(rows, (r) => x.codes[r]);
  return groupPurity(codes, y, k, 'class purity of its levels');
}

function regressionScore(x: Column, rows: number[], target: Float64Array): Score | null {
  const y = Float64Array.from(rows, (r) => target[r]);
  if (x.storage === 'numeric') {
    const v = Float64Array.from(rows, (r) => x.values[r]);
    const r = pearson(v, y);
    return { measure: 'R²', value: r * r };
  }
  const codes = Int32Array.from(rows, (r) => x.codes[r]);
  const groups = new Map<number, { n: number; sum: number }>();
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i];
  mean /= y.length;
  for (let i = 0; i < codes.length; i++) {
    const g = groups.get(codes[i]) ?? { n: 0, sum: 0 };
    g.n++;
    g.sum += y[i];
    groups.set(codes[i], g);
  }
  // Too many levels for their rows and any grouping "explains" the target: say nothing.
  if (groups.size > y.length / 10) return null;
  let total = 0;
  for (let i = 0; i < y.length; i++) total += (y[i] - mean) ** 2;
  let between = 0;
  for (const g of groups.values()) between += g.n * (g.sum / g.n - mean) ** 2;
  return total > 0 ? { measure: 'η² (R² of its level means)', value: between / total } : null;
}

/**
 * How much better than the majority class the feature's groups predict the classes:
 * (purity - baseline) / (1 - baseline), purity = share of rows in their group's majority class.
 * 1 means every group holds one class; also called a 1:1 (or n:1) level mapping.
 */
function groupPurity(groups: Int32Array, y: Int32Array, k: number, measure: string): Score | null {
  const byGroup = new Map<number, Int32Array>();
  for (let i = 0; i < groups.length; i++) {
    let counts = byGroup.get(groups[i]);
    if (!counts) byGroup.set(groups[i], (counts = new Int32Array(k)));
    counts[y[i]]++;
  }
  if (byGroup.size > groups.length / 10) return null;
  const total = new Int32Array(k);
  let right = 0;
  for (const counts of byGroup.values()) {
    let best = 0;
    counts.forEach((c, j) => {
      total[j] += c;
      if (c > best) best = c;
    });
    right += best;
  }
  const n = groups.length;
  const baseline = Math.max(...total) / n;
  if (baseline >= 1) return null;
  return { measure, value: (right / n - baseline) / (1 - baseline) };
}

/** Up to 20 bins of about equal counts; equal values always share a bin. */
function quantileBins(v: Float64Array): Int32Array {
  const sorted = sortFloat64(v.slice());
  const bins = Math.max(2, Math.min(20, Math.floor(v.length / 10)));
  const cuts: number[] = [];
  for (let b = 1; b < bins; b++) cuts.push(sorted[Math.floor((b * sorted.length) / bins)]);
  return Int32Array.from(v, (x) => {
    let lo = 0;
    let hi = cuts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cuts[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  });
}

/** ROC AUC of the values as a score for class 1 (ties count one half), by rank sums. */
export function binaryAuc(v: Float64Array, y: Int32Array): number {
  const n = v.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a] - v[b]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && v[order[j + 1]] === v[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) {
      if (y[order[t]] === 1) {
        positives++;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

function pearson(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}
