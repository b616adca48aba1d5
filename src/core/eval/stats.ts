/**
 * Distribution functions for Sieve's significance tests: normal, Student t, chi-square, binomial, and
 * the special functions under them (log-gamma, regularised incomplete gamma and beta).
 *
 * Pure TypeScript, no dependencies. Accuracy (checked against SciPy 1.10 in test/unit/eval/stats.test.ts):
 * about 1e-14 relative in the body of each distribution and better than 1e-12 relative in the tails
 * used for p-values. Every "Sf" (survival function, 1 − CDF) is computed directly, never as 1 − cdf,
 * so small p-values keep their digits.
 */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln Γ(x) for x > 0 (Lanczos approximation, g = 7, 9 terms: ~1e-15 relative); reflection for x < 0.5.
 */
export function logGamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x === 1 || x === 2) return 0; // exact, where the approximation would leave ~1e-16
  if (x < 0.5) {
    // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i] / (z + i);
  return LOG_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln of the binomial coefficient C(n, k). */
export function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

// ---------------------------------------------------------------------------------------------
// Regularised incomplete gamma P(a, x) and Q(a, x) = 1 − P(a, x).

const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITER = 10_000;

/** Regularised lower incomplete gamma P(a, x) = γ(a, x) / Γ(a). */
export function gammaP(a: number, x: number): number {
  checkGammaArgs(a, x);
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  // The series converges fast below a + 1, the continued fraction above (Numerical Recipes §6.2).
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** Regularised upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a), computed without cancellation. */
export function gammaQ(a: number, x: number): number {
  checkGammaArgs(a, x);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

function checkGammaArgs(a: number, x: number): void {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`incomplete gamma needs a > 0 and x >= 0 (got a=${a}, x=${x})`);
}

function gammaSeries(a: number, x: number): number {
  let ap = a;
  let sum = 1 / a;
  let del = sum;
  for (let n = 0; n < MAX_ITER; n++) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (Math.abs(del) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Q(a, x) by the Legendre continued fraction, evaluated with the modified Lentz method. */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

// ---------------------------------------------------------------------------------------------
// Regularised incomplete beta I_x(a, b).

/** Regularised incomplete beta I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1. */
export function betaInc(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) {
    throw new RangeError(`incomplete beta needs a, b > 0 and 0 <= x <= 1 (got x=${x}, a=${a}, b=${b})`);
  }
  if (x === 0) return 0;
  if (x === 1) return 1;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  // The continued fraction converges quickly for x < (a + 1) / (a + b + 2); use the symmetry
  // I_x(a, b) = 1 − I_{1−x}(b, a) on the other side.
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

// ---------------------------------------------------------------------------------------------
// Normal distribution.

/** erfc(x) for any real x, via the incomplete gamma function (erfc(x) = Q(1/2, x²) for x ≥ 0). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= 0) return x === 0 ? 1 : gammaQ(0.5, x * x);
  return 1 + gammaP(0.5, x * x);
}

/** erf(x). */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  return x >= 0 ? gammaP(0.5, x * x) : -gammaP(0.5, x * x);
}

/** Standard normal CDF Φ(x); accurate in relative terms far into the lower tail. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Standard normal survival function 1 − Φ(x), accurate in the upper tail. */
export function normalSf(x: number): number {
  return 0.5 * erfc(x / Math.SQRT2);
}

/** Two-sided p-value of a z statistic: 2 (1 − Φ(|z|)). */
export function normalTwoSidedP(z: number): number {
  if (Number.isNaN(z)) return NaN;
  return Math.min(1, 2 * normalSf(Math.abs(z)));
}

/**
 * Standard normal quantile Φ⁻¹(p). Acklam's rational approximation (relative error 1.2e-9) refined by
 * one Halley step on the accurate CDF above, which brings it to ~1e-15.
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) throw new RangeError(`normal quantile needs 0 <= p <= 1 (got ${p})`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  // Work in the lower half and mirror, so the refinement step compares small numbers with small numbers.
  if (p > 0.5) return -normalQuantileLower(1 - p);
  return normalQuantileLower(p);
}

function normalQuantileLower(p: number): number {
  let x: number;
  if (p < ACKLAM_P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((AC[0] * q + AC[1]) * q + AC[2]) * q + AC[3]) * q + AC[4]) * q + AC[5]) / ((((AD[0] * q + AD[1]) * q + AD[2]) * q + AD[3]) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((AA[0] * r + AA[1]) * r + AA[2]) * r + AA[3]) * r + AA[4]) * r + AA[5]) * q) /
      (((((AB[0] * r + AB[1]) * r + AB[2]) * r + AB[3]) * r + AB[4]) * r + 1);
  }
  // Halley refinement (Acklam): e = Φ(x) − p; u = e / φ(x).
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

const ACKLAM_P_LOW = 0.02425;
const AA = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const AB = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const AC = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const AD = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

// ---------------------------------------------------------------------------------------------
// Student t.

/** Student t CDF with `df` > 0 degrees of freedom (df may be fractional). */
export function studentTCdf(t: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = studentTTail(Math.abs(t), df);
  return t >= 0 ? 1 - tail : tail;
}

/** Two-sided p-value of a t statistic: P(|T| ≥ |t|). */
export function studentTTwoSidedP(t: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(t)) return NaN;
  if (!Number.isFinite(t)) return 0;
  return Math.min(1, 2 * studentTTail(Math.abs(t), df));
}

/** P(T > t) for t ≥ 0: ½ I_{df/(df+t²)}(df/2, 1/2). */
function studentTTail(t: number, df: number): number {
  if (t === 0) return 0.5;
  // For very large df the t is a normal to double precision, and the beta argument would round to 1.
  if (df > 1e10) return normalSf(t);
  const x = df / (df + t * t);
  return 0.5 * betaInc(x, df / 2, 0.5);
}

/** Student t quantile (inverse CDF), by Newton steps on the CDF from a normal start, safeguarded by bisection. */
export function studentTQuantile(p: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(p) || p < 0 || p > 1) throw new RangeError(`t quantile needs 0 <= p <= 1 (got ${p})`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p > 0.5) return -studentTQuantile(1 - p, df);
  // Lower half: the root is negative. Bracket it, then Newton with bisection fallback.
  let lo = -1;
  while (studentTCdf(lo, df) > p) lo *= 2;
  let hi = 0;
  let x = Math.max(lo, Math.min(hi, normalQuantile(p)));
  for (let i = 0; i < 200; i++) {
    const f = studentTCdf(x, df) - p;
    if (f > 0) hi = x;
    else lo = x;
    const step = f / studentTPdf(x, df);
    let next = x - step;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-15 * Math.max(1, Math.abs(x))) return next;
    x = next;
  }
  return x;
}

