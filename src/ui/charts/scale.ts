/** Small helpers for the SVG charts: linear scales and round tick values. */

export interface Scale {
  (value: number): number;
  domain: [number, number];
}

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps to the middle of the range. */
export function linearScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const scale = ((value: number) => (span === 0 ? (r0 + r1) / 2 : r0 + ((value - d0) / span) * (r1 - r0))) as Scale;
  scale.domain = domain;
  return scale;
}

/** About `count` round tick values covering [min, max] (1, 2 or 5 times a power of ten apart). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (negligibleSpan(min, max)) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const first = Math.ceil(min / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= max + step * 1e-9; v += step) {
    const t = Number(v.toPrecision(12));
    if (ticks[ticks.length - 1] !== t) ticks.push(t);
  }
  return ticks;
}

/**
 * A span lost in float noise: the two ends agree to 12 significant digits. (A model compared with
 * itself as the champion differs from it by ~1e-16; ticks over that span all round to one value,
 * and a keyed list of them breaks the page.)
 */
function negligibleSpan(min: number, max: number): boolean {
  return Math.abs(max - min) <= 1e-12 * Math.max(Math.abs(min), Math.abs(max));
}

/** [min, max] of the finite values, widened by `pad` of the span (and made non-empty). */
export function extent(values: Iterable<number>, pad = 0.05): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return [0, 1];
  if (negligibleSpan(lo, hi)) {
    const d = Math.abs(lo) * 0.05 || 0.5;
    return [lo - d, hi + d];
  }
  const d = (hi - lo) * pad;
  return [lo - d, hi + d];
}

/** A tick label: short, no float noise. */
export function tickLabel(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(1);
  if (a >= 1000) return new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(v);
  return String(Number(v.toPrecision(4)));
}

/**
 * The axis range of an interval chart: every value and interval end with room on both sides (an eighth
 * of the span), so the whiskers' caps and the points never touch the chart's edges.
 */
export function intervalDomain(values: Iterable<number>): [number, number] {
  return extent(values, 0.125);
}
