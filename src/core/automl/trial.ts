/**
 * One trial: k-fold cross-validation of (features, preprocessing, family, params) on the search rows.
 * The same function runs in a Node worker thread, a Web Worker, or in-process.
 *
 * Each fold fits its own pipeline on its own training rows (no statistic of the validation fold leaks
 * in), optionally on a stratified subsample of them (successive halving on rows), and predicts its
 * validation rows; the fold scores are averaged and the out-of-fold predictions kept for ensembling.
 */
import { argmaxRows, computeMetric, metricToLoss } from '../eval/metrics.ts';
import { subsampleRows } from '../eval/split.ts';
import type { FeatureMatrix, FeatureSpec } from '../prep/matrix.ts';
import { fitPipeline } from '../prep/pipeline.ts';
import { getFamily } from '../models/registry.ts';
import { plainMatrix, storeCovers, storeView } from '../models/trees/binned-store.ts';
import type { Estimator, FeatureNeeds } from '../models/types.ts';
import { Rng } from '../util/random.ts';
import type { TrialContext, TrialResult, TrialSpec } from './types.ts';
import { abortError, isAbort } from '../util/abort.ts';
import { errorMessage } from '../util/error-message.ts';
import { fitFinalModel } from './model.ts';
import { measureDeployment } from './deployment.ts';

export async function runTrial(ctx: TrialContext, spec: TrialSpec, signal?: AbortSignal): Promise<TrialResult> {
  const started = Date.now();
  const family = getFamily(spec.family);
  const classification = ctx.task !== 'regression';
  const oof = spec.fidelity >= (ctx.oofMinFidelity ?? 1) ? new OutOfFold(ctx) : null;
  const foldScores: number[] = [];
  const importance = { permutation: {} as Record<string, number[]>, gain: {} as Record<string, number>, seconds: 0 };
  let fitSeconds = 0;
  const rng = new Rng(spec.seed);

  try {
    for (let f = 0; f < ctx.folds.length; f++) {
      if (signal?.aborted) throw abortError();
      if (Date.now() > spec.deadline) return cut(spec, started, foldScores, fitSeconds);
      const fold = ctx.folds[f];
      const train =
        spec.fidelity < 1
          ? subsampleRows(fold.train, ctx.y, Math.max(50, Math.round(fold.train.length * spec.fidelity)), spec.seed + f, classification)
          : fold.train;
      const fitStart = Date.now();
      const estimator = family.create(ctx.task, spec.params);
      try {
        const { Xtrain, matrixOf } = await fitFold(ctx, spec, estimator, family.needs, train, f, signal);
        fitSeconds += (Date.now() - fitStart) / 1000;
        if (Date.now() > spec.deadline) return cut(spec, started, foldScores, fitSeconds);
        const yvalid = pick(ctx.y, fold.valid);
        const pred = await predictRows(estimator, matrixOf, fold.valid, classification);
        const score = scoreOf(ctx, yvalid, pred);
        foldScores.push(score);
        oof?.add(f, fold.valid, pred);
        if (spec.computeImportance) {
          const importanceStart = Date.now();
          const drops = await permutationDrops(ctx, estimator, matrixOf, fold.valid, yvalid, score, classification, rng);
          for (const [name, d] of drops) (importance.permutation[name] ??= []).push(d);
          for (const imp of estimator.featureImportance?.() ?? []) {
            const source = Xtrain.find((s: FeatureSpec) => s.name === imp.feature)?.source ?? imp.feature;
            importance.gain[source] = (importance.gain[source] ?? 0) + imp.gain / ctx.folds.length;
          }
          importance.seconds += (Date.now() - importanceStart) / 1000;
        }
      } finally {
        estimator.dispose?.();
      }
    }
  } catch (err) {
    if (isAbort(err)) throw err;
    return unfinished('failed', errorMessage(err), spec, started, foldScores, fitSeconds);
  }
  const score = foldScores.reduce((a, b) => a + b, 0) / foldScores.length;
  let deployment: TrialResult['deployment'];
  if (ctx.deployment && Number.isFinite(score)) {
    try {
      deployment = await measureTrial(ctx, spec);
    } catch (err) {
      if (isAbort(err)) throw err;
      return unfinished('failed', `its deployment figures could not be measured: ${errorMessage(err)}`, spec, started, foldScores, fitSeconds);
    }
  }
  return {
    deployment,
    id: spec.id,
    status: Number.isFinite(score) ? 'ok' : 'failed',
    score,
    foldScores,
    seconds: (Date.now() - started) / 1000,
    foldFitSeconds: fitSeconds / ctx.folds.length,
    importanceSeconds: spec.computeImportance ? importance.seconds : undefined,
    oof: oof?.mean,
    oofFirstRepeat: oof?.firstRepeat,
    permutation: spec.computeImportance ? importance.permutation : undefined,
    gain: spec.computeImportance ? importance.gain : undefined,
    error: Number.isFinite(score) ? undefined : 'the metric is undefined on these folds',
  };
}

