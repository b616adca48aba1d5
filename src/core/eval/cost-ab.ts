/**
 * The A/B comparison in the user's cost units: the expected cost per 1,000 cases of the model's labels
 * (at its tuned threshold) against the existing process's labels on the same test rows, the difference
 * with a paired bootstrap interval, and a success criterion stated in savings ("saves at least S per
 * 1,000 cases compared with the existing process").
 */
import { Rng } from '../util/random.ts';
import { percentileInterval } from './significance.ts';
import type { Costs } from './threshold.ts';

export interface CostComparison {
  baseline: string;
  modelPer1000: number;
  baselinePer1000: number;
  /** Baseline cost − model cost per 1,000 cases (positive: the model saves). */
  savingsPer1000: number;
  ci: [number, number];
  verdict: 'saves' | 'costs more' | 'no significant difference';
  /** The savings criterion, when the project states one. */
  success?: { savingsPer1000: number; met: boolean; ciVerdict: 'met' | 'not met' | 'uncertain'; message: string };
  message: string;
}

/** Cost of one row's label (positive: the class index that counts as positive). */
function rowCost(label: number, truth: number, positive: number, c: Costs): number {
  const flagged = label === positive;
  const isPos = truth === positive;
  if (flagged && isPos) return -(c.tp ?? 0);
  if (flagged) return c.fp;
  return isPos ? c.fn : 0;
}

export function compareCosts(opts: {
  y: Float64Array;
  model: Float64Array;
  baseline: Float64Array;
  baselineName: string;
  positive: number;
  costs: Costs;
  seed: number;
  resamples?: number;
  successSavingsPer1000?: number;
  unit?: string;
}): CostComparison {
  const { y, positive, costs } = opts;
  const n = y.length;
  const diff = new Float64Array(n);
  let m = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    const cm = rowCost(opts.model[i], y[i], positive, costs);
    const cb = rowCost(opts.baseline[i], y[i], positive, costs);
    m += cm;
    b += cb;
    diff[i] = cb - cm;
  }
  const rng = new Rng(opts.seed + 7);
  const values: number[] = [];
  for (let r = 0; r < (opts.resamples ?? 2000) && n; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += diff[rng.int(n)];
    values.push((1000 * s) / n);
  }
  const ci = percentileInterval(values, 0.95);
  const savings = n ? ((b - m) * 1000) / n : NaN;
  const verdict = ci[0] > 0 ? 'saves' : ci[1] < 0 ? 'costs more' : 'no significant difference';
  const unit = opts.unit ? ` ${opts.unit}` : '';
  const f = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 1 });
  const out: CostComparison = {
    baseline: opts.baselineName,
    modelPer1000: n ? (1000 * m) / n : NaN,
    baselinePer1000: n ? (1000 * b) / n : NaN,
    savingsPer1000: savings,
    ci,
    verdict,
    message:
      `per 1,000 cases the model costs ${f((1000 * m) / n)}${unit} and ${opts.baselineName} ${f((1000 * b) / n)}${unit}: ` +
      `${savings >= 0 ? 'saves' : 'costs'} ${f(Math.abs(savings))}${unit} (95 % CI ${f(ci[0])} to ${f(ci[1])} saved)` +
      (verdict === 'no significant difference' ? ', not a significant difference' : ''),
  };
  if (opts.successSavingsPer1000 !== undefined) {
    const target = opts.successSavingsPer1000;
    const met = savings >= target;
    const ciVerdict = ci[0] >= target ? 'met' : ci[1] < target ? 'not met' : 'uncertain';
    out.success = {
      savingsPer1000: target,
      met,
      ciVerdict,
      message:
        `saves ${f(savings)}${unit} per 1,000 cases ${met ? '≥' : '<'} ${f(target)}: ${met ? 'met' : 'not met'}; 95 % CI ${f(ci[0])} to ${f(ci[1])}` +
        (ciVerdict === 'uncertain' ? ', which crosses the criterion' : ''),
    };
  }
  return out;
}
