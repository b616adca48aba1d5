/**
 * Words and numbers of the Compare step's A/B comparison, success check and explanations: decimals
 * that keep an interval's ends apart, signed differences, p-values, the baseline's name made short
 * enough for a table, and the layout of a row explanation's waterfall.
 */
import type { AbResult, Verdict } from '../../core/eval/ab.ts';
import type { MetricName } from '../../core/eval/metrics.ts';

const formatters = new Map<number, Intl.NumberFormat>();

/** A value with `dec` decimals, thousands grouped ("4,046"), and a true minus sign. */
export function fixed(v: number, dec: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '—' : v > 0 ? '∞' : '−∞';
  let f = formatters.get(dec);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: dec, maximumFractionDigits: dec });
    formatters.set(dec, f);
  }
  // -0.00 is not a negative number.
  return Number(v.toFixed(dec)) === 0 ? f.format(0) : f.format(v).replace('-', '−');
}

/** A difference with its sign always written: "+0.06", "−0.02", "0.00". */
export function signed(v: number, dec: number): string {
  const s = fixed(v, dec);
  return s.startsWith('−') || Number(v.toFixed(dec)) === 0 || !Number.isFinite(v) ? s : `+${s}`;
}

/**
 * Decimals for values reported with a confidence interval: one significant digit of the interval's
 * half-width (so its ends differ), at least `min` and at most `max`.
 */
export function intervalDecimals(ci: readonly [number, number], min = 2, max = 4): number {
  const half = Math.abs(ci[1] - ci[0]) / 2;
  if (!(half > 0) || !Number.isFinite(half)) return min;
  return Math.min(max, Math.max(min, Math.floor(-Math.log10(half)) + 1));
}

/**
 * Decimals for a whole comparison: the finest any of its intervals needs, then more (up to 4) while
 * the two rounded values would not subtract to the rounded difference (0.86 − 0.62 shown as +0.23).
 */
export function comparisonDecimals(ab: Pick<AbResult, 'metric' | 'ci' | 'modelCi' | 'baselineCi' | 'model' | 'baselineValue' | 'diff'>): number {
  const min = minDecimals(ab.metric);
  let dec = Math.max(intervalDecimals(ab.ci, min), intervalDecimals(ab.modelCi, min), intervalDecimals(ab.baselineCi, min));
  const consistent = (d: number): boolean =>
    Math.abs(Number(ab.model.toFixed(d)) - Number(ab.baselineValue.toFixed(d)) - Number(ab.diff.toFixed(d))) < 0.5 * 10 ** -d;
  while (dec < 4 && !consistent(dec)) dec++;
  return dec;
}

/**
 * Fewest decimals a metric is shown with: scores between 0 and 1 (and log loss) keep two; RMSE and
 * MAE are in the target's own unit, where "4,046" needs none.
 */
export function minDecimals(metric: MetricName): number {
  return metric === 'rmse' || metric === 'mae' ? 0 : 2;
}

/** "0.91–0.93" (an en dash; "−0.05 to +0.02" when `signs`, so a negative end stays readable). */
export function formatInterval(ci: readonly [number, number], dec: number, signs = false): string {
  return signs ? `${signed(ci[0], dec)} to ${signed(ci[1], dec)}` : `${fixed(ci[0], dec)}–${fixed(ci[1], dec)}`;
}

/** "p < 0.001", else "p = " and two significant digits (three next to 0.05, so 0.0499 never reads 0.05). */
export function pValueText(p: number): string {
  if (Number.isNaN(p)) return 'p not available';
  if (p < 0.001) return 'p < 0.001';
  let s = String(Number(p.toPrecision(2)));
  if (s === '0.05' && p !== 0.05) s = String(Number(p.toPrecision(3)));
  return `p = ${s}`;
}

export function verdictHeadline(verdict: Verdict): string {
  switch (verdict) {
    case 'better':
      return 'The model is better';
    case 'worse':
      return 'The existing process is better';
    case 'no-significant-difference':
      return 'No significant difference';
  }
}

/** Longest set of levels shown inside a rule's braces before it is cut. */
const MAX_SET_CHARS = 48;

/**
 * A baseline name short enough for a table and a sentence: a single-feature rule on a column with
 * many levels lists them all ("Name ∈ {Allen, Mr. William, …hundreds…}"); keep the first few.
 */
export function shortBaselineName(name: string, maxSet = MAX_SET_CHARS): string {
  return name.replace(/\{([^{}]*)\}/g, (whole, inside: string) => {
    if (inside.length <= maxSet) return whole;
    const cut = inside.lastIndexOf(', ', maxSet);
    return `{${inside.slice(0, cut > 0 ? cut : maxSet)}, …}`;
  });
}

/** The baseline's name to start a table row or a heading: "The existing process ("today")". */
export function baselineLabel(name: string): string {
  const short = shortBaselineName(name);
  return short.charAt(0).toUpperCase() + short.slice(1);
}

/** The engine's verdict sentence with the baseline's name shortened (wherever it appears, capitalised or not). */
export function shortVerdictMessage(ab: Pick<AbResult, 'message' | 'baseline'>): string {
  const full = ab.baseline;
  const short = shortBaselineName(full);
  if (short === full) return ab.message;
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return ab.message.split(cap(full)).join(cap(short)).split(full).join(short);
}

export function formatRows(n: number): string {
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(n);
}

/** "Sex = female", "Age = (missing)", or the bare label of an aggregate step. */
export function stepLabel(step: Pick<WaterfallStep, 'label' | 'value'>): string {
  if (step.value === null) return step.label;
  return `${step.label} = ${step.value === '' ? '(missing)' : step.value}`;
}

/**
 * Decimals for numbers drawn on an axis spanning `span`: enough to tell apart steps about a hundredth
 * of the span (0.4 → 3, 3 → 2, 20,000 → 0).
 */
export function decimalsForSpan(span: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 2;
  return Math.min(6, Math.max(0, 2 - Math.floor(Math.log10(span))));
}

/** The logistic function: a binary model's log-odds as a probability. */
export function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** How the explanation was computed, in words. */
export function methodLabel(method: 'tree-shap' | 'sampling-shap'): string {
  return method === 'tree-shap' ? 'exact Tree SHAP' : 'sampling SHAP (an approximation)';
}

export interface WaterfallStep {
  /** Column name, or "N other columns" for the rest taken together. */
  label: string;
  /** The row's value of the column as text ('' when missing), null for the aggregate or when unknown. */
  value: string | null;
  contribution: number;
  /** The running output before and after this step. */
  from: number;
  to: number;
  /** True for the aggregate of the smaller contributions. */
  rest: boolean;
}

/**
 * The steps of a waterfall from the base value to the prediction: the `max` largest contributions
 * in the order given (largest first), then the remaining ones summed into one step, so the bars end
 * exactly at base + Σ contributions.
 */
export function waterfallSteps(
  base: number,
  contributions: readonly { feature: string; value: number }[],
  values: Readonly<Record<string, string>> = {},
  max = 10,
): WaterfallStep[] {
  const steps: WaterfallStep[] = [];
  let at = base;
  const shown = contributions.length > max + 1 ? contributions.slice(0, max) : contributions;
  for (const c of shown) {
    steps.push({ label: c.feature, value: values[c.feature] ?? null, contribution: c.value, from: at, to: at + c.value, rest: false });
    at += c.value;
  }
  const rest = contributions.slice(shown.length);
  if (rest.length > 0) {
    const sum = rest.reduce((a, c) => a + c.value, 0);
    steps.push({ label: `${rest.length} other columns`, value: null, contribution: sum, from: at, to: at + sum, rest: true });
  }
  return steps;
}
