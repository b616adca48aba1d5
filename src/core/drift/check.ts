/**
 * The drift check: scored rows (their DriftCounts) against the training profile, per column and for
 * the predictions, with a verdict in words.
 *
 * Per column:
 *   PSI = Σ (a − e)·ln(a / e) over the profile's bins (non-missing values; a: the batch's shares,
 *        e: training's), in the usual bands: < 0.1 stable, 0.1–0.25 moderate, > 0.25 major;
 *   the share of values outside the training range, levels never seen in training, and the change
 *   of the missing rate.
 *
 * Sampling noise. A small batch drawn from the very training distribution still has a PSI above
 * zero: n·PSI is close to a χ² variable with (bins − 1) degrees of freedom (PSI is the symmetric
 * Kullback–Leibler divergence, ≈ Pearson's χ²/n for small differences), scaled by (1/n + 1/m) when
 * the training profile itself came from m rows. So a band counts only when the PSI also passes
 * that χ²'s 99.9th percentile (`psiNoise`): 200 rows and 10 bins give a noise level of ≈ 0.15, so
 * no such batch is called "moderate" for noise alone; on 10,000 rows the noise level is ≈ 0.003 and
 * the bands decide. The other checks are gated the same way, at α = 0.001 per check and column:
 *   out of range: an exchangeable new value falls outside the training range [min, max] of m values
 *                 with probability 2/(m + 1); flagged when the count is beyond Poisson's 99.9th
 *                 percentile of that and at least 1 % of the rows (moderate; 5 %: major);
 *   unseen:       Good-Turing: a new level appears with probability ≈ the share of training rows
 *                 whose level occurs once; flagged likewise (moderate from 1 % of rows, major 5 %);
 *   missing rate: a two-proportion z test (|z| > 3.29) and a change of at least 2 points
 *                 (moderate; 10 points: major).
 */
import type { ColumnCounts, DriftCounts } from './counts.ts';
import type { CategoricalProfile, ColumnProfile, DriftProfile, NumericProfile } from './profile.ts';

export type DriftLevel = 'stable' | 'moderate' | 'major';

export interface ColumnDrift {
  name: string;
  /** null for free-text columns (no distribution is profiled). */
  psi: number | null;
  /** PSI that sampling noise alone reaches with probability 0.001 at these row counts. */
  psiNoise: number | null;
  outOfRangeShare: number;
  /** Distinct levels the training rows never had (categorical columns). */
  unseenCategories: number;
  /** Up to 50 of them, most frequent first, with their share of the rows. */
  unseenExamples: { level: string; share: number }[];
  /** Share of rows with a level never seen. */
  unseenShare: number;
  /** Batch missing rate − training missing rate. */
  missingRateChange: number;
  verdict: DriftLevel;
  /** Why (empty when stable). */
  reasons: string[];
  /** For the histograms: bin labels, training shares, batch shares (non-missing values). */
  bins: { labels: string[]; before: number[]; after: number[] };
}

export interface DriftReport {
  rows: number;
  /** The worst column's level (or the predictions'). */
  level: DriftLevel;
  /** One line in words. */
  verdict: string;
  columns: ColumnDrift[];
  predictions?: { psi: number; psiNoise: number; verdict: DriftLevel; bins: ColumnDrift['bins'] };
}

const Z_999 = 3.090232;
const Z_TWO_SIDED_999 = 3.290527;
const ORDER: Record<DriftLevel, number> = { stable: 0, moderate: 1, major: 2 };
const worst = (a: DriftLevel, b: DriftLevel): DriftLevel => (ORDER[b] > ORDER[a] ? b : a);

/** χ² quantile at 0.999 with k degrees of freedom (Wilson–Hilferty: within a few % for k ≥ 1). */
export function chiSquare999(k: number): number {
  if (k <= 0) return 0;
  const h = 2 / (9 * k);
  return k * (1 - h + Z_999 * Math.sqrt(h)) ** 3;
}

/** The smallest count k with P(Poisson(λ) ≥ k) < 0.001. */
export function poissonCritical(lambda: number): number {
  let p = Math.exp(-lambda);
  let cdf = p;
  let k = 0;
  while (1 - cdf >= 0.001 && k < 1e6) {
    k++;
    p *= lambda / k;
    cdf += p;
  }
  return k + 1;
}

/** PSI between training shares and batch counts, with half-row smoothing of empty bins. */
export function psiOf(expected: readonly number[], counts: readonly number[], trainRows: number): number {
  const n = counts.reduce((a, b) => a + b, 0);
  if (n === 0) return 0;
  const floorE = 0.5 / Math.max(1, trainRows);
  let psi = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i], floorE);
    const a = Math.max(counts[i], 0.5) / n;
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}

function psiBand(psi: number, noise: number): DriftLevel {
  if (!(psi > noise)) return 'stable';
  return psi > 0.25 ? 'major' : psi >= 0.1 ? 'moderate' : 'stable';
}

function distribution(p: NumericProfile | CategoricalProfile, c: ColumnCounts) {
  const present = c.rows - c.missing;
  const trainPresent = Math.max(1, Math.round(p.rows * (1 - p.missingRate)));
  const psi = psiOf(p.shares, c.bins, trainPresent);
  const dof = p.shares.filter((s) => s > 0).length - 1 + (p.kind === 'categorical' ? 1 : 0);
  const noise = present > 0 ? chiSquare999(Math.max(1, dof)) * (1 / present + 1 / trainPresent) : Infinity;
  return { psi, noise, present, bins: { labels: binLabels(p), before: [...p.shares], after: c.bins.map((b) => (present ? b / present : 0)) } };
}

