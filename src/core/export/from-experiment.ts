/**
 * The bundle's input from what the engine hands back after a run (ExperimentResult + Assessment):
 * the CLI's path. The page builds the same BundleInput from its stored run summary (src/app/bundle-client.ts).
 */
import type { Assessment } from '../automl/assess.ts';
import type { ExperimentResult } from '../automl/experiment.ts';
import type { Frame } from '../data/frame.ts';
import type { Profile } from '../data/profile.ts';
import type { BundleInput } from './bundle.ts';

export interface ExportContext {
  frame: Frame;
  profile?: Profile;
  dataset: BundleInput['dataset'];
  predictRuntime: string;
  appVersion: string;
  backend?: string;
  created?: string;
  /** Real training rows in example.csv instead of synthetic ones (`sieve run --real-examples`). */
  realExamples?: boolean;
}

export function bundleInputFromExperiment(result: ExperimentResult, assessment: Assessment | undefined, ctx: ExportContext): BundleInput {
  const { project, winner } = result;
  return {
    ...ctx,
    model: result.model.toJSON(),
    project,
    winner: {
      name: winner.name,
      family: winner.family,
      params: winner.params,
      cvScore: winner.cvScore,
      cvStd: winner.cvStd,
      members: winner.members,
      note: winner.note,
    },
    leaderboard: result.leaderboard.map((e) => ({ id: e.id, name: e.name, family: e.family, cvScore: e.cvScore })),
    run: {
      trials: result.trials,
      elapsedSeconds: result.elapsedSeconds,
      folds: result.folds,
      searchRows: result.searchRows.length,
      testRows: result.testRows.length,
      cancelled: result.cancelled,
      validation: { kind: result.validation.kind, reason: result.validation.reason },
      refitRows: result.refitRows,
    },
    test: result.test,
    testMetric: assessment?.metric,
    ab: assessment?.ab,
    success: assessment?.success,
    importance: assessment?.importance
      ? { kind: 'permutation', metric: project.metric, items: assessment.importance.map((i) => ({ feature: i.feature, value: i.mean, std: i.std })) }
      : undefined,
    droppedFeatures: result.droppedFeatures.map((d) => ({ name: d.name, reason: d.reason })),
    conformal: result.conformal,
    decisions: {
      report: result.decisions,
      ...(assessment?.costs ? { costs: assessment.costs } : {}),
      ...(result.constraints
        ? {
            constraints: {
              ...result.constraints,
              measured: { predictMsPer1000: result.constraints.measured.predictMsPer1000, bundleKb: result.constraints.measured.bundleKb },
              notes: [
                ...(result.project.familiesExcluded ?? []).map((e) => `${e.family} left out: ${e.reason}`),
                ...(result.monotonicChecks ?? []).map(
                  (m) =>
                    `${m.column} ${m.direction === 1 ? 'increasing' : 'decreasing'}: ${m.violations} violations on ${m.rows} test rows' ICE curves (${m.gridPoints}-point grid)`,
                ),
                ...(result.constraints.maxBundleKb !== undefined
                  ? ['the bundle size here is the estimate made before the zip was written; `sieve run --json` reports the zip’s size']
                  : []),
              ],
            },
          }
        : {}),
    },
  };
}