/**
 * A trial's out-of-fold predictions over the context's oofRows. Repeated CV validates each row once
 * per repeat: `mean` keeps the mean of its predictions, and `firstRepeat` the first repeat's alone
 * (one model's error per row, what conformal calibration needs: the mean over repeats errs less than
 * any single model does).
 */
class OutOfFold {
  readonly mean: Float64Array;
  readonly firstRepeat?: Float64Array;
  private readonly positionOf: Int32Array;
  private readonly width: number;
  private readonly repeats: number;
  private readonly firstRepeatFolds: number;

  constructor(ctx: TrialContext) {
    const rows = ctx.oofRows ?? ctx.searchRows;
    this.width = ctx.task !== 'regression' ? ctx.nClasses : 1;
    this.positionOf = oofPositions(ctx.frame.rows, rows);
    this.repeats = Math.max(1, Math.round(ctx.folds.reduce((a, f) => a + f.valid.length, 0) / rows.length));
    this.firstRepeatFolds = ctx.folds.length / this.repeats;
    this.mean = new Float64Array(rows.length * this.width);
    if (this.repeats > 1) this.firstRepeat = new Float64Array(rows.length * this.width);
  }

  /** Fold `f`'s predictions of its validation rows. */
  add(f: number, valid: Int32Array, pred: Float64Array): void {
    const { width, repeats, mean, firstRepeat } = this;
    for (let i = 0; i < valid.length; i++) {
      const pos = this.positionOf[valid[i]];
      for (let k = 0; k < width; k++) mean[pos * width + k] += pred[i * width + k] / repeats;
      if (firstRepeat && f < this.firstRepeatFolds) for (let k = 0; k < width; k++) firstRepeat[pos * width + k] = pred[i * width + k];
    }
  }
}

/**
 * Fits one fold's model on its training rows. Tree learners read the run's shared BinnedStore when it
 * holds every input column (a Uint8 view of the fold's rows, no preprocessing, no Float64 matrix);
 * every other family, or inputs the store lacks (dates, text), goes through a preprocessing pipeline
 * fitted on the fold. Returns the features the model saw and a maker of the feature matrix of any
 * rows (the validation rows are predicted block by block through it, see predictRows).
 */
async function fitFold(
  ctx: TrialContext,
  spec: TrialSpec,
  estimator: Estimator,
  needs: FeatureNeeds,
  train: Int32Array,
  f: number,
  signal: AbortSignal | undefined,
): Promise<{ Xtrain: FeatureSpec[]; matrixOf: MatrixOf }> {
  const fitOpts = { signal, deadline: spec.deadline, seed: spec.seed + 7919 * f };
  const ytrain = pick(ctx.y, train);
  const store = ctx.binned;
  if (store && estimator.fitBinned && storeCovers(store, spec.features)) {
    const maxBins = typeof spec.params.max_bins === 'number' ? spec.params.max_bins : 255;
    const view = storeView(store, spec.features, train, maxBins);
    await estimator.fitBinned(view, ytrain, ctx.nClasses, fitOpts);
    return { Xtrain: view.features, matrixOf: lastMatrix((rows) => plainMatrix(ctx.frame, store, spec.features, rows)) };
  }
  const pipeline = fitPipeline(ctx.frame, {
    target: ctx.target,
    features: spec.features,
    needs,
    trainRows: train,
    seed: spec.seed + f,
    task: ctx.task,
    classes: ctx.classes,
    encoded: ctx.y,
  });
  const X = pipeline.transformTrain(ctx.frame);
  await estimator.fit(X, ytrain, ctx.nClasses, fitOpts);
  return { Xtrain: X.features, matrixOf: lastMatrix((rows) => pipeline.transform(ctx.frame, rows)) };
}

/** The feature matrix of some frame rows, as the fold's model reads them. */
export type MatrixOf = (rows: Int32Array) => FeatureMatrix;

/** Remembers the last matrix made, so the permutation pass of a small fold reuses the one its prediction built. */
function lastMatrix(make: MatrixOf): MatrixOf {
  let last: { rows: Int32Array; X: FeatureMatrix } | null = null;
  return (rows) => {
    if (last?.rows !== rows) last = { rows, X: make(rows) };
    return last.X;
  };
}

/**
 * Validation rows per prediction block. A fold's feature matrix is never built whole: on a 1M-row
 * table one holdout fold of a linear model was 50 MB of Float64 columns (and its pipeline's
 * intermediate columns as much again), garbage beside the other trial worker's fit. Rows are
 * predicted independently, so blocks give the same predictions as one matrix.
 */
const PREDICT_BLOCK = 16384;

/** Predictions (predictLayout's layout) of `rows`, made `blockRows` rows at a time. */
export async function predictRows(
  estimator: Estimator,
  matrixOf: MatrixOf,
  rows: Int32Array,
  classification: boolean,
  blockRows = PREDICT_BLOCK,
): Promise<Float64Array> {
  if (rows.length <= blockRows) return predictLayout(estimator, matrixOf(rows), classification);
  let out: Float64Array | null = null;
  for (let start = 0; start < rows.length; start += blockRows) {
    const block = rows.subarray(start, Math.min(rows.length, start + blockRows));
    const pred = await predictLayout(estimator, matrixOf(block), classification);
    const width = pred.length / block.length;
    out ??= new Float64Array(rows.length * width);
    out.set(pred, start * width);
  }
  return out!;
}

