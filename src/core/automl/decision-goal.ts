/**
 * The decision part of a project definition — which class is positive, what mistakes cost, an
 * operating target, a multiclass cost matrix, the calibration asked for — checked against the data,
 * with one clear message per mistake a user can make.
 */
import type { CalibrationChoice } from '../eval/calibration.ts';
import type { Costs } from '../eval/threshold.ts';
import type { Task } from '../models/types.ts';
import type { DecisionGoal, ProjectDefinition } from './types.ts';

const CALIBRATIONS: CalibrationChoice[] = ['auto', 'none', 'platt', 'isotonic'];

/** Throws an Error (the caller turns it into a ProjectError) on anything a user must fix. */
export function resolveDecisionGoal(def: ProjectDefinition, task: Task, classes: string[], y: Float64Array, rows: Int32Array): DecisionGoal {
  const calibration = def.calibration ?? 'auto';
  if (!CALIBRATIONS.includes(calibration)) throw new Error(`calibration must be one of ${CALIBRATIONS.join(', ')}, got "${String(calibration)}"`);
  const binaryOnly = (what: string) => {
    if (task !== 'binary') throw new Error(`${what} needs a yes/no (binary) target; this one is ${task}`);
  };
  const goal: DecisionGoal = { calibration: task === 'regression' ? 'none' : calibration };
  if (task === 'binary') {
    if (def.positive !== undefined) {
      const i = classes.indexOf(def.positive);
      if (i < 0)
        throw new Error(`the positive class "${def.positive}" is not a value of the target; its values are ${classes.map((c) => `"${c}"`).join(', ')}`);
      goal.positiveClass = i;
    } else {
      // Default: the minority class (the rarer outcome is usually the one to act on); ties: the second.
      let ones = 0;
      for (const r of rows) if (y[r] === 1) ones++;
      goal.positiveClass = ones <= rows.length - ones ? 1 : 0;
    }
  } else if (def.positive !== undefined) binaryOnly('a positive class');
  if (def.costs) {
    binaryOnly('costs of false positives and negatives');
    const { fp, fn, tp } = def.costs;
    for (const [name, v] of [
      ['fp', fp],
      ['fn', fn],
      ['tp', tp ?? 0],
    ] as const) {
      if (!Number.isFinite(v) || v < 0) throw new Error(`the cost ${name} must be a number ≥ 0, got ${String(v)}`);
    }
    if (fp + fn + (tp ?? 0) === 0)
      throw new Error('the costs are all zero: give the cost of a false positive, a false negative or the value of a true positive');
    goal.costs = { fp, fn, ...(tp ? { tp } : {}) };
  }
  if (def.successSavingsPer1000 !== undefined) {
    if (!def.costs) throw new Error('a success criterion in savings needs the costs of false positives and negatives');
    if (!Number.isFinite(def.successSavingsPer1000)) throw new Error(`the savings per 1,000 cases must be a number, got ${String(def.successSavingsPer1000)}`);
    goal.savingsPer1000 = def.successSavingsPer1000;
  }
  if (def.operatingTarget) {
    binaryOnly('an operating target');
    const { kind, value } = def.operatingTarget;
    if (!['recall', 'precision', 'flag-rate'].includes(kind)) throw new Error(`unknown operating target "${String(kind)}": recall, precision or flag-rate`);
    if (!(value > 0 && value <= 1)) throw new Error(`the ${kind} target must be a share in (0, 1], got ${String(value)}`);
    goal.operatingTarget = { kind, value };
  }
  if (def.costMatrix) {
    if (task !== 'multiclass') throw new Error(`a cost matrix needs a multiclass target; this one is ${task} (give --costs for a yes/no target)`);
    const K = classes.length;
    const m = def.costMatrix;
    if (m.length !== K || !m.every((row) => row.length === K && row.every((v) => Number.isFinite(v) && v >= 0))) {
      throw new Error(`the cost matrix must be ${K} × ${K} numbers ≥ 0 (rows: the true class, columns: the predicted one)`);
    }
    goal.costMatrix = m.map((row) => [...row]);
  }
  return goal;
}

/** Parses `fp=1,fn=5[,tp=2]` (the CLI's --costs). */
export function parseCosts(text: string): Costs {
  const out: Record<string, number> = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(fp|fn|tp)\s*=\s*(.+)$/.exec(part);
    if (!m) throw new Error(`--costs takes fp=…,fn=…[,tp=…] (tp: the value of a true positive), got "${part}"`);
    const v = Number(m[2]);
    if (!Number.isFinite(v) || v < 0) throw new Error(`--costs: ${m[1]} must be a number ≥ 0, got "${m[2]}"`);
    out[m[1]] = v;
  }
  return { fp: out.fp ?? 0, fn: out.fn ?? 0, ...(out.tp ? { tp: out.tp } : {}) };
}
