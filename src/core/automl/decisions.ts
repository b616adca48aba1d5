/**
 * From scores to decisions, for the experiment: the calibrator and the decision rule are fitted on the
 * winner's out-of-fold predictions (never on the test split), then reported once on the test split:
 * expected calibration error and log loss before and after, the reliability diagram, the threshold's
 * confusion matrix, the expected cost per 1,000 cases (tuned and at 0.5, with a bootstrap interval),
 * the cost-vs-threshold curve, and an operating target's achieved value.
 */
import {
  chooseCalibration,
  expectedCalibrationError,
  reliability,
  applyCalibration,
  type CalibrationMethod,
  type CalibratorJSON,
  type ReliabilityBin,
} from '../eval/calibration.ts';
import { decideLabels, type DecisionRuleJSON } from '../eval/decision-rule.ts';
import { logLoss } from '../eval/metrics.ts';
import {
  bootstrapAtThreshold,
  confusionAt,
  costCurve,
  costPer1000,
  targetValue,
  meetsTarget,
  tuneThreshold,
  type Confusion,
  type Costs,
  type OperatingTarget,
  type TunedThreshold,
} from '../eval/threshold.ts';
import { Rng } from '../util/random.ts';
import { percentileInterval } from '../eval/significance.ts';
import type { ResolvedProject } from './types.ts';

export interface DecisionFit {
  calibration: CalibratorJSON;
  /** Cross-fitted out-of-fold log loss of each calibration tried ('auto'). */
  calibrationLogLoss: Partial<Record<CalibrationMethod, number>>;
  rule?: DecisionRuleJSON;
  /** The tuned threshold's figures out of fold. */
  oof?: TunedThreshold;
  /** Why nothing was fitted (no out-of-fold predictions for the winner). */
  note?: string;
}

/** The costs a binary decision is judged by: the user's, or each error counting 1 when only a target was given. */
export function decisionCosts(project: ResolvedProject): Costs {
  return project.decision?.costs ?? { fp: 1, fn: 1 };
}

export function fitDecisionLayer(oofProba: Float64Array | null, yOof: Float64Array, project: ResolvedProject): DecisionFit {
  const goal = project.decision;
  if (project.task === 'regression' || !goal) return { calibration: { method: 'none' }, calibrationLogLoss: {} };
  const K = project.nClasses;
  if (!oofProba)
    return {
      calibration: { method: 'none' },
      calibrationLogLoss: {},
      note: 'the winner has no out-of-fold predictions: probabilities uncalibrated, labels the most probable class',
    };
  const { calibrator, logLoss: scores } = chooseCalibration(oofProba, yOof, K, goal.calibration, project.seed);
  const fit: DecisionFit = { calibration: calibrator, calibrationLogLoss: scores };
  if (project.task === 'multiclass') {
    if (goal.costMatrix) fit.rule = { costMatrix: goal.costMatrix };
    return fit;
  }
  if (!goal.costs && !goal.operatingTarget) return fit;
  const positive = goal.positiveClass ?? 1;
  const calibrated = applyCalibration(calibrator, oofProba, K);
  const p = Float64Array.from({ length: yOof.length }, (_, i) => calibrated[i * 2 + positive]);
  const pos = Uint8Array.from(yOof, (v) => (v === positive ? 1 : 0));
  const tuned = tuneThreshold(p, pos, goal.operatingTarget ? { target: goal.operatingTarget } : { costs: goal.costs! });
  fit.oof = tuned;
  fit.rule = { positive, threshold: tuned.threshold };
  return fit;
}

export interface CalibrationReport {
  method: CalibrationMethod;
  eceBefore: number;
  eceAfter: number;
  logLossBefore: number;
  logLossAfter: number;
  reliabilityBefore: ReliabilityBin[];
  reliabilityAfter: ReliabilityBin[];
  /** Cross-fitted out-of-fold log loss of each method tried. */
  outOfFoldLogLoss: Partial<Record<CalibrationMethod, number>>;
}

export interface BinaryDecisionReport {
  positive: string;
  threshold: number;
  costs: Costs;
  /** True when no costs were given (an operating target only): each error costs 1. */
  costsAssumed: boolean;
  expectedCostPer1000: { tuned: number; atHalf: number; ci: [number, number] };
  confusion: Confusion;
  confusionAtHalf: Confusion;
  /** Test rows by P(positive) in 100 bins (floor(100 p)), positives and negatives: the confusion at any threshold j/100. */
  scoreBins: { pos: number[]; neg: number[] };
  curve: { threshold: number; costPer1000: number }[];
  target?: { kind: OperatingTarget['kind']; value: number; achieved: number; ci: [number, number]; met: boolean; metWithinCi: boolean };
}

export interface MulticlassDecisionReport {
  costMatrix: number[][];
  expectedCostPer1000: { tuned: number; atArgmax: number; ci: [number, number] };
}

