/**
 * Validates a user's project definition against the data and fills in the defaults: task inferred
 * from the target, the task's default metric, the columns offered to the search (with a reason for
 * each one taken away). Every mistake a user can make here gets a one-line message saying what to do.
 */
import type { Frame } from '../data/frame.ts';
import { defaultMetric, isMetricName, METRICS } from '../eval/metrics.ts';
import { DEFAULT_FAMILIES, FAMILY_NAMES, type FamilyName, type Task } from '../models/types.ts';
import { encodeTarget, inferTask, rowsWithTarget, targetClasses } from '../prep/target.ts';
import { errorMessage } from '../util/error-message.ts';
import type { ProjectDefinition, ResolvedProject } from './types.ts';
import { resolveDecisionGoal } from './decision-goal.ts';
import { resolveConstraints } from './constraints.ts';

export class ProjectError extends Error {
  override name = 'ProjectError';
}

/** The encoded target over all frame rows (NaN where missing) and the rows that have one. */
export interface ProjectTarget {
  y: Float64Array;
  rows: Int32Array;
  classes: string[];
  nClasses: number;
}

/** The project with every default filled in, and its target encoded once for every later stage. */
export function resolveProject(frame: Frame, def: ProjectDefinition): { project: ResolvedProject; target: ProjectTarget } {
  const names = frame.columns.map((c) => c.name);
  if (!def.target || !names.includes(def.target)) {
    throw new ProjectError(`unknown target "${def.target ?? ''}"; columns are: ${names.join(', ')}`);
  }
  const task = resolveTask(frame, def);
  const metric = def.metric ?? defaultMetric(task);
  if (!isMetricName(metric)) throw new ProjectError(`unknown metric "${String(metric)}"`);
  const wantKind = task === 'regression' ? 'regression' : 'classification';
  if (METRICS[metric].kind !== wantKind) {
    throw new ProjectError(`metric "${metric}" is for ${METRICS[metric].kind}, but the task is ${task}`);
  }
  const target = projectTarget(frame, def.target, task);
  checkTarget(def.target, task, target);
  for (const name of [...(def.exclude ?? []), ...(def.baselineColumn ? [def.baselineColumn] : [])]) {
    if (!names.includes(name)) throw new ProjectError(`unknown column "${name}"; columns are: ${names.join(', ')}`);
  }
  if (def.baselineColumn === def.target) throw new ProjectError('the existing-process column cannot be the target');
  const settings = resolveSettings(def);
  const { features, removed } = offeredFeatures(frame, def, target.rows);
  const decision = asProjectError(() => resolveDecisionGoal(def, task, target.classes, target.y, target.rows));
  const constrained = asProjectError(() => resolveConstraints(def.constraints, frame, task, features, [...settings.families]));
  return {
    project: {
      target: def.target,
      task,
      metric,
      successThreshold: def.successThreshold,
      budgetSeconds: settings.budgetSeconds,
      maxTrials: def.maxTrials,
      search: def.search ?? 'tpe',
      seed: def.seed ?? 0,
      testSize: settings.testSize,
      coverage: settings.coverage,
      ...(def.conformalMethod && def.conformalMethod !== 'auto' ? { conformalMethod: def.conformalMethod } : {}),
      baselineColumn: def.baselineColumn,
      families: constrained.families,
      features,
      removed,
      classes: target.classes,
      nClasses: target.nClasses,
      decision,
      ...(constrained.constraints ? { constraints: constrained.constraints, familiesExcluded: constrained.excluded } : {}),
    },
    target,
  };
}

/** The user's task, or the one the target implies; a regression needs a numeric target. */
function resolveTask(frame: Frame, def: ProjectDefinition): Task {
  const targetCol = frame.columns.find((c) => c.name === def.target)!;
  const task = asProjectError(() => def.task ?? inferTask(frame, def.target));
  if (task === 'regression' && (targetCol.storage !== 'numeric' || targetCol.type === 'datetime')) {
    throw new ProjectError(`target "${def.target}" is ${targetCol.type}; regression needs a numeric target`);
  }
  return task;
}

