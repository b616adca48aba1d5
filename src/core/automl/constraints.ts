/**
 * Deployment constraints a project may set: the largest prediction time per 1,000 rows (measured with
 * the bundle's own runtime on this device), the largest bundle size, a model a person can read, and
 * monotonic effects of numeric inputs.
 */
import type { Frame } from '../data/frame.ts';
import type { FamilyName, Params, Task } from '../models/types.ts';
export interface DeploymentConstraints {
  /** Milliseconds to predict 1,000 rows with the bundle's runtime, at most. */
  maxPredictMs?: number;
  /** Kilobytes of the exported bundle (zip), at most. */
  maxBundleKb?: number;
  /** Only families a person can read: a linear scorecard or one shallow decision tree. */
  readable?: boolean;
  /** Per numeric input column: +1 the prediction may only rise with it, −1 only fall. */
  monotonic?: Record<string, 1 | -1>;
}

export function hasConstraints(c: DeploymentConstraints | undefined): c is DeploymentConstraints {
  return !!c && (c.maxPredictMs !== undefined || c.maxBundleKb !== undefined || !!c.readable || Object.keys(c.monotonic ?? {}).length > 0);
}

/** Families that honour monotonic constraints: GBDT (split and leaf-value constraints) and the linear family (signs). */
export const MONOTONIC_FAMILIES: readonly FamilyName[] = ['gbdt', 'linear'];

/**
 * Checks the constraints against the data and returns the families the search may use: with monotonic
 * effects only GBDT and the linear family (the others cannot honour them), with `readable` only the
 * linear family (a points scorecard) and a single shallow decision tree. Throws on a mistake.
 */
export function resolveConstraints(
  c: DeploymentConstraints | undefined,
  frame: Frame,
  task: Task,
  features: string[],
  families: FamilyName[],
): { constraints?: DeploymentConstraints; families: FamilyName[]; excluded: { family: FamilyName; reason: string }[] } {
  if (!hasConstraints(c)) return { families, excluded: [] };
  const excluded: { family: FamilyName; reason: string }[] = [];
  let kept = [...families];
  const keep = (allowed: readonly FamilyName[], reason: string) => {
    for (const f of kept) if (!allowed.includes(f)) excluded.push({ family: f, reason });
    kept = kept.filter((f) => allowed.includes(f));
  };
  const mono = c.monotonic ?? {};
  for (const [col, dir] of Object.entries(mono)) {
    const column = frame.columns.find((x) => x.name === col);
    if (!column) throw new Error(`monotonic: unknown column "${col}"`);
    if (column.storage !== 'numeric' || column.type === 'datetime')
      throw new Error(`monotonic: "${col}" is ${column.type}; only numeric inputs can have an increasing or decreasing effect`);
    if (!features.includes(col)) throw new Error(`monotonic: "${col}" is not an input of the model (it is the target, excluded or an identifier)`);
    if (dir !== 1 && dir !== -1) throw new Error(`monotonic: "${col}" must be +1 or -1`);
  }
  if (Object.keys(mono).length) {
    if (task === 'multiclass') throw new Error('monotonic effects need a regression or yes/no (binary) target');
    keep(MONOTONIC_FAMILIES, 'cannot honour monotonic effects');
  }
  if (c.readable) keep(READABLE_FAMILIES, 'not a model a person can read');
  for (const [name, v] of [
    ['maxPredictMs', c.maxPredictMs],
    ['maxBundleKb', c.maxBundleKb],
  ] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new Error(`${name} must be a positive number, got ${String(v)}`);
  }
  if (kept.length === 0) throw new Error('no model family is left under these constraints');
  return { constraints: c, families: kept, excluded };
}

/** Families a person can read: the linear family (shown as a points scorecard) and one shallow decision tree. */
export const READABLE_FAMILIES: readonly FamilyName[] = ['linear', 'decision_tree'];

/**
 * A trial's parameters with the project's monotonic constraints: GBDT's monotonic_cst, the linear
 * family's sign_cst ("col:1,other:-1"). Directions are for the score the user sees — P(positive) for a
 * binary target — so they flip when the positive class is the model's class 0.
 */
export function constrainedParams(family: FamilyName, params: Params, monotonic: Record<string, 1 | -1> | undefined, flip: boolean): Params {
  const entries = Object.entries(monotonic ?? {});
  if (entries.length === 0) return params;
  const spec = entries.map(([col, dir]) => `${col}:${flip ? -dir : dir}`).join(',');
  if (family === 'gbdt') return { ...params, monotonic_cst: spec };
  if (family === 'linear') return { ...params, sign_cst: spec };
  return params;
}
