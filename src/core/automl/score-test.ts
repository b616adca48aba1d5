/**
 * Stage 5 of the experiment, the assessment on the test split: calibration and the decision rule are
 * fitted on the winner's out-of-fold predictions (never on the test split) and set on the model, so
 * every consumer of its probabilities sees calibrated ones; then the test split is predicted once and
 * scored, the decision report made, the deployment constraints measured on the final model and its
 * monotonic effects verified.
 */
import type { Prediction } from '../eval/metrics.ts';
import { computeMetrics } from '../eval/metrics.ts';
import type { Winner } from './choose-winner.ts';
import type { DeploymentConstraints } from './constraints.ts';
import { fitDecisionLayer, reportDecisions, winnerOutOfFold, type DecisionFit, type DecisionReport } from './decisions.ts';
import { constraintBreaks, DEFAULT_BUNDLE_BASE_KB, measureDeployment, type DeploymentFigures } from './deployment.ts';
import type { ExperimentPlan } from './experiment-plan.ts';
import type { FinalModel } from './model.ts';
import { checkMonotonic, type MonotonicCheck } from './monotonic-check.ts';
import type { TrialResult } from './types.ts';

/** The deployment constraints and what the final model measures (bundleKb estimated; the CLI replaces it with the zip's size). */
export interface ConstraintsResult extends DeploymentConstraints {
  measured: DeploymentFigures;
  satisfied: boolean;
  breaks: string[];
}

export interface TestScore {
  test: Record<string, number>;
  testPrediction: Prediction;
  /** Classification: the test split's probabilities before calibration (they break ties in the conformal sets). */
  testRawProba?: Float64Array;
  decisionFit: DecisionFit;
  decisions: DecisionReport;
  constraints?: ConstraintsResult;
  monotonicChecks?: MonotonicCheck[];
}

export async function scoreTest(
  plan: ExperimentPlan,
  winner: Winner,
  results: Map<number, TrialResult>,
  model: FinalModel,
  bundleBaseKb = DEFAULT_BUNDLE_BASE_KB,
): Promise<TestScore> {
  const { project, target, oofRows, testRows, searchRows, classification } = plan;
  const frame = plan.ctx.frame;
  const width = classification ? project.nClasses : 1;
  const oof = classification
    ? winnerOutOfFold(
        winner.members.map((m) => ({ weight: m.weight, oof: results.get(m.entry.id)?.oof })),
        oofRows.length * width,
      )
    : null;
  const decisionFit = fitDecisionLayer(
    oof,
    Float64Array.from(oofRows, (r) => target.y[r]),
    project,
  );
  model.calibration = decisionFit.calibration;
  model.decision = decisionFit.rule;
  const rawTest = await model.predictUncalibrated(frame, testRows);
  const testPrediction = rawTest.proba ? model.finish(rawTest.proba) : rawTest;
  const yTest = Float64Array.from(testRows, (r) => target.y[r]);
  const decisions = rawTest.proba ? reportDecisions(decisionFit, rawTest.proba, testPrediction.proba!, yTest, project) : {};
  let constraints: ConstraintsResult | undefined;
  if (project.constraints) {
    // The final model, measured as the trials were: the bundle runtime on up to 1,000 test rows.
    const measured = await measureDeployment(model.toJSON(), frame, testRows.subarray(0, 1000), bundleBaseKb);
    const breaks = constraintBreaks(project.constraints, measured);
    constraints = { ...project.constraints, measured, satisfied: breaks.length === 0, breaks };
  }
  const monotonic = project.constraints?.monotonic;
  const monotonicChecks =
    monotonic && Object.keys(monotonic).length
      ? await checkMonotonic(model, frame, monotonic, searchRows, testRows, project.decision?.positiveClass ?? 1)
      : undefined;
  const test = computeMetrics(project.task, yTest, testPrediction, project.nClasses);
  return { test, testPrediction, testRawProba: rawTest.proba, decisionFit, decisions, constraints, monotonicChecks };
}
