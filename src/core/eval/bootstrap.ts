/**
 * A seeded paired bootstrap for any metric: both predictors' values and their difference on the same
 * resampled rows, with percentile intervals and a two-sided p-value; and one predictor's metric with
 * its interval (metricCi). Used through significance.ts, which re-exports it.
 */
import { Rng } from '../util/random.ts';
import { quantileSorted } from './stats.ts';

export interface BootstrapInterval {
  /** The statistic on the original rows. */
  estimate: number;
  /** Percentile interval of the resampled statistic. */
  ci: [number, number];
}

export interface PairedBootstrapOptions {
  /** Number of rows. */
  n: number;
  /**
   * The two statistics [a, b] on the resampled rows `idx` (length n, drawn with replacement; the
   * same rows for both, which is what makes the bootstrap paired). NaN (e.g. an AUC on a resample
   * with one class) marks a resample to skip.
   */
  statistic: (idx: Int32Array) => [number, number];
  /** Default 2000. */
  resamples?: number;
  seed: number;
  /** Default 0.95. */
  confidence?: number;
}

export interface PairedBootstrapResult {
  a: BootstrapInterval;
  b: BootstrapInterval;
  /** a − b. */
  diff: BootstrapInterval;
  /**
   * Two-sided bootstrap p-value of "diff = 0": twice the smaller share of resampled differences on
   * either side of 0 (ties at 0 count on both sides), with the (1 + count) / (1 + B) convention so a
   * finite bootstrap never reports p = 0 (the floor is about 2 / B).
   */
  pValue: number;
  /** Resamples used (requested minus skipped). */
  resamples: number;
  skipped: number;
}

/** Seeded paired percentile bootstrap of two statistics measured on the same rows and of their difference. */
export function pairedBootstrap(opts: PairedBootstrapOptions): PairedBootstrapResult {
  const { n, statistic, seed } = opts;
  const resamples = opts.resamples ?? 2000;
  const confidence = opts.confidence ?? 0.95;
  checkBootstrapArgs(n, resamples, confidence);
  const full = new Int32Array(n);
  for (let i = 0; i < n; i++) full[i] = i;
  const [a0, b0] = statistic(full);
  const rng = new Rng(seed);
  const idx = new Int32Array(n);
  const as: number[] = [];
  const bs: number[] = [];
  const ds: number[] = [];
  let skipped = 0;
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    const [a, b] = statistic(idx);
    if (Number.isNaN(a) || Number.isNaN(b)) {
      skipped++;
      continue;
    }
    as.push(a);
    bs.push(b);
    ds.push(a - b);
  }
  const used = ds.length;
  let le = 0;
  let ge = 0;
  for (const d of ds) {
    if (d <= 0) le++;
    if (d >= 0) ge++;
  }
  const pValue = used === 0 ? NaN : Math.min(1, (2 * (1 + Math.min(le, ge))) / (1 + used));
  return {
    a: { estimate: a0, ci: percentileInterval(as, confidence) },
    b: { estimate: b0, ci: percentileInterval(bs, confidence) },
    diff: { estimate: a0 - b0, ci: percentileInterval(ds, confidence) },
    pValue,
    resamples: used,
    skipped,
  };
}

export interface MetricCiOptions {
  n: number;
  /** The statistic on resampled rows `idx`; NaN skips the resample. */
  statistic: (idx: Int32Array) => number;
  resamples?: number;
  seed: number;
  confidence?: number;
}

/** Seeded percentile bootstrap confidence interval (default 95 %, 2000 resamples) of one statistic. */
export function metricCi(opts: MetricCiOptions): BootstrapInterval & { resamples: number; skipped: number } {
  const res = pairedBootstrap({
    n: opts.n,
    seed: opts.seed,
    resamples: opts.resamples,
    confidence: opts.confidence,
    statistic: (idx) => {
      const v = opts.statistic(idx);
      return [v, v];
    },
  });
  return { estimate: res.a.estimate, ci: res.a.ci, resamples: res.resamples, skipped: res.skipped };
}

/** The two-sided percentile interval of resampled values ([NaN, NaN] when there are none). */
export function percentileInterval(values: number[], confidence: number): [number, number] {
  if (values.length === 0) return [NaN, NaN];
  const sorted = Float64Array.from(values).sort();
  const alpha = 1 - confidence;
  return [quantileSorted(sorted, alpha / 2), quantileSorted(sorted, 1 - alpha / 2)];
}

function checkBootstrapArgs(n: number, resamples: number, confidence: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`bootstrap needs at least one row (got n=${n})`);
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`bootstrap resamples must be a whole number >= 1 (got ${resamples})`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be between 0 and 1 (got ${confidence})`);
}