/** At least 10 rows with a target; a classification target with two classes or more (exactly two for binary). */
function checkTarget(name: string, task: Task, target: ProjectTarget): void {
  if (target.rows.length < 10) {
    throw new ProjectError(`target "${name}" has only ${target.rows.length} rows with a value; at least 10 are needed`);
  }
  if (task === 'regression') return;
  if (target.nClasses < 2) {
    throw new ProjectError(`target "${name}" has one class only ("${target.classes[0] ?? ''}"): there is nothing to predict`);
  }
  if (task === 'binary' && target.nClasses > 2) {
    throw new ProjectError(`target "${name}" has ${target.nClasses} classes; choose the multiclass task`);
  }
}

/** The families searched, the budget, the test share and the coverage, defaulted and checked. */
function resolveSettings(def: ProjectDefinition): { families: readonly FamilyName[]; budgetSeconds: number; testSize: number; coverage: number } {
  // A readable model may be the single tree, which is otherwise not searched.
  const families = def.families ?? (def.constraints?.readable ? FAMILY_NAMES : DEFAULT_FAMILIES);
  for (const f of families) {
    if (!FAMILY_NAMES.includes(f as FamilyName)) throw new ProjectError(`unknown model family "${f}"; families: ${FAMILY_NAMES.join(', ')}`);
  }
  const budgetSeconds = def.budgetSeconds ?? 60;
  if (!(budgetSeconds > 0)) throw new ProjectError(`the time budget must be positive, got ${budgetSeconds}`);
  if (def.maxTrials !== undefined && !(Number.isInteger(def.maxTrials) && def.maxTrials > 0)) {
    throw new ProjectError(`--max-trials must be a positive integer, got ${def.maxTrials}`);
  }
  const testSize = def.testSize ?? 0.2;
  const coverage = def.coverage ?? 0.9;
  if (!(coverage > 0 && coverage < 1))
    throw new ProjectError(`the coverage of prediction intervals and sets must be between 0 and 1 (e.g. 0.9), got ${coverage}`);
  if (!(testSize > 0 && testSize < 0.9)) throw new ProjectError(`the test share must be in (0, 0.9), got ${testSize}`);
  return { families, budgetSeconds, testSize, coverage };
}

/** The columns offered to the search, and each one taken away with the reason. */
function offeredFeatures(frame: Frame, def: ProjectDefinition, rows: Int32Array): { features: string[]; removed: { name: string; reason: string }[] } {
  const removed: { name: string; reason: string }[] = [];
  const features: string[] = [];
  const excluded = new Set(def.exclude ?? []);
  for (const col of frame.columns) {
    if (col.name === def.target) continue;
    if (col.name === def.baselineColumn) removed.push({ name: col.name, reason: 'existing-process column: compared with, never learned from' });
    else if (excluded.has(col.name)) removed.push({ name: col.name, reason: 'excluded by the user' });
    else if (col.type === 'identifier') removed.push({ name: col.name, reason: 'identifier: a different value on every row carries no pattern' });
    else if (isConstant(frame, col.name, rows)) removed.push({ name: col.name, reason: 'constant: the same value on every row' });
    else features.push(col.name);
  }
  if (features.length === 0) throw new ProjectError('no usable feature columns are left after exclusions');
  return { features, removed };
}

/** A user's mistake caught below (task inference, decision goal, constraints) as a ProjectError with its message. */
function asProjectError<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw new ProjectError(errorMessage(err));
  }
}

function projectTarget(frame: Frame, name: string, task: Task): ProjectTarget {
  const rows = rowsWithTarget(frame, name);
  const classes = task === 'regression' ? [] : targetClasses(frame, name, rows);
  const enc = encodeTarget(frame, name, task, classes, rows);
  const y = new Float64Array(frame.rows).fill(NaN);
  rows.forEach((r, i) => (y[r] = enc.y[i]));
  return { y, rows, classes, nClasses: classes.length };
}

function isConstant(frame: Frame, name: string, rows: Int32Array): boolean {
  const col = frame.columns.find((c) => c.name === name)!;
  let first: number | undefined;
  for (const r of rows) {
    const v = col.storage === 'numeric' ? col.values[r] : col.codes[r];
    const key = Number.isNaN(v) ? -Infinity : v;
    if (first === undefined) first = key;
    else if (key !== first) return false;
  }
  return true;
}
