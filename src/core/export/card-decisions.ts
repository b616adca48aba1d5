/**
 * The model card's "Decisions" section: how probabilities are calibrated (method, expected calibration
 * error before and after, the reliability table), the decision threshold with its confusion matrix and
 * expected cost per 1,000 cases, an operating target, the comparison in cost units, and the deployment
 * constraints with their measured values.
 */
import type { DecisionReport } from '../automl/decisions.ts';
import type { CostComparison } from '../eval/cost-ab.ts';
import { h, list, p, table, type Block, type Inline } from './card-doc.ts';
import { readableBlocks } from './card-readable.ts';
import type { FinalModelJSON } from '../automl/model.ts';

export interface CardConstraints {
  maxPredictMs?: number;
  maxBundleKb?: number;
  readable?: boolean;
  monotonic?: Record<string, 1 | -1>;
  measured: { predictMsPer1000?: number; bundleKb?: number };
  satisfied: boolean;
  /** Extra lines (families left out, monotonicity checks). */
  notes?: string[];
}

export interface CardDecisions {
  report: DecisionReport;
  costs?: CostComparison;
  constraints?: CardConstraints;
}

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '—');
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : '—');
const money = (v: number) => (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: 1 }) : '—');

export function decisionBlocks(d: CardDecisions | undefined, classes: string[], model?: FinalModelJSON): Block[] {
  if (!d) return [];
  const { calibration, binary, multiclass } = d.report;
  const out: Block[] = [];
  if (calibration || binary || multiclass || d.constraints) out.push(h(2, 'Decisions'));
  if (calibration) out.push(...calibrationBlocks(calibration, classes));
  if (binary) out.push(...binaryBlocks(binary, classes, d.costs));
  if (multiclass) out.push(...multiclassBlocks(multiclass, classes));
  if (d.constraints) out.push(...constraintBlocks(d.constraints, classes, model, binary?.positive));
  return out;
}

type Report = CardDecisions['report'];

function calibrationBlocks(calibration: NonNullable<Report['calibration']>, classes: string[]): Block[] {
  const out: Block[] = [];
  const method =
    calibration.method === 'none'
      ? 'none'
      : calibration.method === 'platt'
        ? classes.length > 2
          ? 'temperature scaling'
          : 'Platt scaling'
        : 'isotonic regression';
  out.push(
    p(
      'Calibration: ',
      { strong: method },
      ', chosen by cross-fitted log loss on out-of-fold predictions and fitted on them (never on the test split); the bundle applies it. ',
      `Expected calibration error on the test split: ${f3(calibration.eceBefore)} before, ${f3(calibration.eceAfter)} after; log loss ${f3(calibration.logLossBefore)} → ${f3(calibration.logLossAfter)}.`,
    ),
  );
  const rows = calibration.reliabilityBefore
    .map((b, i) => ({ b, a: calibration.reliabilityAfter[i] }))
    .filter(({ b, a }) => b.count > 0 || a.count > 0)
    .map(({ b, a }) => [
      `${b.lo.toFixed(1)}–${b.hi.toFixed(1)}`,
      String(b.count),
      f3(b.predicted),
      f3(b.observed),
      String(a.count),
      f3(a.predicted),
      f3(a.observed),
    ]);
  out.push(
    p(
      `Reliability (test split; ${classes.length > 2 ? 'the top class’s probability against how often it was right' : 'P(positive) against the share of positives'}):`,
    ),
  );
  out.push(table(['bin', 'rows before', 'predicted', 'observed', 'rows after', 'predicted', 'observed'], rows, [false, true, true, true, true, true, true]));
  return out;
}

