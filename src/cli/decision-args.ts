/**
 * The decision and deployment options of `sieve run`: --positive, --costs, --target-recall |
 * --target-precision | --max-flag-rate, --calibration, --monotonic, --max-predict-ms, --max-bundle-kb,
 * --readable. Each mistake is one clear message (exit code 2).
 */
import { parseCosts } from '../core/automl/decision-goal.ts';
import type { DeploymentConstraints } from '../core/automl/constraints.ts';
import type { ProjectDefinition } from '../core/automl/types.ts';
import type { CalibrationChoice } from '../core/eval/calibration.ts';
import type { OperatingTarget } from '../core/eval/threshold.ts';
import { CliError, numberOption, stringOption, type ParsedArgs } from './args.ts';

export const DECISION_OPTIONS = [
  'positive',
  'costs',
  'target-recall',
  'target-precision',
  'max-flag-rate',
  'calibration',
  'monotonic',
  'max-predict-ms',
  'max-bundle-kb',
  'success-savings',
];
export const DECISION_FLAGS = ['readable'];
export const DECISION_USAGE =
  '[--positive LABEL] [--costs fp=1,fn=5] [--target-recall R | --target-precision P | --max-flag-rate F] [--calibration auto|none|platt|isotonic] ' +
  '[--success-savings S] [--monotonic col=+1,other=-1] [--max-predict-ms N] [--max-bundle-kb N] [--readable]';

export function decisionFromArgs(args: ParsedArgs): Partial<ProjectDefinition> {
  const out: Partial<ProjectDefinition> = {};
  const positive = stringOption(args, 'positive');
  if (positive !== undefined) out.positive = positive;
  const costs = stringOption(args, 'costs');
  if (costs !== undefined) {
    try {
      out.costs = parseCosts(costs);
    } catch (err) {
      throw new CliError((err as Error).message);
    }
  }
  const savings = numberOption(args, 'success-savings');
  if (savings !== undefined) out.successSavingsPer1000 = savings;
  const targets: OperatingTarget[] = [];
  for (const [option, kind] of [
    ['target-recall', 'recall'],
    ['target-precision', 'precision'],
    ['max-flag-rate', 'flag-rate'],
  ] as const) {
    const v = numberOption(args, option);
    if (v === undefined) continue;
    if (!(v > 0 && v <= 1)) throw new CliError(`--${option} must be a share in (0, 1], got ${v}`);
    targets.push({ kind, value: v });
  }
  if (targets.length > 1) throw new CliError('give one operating target: --target-recall, --target-precision or --max-flag-rate');
  if (targets.length) out.operatingTarget = targets[0];
  const calibration = stringOption(args, 'calibration');
  if (calibration !== undefined) {
    if (!['auto', 'none', 'platt', 'isotonic'].includes(calibration))
      throw new CliError(`--calibration must be auto, none, platt or isotonic, got "${calibration}"`);
    out.calibration = calibration as CalibrationChoice;
  }
  const constraints: DeploymentConstraints = {};
  const maxPredictMs = numberOption(args, 'max-predict-ms');
  if (maxPredictMs !== undefined) {
    if (!(maxPredictMs > 0)) throw new CliError(`--max-predict-ms must be positive (milliseconds per 1,000 rows), got ${maxPredictMs}`);
    constraints.maxPredictMs = maxPredictMs;
  }
  const maxBundleKb = numberOption(args, 'max-bundle-kb');
  if (maxBundleKb !== undefined) {
    if (!(maxBundleKb > 0)) throw new CliError(`--max-bundle-kb must be positive, got ${maxBundleKb}`);
    constraints.maxBundleKb = maxBundleKb;
  }
  if (args.options.has('readable')) constraints.readable = true;
  const monotonic = stringOption(args, 'monotonic');
  if (monotonic !== undefined) constraints.monotonic = parseMonotonic(monotonic);
  if (Object.keys(constraints).length) out.constraints = constraints;
  return out;
}

/** `col=+1,other=-1` (also `col=1`, `col=-1`, `col=increasing`, `col=decreasing`). */
export function parseMonotonic(text: string): Record<string, 1 | -1> {
  const out: Record<string, 1 | -1> = {};
  for (const part of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = part.lastIndexOf('=');
    const name = part.slice(0, eq).trim();
    const dir = part.slice(eq + 1).trim();
    if (eq <= 0 || !name) throw new CliError(`--monotonic takes column=+1 or column=-1, got "${part}"`);
    if (dir === '+1' || dir === '1' || dir === 'increasing') out[name] = 1;
    else if (dir === '-1' || dir === 'decreasing') out[name] = -1;
    else throw new CliError(`--monotonic: ${name} must be +1 (increasing) or -1 (decreasing), got "${dir}"`);
  }
  return out;
}