function cut(spec: TrialSpec, started: number, foldScores: number[], fitSeconds: number): TrialResult {
  return unfinished('cut', 'stopped at the time budget', spec, started, foldScores, fitSeconds);
}

/** A trial that did not score every fold: no score, what it measured so far, and why. */
function unfinished(status: 'cut' | 'failed', error: string, spec: TrialSpec, started: number, foldScores: number[], fitSeconds: number): TrialResult {
  return {
    id: spec.id,
    status,
    score: NaN,
    foldScores,
    seconds: (Date.now() - started) / 1000,
    foldFitSeconds: fitSeconds / Math.max(1, foldScores.length),
    error,
  };
}

/** Frame row → its position in `rows` (−1 elsewhere): one typed array, not a Map of a million entries. */
function oofPositions(frameRows: number, rows: Int32Array): Int32Array {
  const out = new Int32Array(frameRows).fill(-1);
  for (let i = 0; i < rows.length; i++) out[rows[i]] = i;
  return out;
}

function pick(y: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = y[rows[i]];
  return out;
}

/** Probabilities (rows*K) for classification, values for regression. */
export async function predictLayout(estimator: Estimator, X: FeatureMatrix, classification: boolean): Promise<Float64Array> {
  if (!classification) return estimator.predict(X);
  if (!estimator.predictProba) throw new Error(`${estimator.family} cannot give class probabilities`);
  return estimator.predictProba(X);
}

export function scoreOf(ctx: Pick<TrialContext, 'task' | 'nClasses' | 'metric'>, y: Float64Array, pred: Float64Array): number {
  const prediction = ctx.task === 'regression' ? { values: pred } : { values: argmaxRows(pred, ctx.nClasses), proba: pred };
  return computeMetric(ctx.metric, y, prediction, ctx.nClasses, ctx.task);
}

/** Validation rows a permutation-importance pass scores at most (a seeded, stratified sample beyond that). */
const IMPORTANCE_ROWS = 2000;

/**
 * Drop in the fold's score when one input column (all the features derived from it, jointly) is
 * shuffled: positive means the model relies on it. Large folds are sampled down to IMPORTANCE_ROWS
 * rows first: one prediction per input column is the probe's main cost (with many classes, as much
 * as the fit), and 2,000 rows already resolve the drops the selection rule tests.
 */
async function permutationDrops(
  ctx: TrialContext,
  estimator: Estimator,
  matrixOf: MatrixOf,
  valid: Int32Array,
  y: Float64Array,
  score: number,
  classification: boolean,
  rng: Rng,
): Promise<Map<string, number>> {
  let X: FeatureMatrix;
  if (valid.length > IMPORTANCE_ROWS) {
    const all = Int32Array.from({ length: valid.length }, (_, i) => i);
    const keep = subsampleRows(all, y, IMPORTANCE_ROWS, rng.nextUint32(), classification);
    X = matrixOf(Int32Array.from(keep, (i) => valid[i]));
    y = Float64Array.from(keep, (i) => y[i]);
    score = scoreOf(ctx, y, await predictLayout(estimator, X, classification));
  } else {
    X = matrixOf(valid);
  }
  const bySource = new Map<string, number[]>();
  X.features.forEach((f, j) => {
    const list = bySource.get(f.source) ?? [];
    list.push(j);
    bySource.set(f.source, list);
  });
  const out = new Map<string, number>();
  const baseLoss = metricToLoss(ctx.metric, score);
  for (const [source, cols] of bySource) {
    const perm = rng.shuffle(Int32Array.from({ length: X.rows }, (_, i) => i));
    const columns = X.columns.slice();
    for (const j of cols) {
      const orig = X.columns[j];
      const shuffled = new Float64Array(X.rows);
      for (let i = 0; i < X.rows; i++) shuffled[i] = orig[perm[i]];
      columns[j] = shuffled;
    }
    const pred = await predictLayout(estimator, { ...X, columns }, classification);
    out.set(source, metricToLoss(ctx.metric, scoreOf(ctx, y, pred)) - baseLoss);
  }
  return out;
}

/**
 * The trial's configuration fitted on its first fold as a stand-alone model (pipeline included), then
 * timed with the bundle's runtime on up to 1,000 validation rows and sized (deployment.ts).
 */
async function measureTrial(ctx: TrialContext, spec: TrialSpec): Promise<TrialResult['deployment']> {
  const fold = ctx.folds[0];
  const model = await fitFinalModel(ctx.frame, {
    target: ctx.target,
    task: ctx.task,
    classes: ctx.classes,
    encoded: ctx.y,
    trainRows: fold.train,
    seed: spec.seed,
    deadline: spec.deadline,
    members: [{ weight: 1, family: spec.family, params: spec.params, features: spec.features }],
    binned: ctx.binned,
  });
  try {
    return await measureDeployment(model.toJSON(), ctx.frame, fold.valid.subarray(0, 1000), ctx.deployment!.bundleBaseKb);
  } finally {
    model.dispose();
  }
}
