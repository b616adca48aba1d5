/**
 * The constraints part of `sieve run --json`'s last line (a contract):
 *   constraints: {maxPredictMs, maxBundleKb, readable, monotonic: {col: 1 | -1},
 *                 measured: {predictMsPer1000, bundleKb}, satisfied, breakingTrials, [breaks], [monotonicChecks], [familiesExcluded]}
 */
import type { ExperimentResult } from './experiment.ts';

export function constraintsSummary(
  result: Pick<ExperimentResult, 'constraints' | 'monotonicChecks' | 'project' | 'leaderboard'>,
  bundleKb?: number,
): Record<string, unknown> {
  const c = result.constraints;
  if (!c) return {};
  const measuredKb = bundleKb ?? c.measured.bundleKb;
  const breaks = [
    ...c.breaks.filter((b) => !b.startsWith('bundle')),
    ...(c.maxBundleKb !== undefined && measuredKb > c.maxBundleKb ? [`bundle ${measuredKb.toFixed(0)} KB > ${c.maxBundleKb} KB`] : []),
  ];
  const violations = (result.monotonicChecks ?? []).reduce((a, m) => a + m.violations, 0);
  return {
    constraints: {
      maxPredictMs: c.maxPredictMs ?? null,
      maxBundleKb: c.maxBundleKb ?? null,
      readable: c.readable ?? false,
      monotonic: c.monotonic ?? {},
      measured: {
        predictMsPer1000: Number(c.measured.predictMsPer1000.toFixed(3)),
        bundleKb: Number(measuredKb.toFixed(1)),
        ...(bundleKb === undefined ? { bundleKbEstimated: true } : {}),
      },
      satisfied: breaks.length === 0 && violations === 0,
      /** Trials that broke a limit: kept on the leaderboard, never the winner or in the ensemble. */
      breakingTrials: result.leaderboard.filter((e) => e.breaks).length,
      ...(breaks.length ? { breaks } : {}),
      ...(result.monotonicChecks
        ? {
            monotonicChecks: result.monotonicChecks.map((m) => ({
              column: m.column,
              direction: m.direction,
              rows: m.rows,
              gridPoints: m.gridPoints,
              violations: m.violations,
            })),
          }
        : {}),
      ...(result.project.familiesExcluded?.length ? { familiesExcluded: result.project.familiesExcluded } : {}),
    },
  };
}
