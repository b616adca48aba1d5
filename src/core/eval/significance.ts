/**
 * Paired significance tests for comparing two predictors on the same rows: McNemar (correct/incorrect
 * per row), DeLong (two correlated ROC AUCs), the paired t-test and the Wilcoxon signed-rank test (on
 * per-row losses), and a seeded paired bootstrap for any metric.
 *
 * The paired bootstrap is bootstrap.ts, re-exported here.
 *
 * Every p-value is two-sided. Reference values from SciPy 1.10 and an independent NumPy DeLong are in
 * test/unit/eval/significance.test.ts.
 */
import { binomialCdf, chiSquareSf, mean, normalTwoSidedP, studentTQuantile, studentTTwoSidedP, variance } from './stats.ts';

export { metricCi, pairedBootstrap, percentileInterval } from './bootstrap.ts';

// ---------------------------------------------------------------------------------------------
// McNemar

export interface McNemarResult {
  /** Rows A got right and B got wrong. */
  b: number;
  /** Rows A got wrong and B got right. */
  c: number;
  /** Exact test: min(b, c); chi-square test: (|b − c| − 1)² / (b + c). */
  statistic: number;
  pValue: number;
  /** True when the exact binomial test was used (b + c < 25). */
  exact: boolean;
}

/** Below this many discordant rows McNemar uses the exact binomial test (the chi-square is poor there). */
export const MCNEMAR_EXACT_BELOW = 25;

/**
 * McNemar's test from the two discordant counts. b + c < 25: exact two-sided binomial test
 * p = min(1, 2 P(X ≤ min(b, c))), X ~ Bin(b + c, ½). Otherwise the chi-square statistic with
 * Edwards' continuity correction, 1 degree of freedom. No discordant rows: p = 1.
 */
export function mcnemarFromCounts(b: number, c: number): McNemarResult {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) {
    throw new RangeError(`McNemar counts must be whole numbers >= 0 (got b=${b}, c=${c})`);
  }
  const n = b + c;
  if (n < MCNEMAR_EXACT_BELOW) {
    const k = Math.min(b, c);
    const pValue = n === 0 ? 1 : Math.min(1, 2 * binomialCdf(k, n, 0.5));
    return { b, c, statistic: k, pValue, exact: true };
  }
  const statistic = (Math.abs(b - c) - 1) ** 2 / n;
  return { b, c, statistic, pValue: chiSquareSf(statistic, 1), exact: false };
}

/** McNemar's test of two classifiers' per-row correctness against the true labels. */
export function mcnemar(y: ArrayLike<number>, predA: ArrayLike<number>, predB: ArrayLike<number>): McNemarResult {
  checkSameLength('McNemar', y.length, predA.length, predB.length);
  let b = 0;
  let c = 0;
  for (let i = 0; i < y.length; i++) {
    const okA = predA[i] === y[i];
    const okB = predB[i] === y[i];
    if (okA && !okB) b++;
    else if (!okA && okB) c++;
  }
  return mcnemarFromCounts(b, c);
}

// ---------------------------------------------------------------------------------------------
// DeLong

export interface DeLongResult {
  auc1: number;
  auc2: number;
  /** auc1 − auc2. */
  diff: number;
  /** Standard error of the difference. */
  se: number;
  z: number;
  pValue: number;
}

/**
 * DeLong, DeLong & Clarke-Pearson (1988) test for two correlated ROC AUCs measured on the same rows,
 * computed with the midrank algorithm of Sun & Xu (2014) in O(n log n). `y === positive` marks the
 * positive rows; higher scores mean "more positive". Ties count one half, like the AUC itself.
 * Throws when one class is absent (no AUC exists then).
 */
