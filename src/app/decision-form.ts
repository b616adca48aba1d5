/**
 * The Goal step's optional decision fields (binary targets): which class is positive, what a false
 * positive and a false negative cost (or a true positive is worth), an operating target instead, a
 * success criterion in savings, and the calibration. Free text in, the engine's definition fields out,
 * with one sentence per mistake.
 */
import type { ProjectDefinition } from '../core/automl/types.ts';
import type { CalibrationChoice } from '../core/eval/calibration.ts';
import type { TargetKind } from '../core/eval/threshold.ts';
import { clipText } from '../core/export/runtime/message-text.ts';
import type { Frame } from '../core/data/frame.ts';
import { encodeTarget, rowsWithTarget, targetClasses } from '../core/prep/target.ts';

export interface DecisionFormValues {
  /** '' = the minority class. */
  positive: string;
  /** 'costs' (the cost of each mistake) or 'target' (an operating target); '' = none. */
  mode: '' | 'costs' | 'target';
  fp: string;
  fn: string;
  tp: string;
  targetKind: TargetKind;
  /** In percent, as the form shows it. */
  targetPercent: string;
  /** Saves at least this much per 1,000 cases compared with the existing process. */
  savings: string;
  calibration: CalibrationChoice;
  /** Multiclass (mode 'costs'): matrix[true][predicted] as typed; empty cells count 0 on the diagonal, 1 elsewhere. */
  matrix: string[][];
}

export function emptyDecisionForm(): DecisionFormValues {
  return { positive: '', mode: '', fp: '', fn: '', tp: '', targetKind: 'recall', targetPercent: '', savings: '', calibration: 'auto', matrix: [] };
}

/** The multiclass cost matrix from the form (K × K), or the problem to show. */
export function costMatrixOf(v: DecisionFormValues, K: number): { matrix?: number[][]; problem: string | null } {
  const matrix: number[][] = [];
  for (let i = 0; i < K; i++) {
    const row: number[] = [];
    for (let j = 0; j < K; j++) {
      const text = (v.matrix[i]?.[j] ?? '').trim().replace(/,/g, '');
      const n = text === '' ? (i === j ? 0 : 1) : Number(text);
      if (!Number.isFinite(n) || n < 0) return { problem: `Each cost in the matrix must be a number ≥ 0, not “${clipText(v.matrix[i]?.[j] ?? '')}”.` };
      row.push(n);
    }
    matrix.push(row);
  }
  return { matrix, problem: null };
}

export const TARGET_KINDS: { value: TargetKind; label: string; hint: string }[] = [
  { value: 'recall', label: 'Catch at least … % of the positive cases', hint: 'recall ≥ R, at the best precision' },
  { value: 'precision', label: 'Be right on at least … % of the cases flagged', hint: 'precision ≥ P, at the best recall' },
  { value: 'flag-rate', label: 'Flag at most … % of all cases', hint: 'a capacity limit, at the best recall' },
];

/** The definition fields, or the problem to show. `binary`: the task is binary (costs and targets need it). */
export function decisionDefinition(
  v: DecisionFormValues | undefined,
  binary: boolean,
  nClasses = 0,
): { fields: Partial<ProjectDefinition>; problem: string | null } {
  if (!v) return { fields: {}, problem: null };
  const fields: Partial<ProjectDefinition> = {};
  if (v.calibration !== 'auto') fields.calibration = v.calibration;
  if (!binary) {
    if (nClasses > 2 && v.mode === 'costs' && v.matrix.some((row) => row.some((c) => c.trim() !== ''))) {
      const m = costMatrixOf(v, nClasses);
      if (m.problem) return { fields, problem: m.problem };
      fields.costMatrix = m.matrix;
    }
    return { fields, problem: null };
  }
  if (v.positive) fields.positive = v.positive;
  const num = (text: string, what: string): number | string | undefined => {
    const t = text.trim().replace(/,/g, '');
    if (t === '') return undefined;
    const n = Number(t);
    if (!Number.isFinite(n)) return `${what} must be a number, not “${clipText(text)}”.`;
    return n;
  };
  if (v.mode === 'costs') {
    const fp = num(v.fp, 'The cost of a false alarm');
    const fn = num(v.fn, 'The cost of a missed case');
    const tp = num(v.tp, 'The value of a caught case');
    for (const x of [fp, fn, tp]) if (typeof x === 'string') return { fields, problem: x };
    for (const x of [fp, fn, tp])
      if (typeof x === 'number' && x < 0) return { fields, problem: 'Costs and values are amounts ≥ 0 (a value of a caught case is counted as a gain).' };
    if (fp === undefined && fn === undefined && tp === undefined)
      return { fields, problem: 'Give the cost of a false alarm, of a missed case, or the value of a caught case — or choose “No costs”.' };
    const costs = { fp: (fp as number | undefined) ?? 0, fn: (fn as number | undefined) ?? 0, ...(tp ? { tp: tp as number } : {}) };
    if (costs.fp + costs.fn + (costs.tp ?? 0) === 0) return { fields, problem: 'The costs are all zero: give at least one amount.' };
    fields.costs = costs;
    const savings = num(v.savings, 'The savings criterion');
    if (typeof savings === 'string') return { fields, problem: savings };
    if (savings !== undefined) fields.successSavingsPer1000 = savings;
  } else if (v.mode === 'target') {
    const pct = num(v.targetPercent, 'The target');
    if (typeof pct === 'string') return { fields, problem: pct };
    if (pct === undefined) return { fields, problem: 'Give the target in percent (e.g. 80), or choose “No costs”.' };
    if (!(pct > 0 && pct <= 100)) return { fields, problem: `The target is a percentage between 0 and 100, not ${pct}.` };
    fields.operatingTarget = { kind: v.targetKind, value: pct / 100 };
  }
  return { fields, problem: null };
}

/** The target's classes and the rarer one (the default positive class), '' when they cannot be read. */
export function targetClassesOf(frame: Frame, target: string): { classes: string[]; minority: string } {
  try {
    const rows = rowsWithTarget(frame, target);
    const classes = targetClasses(frame, target, rows);
    if (classes.length !== 2) return { classes, minority: '' };
    const enc = encodeTarget(frame, target, 'binary', classes, rows);
    let ones = 0;
    for (const v of enc.y) if (v === 1) ones++;
    return { classes, minority: classes[ones <= enc.y.length - ones ? 1 : 0] };
  } catch {
    return { classes: [], minority: '' };
  }
}
