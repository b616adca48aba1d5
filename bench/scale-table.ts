/**
 * A seeded binary-classification table of any size with known structure, for the large-table
 * benchmark (`npm run bench:scale`) and the large-table tests:
 *   x1…x20   numeric; x5 has 5 % missing values (missingness carries signal too);
 *   c1…c4    10-level categoricals with skewed frequencies;
 *   c5       a 200-level categorical whose levels carry a random effect (a high-cardinality column);
 *   y        "yes"/"no" from a logistic model with an interaction (x1·x2), a sine (sin 2·x3), a
 *            threshold (x4 > 0.5), main effects of a few columns and of the categoricals, plus noise.
 * A linear model cannot represent the interaction, the sine or the threshold, so trees should win.
 * Row i depends only on (seed, i): the first N rows of a larger table are the table of N rows.
 *
 * `npx tsx bench/scale-table.ts <rows> <out.csv> [--seed S]` writes one.
 */
import fs from 'node:fs';
import { Rng } from '../src/core/util/random.ts';

export const SCALE_TARGET = 'y';

const NUMERIC = 20;
const SMALL_CATS = 4;
const SMALL_LEVELS = 10;
const BIG_LEVELS = 200;

export function scaleHeader(): string {
  const names: string[] = [];
  for (let j = 1; j <= NUMERIC; j++) names.push(`x${j}`);
  for (let j = 1; j <= SMALL_CATS; j++) names.push(`c${j}`);
  names.push('c5', SCALE_TARGET);
  return names.join(',');
}

/** Fixed per-level effects, drawn once from the seed. */
function levelEffects(seed: number): { small: Float64Array[]; big: Float64Array } {
  const rng = new Rng(seed ^ 0x51ce);
  const small = Array.from({ length: SMALL_CATS }, () => Float64Array.from({ length: SMALL_LEVELS }, () => rng.normal() * 0.5));
  const big = Float64Array.from({ length: BIG_LEVELS }, () => rng.normal() * 0.8);
  return { small, big };
}

/** Skewed level choice: level k with probability ∝ 1/(k+1). */
function skewedLevel(u: number, levels: number): number {
  let total = 0;
  for (let k = 0; k < levels; k++) total += 1 / (k + 1);
  let acc = 0;
  for (let k = 0; k < levels; k++) {
    acc += 1 / (k + 1) / total;
    if (u < acc) return k;
  }
  return levels - 1;
}

/** Writes rows [from, to) as CSV lines (no header) through `write`. */
export function scaleRows(from: number, to: number, seed: number, write: (chunk: string) => void): void {
  const effects = levelEffects(seed);
  const x = new Float64Array(NUMERIC);
  let lines: string[] = [];
  for (let i = from; i < to; i++) {
    const rng = new Rng((seed * 2654435761 + i * 97) >>> 0);
    for (let j = 0; j < NUMERIC; j++) x[j] = rng.normal();
    const missing5 = rng.next() < 0.05;
    const cats = Array.from({ length: SMALL_CATS }, () => skewedLevel(rng.next(), SMALL_LEVELS));
    const big = Math.min(BIG_LEVELS - 1, Math.floor(rng.next() ** 1.5 * BIG_LEVELS));
    let logit = -0.4 + 1.2 * x[0] * x[1] + 1.5 * Math.sin(2 * x[2]) + (x[3] > 0.5 ? 1 : -0.3) + 0.6 * x[5] - 0.4 * x[6] + 0.3 * x[7];
    logit += missing5 ? 0.8 : 0.4 * x[4];
    for (let c = 0; c < SMALL_CATS; c++) logit += effects.small[c][cats[c]];
    logit += effects.big[big];
    logit += rng.normal() * 0.5;
    const positive = rng.next() < 1 / (1 + Math.exp(-logit));
    const cells: string[] = [];
    for (let j = 0; j < NUMERIC; j++) cells.push(j === 4 && missing5 ? '' : x[j].toFixed(4));
    for (let c = 0; c < SMALL_CATS; c++) cells.push(`${String.fromCharCode(97 + c)}${cats[c]}`);
    cells.push(`L${big}`, positive ? 'yes' : 'no');
    lines.push(cells.join(','));
    if (lines.length === 5000) {
      write(lines.join('\n') + '\n');
      lines = [];
    }
  }
  if (lines.length > 0) write(lines.join('\n') + '\n');
}

/** The whole table as a string (small sizes: tests). */
export function scaleCsv(rows: number, seed = 1): string {
  const parts = [scaleHeader() + '\n'];
  scaleRows(0, rows, seed, (c) => parts.push(c));
  return parts.join('');
}

/** Writes the table to `file` (any size: streamed). */
export function writeScaleCsv(file: string, rows: number, seed = 1): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, scaleHeader() + '\n');
    scaleRows(0, rows, seed, (c) => fs.writeSync(fd, c));
  } finally {
    fs.closeSync(fd);
  }
}

if (process.argv[1] && /scale-table\.ts$/.test(process.argv[1])) {
  const rows = Number(process.argv[2]);
  const out = process.argv[3];
  const seedAt = process.argv.indexOf('--seed');
  const seed = seedAt > 0 ? Number(process.argv[seedAt + 1]) : 1;
  if (!Number.isInteger(rows) || rows <= 0 || !out) {
    console.error('usage: tsx bench/scale-table.ts <rows> <out.csv> [--seed S]');
    process.exit(2);
  }
  const t = Date.now();
  writeScaleCsv(out, rows, seed);
  console.log(`${out}: ${rows} rows, ${(fs.statSync(out).size / 1e6).toFixed(1)} MB in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
