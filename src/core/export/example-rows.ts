/**
 * The example rows a bundle ships (example.csv, and the first of them in the model card's snippets).
 *
 * A bundle leaves the machine: it is mailed, committed, put on a server. Copying training rows into it
 * would publish records of real people or customers next to the model, so by default the rows are
 * synthetic, drawn column by column (seeded, so the same run gives the same bundle) from what the
 * training data shows about each input column:
 *
 *   numbers     the inverse of the empirical distribution between its 5th and 95th percentiles (no
 *               extreme value, which could single out a record), rounded to the data's precision and
 *               to three significant digits of that spread (whole numbers for whole-number columns)
 *   dates       the same, rounded to the data's granularity (days, hours, minutes or seconds)
 *   categories  a level, as often as the data has it, among levels seen in at least 5 rows (the most
 *   booleans    frequent levels when none is that common): a rare level could identify its one row
 *   free text   words found in at least 5 rows, as many as a typical value has
 *   missing     as often as the column is missing in the data
 *
 * A drawn row equal to a training row in every input column is drawn again (a row too common to
 * avoid is dropped), so no example row is one of the training rows. Real rows (the first rows of the
 * file, as they are) are the exporter's explicit choice: BundleInput.realExamples.
 */
import { cellText, takeRows, type Column, type Frame } from '../data/frame.ts';
import { samplePositions } from '../eval/split.ts';
import { levelCounts, sortedPresent } from '../data/stats.ts';
import { quantileSorted } from '../eval/stats.ts';
import { Rng } from '../util/random.ts';
import { frameRows } from './rows.ts';
import type { Row } from './runtime/types.ts';

/** Levels and words must be seen in this many rows to appear in a synthetic row. */
export const MIN_SHARED_ROWS = 5;
/** Draws per row before a row that keeps matching a training row is given up. */
const MAX_TRIES = 50;

export interface ExampleRows {
  rows: Row[];
  /** 'synthetic': drawn from the columns' distributions; 'real': the first rows of the training data. */
  source: 'synthetic' | 'real';
}

/** `count` example rows of the input columns: synthetic unless `real`. */
export function exampleRows(frame: Frame, inputs: readonly string[], opts: { count: number; seed: number; real?: boolean }): ExampleRows {
  const count = Math.max(0, Math.min(opts.count, frame.rows));
  if (opts.real)
    return {
      rows: frameRows(
        frame,
        inputs,
        Int32Array.from({ length: count }, (_, i) => i),
      ),
      source: 'real',
    };
  return { rows: syntheticRows(frame, inputs, count, opts.seed), source: 'synthetic' };
}

/** Rows the distributions are learned from: a large table is sampled evenly (sorting 1M values per column costs seconds). */
const SAMPLER_ROWS = 50_000;

/**
 * Seeded synthetic rows, none equal to a row of `frame` in the input columns. Candidates are drawn
 * first (distinct), then one pass over the frame strikes out any that equals a row — no key per row
 * is built, so a million-row table costs one comparison of a cell or two per candidate and row.
 */
export function syntheticRows(frame: Frame, inputs: readonly string[], count: number, seed: number): Row[] {
  const rng = new Rng((seed ^ 0x6578616d) >>> 0);
  const source = frame.rows > SAMPLER_ROWS ? takeRows(frame, samplePositions(frame.rows, SAMPLER_ROWS, 0)) : frame;
  const samplerColumns = inputs.map((name) => source.columns.find((c) => c.name === name));
  const samplers = samplerColumns.map((col) => (col ? samplerFor(col, source.rows) : () => null));
  const columns = inputs.map((name) => frame.columns.find((c) => c.name === name));
  const out: Row[] = [];
  const seen = new Set<string>();
  for (let round = 0; round < MAX_TRIES && out.length < count; round++) {
    const candidates: (number | string | null)[][] = [];
    for (let t = 0; t < 4 * (count - out.length); t++) {
      const values = samplers.map((draw) => draw(rng));
      const key = values.map((v) => (v === null ? '' : String(v))).join('\u0000');
      if (seen.has(key)) continue;
      seen.add(key);
      candidates.push(values);
    }
    const free = candidates.map(() => true);
    const matchers = candidates.map((values) => values.map((v, j) => cellMatcher(columns[j], v)));
    for (let r = 0; r < frame.rows; r++) {
      for (let k = 0; k < candidates.length; k++) {
        if (free[k] && matchers[k].every((m) => m(r))) free[k] = false;
      }
    }
    for (let k = 0; k < candidates.length && out.length < count; k++) {
      if (!free[k]) continue;
      const values = candidates[k];
      const row: Row = {};
      // defineProperty: a column called "__proto__" must stay an ordinary key (as in rows.ts).
      inputs.forEach((name, j) => Object.defineProperty(row, name, { value: values[j], enumerable: true, writable: true, configurable: true }));
      out.push(row);
    }
  }
  return out;
}

/** Whether row r of `col` holds `value` as its text would show it (cellText's equality, without building the text). */
function cellMatcher(col: Column | undefined, value: number | string | null): (r: number) => boolean {
  if (!col) return () => value === null;
  if (col.storage === 'numeric') {
    if (value === null) return (r) => Number.isNaN(col.values[r]);
    if (typeof value === 'number') return (r) => col.values[r] === value;
    // A date drawn as ISO text: the same instant, compared as milliseconds.
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? (r) => cellText(col, r) === value : (r) => col.values[r] === ms;
  }
  const code = value === null ? -1 : col.levels.indexOf(String(value));
  if (value !== null && code < 0) return () => false;
  return value === null ? (r) => col.codes[r] < 0 : (r) => col.codes[r] === code;
}

