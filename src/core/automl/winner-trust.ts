/**
 * Stage 6 of the experiment, trust: conformal intervals or sets calibrated on the winner's
 * out-of-fold predictions and reported on the test split, and the training profile for the drift
 * check (a sample of ≤ 200,000 refit rows stands for a larger table); both travel with the model
 * (trust.ts does the work; this gathers its inputs).
 */
import { crossFitted } from '../eval/calibration.ts';
import { samplePositions } from '../eval/split.ts';
import type { Winner } from './choose-winner.ts';
import type { ExperimentPlan } from './experiment-plan.ts';
import type { Refit } from './refit.ts';
import type { TestScore } from './score-test.ts';
import type { Search } from './search.ts';
import { blendedOof, buildTrust, type Trust } from './trust.ts';

export async function winnerTrust(
  plan: ExperimentPlan,
  search: Pick<Search, 'results' | 'spec'>,
  winner: Winner,
  refit: Refit,
  scored: TestScore,
  budget: { end: number; refitDeadline: number },
): Promise<Trust> {
  const { project, target, oofRows, classification, deterministic } = plan;
  const { results } = search;
  // CQR's two quantile GBDTs (fitted on the first fold) when the budget has room for them: three times
  // the quickest GBDT trial's fold fit (they are two, with up to 300 rounds each).
  const gbdtFold = Math.min(...[...results].filter(([id, r]) => r.status === 'ok' && search.spec(id)?.family === 'gbdt').map(([, r]) => r.foldFitSeconds));
  const cqrFits = project.task === 'regression' && project.families.includes('gbdt') && (deterministic || Date.now() + 3000 * gbdtFold < budget.end);
  // Sets are built from the probabilities the model returns, so their cutoff is calibrated on
  // out-of-fold probabilities through the same kind of calibrator, cross-fitted (no row calibrated by
  // a calibrator that saw it, as a new row will not be).
  const trustOof = blendedOof(
    winner.members.map((m) => ({ id: m.entry.id, weight: m.weight })),
    (id) => results.get(id)?.oofFirstRepeat ?? results.get(id)?.oof,
  );
  const width = classification ? project.nClasses : 1;
  const yOof = () => Float64Array.from(oofRows, (r) => target.y[r]);
  const trainRows = refit.trainRows;
  const trust = await buildTrust({
    project,
    frame: plan.ctx.frame,
    y: target.y,
    oof: trustOof && classification ? crossFitted(scored.decisionFit.calibration.method, trustOof, yOof(), width, project.seed) : trustOof,
    oofRaw: trustOof,
    oofRows,
    trainRows: Int32Array.from(samplePositions(trainRows.length, 200_000, project.seed), (p) => trainRows[p]),
    inputs: refit.model.inputColumns,
    testRows: plan.testRows,
    testPrediction: scored.testPrediction,
    testRawProba: scored.testRawProba,
    cqrFold: cqrFits ? plan.folds[0] : undefined,
    deadline: deterministic ? undefined : budget.refitDeadline,
  });
  refit.model.trust = { conformal: trust.conformal, drift: trust.drift };
  return trust;
}