export function delongTest(y: ArrayLike<number>, scores1: ArrayLike<number>, scores2: ArrayLike<number>, positive = 1): DeLongResult {
  checkSameLength('DeLong', y.length, scores1.length, scores2.length);
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < y.length; i++) (y[i] === positive ? pos : neg).push(i);
  const m = pos.length;
  const n = neg.length;
  if (m === 0 || n === 0) {
    throw new RangeError(`DeLong's test needs both classes in y (found ${m} positive and ${n} negative rows)`);
  }
  const v10: Float64Array[] = [];
  const v01: Float64Array[] = [];
  const aucs: number[] = [];
  for (const s of [scores1, scores2]) {
    for (let i = 0; i < s.length; i++) {
      if (Number.isNaN(s[i])) throw new RangeError(`DeLong's test: score of row ${i} is NaN`);
    }
    const x = Float64Array.from(pos, (i) => s[i]);
    const yy = Float64Array.from(neg, (i) => s[i]);
    const z = new Float64Array(m + n);
    z.set(x);
    z.set(yy, m);
    const tx = midranks(x);
    const ty = midranks(yy);
    const tz = midranks(z);
    let sumPos = 0;
    for (let i = 0; i < m; i++) sumPos += tz[i];
    aucs.push((sumPos - (m * (m + 1)) / 2) / (m * n));
    // Structural components: V10[i] = share of negatives below positive i; V01[j] = share of
    // positives above negative j (ties one half).
    const a = new Float64Array(m);
    for (let i = 0; i < m; i++) a[i] = (tz[i] - tx[i]) / n;
    const b = new Float64Array(n);
    for (let j = 0; j < n; j++) b[j] = 1 - (tz[m + j] - ty[j]) / m;
    v10.push(a);
    v01.push(b);
  }
  // Var(auc1 − auc2) = [S10_11 + S10_22 − 2 S10_12] / m + [S01_11 + S01_22 − 2 S01_12] / n
  // with the sample covariances (denominator m − 1, n − 1) of the structural components.
  const d10 = new Float64Array(m);
  for (let i = 0; i < m; i++) d10[i] = v10[0][i] - v10[1][i];
  const d01 = new Float64Array(n);
  for (let j = 0; j < n; j++) d01[j] = v01[0][j] - v01[1][j];
  const var10 = m > 1 ? variance(d10, 1) : 0;
  const var01 = n > 1 ? variance(d01, 1) : 0;
  const se = Math.sqrt(Math.max(0, var10 / m + var01 / n));
  const diff = aucs[0] - aucs[1];
  const { z, pValue } = zTest(diff, se);
  return { auc1: aucs[0], auc2: aucs[1], diff, se, z, pValue };
}

/** Midranks (1-based average ranks for ties), like scipy.stats.rankdata. */
export function midranks(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a] - x[b]);
  const r = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && x[order[j + 1]] === x[order[i]]) j++;
    const avg = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) r[order[t]] = avg;
    i = j + 1;
  }
  return r;
}

/** z = diff / se with the degenerate cases spelled out: a zero SE gives p = 1 for no difference, 0 otherwise. */
function zTest(diff: number, se: number): { z: number; pValue: number } {
  if (se > 0) {
    const z = diff / se;
    return { z, pValue: normalTwoSidedP(z) };
  }
  if (diff === 0) return { z: 0, pValue: 1 };
  return { z: diff > 0 ? Infinity : -Infinity, pValue: 0 };
}

// ---------------------------------------------------------------------------------------------
// Paired t-test

export interface PairedTTestResult {
  n: number;
  /** Mean of a − b. */
  meanDiff: number;
  /** Sample SD of a − b. */
  sd: number;
  se: number;
  t: number;
  df: number;
  pValue: number;
  /** 95 % (or the requested level) confidence interval of the mean difference. */
  ci: [number, number];
}

/** Paired t-test of mean(a − b) = 0 (scipy.stats.ttest_rel), with a t confidence interval. */
export function pairedTTest(a: ArrayLike<number>, b: ArrayLike<number>, confidence = 0.95): PairedTTestResult {
  checkSameLength('paired t-test', a.length, b.length);
  const n = a.length;
  if (n < 2) throw new RangeError(`paired t-test needs at least 2 pairs (got ${n})`);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = a[i] - b[i];
  const meanDiff = mean(d);
  const sd = Math.sqrt(variance(d, 1));
  const se = sd / Math.sqrt(n);
  const df = n - 1;
  let t: number;
  let pValue: number;
  if (se > 0) {
    t = meanDiff / se;
    pValue = studentTTwoSidedP(t, df);
  } else {
    // Every difference is the same number: no spread, so either nothing differs or everything does.
    t = meanDiff === 0 ? 0 : meanDiff > 0 ? Infinity : -Infinity;
    pValue = meanDiff === 0 ? 1 : 0;
  }
  const q = studentTQuantile(0.5 + confidence / 2, df);
  return { n, meanDiff, sd, se, t, df, pValue, ci: [meanDiff - q * se, meanDiff + q * se] };
}

// ---------------------------------------------------------------------------------------------
// Wilcoxon signed-rank

export interface WilcoxonResult {
  /** Pairs that entered the ranking (non-zero differences for 'wilcox'; all for 'pratt'). */
  n: number;
  zeros: number;
  /** Sum of ranks of positive / negative differences. */
  wPlus: number;
  wMinus: number;
  /** min(W+, W−), as scipy reports for the two-sided test. */
  statistic: number;
  /** Normal-approximation z (NaN for the exact test). */
  z: number;
  pValue: number;
  exact: boolean;
}