export interface DecisionReport {
  calibration?: CalibrationReport;
  binary?: BinaryDecisionReport;
  multiclass?: MulticlassDecisionReport;
}

/** The decision figures on the test split: raw (uncalibrated) and calibrated probabilities of the same rows. */
export function reportDecisions(
  fit: DecisionFit,
  rawProba: Float64Array,
  calibratedProba: Float64Array,
  yTest: Float64Array,
  project: ResolvedProject,
): DecisionReport {
  if (project.task === 'regression' || !project.decision) return {};
  const K = project.nClasses;
  const positive = project.decision.positiveClass ?? 1;
  const out: DecisionReport = {
    calibration: {
      method: fit.calibration.method,
      eceBefore: expectedCalibrationError(rawProba, yTest, K, positive),
      eceAfter: expectedCalibrationError(calibratedProba, yTest, K, positive),
      logLossBefore: logLoss(yTest, rawProba, K),
      logLossAfter: logLoss(yTest, calibratedProba, K),
      reliabilityBefore: reliability(rawProba, yTest, K, positive),
      reliabilityAfter: reliability(calibratedProba, yTest, K, positive),
      outOfFoldLogLoss: fit.calibrationLogLoss,
    },
  };
  const rule = fit.rule;
  if (rule && 'costMatrix' in rule) {
    const C = rule.costMatrix;
    const costOf = (labels: Float64Array) => Float64Array.from(yTest, (y, i) => C[y][labels[i]]);
    const tuned = costOf(decideLabels(rule, calibratedProba, K));
    const argmax = costOf(decideLabels({ costMatrix: C.map((row, i) => row.map((_, j) => (i === j ? 0 : 1))) }, calibratedProba, K));
    out.multiclass = {
      costMatrix: C,
      expectedCostPer1000: {
        tuned: 1000 * mean(tuned),
        atArgmax: 1000 * mean(argmax),
        ci: bootstrapMean(tuned, project.seed).map((v) => 1000 * v) as [number, number],
      },
    };
  }
  if (project.task !== 'binary' || !rule || !('threshold' in rule)) return out;
  const costs = decisionCosts(project);
  const n = yTest.length;
  const p = Float64Array.from({ length: n }, (_, i) => calibratedProba[i * 2 + positive]);
  const pos = Uint8Array.from(yTest, (v) => (v === positive ? 1 : 0));
  const confusion = confusionAt(p, pos, rule.threshold);
  const confusionAtHalf = confusionAt(p, pos, 0.5);
  const cost = (c: Confusion) => costPer1000(c, costs);
  const scoreBins = { pos: new Array<number>(100).fill(0), neg: new Array<number>(100).fill(0) };
  for (let i = 0; i < n; i++) (pos[i] ? scoreBins.pos : scoreBins.neg)[Math.min(99, Math.floor(p[i] * 100))]++;
  const binary: BinaryDecisionReport = {
    positive: project.classes[positive],
    threshold: rule.threshold,
    costs,
    costsAssumed: !project.decision.costs,
    expectedCostPer1000: {
      tuned: cost(confusion),
      atHalf: cost(confusionAtHalf),
      ci: bootstrapAtThreshold(p, pos, rule.threshold, cost, { seed: project.seed }),
    },
    confusion,
    confusionAtHalf,
    scoreBins,
    curve: costCurve(p, pos, costs),
  };
  const target = project.decision.operatingTarget;
  if (target) {
    const achieved = targetValue(confusion, target.kind);
    const ci = bootstrapAtThreshold(p, pos, rule.threshold, (c) => targetValue(c, target.kind), { seed: project.seed + 1 });
    const metWithinCi = target.kind === 'flag-rate' ? ci[0] <= target.value : ci[1] >= target.value;
    binary.target = { kind: target.kind, value: target.value, achieved, ci, met: meetsTarget(achieved, target), metWithinCi };
  }
  out.binary = binary;
  return out;
}

function mean(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v;
  return x.length ? s / x.length : NaN;
}

function bootstrapMean(x: Float64Array, seed: number, resamples = 1000): [number, number] {
  const rng = new Rng(seed);
  const n = x.length;
  const values: number[] = [];
  for (let r = 0; r < resamples && n; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[rng.int(n)];
    values.push(s / n);
  }
  return percentileInterval(values, 0.95);
}

/** The winner's out-of-fold predictions: its members' blended with their weights (null when one lacks them). */
export function winnerOutOfFold(members: { weight: number; oof?: Float64Array }[], length: number): Float64Array | null {
  if (members.some((m) => !m.oof || m.oof.length !== length)) return null;
  const out = new Float64Array(length);
  for (const m of members) for (let i = 0; i < length; i++) out[i] += m.weight * m.oof![i];
  return out;
}