/** Student t density. */
export function studentTPdf(t: number, df: number): number {
  checkDf(df);
  const logC = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logC - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

function checkDf(df: number): void {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0 (got ${df})`);
}

// ---------------------------------------------------------------------------------------------
// Chi-square.

/** Chi-square CDF with `df` degrees of freedom: P(df/2, x/2). */
export function chiSquareCdf(x: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 0;
  return gammaP(df / 2, x / 2);
}

/** Chi-square survival function (the p-value of a chi-square statistic): Q(df/2, x/2). */
export function chiSquareSf(x: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  return gammaQ(df / 2, x / 2);
}

// ---------------------------------------------------------------------------------------------
// Binomial.

/** P(X = k) for X ~ Binomial(n, p). */
export function binomialPmf(k: number, n: number, p: number): number {
  checkBinomial(n, p);
  if (!Number.isInteger(k) || k < 0 || k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  return Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

/**
 * P(X ≤ k) for X ~ Binomial(n, p), exact: the terms are summed from the smaller tail (pmf by
 * log-gamma), which keeps full relative precision for the small probabilities tests care about.
 * Meant for n up to a few thousand (McNemar's exact test uses it for n < 25).
 */
export function binomialCdf(k: number, n: number, p: number): number {
  checkBinomial(n, p);
  if (k < 0) return 0;
  if (k >= n) return 1;
  const kk = Math.floor(k);
  const mean = n * p;
  if (kk <= mean) {
    let s = 0;
    for (let i = 0; i <= kk; i++) s += binomialPmf(i, n, p);
    return Math.min(1, s);
  }
  return Math.max(0, 1 - binomialSf(kk, n, p));
}

/** P(X > k) for X ~ Binomial(n, p), exact. */
export function binomialSf(k: number, n: number, p: number): number {
  checkBinomial(n, p);
  if (k < 0) return 1;
  if (k >= n) return 0;
  const kk = Math.floor(k);
  if (kk + 1 >= n * p) {
    let s = 0;
    for (let i = kk + 1; i <= n; i++) s += binomialPmf(i, n, p);
    return Math.min(1, s);
  }
  return Math.max(0, 1 - binomialCdf(kk, n, p));
}

function checkBinomial(n: number, p: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`binomial n must be a whole number >= 0 (got ${n})`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binomial p must be in [0, 1] (got ${p})`);
}

// ---------------------------------------------------------------------------------------------
// Small descriptive helpers shared by the tests of this folder.

/** Arithmetic mean (NaN for an empty input). */
export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return x.length > 0 ? s / x.length : NaN;
}

/** Sample variance with `ddof` delta degrees of freedom (1: unbiased; 0: population). */
export function variance(x: ArrayLike<number>, ddof = 1): number {
  const n = x.length;
  if (n - ddof <= 0) return NaN;
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i] - m) ** 2;
  return s / (n - ddof);
}

/**
 * Quantile of already-sorted values with linear interpolation between order statistics
 * (numpy's default "linear" method, R type 7).
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (n === 1) return sorted[0];
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const frac = pos - lo;
  return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
}