export interface WilcoxonOptions {
  /**
   * 'wilcox' (default, SciPy's default): drop zero differences before ranking. 'pratt': rank them
   * with the others, then drop their ranks (Pratt 1959; normal mean and variance adjusted per Cureton 1967).
   */
  zeroMethod?: 'wilcox' | 'pratt';
  /** Continuity correction of ½ in the normal approximation (default false, like SciPy). */
  correction?: boolean;
  /** Largest n for the exact null distribution (used only when no ties and no zeros remain). Default 20. */
  exactMaxN?: number;
}

/**
 * Wilcoxon signed-rank test of the paired differences a − b, two-sided. Exact null distribution
 * for n ≤ 20 when the |differences| have no ties and no zeros enter the ranking; otherwise the normal
 * approximation with the tie correction of the variance (and the zero handling above).
 */
export function wilcoxonSignedRank(a: ArrayLike<number>, b: ArrayLike<number>, opts: WilcoxonOptions = {}): WilcoxonResult {
  checkSameLength('Wilcoxon signed-rank test', a.length, b.length);
  const zeroMethod = opts.zeroMethod ?? 'wilcox';
  const exactMaxN = opts.exactMaxN ?? 20;
  let d: number[] = [];
  for (let i = 0; i < a.length; i++) d.push(a[i] - b[i]);
  const zeros = d.filter((v) => v === 0).length;
  if (zeroMethod === 'wilcox') d = d.filter((v) => v !== 0);
  const n = d.length;
  if (n === 0 || zeros === n) {
    // No pair differs: nothing to test.
    return { n, zeros, wPlus: 0, wMinus: 0, statistic: 0, z: 0, pValue: 1, exact: false };
  }
  const ranks = midranks(d.map(Math.abs));
  let wPlus = 0;
  let wMinus = 0;
  for (let i = 0; i < n; i++) {
    if (d[i] > 0) wPlus += ranks[i];
    else if (d[i] < 0) wMinus += ranks[i];
  }
  const statistic = Math.min(wPlus, wMinus);
  const hasTies = new Set(d.map(Math.abs)).size < n;
  const zerosRanked = zeroMethod === 'pratt' ? zeros : 0;
  if (n <= exactMaxN && !hasTies && zerosRanked === 0) {
    return { n, zeros, wPlus, wMinus, statistic, z: NaN, pValue: wilcoxonExactP(wPlus, n), exact: true };
  }
  let mu = (n * (n + 1)) / 4;
  let v = n * (n + 1) * (2 * n + 1);
  if (zerosRanked > 0) {
    mu -= (zerosRanked * (zerosRanked + 1)) / 4;
    v -= zerosRanked * (zerosRanked + 1) * (2 * zerosRanked + 1);
  }
  // Tie correction over the ranks that count (the zeros' ranks are gone under Pratt).
  const counted = Array.from(ranks).filter((_, i) => d[i] !== 0);
  const groups = new Map<number, number>();
  for (const r of counted) groups.set(r, (groups.get(r) ?? 0) + 1);
  for (const t of groups.values()) if (t > 1) v -= 0.5 * t * (t * t - 1);
  const se = Math.sqrt(v / 24);
  const cc = opts.correction ? 0.5 * Math.sign(statistic - mu) : 0;
  const z = (statistic - mu - cc) / se;
  return { n, zeros, wPlus, wMinus, statistic, z, pValue: normalTwoSidedP(z), exact: false };
}

/** Exact two-sided p of W+ under H0 (every sign equally likely), by counting subsets per rank sum. */
function wilcoxonExactP(wPlus: number, n: number): number {
  const maxSum = (n * (n + 1)) / 2;
  // counts[s] = number of subsets of {1..n} with sum s; built one rank at a time.
  const counts = new Float64Array(maxSum + 1);
  counts[0] = 1;
  for (let r = 1; r <= n; r++) {
    for (let s = maxSum; s >= r; s--) counts[s] += counts[s - r];
  }
  const total = 2 ** n;
  const w = Math.round(wPlus);
  if (2 * w === maxSum) return 1;
  let le = 0;
  for (let s = 0; s <= w; s++) le += counts[s];
  let ge = 0;
  for (let s = w; s <= maxSum; s++) ge += counts[s];
  return Math.min(1, (2 * Math.min(le, ge)) / total);
}

function checkSameLength(what: string, ...lengths: number[]): void {
  if (lengths.some((l) => l !== lengths[0])) {
    throw new RangeError(`${what}: inputs must have the same number of rows (got ${lengths.join(', ')})`);
  }
}