function binLabels(p: NumericProfile | CategoricalProfile): string[] {
  if (p.kind === 'categorical') return [...p.levels, 'other'];
  const f = (v: number) => Number(v.toPrecision(3)).toString();
  const edges = p.edges;
  return Array.from({ length: edges.length + 1 }, (_, b) =>
    b === 0 ? `≤ ${f(edges[0] ?? p.max)}` : b === edges.length ? `> ${f(edges[b - 1])}` : `${f(edges[b - 1])} – ${f(edges[b])}`,
  );
}

export function checkColumn(p: ColumnProfile, c: ColumnCounts): ColumnDrift {
  const reasons: string[] = [];
  let verdict: DriftLevel = 'stable';
  const flag = (level: DriftLevel, why: string) => {
    if (level === 'stable') return;
    verdict = worst(verdict, level);
    reasons.push(why);
  };
  const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
  // Missing rate: two-proportion z test (pooled, with a pseudo-row each so that 0 % vs 0 % stays calm).
  const rate = c.rows ? c.missing / c.rows : 0;
  const change = rate - p.missingRate;
  const pooled = (c.missing + p.missingRate * p.rows + 1) / (c.rows + p.rows + 2);
  const z = Math.abs(change) / Math.sqrt(pooled * (1 - pooled) * (1 / Math.max(1, c.rows) + 1 / Math.max(1, p.rows)));
  if (c.rows > 0 && z > Z_TWO_SIDED_999 && Math.abs(change) >= 0.02) {
    flag(Math.abs(change) >= 0.1 ? 'major' : 'moderate', `missing rate ${pct(p.missingRate)} → ${pct(rate)}`);
  }
  let psi: number | null = null;
  let psiNoise: number | null = null;
  let outOfRangeShare = 0;
  let unseenShare = 0;
  let bins: ColumnDrift['bins'] = { labels: [], before: [], after: [] };
  if (p.kind !== 'text') {
    const d = distribution(p, c);
    psi = d.psi;
    psiNoise = d.noise;
    bins = d.bins;
    const band = psiBand(d.psi, d.noise);
    flag(band, `PSI ${d.psi.toFixed(3)}`);
    if (p.kind === 'numeric' && d.present > 0) {
      outOfRangeShare = c.outOfRange / d.present;
      const expected = (d.present * 2) / (Math.round(p.rows * (1 - p.missingRate)) + 1);
      if (c.outOfRange >= poissonCritical(expected) && outOfRangeShare >= 0.01) {
        flag(outOfRangeShare >= 0.05 ? 'major' : 'moderate', `${pct(outOfRangeShare)} outside the training range ${p.min} – ${p.max}`);
      }
    }
    if (p.kind === 'categorical' && d.present > 0 && p.known) {
      unseenShare = c.unseenRows / d.present;
      if (c.unseenRows >= poissonCritical(d.present * p.singletonShare) && unseenShare >= 0.01) {
        flag(unseenShare >= 0.05 ? 'major' : 'moderate', `${pct(unseenShare)} of rows with levels never seen in training`);
      }
    }
  }
  const present = Math.max(1, c.rows - c.missing);
  return {
    name: p.name,
    psi,
    psiNoise,
    outOfRangeShare,
    unseenCategories: Object.keys(c.unseen).length + (c.unseenRows > 0 && Object.keys(c.unseen).length === 0 ? 1 : 0),
    unseenExamples: Object.entries(c.unseen)
      .sort((a, b) => b[1] - a[1])
      .map(([level, n]) => ({ level, share: n / present })),
    unseenShare,
    missingRateChange: change,
    verdict,
    reasons,
    bins,
  };
}

export function checkDrift(profile: DriftProfile, counts: DriftCounts): DriftReport {
  const columns = profile.columns.map((p, j) => checkColumn(p, counts.columns[j]));
  const rows = counts.columns[0]?.rows ?? counts.predictions?.rows ?? 0;
  let predictions: DriftReport['predictions'];
  if (profile.predictions && counts.predictions && counts.predictions.rows > 0) {
    const d = distribution(profile.predictions, counts.predictions);
    predictions = { psi: d.psi, psiNoise: d.noise, verdict: psiBand(d.psi, d.noise), bins: d.bins };
  }
  let level: DriftLevel = predictions?.verdict ?? 'stable';
  for (const c of columns) level = worst(level, c.verdict);
  return { rows, level, verdict: verdictLine(rows, columns, predictions), columns, predictions };
}

function verdictLine(rows: number, columns: ColumnDrift[], predictions: DriftReport['predictions']): string {
  const major = columns.filter((c) => c.verdict === 'major').map((c) => c.name);
  const moderate = columns.filter((c) => c.verdict === 'moderate').map((c) => c.name);
  const list = (names: string[]) => (names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', '));
  const pred = predictions ? `; predictions ${predictions.verdict === 'stable' ? 'stable' : `shifted (PSI ${predictions.psi.toFixed(2)})`}` : '';
  if (major.length === 0 && moderate.length === 0) {
    return `No drift: ${columns.length} columns of ${rows.toLocaleString('en-US')} rows look like the training data${pred}.`;
  }
  const parts = [major.length ? `major drift in ${list(major)}` : '', moderate.length ? `moderate drift in ${list(moderate)}` : ''].filter(Boolean);
  const advice = major.length
    ? ': the rows no longer look like the training rows, so the coverage guarantee may not hold; retrain on recent data'
    : ': watch these columns';
  return `${parts.join('; ')}${pred}${advice}.`.replace(/^./, (c) => c.toUpperCase());
}
