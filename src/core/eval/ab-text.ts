/**
 * The wording of the A/B comparison (ab.ts) and of the success criterion (success-criterion.ts): the
 * sentence with both values, the difference, its CI and the test's p-value, with as many decimals as
 * the numbers need to read consistently.
 */

/** The comparison's outcome for the model against the existing process. */
export type Verdict = 'better' | 'worse' | 'no-significant-difference';

export function abMessage(p: {
  verdict: Verdict;
  baselineName: string;
  label: string;
  greaterIsBetter: boolean;
  modelValue: number;
  baselineValue: number;
  diff: number;
  ci: [number, number];
  confidence: number;
  test: string;
  pValue: number;
  notes: string[];
}): string {
  const head =
    p.verdict === 'better'
      ? `The model beats ${p.baselineName}`
      : p.verdict === 'worse'
        ? `${capitalise(p.baselineName)} is better`
        : 'No significant difference';
  const dec = decimalsFor(p.modelValue, p.baselineValue, p.diff, p.ci);
  const direction = p.greaterIsBetter ? '' : 'lower is better; ';
  const body =
    `${p.label} ${fixed(p.modelValue, dec)} vs ${fixed(p.baselineValue, dec)} ` +
    `(${direction}${signed(p.diff, dec)}, ${confidenceLabel(p.confidence)} CI ${signed(p.ci[0], dec)} to ${signed(p.ci[1], dec)}; ` +
    `${p.test} p ${formatP(p.pValue)})`;
  const tail = p.notes.length > 0 ? ` ${p.notes.join(' ')}` : '';
  return `${head}: ${body}.${tail}`;
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function confidenceLabel(confidence: number): string {
  return `${Number((confidence * 100).toPrecision(3))} %`;
}

/**
 * Two to four decimals: one significant digit of the CI's half-width (so the interval's ends differ),
 * then more while the two rounded values would imply a different difference than the rounded diff.
 */
export function decimalsFor(modelValue: number, baselineValue: number, diff: number, ci: [number, number]): number {
  const halfWidth = Math.abs(ci[1] - ci[0]) / 2;
  const scale = halfWidth > 0 ? halfWidth : Math.abs(diff);
  let dec = scale > 0 && Number.isFinite(scale) ? Math.min(4, Math.max(2, Math.floor(-Math.log10(scale)) + 1)) : 2;
  const consistent = (d: number): boolean =>
    Math.abs(Number(modelValue.toFixed(d)) - Number(baselineValue.toFixed(d)) - Number(diff.toFixed(d))) < 0.5 * 10 ** -d;
  while (dec < 4 && !consistent(dec)) dec++;
  return dec;
}

export function decimalsOf(v: number): number {
  const s = String(v);
  const dot = s.indexOf('.');
  return dot < 0 || s.includes('e') ? 0 : s.length - dot - 1;
}

export function fixed(v: number, dec: number): string {
  return Number.isFinite(v) ? v.toFixed(dec).replace('-', '−') : String(v);
}

export function signed(v: number, dec: number): string {
  const s = fixed(v, dec);
  return v >= 0 && !s.startsWith('−') ? `+${s}` : s;
}

/** "< 0.001", or "= 0.034" with two significant digits (three near 0.05 so 0.0499 never reads 0.05). */
export function formatP(p: number): string {
  if (Number.isNaN(p)) return '= n/a';
  if (p < 0.001) return '< 0.001';
  let s = String(Number(p.toPrecision(2)));
  if (s === '0.05' && p !== 0.05) s = String(Number(p.toPrecision(3)));
  return `= ${s}`;
}
