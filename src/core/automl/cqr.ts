/**
 * Conformalised quantile regression (Romano, Patterson & Candès 2019) with the GBDT's quantile loss:
 * two GBDTs fitted on the first fold's training rows predict the (1 − c)/2 and (1 + c)/2 quantiles;
 * on that fold's validation rows (which they never saw) the scores max(lo − y, y − hi) are the
 * calibration table; a new row's interval is [lo − q̂, hi + q̂], widened to hold the point prediction.
 * The very two models calibrated are the ones shipped (no refit), so the split-conformal guarantee is
 * exact. Widths follow the inputs, not only the predicted value: where the noise depends on a column
 * the point model ignores, CQR narrows what a single width (or one per predicted value) cannot.
 */
import type { Frame } from '../data/frame.ts';
import { checkCoverage, scoreTable, type ConformalQuantile } from '../eval/conformal.ts';
import type { Fold } from '../eval/split.ts';
import { fitModel, type FittedModel } from '../models/fitted-model.ts';
import type { ResolvedProject } from './types.ts';

/** Fewest calibration rows CQR is tried with (its models fit on the rest). */
export const CQR_MIN_CALIBRATION_ROWS = 200;

export interface CqrFit {
  conformal: ConformalQuantile;
  lower: FittedModel;
  upper: FittedModel;
  /** The calibration rows' quantile predictions and targets (to compare widths with other methods). */
  calibration: { rows: Int32Array; lo: Float64Array; hi: Float64Array; y: Float64Array };
}

/** The two quantile models and their calibration, or null when there are too few rows. */
export async function fitCqr(
  frame: Frame,
  opts: { project: ResolvedProject; inputs: string[]; fold: Fold; y: Float64Array; coverage: number; deadline?: number },
): Promise<CqrFit | null> {
  const { project, fold, coverage } = opts;
  checkCoverage(coverage);
  if (fold.valid.length < CQR_MIN_CALIBRATION_ROWS || fold.train.length < 2 * CQR_MIN_CALIBRATION_ROWS) return null;
  const alphas: [number, number] = [(1 - coverage) / 2, (1 + coverage) / 2];
  const [lower, upper] = await Promise.all(
    alphas.map((quantile, i) =>
      fitModel(frame, {
        target: project.target,
        family: 'gbdt',
        // Early stopping on the pinball loss (on a share of the training rows), as for any GBDT.
        params: { loss: 'quantile', quantile, max_iter: 300, early_stopping: true },
        features: opts.inputs,
        trainRows: fold.train,
        seed: project.seed + 101 + i,
        task: 'regression',
        classes: [],
        encoded: opts.y,
        fit: { deadline: opts.deadline },
      }),
    ),
  );
  const lo = (await lower.predict(frame, fold.valid)).values;
  const hi = (await upper.predict(frame, fold.valid)).values;
  const y = Float64Array.from(fold.valid, (r) => opts.y[r]);
  const scores = Float64Array.from(y, (v, i) => Math.max(lo[i] - v, v - hi[i])).sort();
  return {
    conformal: { kind: 'interval', method: 'cqr', coverage, edges: [], bins: [scoreTable(scores)], alphas, lower: lower.toJSON(), upper: upper.toJSON() },
    lower,
    upper,
    calibration: { rows: fold.valid, lo, hi, y },
  };
}
