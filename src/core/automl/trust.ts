/**
 * What the exported model carries so that its users can trust it in deployment (issue #15): conformal
 * intervals or sets calibrated on the winner's out-of-fold predictions and reported on the test split
 * (core/eval/conformal.ts), and the training profile for the drift check (core/drift/profile.ts).
 *
 * The out-of-fold predictions of the winner are its members' out-of-fold predictions blended with
 * the members' weights (under repeated CV those of the first repeat: each row predicted by one model,
 * as a new row will be, not the mean of several, which errs less). Whatever turns the model's raw
 * outputs into the probabilities predict returns (a probability calibration, say) must be applied to
 * these out-of-fold probabilities too before they reach calibrateSets, so that the sets are built
 * from the very probabilities the bundle returns. Ties between those (a calibrator's steps, or
 * probabilities rounded to 1) are broken by the raw probabilities (calibrateSets), so those of the
 * out-of-fold rows and of the test split come along.
 */
import type { Frame } from '../data/frame.ts';
import type { Prediction } from '../eval/metrics.ts';
import { calibrateIntervals, calibrateSets, intervals, type Conformal, type ConformalRegression } from '../eval/conformal.ts';
import type { Fold } from '../eval/split.ts';
import { fitCqr, type CqrFit } from './cqr.ts';
import { reportIntervals, reportSets, type ConformalReport } from '../eval/conformal-report.ts';
import { buildDriftProfile, type DriftProfile } from '../drift/profile.ts';
import type { ResolvedProject } from './types.ts';

export interface TrustInput {
  project: ResolvedProject;
  frame: Frame;
  /** Encoded target over all frame rows. */
  y: Float64Array;
  /** The winner's out-of-fold predictions over `oofRows` (rows × K probabilities or values); null when a member has none. */
  oof: Float64Array | null;
  /** Classification: the same out-of-fold probabilities before calibration (they break ties between sets' scores; default: oof). */
  oofRaw?: Float64Array | null;
  oofRows: Int32Array;
  /** Rows the final model was fitted on (the drift profile's reference). */
  trainRows: Int32Array;
  /** The model's input columns. */
  inputs: readonly string[];
  testRows: Int32Array;
  testPrediction: Prediction;
  /** Classification: the test split's probabilities before calibration (default: testPrediction.proba). */
  testRawProba?: Float64Array;
  /** Regression: the fold whose training rows fit CQR's quantile models and whose validation rows calibrate them (absent: no CQR). */
  cqrFold?: Fold;
  /** Absolute ms by which the quantile models stop fitting (keeping what they have). */
  deadline?: number;
}

export interface Trust {
  conformal?: Conformal;
  conformalReport?: ConformalReport;
  /** Why there are no intervals or sets, when there are none. */
  conformalNote?: string;
  drift: DriftProfile;
}

export async function buildTrust(input: TrustInput): Promise<Trust> {
  const { project, frame, y, oof, oofRows, testRows, testPrediction } = input;
  const classification = project.task !== 'regression';
  const drift = buildDriftProfile(frame, input.inputs, input.trainRows, {
    values: testPrediction.values,
    proba: testPrediction.proba,
    classes: project.classes,
  });
  if (!oof) return { drift, conformalNote: 'the winner has no out-of-fold predictions to calibrate intervals on' };
  const coverage = project.coverage ?? 0.9;
  const yOof = Float64Array.from(oofRows, (r) => y[r]);
  const yTest = Float64Array.from(testRows, (r) => y[r]);
  if (classification) {
    const conformal = calibrateSets(oof, yOof, project.nClasses, coverage, input.oofRaw ?? oof);
    return {
      drift,
      conformal,
      conformalReport: reportSets(conformal, testPrediction.proba!, yTest, project.classes, input.testRawProba ?? testPrediction.proba!),
    };
  }
  const forced = project.conformalMethod;
  let conformal: ConformalRegression = calibrateIntervals(oof, yOof, coverage, forced === 'split' || forced === 'mondrian' ? forced : undefined);
  let testQuantiles: { lo: Float64Array; hi: Float64Array } | undefined;
  if (input.cqrFold && (forced === undefined || forced === 'cqr')) {
    const cqr = await fitCqr(frame, { project, inputs: [...input.inputs], fold: input.cqrFold, y, coverage, deadline: input.deadline });
    if (cqr && (forced === 'cqr' || cqrIsNarrower(cqr, conformal, oof, oofRows))) {
      conformal = cqr.conformal;
      testQuantiles = { lo: (await cqr.lower.predict(frame, testRows)).values, hi: (await cqr.upper.predict(frame, testRows)).values };
    }
  }
  return { drift, conformal, conformalReport: reportIntervals(conformal, { pred: oof, y: yOof }, testPrediction.values, yTest, testQuantiles) };
}

/**
 * Whether CQR's intervals are narrower (by 3 %: the simpler method wins a tie) than the split or
 * Mondrian ones, each measured on its own calibration rows at the model's coverage.
 */
function cqrIsNarrower(cqr: CqrFit, other: ConformalRegression, oof: Float64Array, oofRows: Int32Array): boolean {
  const otherWidth = meanWidth(intervals(other, oof));
  // The point predictions of CQR's calibration rows (out of fold), for the widening that holds them.
  const position = new Map<number, number>();
  oofRows.forEach((r, i) => position.set(r, i));
  const point = Float64Array.from(cqr.calibration.rows, (r) => oof[position.get(r) ?? 0]);
  const cqrWidth = meanWidth(intervals(cqr.conformal, point, cqr.conformal.coverage, cqr.calibration));
  return Number.isFinite(cqrWidth) && cqrWidth < 0.97 * otherWidth;
}

function meanWidth({ lower, upper }: { lower: Float64Array; upper: Float64Array }): number {
  let s = 0;
  for (let i = 0; i < lower.length; i++) s += upper[i] - lower[i];
  return s / Math.max(1, lower.length);
}

/** The members' out-of-fold predictions blended with their weights (null when one has none). */
export function blendedOof(members: readonly { id: number; weight: number }[], oofOf: (id: number) => Float64Array | undefined): Float64Array | null {
  let out: Float64Array | null = null;
  for (const m of members) {
    const part = oofOf(m.id);
    if (!part) return null;
    out ??= new Float64Array(part.length);
    for (let i = 0; i < part.length; i++) out[i] += m.weight * part[i];
  }
  return out;
}