type Sampler = (rng: Rng) => number | string | null;

function samplerFor(col: Column, rows: number): Sampler {
  const value =
    col.storage === 'numeric'
      ? numericSampler(col.values, col.type === 'datetime')
      : col.type === 'text'
        ? textSampler(col.codes, col.levels)
        : levelSampler(col.codes, col.levels);
  const present =
    col.storage === 'numeric' ? col.values.reduce((n, v) => (Number.isNaN(v) ? n : n + 1), 0) : col.codes.reduce((n, c) => (c < 0 ? n : n + 1), 0);
  const missingShare = rows > 0 ? 1 - present / rows : 1;
  return (rng) => {
    // Always draw both, so one column's missingness does not shift the others' draws.
    const missing = rng.next() < missingShare;
    const v = value(rng);
    return missing ? null : v;
  };
}

function numericSampler(values: Float64Array, datetime: boolean): Sampler {
  const sorted = sortedPresent(values);
  if (sorted.length === 0) return () => null;
  const lo = quantileSorted(sorted, 0.05);
  const hi = quantileSorted(sorted, 0.95);
  const round = datetime ? dateRounding(sorted) : numberRounding(sorted, lo, hi);
  return (rng) => {
    const v = round(quantileSorted(sorted, 0.05 + 0.9 * rng.next()));
    return datetime ? new Date(v).toISOString() : v;
  };
}

/** Rounds to the data's decimals and to three significant digits of its 5–95 % spread. */
function numberRounding(sorted: Float64Array, lo: number, hi: number): (x: number) => number {
  let whole = 0;
  let decimals = 0;
  const stride = Math.max(1, Math.floor(sorted.length / 2000));
  let seen = 0;
  for (let i = 0; i < sorted.length; i += stride) {
    const v = sorted[i];
    seen++;
    if (Number.isInteger(v)) whole++;
    else decimals = Math.max(decimals, decimalPlaces(v));
  }
  // Mostly whole numbers (ages with a few "0.42"): whole numbers.
  if (whole >= 0.9 * seen) return (x) => Math.round(x);
  const spread = hi - lo || sorted[sorted.length - 1] - sorted[0];
  let exponent = spread > 0 ? Math.floor(Math.log10(spread)) - 2 : -decimals;
  exponent = Math.max(exponent, -Math.min(decimals, 6));
  const digits = Math.max(0, -exponent);
  const step = 10 ** exponent;
  return (x) => Number((Math.round(x / step) * step).toFixed(digits));
}

function decimalPlaces(v: number): number {
  const s = String(v);
  const e = s.indexOf('e-');
  if (e >= 0) return Math.min(20, Number(s.slice(e + 2)) + (s.indexOf('.') >= 0 ? e - s.indexOf('.') - 1 : 0));
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/** Rounds epoch milliseconds to the coarsest unit every value is a whole multiple of. */
function dateRounding(sorted: Float64Array): (x: number) => number {
  const units = [86_400_000, 3_600_000, 60_000, 1000, 1];
  const unit = units.find((u) => sorted.every((v) => v % u === 0)) ?? 1;
  return (x) => Math.round(x / unit) * unit;
}

/** Levels seen in at least MIN_SHARED_ROWS rows (else the most frequent), drawn as often as seen. */
function levelSampler(codes: Int32Array, levels: string[]): Sampler {
  const { counts } = levelCounts(codes, levels.length);
  const max = counts.reduce((a, b) => Math.max(a, b), 0);
  if (max === 0) return () => null;
  const floor = Math.min(MIN_SHARED_ROWS, max);
  const pool = levels.map((level, i) => ({ level, weight: counts[i] })).filter((x) => x.weight >= floor);
  return weighted(
    pool.map((x) => x.level),
    pool.map((x) => x.weight),
  );
}

/** Free text as words shared by at least MIN_SHARED_ROWS rows, about as many as a typical value has. */
function textSampler(codes: Int32Array, levels: string[]): Sampler {
  const { counts } = levelCounts(codes, levels.length);
  const rowsWithWord = new Map<string, number>();
  const lengths: number[] = [];
  levels.forEach((text, i) => {
    if (counts[i] === 0) return;
    const words = text.match(/[\p{L}\p{N}']+/gu) ?? [];
    lengths.push(words.length);
    for (const w of new Set(words)) rowsWithWord.set(w, (rowsWithWord.get(w) ?? 0) + counts[i]);
  });
  const common = [...rowsWithWord].filter(([, n]) => n >= MIN_SHARED_ROWS);
  if (common.length === 0) return () => null;
  lengths.sort((a, b) => a - b);
  const typical = Math.min(12, Math.max(1, lengths[Math.floor(lengths.length / 2)]));
  const word = weighted(
    common.map(([w]) => w),
    common.map(([, n]) => n),
  );
  return (rng) => Array.from({ length: typical }, () => word(rng)).join(' ');
}

function weighted(items: string[], weights: number[]): (rng: Rng) => string {
  const cumulative: number[] = [];
  let total = 0;
  for (const w of weights) cumulative.push((total += w));
  return (rng) => {
    const u = rng.next() * total;
    let i = 0;
    while (i < cumulative.length - 1 && cumulative[i] <= u) i++;
    return items[i];
  };
}