function binaryBlocks(binary: NonNullable<Report['binary']>, classes: string[], costs: CardDecisions['costs']): Block[] {
  const out: Block[] = [];
  const c = binary.confusion;
  const items: Inline[][] = [
    [
      `Labels follow a threshold tuned on out-of-fold probabilities: “${binary.positive}” when P(“${binary.positive}”) ≥ `,
      { strong: binary.threshold.toFixed(4) },
      ' (',
      { code: 'predict.mjs' },
      ', ',
      { code: 'serve.mjs' },
      ', ',
      { code: 'sieve predict' },
      ' and model.onnx all label this way).',
    ],
    [
      `Costs: a false positive ${binary.costs.fp}, a false negative ${binary.costs.fn}${binary.costs.tp ? `, a true positive −${binary.costs.tp}` : ''}${binary.costsAssumed ? ' (none given: each error counts 1)' : ''}.`,
    ],
    [
      `Expected cost per 1,000 test cases: ${money(binary.expectedCostPer1000.tuned)} (95 % bootstrap CI ${money(binary.expectedCostPer1000.ci[0])} to ${money(binary.expectedCostPer1000.ci[1])}) at the tuned threshold, ${money(binary.expectedCostPer1000.atHalf)} at 0.5.`,
    ],
  ];
  if (binary.target) {
    const t = binary.target;
    items.push([
      `Operating target ${t.kind === 'flag-rate' ? 'share flagged ≤' : `${t.kind} ≥`} ${pct(t.value)}: ${pct(t.achieved)} on the test split (95 % CI ${pct(t.ci[0])} to ${pct(t.ci[1])}), ${t.met ? 'met' : t.metWithinCi ? 'met within the interval' : 'not met'}.`,
    ]);
  }
  if (costs) items.push([`Against ${costs.baseline}: ${costs.message}.${costs.success ? ` Success criterion: ${costs.success.message}.` : ''}`]);
  out.push(list(items));
  const other = classes.find((k) => k !== binary.positive) ?? '';
  out.push(
    table(
      ['actual ↓ / decision →', `“${binary.positive}”`, `“${other}”`],
      [
        [binary.positive, String(c.tp), String(c.fn)],
        [other, String(c.fp), String(c.tn)],
      ],
      [false, true, true],
    ),
  );
  return out;
}

function multiclassBlocks(multiclass: NonNullable<Report['multiclass']>, classes: string[]): Block[] {
  const out: Block[] = [];
  out.push(
    p(
      `Labels minimise the expected cost under the cost matrix (rows: true class, columns: predicted; order ${classes.map((k) => `“${k}”`).join(', ')}): `,
      { code: JSON.stringify(multiclass.costMatrix) },
      `. Expected cost per 1,000 test cases ${money(multiclass.expectedCostPer1000.tuned)} (95 % CI ${money(multiclass.expectedCostPer1000.ci[0])} to ${money(multiclass.expectedCostPer1000.ci[1])}), against ${money(multiclass.expectedCostPer1000.atArgmax)} for the most probable class.`,
    ),
  );
  return out;
}

function constraintBlocks(
  k: NonNullable<CardDecisions['constraints']>,
  classes: string[],
  model: FinalModelJSON | undefined,
  positive: string | undefined,
): Block[] {
  const out: Block[] = [];
  const rows: string[][] = [];
  if (k.maxPredictMs !== undefined)
    rows.push([
      'prediction time per 1,000 rows',
      `≤ ${k.maxPredictMs} ms`,
      k.measured.predictMsPer1000 !== undefined ? `${k.measured.predictMsPer1000.toFixed(1)} ms` : 'not measured',
    ]);
  if (k.maxBundleKb !== undefined)
    rows.push(['bundle size', `≤ ${k.maxBundleKb} KB`, k.measured.bundleKb !== undefined ? `${k.measured.bundleKb.toFixed(1)} KB` : 'not measured']);
  if (k.readable) rows.push(['a model a person can read', 'linear scorecard or one shallow tree', '']);
  for (const [col, dir] of Object.entries(k.monotonic ?? {})) rows.push([`effect of ${col}`, dir === 1 ? 'increasing' : 'decreasing', '']);
  out.push(p(`Deployment constraints (${k.satisfied ? 'all satisfied' : 'NOT all satisfied'}):`));
  out.push(table(['constraint', 'limit', 'measured'], rows));
  if (k.notes?.length) out.push(list(k.notes.map((n) => [n])));
  if (k.readable && model) out.push(...readableBlocks(model, classes, positive));
  return out;
}
